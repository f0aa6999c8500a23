//! Every editable field of every record, by name, as text.
//!
//! One description serves the CLI flags, the TUI forms and CSV import: each
//! field has a name, a label, a type (which says how typed text is parsed),
//! and `set`/`get` convert between the record and what a person types.

use super::card;
use super::dates::{parse_date, parse_optional_date};
use super::text::split_list;
use super::{
    Activity, ActivityKind, Campaign, CampaignChannel, Customer, CustomerKind, Goal, LineItem,
    Money, Opportunity, Product, Region, Sentiment, Stage,
};
use chrono::NaiveDate;

/// How a field's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// Multi-line text.
    LongText,
    /// A comma-separated list.
    List,
    /// One of fixed values.
    Choice(&'static [&'static str]),
    Date,
    /// Money: `12k`, `1,200.50`.
    Amount,
    /// A whole number.
    Number,
    /// The id of a linked record of this kind.
    Link(super::Kind),
    Bool,
}

/// One editable field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub ty: FieldType,
    pub required: bool,
}

const fn f(name: &'static str, label: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        label,
        ty,
        required: false,
    }
}

const fn req(name: &'static str, label: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec {
        name,
        label,
        ty,
        required: true,
    }
}

use FieldType::*;

pub const CUSTOMER_FIELDS: &[FieldSpec] = &[
    req("name", "Name", Text),
    f("kind", "Kind", Choice(&["individual", "enterprise"])),
    f("company", "Company", Text),
    f("title", "Title", Text),
    // `mobile: +86 138 0013 8000, work: +86 10 6552 9988` (first preferred).
    f("phones", "Phones", List),
    f("emails", "Emails", List),
    f("country", "Country", Text),
    f("province", "Province/State", Text),
    f("city", "City", Text),
    f("address", "Address", Text),
    f("industry", "Industry", Text),
    f("size", "Employees", Number),
    f("source", "Source", Text),
    f("needs", "Needs", List),
    f("owner", "Owner", Text),
    f("notes", "Notes", LongText),
    // The rest of an address book's card (domain::Card).
    f("given_name", "Given name", Text),
    f("family_name", "Family name", Text),
    f("prefix", "Name prefix", Text),
    f("suffix", "Name suffix", Text),
    f("nickname", "Nickname", Text),
    f("department", "Department", Text),
    f("postcode", "Postcode", Text),
    f("address_label", "Address label", Text),
    // One per line: `home: street; city; region; postcode; country`.
    f("addresses", "More addresses", LongText),
    f("groups", "Groups", List),
    // A date, or --MM-DD when the year is not known.
    f("birthday", "Birthday", Date),
    f("anniversary", "Anniversary", Date),
    f("websites", "Websites", List),
    // `wechat: zhangwei88, qq: 10001`.
    f("ims", "IM handles", List),
];

pub const OPPORTUNITY_FIELDS: &[FieldSpec] = &[
    req("title", "Title", Text),
    req("customer", "Customer", Link(super::Kind::Customer)),
    f("amount", "Amount", Amount),
    f("currency", "Currency", Text),
    f(
        "stage",
        "Stage",
        Choice(&[
            "prospect",
            "qualified",
            "negotiation",
            "closing",
            "won",
            "lost",
        ]),
    ),
    f("expected_close", "Expected close", Date),
    f("source", "Source", Text),
    f("campaign", "Campaign", Link(super::Kind::Activity)),
    f("competitors", "Competitors", List),
    f("probability", "Probability %", Number),
    f("next_step", "Next step", Text),
    f("next_step_date", "Next step date", Date),
    f("closed_on", "Closed on", Date),
    f("close_reason", "Won/lost reason", LongText),
];

pub const PRODUCT_FIELDS: &[FieldSpec] = &[
    req("name", "Name", Text),
    f("sku", "SKU", Text),
    f("category", "Category", Text),
    f("price", "Price", Amount),
    f("currency", "Currency", Text),
    f("brand", "Brand", Text),
    f("functions", "Functions", List),
    f("audience", "Audience", List),
    f("active", "Active", Bool),
    f("description", "Description", LongText),
];

pub const TOUCH_FIELDS: &[FieldSpec] = &[
    f(
        "kind",
        "Kind",
        Choice(&["call", "visit", "meeting", "email", "note", "campaign"]),
    ),
    req("customer", "Customer", Link(super::Kind::Customer)),
    f("opportunity", "Deal", Link(super::Kind::Opportunity)),
    req("date", "Date", Date),
    f("summary", "Summary", LongText),
    f(
        "sentiment",
        "Sentiment",
        Choice(&["positive", "neutral", "negative"]),
    ),
    f("next_follow_up", "Next follow-up", Date),
];

pub const CAMPAIGN_FIELDS: &[FieldSpec] = &[
    req("summary", "Campaign name", Text),
    req("date", "Start date", Date),
    f("end_date", "End date", Date),
    f(
        "channel",
        "Channel",
        Choice(&[
            "live_stream",
            "social",
            "webinar",
            "ads",
            "exhibition",
            "seminar",
            "store_event",
        ]),
    ),
    f(
        "region",
        "Region",
        Choice(&["local", "regional", "national", "international"]),
    ),
    f(
        "goal",
        "Goal",
        Choice(&["brand_awareness", "sales", "lead_collection"]),
    ),
    f("participants", "Participants", Number),
    f("cost", "Cost", Amount),
    f("leads", "Leads", Number),
];

/// A record whose fields can be set and read by name.
pub trait Fields {
    /// The editable fields of this record, in form order.
    fn specs(&self) -> &'static [FieldSpec];
    /// Sets `field` from typed text; the error is worded for the person.
    fn set(&mut self, field: &str, value: &str, today: NaiveDate) -> Result<(), String>;
    /// The field as text, the way `set` would read it back.
    fn get(&self, field: &str) -> String;
}

fn unknown(field: &str, specs: &[FieldSpec]) -> String {
    let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
    format!(
        "unknown field '{field}' — known fields: {}",
        names.join(", ")
    )
}

fn number<T: std::str::FromStr>(value: &str, what: &str) -> Result<Option<T>, String> {
    let v = value.trim().replace([',', '_'], "");
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<T>().map(Some).map_err(|_| {
        format!(
            "'{}' is not {what}",
            super::text::cut_for_message(value.trim())
        )
    })
}

fn link(value: &str) -> Result<Option<i64>, String> {
    match number::<i64>(value, "a record id — type the number shown in the list")? {
        Some(0) | None => Ok(None),
        Some(n) if n < 0 => Err("a record id is a positive number".into()),
        Some(n) => Ok(Some(n)),
    }
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn money_text(m: Money) -> String {
    m.display_plain()
}

fn opt_money(value: &str) -> Result<Money, String> {
    if value.trim().is_empty() {
        Ok(Money(0))
    } else {
        Money::parse(value)
    }
}

fn bool_value(value: &str) -> Result<bool, String> {
    match value.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "on" | "active" | "是" => Ok(true),
        "no" | "n" | "false" | "0" | "off" | "inactive" | "否" => Ok(false),
        other => Err(format!(
            "'{}' is not yes or no",
            super::text::cut_for_message(other)
        )),
    }
}

impl Fields for Customer {
    fn specs(&self) -> &'static [FieldSpec] {
        CUSTOMER_FIELDS
    }

    fn set(&mut self, field: &str, value: &str, _today: NaiveDate) -> Result<(), String> {
        let v = value.to_string();
        match field {
            "name" => self.name = v,
            // One part given keeps the other as the name splits; a part left
            // empty beside a given one is the name's split too.
            "given_name" => {
                let (family, given) = self.split_name_parts();
                match (v.trim().is_empty(), self.card.family_name.is_empty()) {
                    (false, true) => {
                        self.card.family_name = family;
                        self.card.given_name = v
                    }
                    (true, false) => self.card.given_name = given,
                    _ => self.card.given_name = v,
                }
            }
            "family_name" => {
                let (family, given) = self.split_name_parts();
                match (v.trim().is_empty(), self.card.given_name.is_empty()) {
                    (false, true) => {
                        self.card.given_name = given;
                        self.card.family_name = v
                    }
                    (true, false) => self.card.family_name = family,
                    _ => self.card.family_name = v,
                }
            }
            "prefix" => self.card.prefix = v,
            "suffix" => self.card.suffix = v,
            "nickname" => self.card.nickname = v,
            "department" => self.card.department = v,
            "postcode" => self.card.postcode = v,
            "address_label" => self.card.address_label = v,
            "addresses" => {
                let n = value.chars().count();
                if n > super::MAX_LONG {
                    return Err(format!(
                        "is {n} characters long — at most {} are allowed",
                        super::MAX_LONG
                    ));
                }
                self.card.addresses = card::parse_addresses(value)?
            }
            "groups" => self.card.groups = split_list(value),
            "birthday" => self.card.birthday = card::parse_day(value)?,
            "anniversary" => self.card.anniversary = card::parse_day(value)?,
            "websites" => self.card.websites = split_list(value),
            "ims" => self.card.ims = split_list(value),
            "kind" => self.kind = value.parse::<CustomerKind>()?,
            "company" => self.company = v,
            "title" => self.title = v,
            "phones" => {
                (self.phones, self.card.phone_labels) = card::parse_labelled(split_list(value))
            }
            "emails" => {
                (self.emails, self.card.email_labels) = card::parse_labelled(split_list(value))
            }
            "country" => self.country = v,
            "province" => self.province = v,
            "city" => self.city = v,
            "address" => self.address = v,
            "industry" => self.industry = v,
            "size" => self.size = number(value, "a number of employees")?,
            "source" => self.source = v,
            "needs" => self.needs = split_list(value),
            "owner" => self.owner = v,
            "notes" => self.notes = v,
            _ => return Err(unknown(field, CUSTOMER_FIELDS)),
        }
        Ok(())
    }

    fn get(&self, field: &str) -> String {
        match field {
            "name" => self.name.clone(),
            // Only parts kept apart from the name (the name's own split is
            // not stored, so a renamed person's parts follow the name).
            "given_name" => self.card.given_name.clone(),
            "family_name" => self.card.family_name.clone(),
            "prefix" => self.card.prefix.clone(),
            "suffix" => self.card.suffix.clone(),
            "nickname" => self.card.nickname.clone(),
            "department" => self.card.department.clone(),
            "postcode" => self.card.postcode.clone(),
            "address_label" => self.card.address_label.clone(),
            "addresses" => card::addresses_text(&self.card.addresses),
            "groups" => self.card.groups.join(", "),
            "birthday" => self.card.birthday.clone(),
            "anniversary" => self.card.anniversary.clone(),
            "websites" => self.card.websites.join(", "),
            "ims" => self.card.ims.join(", "),
            "kind" => self.kind.to_string(),
            "company" => self.company.clone(),
            "title" => self.title.clone(),
            "phones" => card::labelled_list(&self.phones, &self.card.phone_labels),
            "emails" => card::labelled_list(&self.emails, &self.card.email_labels),
            "country" => self.country.clone(),
            "province" => self.province.clone(),
            "city" => self.city.clone(),
            "address" => self.address.clone(),
            "industry" => self.industry.clone(),
            "size" => self.size.map(|s| s.to_string()).unwrap_or_default(),
            "source" => self.source.clone(),
            "needs" => self.needs.join(", "),
            "owner" => self.owner.clone(),
            "notes" => self.notes.clone(),
            _ => String::new(),
        }
    }
}

impl Fields for Opportunity {
    fn specs(&self) -> &'static [FieldSpec] {
        OPPORTUNITY_FIELDS
    }

    fn set(&mut self, field: &str, value: &str, today: NaiveDate) -> Result<(), String> {
        match field {
            "title" => self.title = value.to_string(),
            "customer" => self.customer_id = link(value)?.unwrap_or(0),
            "amount" => self.amount = opt_money(value)?,
            "currency" => self.currency = value.trim().to_uppercase(),
            "stage" => self.stage = value.parse::<Stage>()?,
            "expected_close" => self.expected_close = parse_optional_date(value, today)?,
            "source" => self.source = value.to_string(),
            "campaign" => self.campaign_id = link(value)?,
            "competitors" => self.competitors = split_list(value),
            "probability" => self.probability = number(value, "a percentage from 0 to 100")?,
            "next_step" => self.next_step = value.to_string(),
            "next_step_date" => self.next_step_date = parse_optional_date(value, today)?,
            "closed_on" => self.closed_on = parse_optional_date(value, today)?,
            "close_reason" => self.close_reason = value.to_string(),
            _ => return Err(unknown(field, OPPORTUNITY_FIELDS)),
        }
        Ok(())
    }

    fn get(&self, field: &str) -> String {
        match field {
            "title" => self.title.clone(),
            "customer" if self.customer_id > 0 => self.customer_id.to_string(),
            "amount" => money_text(self.amount),
            "currency" => self.currency.clone(),
            "stage" => self.stage.to_string(),
            "expected_close" => date_text(self.expected_close),
            "source" => self.source.clone(),
            "campaign" => self.campaign_id.map(|c| c.to_string()).unwrap_or_default(),
            "competitors" => self.competitors.join(", "),
            "probability" => self.probability.map(|p| p.to_string()).unwrap_or_default(),
            "next_step" => self.next_step.clone(),
            "next_step_date" => date_text(self.next_step_date),
            "closed_on" => date_text(self.closed_on),
            "close_reason" => self.close_reason.clone(),
            _ => String::new(),
        }
    }
}

impl Fields for Product {
    fn specs(&self) -> &'static [FieldSpec] {
        PRODUCT_FIELDS
    }

    fn set(&mut self, field: &str, value: &str, _today: NaiveDate) -> Result<(), String> {
        match field {
            "name" => self.name = value.to_string(),
            "sku" => self.sku = value.trim().to_string(),
            "category" => self.category = value.to_string(),
            "price" => self.price = opt_money(value)?,
            "currency" => self.currency = value.trim().to_uppercase(),
            "brand" => self.brand = value.to_string(),
            "functions" => self.functions = split_list(value),
            "audience" => self.audience = split_list(value),
            "active" => self.active = bool_value(value)?,
            "description" => self.description = value.to_string(),
            _ => return Err(unknown(field, PRODUCT_FIELDS)),
        }
        Ok(())
    }

    fn get(&self, field: &str) -> String {
        match field {
            "name" => self.name.clone(),
            "sku" => self.sku.clone(),
            "category" => self.category.clone(),
            "price" => money_text(self.price),
            "currency" => self.currency.clone(),
            "brand" => self.brand.clone(),
            "functions" => self.functions.join(", "),
            "audience" => self.audience.join(", "),
            "active" => if self.active { "yes" } else { "no" }.into(),
            "description" => self.description.clone(),
            _ => String::new(),
        }
    }
}

impl Activity {
    fn campaign_mut(&mut self) -> &mut Campaign {
        self.campaign.get_or_insert_with(Campaign::default)
    }
}

impl Fields for Activity {
    fn specs(&self) -> &'static [FieldSpec] {
        if self.kind == ActivityKind::Campaign {
            CAMPAIGN_FIELDS
        } else {
            TOUCH_FIELDS
        }
    }

    fn set(&mut self, field: &str, value: &str, today: NaiveDate) -> Result<(), String> {
        match field {
            "kind" => {
                self.kind = value.parse::<ActivityKind>()?;
                if self.kind == ActivityKind::Campaign {
                    self.campaign_mut();
                    self.customer_id = None;
                } else {
                    self.campaign = None;
                }
            }
            "customer" => self.customer_id = link(value)?,
            "opportunity" => self.opportunity_id = link(value)?,
            "date" => self.date = parse_date(value, today)?,
            "summary" => self.summary = value.to_string(),
            "sentiment" => {
                self.sentiment = if value.trim().is_empty() {
                    None
                } else {
                    Some(value.parse::<Sentiment>()?)
                }
            }
            "next_follow_up" => self.next_follow_up = parse_optional_date(value, today)?,
            "end_date" => self.campaign_mut().end_date = parse_optional_date(value, today)?,
            "channel" => self.campaign_mut().channel = value.parse::<CampaignChannel>()?,
            "region" => self.campaign_mut().region = value.parse::<Region>()?,
            "goal" => self.campaign_mut().goal = value.parse::<Goal>()?,
            "participants" => {
                self.campaign_mut().participants =
                    number(value, "a number of participants")?.unwrap_or(0)
            }
            "cost" => self.campaign_mut().cost = opt_money(value)?,
            "leads" => self.campaign_mut().leads = number(value, "a number of leads")?.unwrap_or(0),
            _ => {
                let mut all: Vec<FieldSpec> = TOUCH_FIELDS.to_vec();
                all.extend_from_slice(CAMPAIGN_FIELDS);
                return Err(unknown(field, &all));
            }
        }
        Ok(())
    }

    fn get(&self, field: &str) -> String {
        let c = self.campaign.as_ref();
        match field {
            "kind" => self.kind.to_string(),
            "customer" => self.customer_id.map(|c| c.to_string()).unwrap_or_default(),
            "opportunity" => self
                .opportunity_id
                .map(|c| c.to_string())
                .unwrap_or_default(),
            "date" => self.date.to_string(),
            "summary" => self.summary.clone(),
            "sentiment" => self.sentiment.map(|s| s.to_string()).unwrap_or_default(),
            "next_follow_up" => date_text(self.next_follow_up),
            "end_date" => date_text(c.and_then(|c| c.end_date)),
            "channel" => c.map(|c| c.channel.to_string()).unwrap_or_default(),
            "region" => c.map(|c| c.region.to_string()).unwrap_or_default(),
            "goal" => c.map(|c| c.goal.to_string()).unwrap_or_default(),
            "participants" => c.map(|c| c.participants.to_string()).unwrap_or_default(),
            "cost" => c.map(|c| money_text(c.cost)).unwrap_or_default(),
            "leads" => c.map(|c| c.leads.to_string()).unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// Parses a line item typed as `PRODUCT_ID:QUANTITY[:UNIT_PRICE]`; without a
/// price, `default_price` gives the product's list price.
pub fn parse_line_item(
    text: &str,
    default_price: impl Fn(i64) -> Option<Money>,
) -> Result<LineItem, String> {
    let parts: Vec<&str> = text.split(':').map(str::trim).collect();
    let bad = || {
        format!(
            "'{}' is not a line item — use PRODUCT_ID:QUANTITY or PRODUCT_ID:QUANTITY:UNIT_PRICE",
            super::text::cut_for_message(text)
        )
    };
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let product_id: i64 = parts[0].parse().map_err(|_| bad())?;
    let quantity: i64 = parts[1].parse().map_err(|_| bad())?;
    let unit_price = match parts.get(2) {
        Some(p) => Money::parse(p)?,
        None => default_price(product_id).ok_or_else(|| {
            crate::tr!(
                "err-link-missing",
                kind = super::Kind::Product.name(),
                id = product_id
            )
        })?,
    };
    Ok(LineItem {
        product_id,
        quantity,
        unit_price,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn every_spec_round_trips_through_set_and_get() {
        let samples = |ty: FieldType| -> &'static str {
            match ty {
                Text | LongText => "上海 TEXT",
                List => "a, b",
                Choice(vals) => vals[1],
                Date => "2026-12-01",
                Amount => "1,200",
                Number => "42",
                Link(_) => "7",
                Bool => "no",
            }
        };
        let mut c = Customer::default();
        let mut o = Opportunity::default();
        let mut p = Product::default();
        let mut t = Activity::default();
        let mut m = Activity {
            kind: ActivityKind::Campaign,
            ..Default::default()
        };
        let records: [&mut dyn Fields; 5] = [&mut c, &mut o, &mut p, &mut t, &mut m];
        for r in records {
            for spec in r.specs() {
                let v = match spec.name {
                    "birthday" | "anniversary" => "1990-03-15",
                    _ => samples(spec.ty),
                };
                r.set(spec.name, v, today()).unwrap();
                assert_eq!(r.get(spec.name), v, "field {}", spec.name);
            }
        }
    }

    #[test]
    fn bad_values_name_what_is_expected() {
        let mut o = Opportunity::default();
        let e = o.set("amount", "lots", today()).unwrap_err();
        assert!(e.contains("not an amount"), "{e}");
        let e = o.set("stage", "maybe", today()).unwrap_err();
        assert!(e.contains("expected one of: prospect"), "{e}");
        let e = o.set("colour", "red", today()).unwrap_err();
        assert!(e.contains("unknown field 'colour'"), "{e}");
        let mut c = Customer::default();
        assert!(c.set("size", "many", today()).is_err());
    }

    #[test]
    fn line_items_parse() {
        let item = parse_line_item("3:2", |_| Some(super::Money(500))).unwrap();
        assert_eq!(item.total(), super::Money(1000));
        assert!(parse_line_item("3", |_| None).is_err());
        assert!(parse_line_item("3:2", |_| None)
            .unwrap_err()
            .contains("does not exist"));
    }
}
