//! One seam for "a record of some kind": the [`Record`] trait each kind
//! implements, and [`AnyRecord`], the one enum of the four kinds that the
//! CLI output, the TUI form and the undo/trash paths share.

use super::fields::Fields;
use super::{Activity, Customer, Kind, Meta, Opportunity, Product, ValidationErrors};
use chrono::NaiveDate;
use serde::Serialize;

/// What every kind of record offers beyond its fields.
pub trait Record: Fields + Clone + Default + Into<AnyRecord> {
    /// Which kind this is.
    const KIND: Kind;
    /// Id, version and timestamps.
    fn meta(&self) -> &Meta;
    /// Name or title, for one-line mentions.
    fn label(&self) -> String;
    /// Whether the record may be saved.
    fn check(&self) -> Result<(), ValidationErrors>;
    /// A new record before any field is filled in (an import row's start).
    fn fresh(_today: NaiveDate) -> Self {
        Self::default()
    }
    /// What makes two imported rows the same record; `None` never matches.
    fn import_key(&self) -> Option<String> {
        None
    }
}

/// Trimmed and lower-cased, for keys.
fn low(s: &str) -> String {
    s.trim().to_lowercase()
}

macro_rules! record {
    ($ty:ident, $kind:ident, |$r:ident| $label:expr $(, { $($extra:item)* })?) => {
        impl Record for $ty {
            const KIND: Kind = Kind::$kind;
            fn meta(&self) -> &Meta {
                &self.meta
            }
            fn label(&self) -> String {
                let $r = self;
                $label
            }
            fn check(&self) -> Result<(), ValidationErrors> {
                $ty::validate(self)
            }
            $($($extra)*)?
        }

        impl From<$ty> for AnyRecord {
            fn from(r: $ty) -> AnyRecord {
                AnyRecord::$kind(r)
            }
        }
    };
}

// Customers are matched on import by their identity (`interchange`), not
// by a key.
record!(Customer, Customer, |r| r.name.clone());
record!(Opportunity, Opportunity, |r| r.title.clone(), {
    fn import_key(&self) -> Option<String> {
        Some(format!("{}|{}", self.customer_id, low(&self.title)))
    }
});
record!(Product, Product, |r| r.name.clone(), {
    fn import_key(&self) -> Option<String> {
        if !self.sku.trim().is_empty() {
            Some(format!("sku:{}", low(&self.sku)))
        } else {
            Some(format!("name:{}", low(&self.name)))
        }
    }
});
record!(
    Activity,
    Activity,
    |r| format!("{} {}: {}", r.date, r.kind, r.summary),
    {
        fn fresh(today: NaiveDate) -> Self {
            Activity {
                date: today,
                ..Default::default()
            }
        }
        fn import_key(&self) -> Option<String> {
            Some(format!(
                "{}|{:?}|{}|{}",
                self.kind,
                self.customer_id,
                self.date,
                low(&self.summary)
            ))
        }
    }
);

/// A record of any kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AnyRecord {
    Customer(Customer),
    Opportunity(Opportunity),
    Product(Product),
    /// A touch or a campaign (told apart by its kind).
    Activity(Activity),
}

/// Calls `$body` with the record inside, whatever its kind.
macro_rules! each {
    ($self:expr, |$r:ident| $body:expr) => {
        match $self {
            AnyRecord::Customer($r) => $body,
            AnyRecord::Opportunity($r) => $body,
            AnyRecord::Product($r) => $body,
            AnyRecord::Activity($r) => $body,
        }
    };
}

impl AnyRecord {
    pub fn kind(&self) -> Kind {
        match self {
            AnyRecord::Customer(_) => Kind::Customer,
            AnyRecord::Opportunity(_) => Kind::Opportunity,
            AnyRecord::Product(_) => Kind::Product,
            AnyRecord::Activity(_) => Kind::Activity,
        }
    }

    pub fn fields(&self) -> &dyn Fields {
        each!(self, |r| r as &dyn Fields)
    }

    pub fn fields_mut(&mut self) -> &mut dyn Fields {
        each!(self, |r| r as &mut dyn Fields)
    }

    pub fn meta(&self) -> &Meta {
        each!(self, |r| Record::meta(r))
    }

    /// The row id; 0 for a record not saved yet.
    pub fn id(&self) -> i64 {
        self.meta().id
    }

    /// Name or title, for one-line mentions.
    pub fn label(&self) -> String {
        each!(self, |r| Record::label(r))
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        each!(self, |r| Record::check(r))
    }

    /// What makes two imported rows the same record.
    pub fn import_key(&self) -> Option<String> {
        each!(self, |r| Record::import_key(r))
    }

    /// What a list names it by: the customer's or product's name, the
    /// deal's title, the activity's summary.
    pub fn title(&self) -> &str {
        match self {
            AnyRecord::Customer(c) => &c.name,
            AnyRecord::Opportunity(o) => &o.title,
            AnyRecord::Product(p) => &p.name,
            AnyRecord::Activity(a) => &a.summary,
        }
    }

    /// What a person calls it: customer, deal, product, touch or campaign.
    pub fn noun(&self) -> &'static str {
        match self {
            AnyRecord::Customer(_) => "customer",
            AnyRecord::Opportunity(_) => "deal",
            AnyRecord::Product(_) => "product",
            AnyRecord::Activity(a) if a.kind.is_touch() => "touch",
            AnyRecord::Activity(_) => "campaign",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_answers_through_the_one_enum() {
        let c: AnyRecord = Customer::named("张伟").into();
        assert_eq!(
            (c.kind(), c.noun(), c.label()),
            (Kind::Customer, "customer", "张伟".into())
        );
        assert_eq!(c.fields().get("name"), "张伟");
        let p: AnyRecord = Product::default().into();
        assert_eq!(p.kind(), Kind::Product);
        assert!(p.validate().is_err(), "a product needs a name");
        let mut o: AnyRecord = Opportunity::default().into();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        o.fields_mut().set("title", "A3 ×2", today).unwrap();
        assert_eq!(o.label(), "A3 ×2");
        assert_eq!(o.noun(), "deal");
    }
}
