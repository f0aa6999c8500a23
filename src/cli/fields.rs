//! Turns the flags given on the command line into field edits.

use super::args::{ActivityArgs, CustomerArgs, OpportunityArgs, ProductArgs};

/// (field name, typed text) for every flag that was given.
pub type FieldEdits = Vec<(&'static str, String)>;

fn push(out: &mut FieldEdits, name: &'static str, v: &Option<String>) {
    if let Some(v) = v {
        out.push((name, v.clone()));
    }
}

fn push_list(out: &mut FieldEdits, name: &'static str, v: &[String]) {
    if !v.is_empty() {
        out.push((name, v.join(",")));
    }
}

fn push_id(out: &mut FieldEdits, name: &'static str, v: Option<i64>) {
    if let Some(v) = v {
        out.push((name, v.to_string()));
    }
}

impl CustomerArgs {
    pub fn edits(&self) -> FieldEdits {
        let mut o = Vec::new();
        push(&mut o, "name", &self.name);
        push(&mut o, "kind", &self.kind);
        push(&mut o, "company", &self.company);
        push(&mut o, "title", &self.title);
        push_list(&mut o, "phones", &self.phones);
        push_list(&mut o, "emails", &self.emails);
        push(&mut o, "country", &self.country);
        push(&mut o, "province", &self.province);
        push(&mut o, "city", &self.city);
        push(&mut o, "address", &self.address);
        push(&mut o, "industry", &self.industry);
        push(&mut o, "size", &self.size);
        push(&mut o, "source", &self.source);
        push_list(&mut o, "needs", &self.needs);
        push(&mut o, "notes", &self.notes);
        push(&mut o, "owner", &self.owner);
        // After the name, so a part given here is not split from it again.
        push(&mut o, "given_name", &self.given_name);
        push(&mut o, "family_name", &self.family_name);
        push(&mut o, "prefix", &self.prefix);
        push(&mut o, "suffix", &self.suffix);
        push(&mut o, "nickname", &self.nickname);
        push(&mut o, "department", &self.department);
        push(&mut o, "postcode", &self.postcode);
        push(&mut o, "address_label", &self.address_label);
        if !self.addresses.is_empty() {
            o.push(("addresses", self.addresses.join("\n")));
        }
        push(&mut o, "birthday", &self.birthday);
        push(&mut o, "anniversary", &self.anniversary);
        push_list(&mut o, "websites", &self.websites);
        push_list(&mut o, "ims", &self.ims);
        push_list(&mut o, "groups", &self.groups);
        o
    }
}

impl OpportunityArgs {
    pub fn edits(&self) -> FieldEdits {
        let mut o = Vec::new();
        push_id(&mut o, "customer", self.customer);
        push(&mut o, "title", &self.title);
        push(&mut o, "amount", &self.amount);
        push(&mut o, "currency", &self.currency);
        push(&mut o, "stage", &self.stage);
        push(&mut o, "expected_close", &self.expected_close);
        push(&mut o, "source", &self.source);
        push_id(&mut o, "campaign", self.campaign);
        push_list(&mut o, "competitors", &self.competitors);
        push(&mut o, "probability", &self.probability);
        push(&mut o, "next_step", &self.next_step);
        push(&mut o, "next_step_date", &self.next_step_date);
        push(&mut o, "closed_on", &self.closed_on);
        push(&mut o, "close_reason", &self.reason);
        o
    }
}

impl ProductArgs {
    pub fn edits(&self) -> FieldEdits {
        let mut o = Vec::new();
        push(&mut o, "name", &self.name);
        push(&mut o, "sku", &self.sku);
        push(&mut o, "category", &self.category);
        push(&mut o, "price", &self.price);
        push(&mut o, "currency", &self.currency);
        push(&mut o, "brand", &self.brand);
        push_list(&mut o, "functions", &self.functions);
        push_list(&mut o, "audience", &self.audience);
        push(&mut o, "active", &self.active);
        push(&mut o, "description", &self.description);
        o
    }
}

impl ActivityArgs {
    pub fn edits(&self) -> FieldEdits {
        let mut o = Vec::new();
        // Kind first: it decides which other fields exist.
        push(&mut o, "kind", &self.kind);
        push_id(&mut o, "customer", self.customer);
        push_id(&mut o, "opportunity", self.opportunity);
        push(&mut o, "date", &self.date);
        push(&mut o, "summary", &self.summary);
        push(&mut o, "sentiment", &self.sentiment);
        push(&mut o, "next_follow_up", &self.follow_up);
        push(&mut o, "channel", &self.channel);
        push(&mut o, "end_date", &self.end);
        push(&mut o, "region", &self.region);
        push(&mut o, "goal", &self.goal);
        push(&mut o, "participants", &self.participants);
        push(&mut o, "cost", &self.cost);
        push(&mut o, "leads", &self.leads);
        o
    }
}
