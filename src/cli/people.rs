//! Tags, fields and kinds as a person reads them, in the language in
//! force: labels from the rules (客户价值 / 高) and the catalog, reasons
//! worded afresh from today's facts. JSON and plain CSV keep the ids.

use crate::classify::{RuleSet, Subject};
use crate::domain::fields::FieldSpec;
use crate::domain::Kind;
use crate::i18n::{self, Lang};
use crate::store::Store;
use crate::tr;
use anyhow::Result;
use std::collections::BTreeMap;

/// The subject whose rules tag records of `kind`.
pub fn subject_of(kind: Kind) -> Subject {
    match kind {
        Kind::Customer => Subject::Customer,
        Kind::Opportunity => Subject::Opportunity,
        Kind::Product => Subject::Product,
        Kind::Activity => Subject::Campaign,
    }
}

/// The catalog key of a field's label: `field-TABLE-NAME`, the table
/// found from the field list (touches and campaigns are both activities).
pub fn field_key(specs: &'static [FieldSpec], name: &str) -> String {
    use crate::domain::fields::{
        CAMPAIGN_FIELDS, CUSTOMER_FIELDS, OPPORTUNITY_FIELDS, PRODUCT_FIELDS, TOUCH_FIELDS,
    };
    let table = [
        (CUSTOMER_FIELDS, "customer"),
        (OPPORTUNITY_FIELDS, "opportunity"),
        (PRODUCT_FIELDS, "product"),
        (TOUCH_FIELDS, "touch"),
        (CAMPAIGN_FIELDS, "campaign"),
    ]
    .into_iter()
    // Compared by content: a `const` slice need not have one address.
    .find(|(list, _)| {
        list.len() == specs.len()
            && list
                .iter()
                .zip(specs)
                .all(|(a, b)| a.name == b.name && a.label == b.label)
    })
    .map_or("other", |(_, t)| t);
    format!("field-{table}-{}", name.replace('_', "-"))
}

/// A field's label in the language in force, from the catalog; the
/// English label it was defined with when the catalog lacks it.
pub fn field_label(specs: &'static [FieldSpec], spec: &FieldSpec) -> String {
    let lang = i18n::current();
    let key = field_key(specs, spec.name);
    if i18n::has(lang, &key) {
        i18n::message(lang, &key, &[])
    } else {
        spec.label.to_string()
    }
}

/// Labels of the rules in force, in the language in force.
pub struct Labels {
    pub rules: RuleSet,
    pub lang: Lang,
}

impl Labels {
    pub fn load(store: &mut Store) -> Result<Labels> {
        Ok(Labels {
            rules: store.rules()?.clone(),
            lang: i18n::current(),
        })
    }

    /// (dimension label, value label) of a tag on a record of `kind`.
    pub fn tag(&self, kind: Kind, dimension: &str, value: &str) -> (String, String) {
        self.rules
            .tag_label(subject_of(kind), dimension, value, self.lang)
    }

    /// An opportunity stage as its tag reads (洽谈).
    pub fn stage(&self, stage: &str) -> String {
        self.tag(Kind::Opportunity, "stage", stage).1
    }

    /// Reads a `--tag` filter in ids or labels (`value=high`, `价值:高`).
    pub fn filter(&self, kind: Kind, typed: &str) -> Option<(String, String)> {
        self.rules.parse_tag_filter(subject_of(kind), typed)
    }
}

/// A tag's reason and the rule that gave it, worded now.
pub struct Reason {
    pub text: String,
    pub rule: Option<String>,
}

/// The reasons of a record's tags, worded afresh in the language in force
/// from today's facts, by (dimension, value). A stored tag the rules no
/// longer give has none here: its stored reason is shown.
pub fn live_reasons(
    store: &mut Store,
    kind: Kind,
    id: i64,
) -> Result<BTreeMap<(String, String), Reason>> {
    let Some(facts) = store.facts(kind, id)? else {
        return Ok(BTreeMap::new());
    };
    let rules = store.rules()?.clone();
    let cuts = store.cut_points()?.clone();
    let lang = i18n::current();
    Ok(rules
        .evaluate(&facts, &cuts)
        .into_iter()
        .map(|o| {
            (
                (o.dim.name.clone(), o.value.to_string()),
                Reason {
                    text: o.reason_in(lang, &facts, &cuts),
                    rule: o.rule_name().map(str::to_string),
                },
            )
        })
        .collect())
}

/// A stored reason without the rule id older versions wrote into it
/// (`… (rule value.high)`, `… (default of value)`).
pub fn stored_reason(reason: &str) -> &str {
    let r = reason.trim_end();
    match r.rfind(" (rule ").or_else(|| r.rfind(" (default of ")) {
        Some(i) if r.ends_with(')') => &r[..i],
        _ => r,
    }
}

/// A store error in the language in force.
pub fn store_error_text(e: &crate::store::StoreError) -> String {
    use crate::store::StoreError as E;
    match e {
        E::NotFound { kind, id } => tr!("err-not-found", kind = kind.name(), id = *id),
        E::InTrash { kind, id } => tr!(
            "err-in-trash",
            kind = kind.name(),
            id = *id,
            cmd = format!("dossier restore {kind} {id}")
        ),
        E::Conflict {
            kind,
            id,
            expected,
            found,
        } => tr!(
            "err-conflict",
            kind = kind.name(),
            id = *id,
            expected = *expected,
            found = *found
        ),
        E::Invalid(v) => tr!("cli-not-saved", problems = problems_text(None, v)),
        E::NewerSchema {
            path,
            found,
            supported,
        } => tr!(
            "err-newer-schema",
            path = path,
            found = *found,
            supported = *supported
        ),
        E::DiskFull => tr!("err-disk-full"),
        E::Busy => tr!("err-busy"),
        E::ConnectionLost { committing: false } => tr!("err-connection-lost"),
        E::ConnectionLost { committing: true } => tr!("err-connection-lost-committing"),
        E::Server(message) => tr!("err-server", message = message.as_str()),
        other => other.to_string(),
    }
}

/// Validation problems for people: in Chinese each field by its label
/// (`下次跟进: …`); in English by its name as the options spell it
/// (`emails: …`). `kind` names whose fields they are (`None`: the first
/// list that has the field).
pub fn problems_text(kind: Option<Kind>, errors: &crate::domain::ValidationErrors) -> String {
    use crate::domain::fields::{
        CAMPAIGN_FIELDS, CUSTOMER_FIELDS, OPPORTUNITY_FIELDS, PRODUCT_FIELDS, TOUCH_FIELDS,
    };
    let lists: Vec<&'static [FieldSpec]> = match kind {
        Some(Kind::Customer) => vec![CUSTOMER_FIELDS],
        Some(Kind::Opportunity) => vec![OPPORTUNITY_FIELDS],
        Some(Kind::Product) => vec![PRODUCT_FIELDS],
        Some(Kind::Activity) => vec![TOUCH_FIELDS, CAMPAIGN_FIELDS],
        None => vec![
            CUSTOMER_FIELDS,
            OPPORTUNITY_FIELDS,
            PRODUCT_FIELDS,
            TOUCH_FIELDS,
            CAMPAIGN_FIELDS,
        ],
    };
    errors
        .0
        .iter()
        .map(|e| {
            if i18n::current() == Lang::En {
                return format!("{}: {}", e.field, e.message);
            }
            let label = lists
                .iter()
                .find_map(|list| {
                    let spec = list.iter().find(|s| s.name == e.field)?;
                    Some(field_label(list, spec))
                })
                .unwrap_or_else(|| match e.field.as_str() {
                    // Fields that are not in a form's field list.
                    "items" => tr!("problem-field-items"),
                    "follow-up" => tr!("problem-field-follow-up"),
                    _ => e.field.clone(),
                });
            format!("{label}: {}", e.message)
        })
        .collect::<Vec<_>>()
        .join(&tr!("cli-problem-separator"))
}
