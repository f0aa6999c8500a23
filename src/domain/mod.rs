//! Records and their validation. Pure: no database, no terminal.
//!
//! Every record carries a [`Meta`] (id, timestamps, optimistic-concurrency
//! version, soft-delete mark). Validation returns [`ValidationErrors`], a list
//! of messages each naming the field it belongs to, so a form can show the
//! message at the field and the CLI can print it as one line.

mod activity;
pub mod card;
mod clock;
mod combine;
mod customer;
pub mod dates;
pub mod fields;
pub mod identity;
pub mod money;
mod opportunity;
mod product;
mod record;
pub mod text;
mod validate;

pub use activity::{Activity, ActivityKind, Campaign, CampaignChannel, Goal, Region, Sentiment};
pub use card::{Address, Card};
pub use clock::Clock;
pub use combine::{absorb, combine_for_merge};
pub use customer::{channel_of_source, source_group};
pub use customer::{Channel, Customer, CustomerKind};
pub use money::Money;
pub use money::{Rates, Totals};
pub use opportunity::{LineItem, Opportunity, Stage};
pub use product::Product;
pub use record::{AnyRecord, Record};
pub use validate::{
    email_problem, phone_problem, FieldError, ValidationErrors, MAX_LONG, MAX_SHORT,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Bookkeeping shared by every record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Meta {
    /// Row id; 0 for a record that has not been saved yet.
    #[serde(default)]
    pub id: i64,
    /// The record's identity across books, backups and the team server
    /// (ids are local to one book); empty until the record is saved.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uuid: String,
    #[serde(default = "epoch")]
    pub created_at: DateTime<Utc>,
    #[serde(default = "epoch")]
    pub updated_at: DateTime<Utc>,
    /// Incremented by every write; an update must name the version it read.
    #[serde(default)]
    pub version: i64,
    /// Set when the record is in the trash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
}

fn epoch() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

/// The four kinds of record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)] // stored as one byte in the search index file
pub enum Kind {
    Customer,
    Opportunity,
    Product,
    Activity,
}

impl Kind {
    /// The kind's name in the language in force (customer, 客户).
    pub fn name(self) -> String {
        match self {
            Kind::Customer => crate::tr!("kind-customer"),
            Kind::Opportunity => crate::tr!("kind-opportunity"),
            Kind::Product => crate::tr!("kind-product"),
            Kind::Activity => crate::tr!("kind-activity"),
        }
    }

    pub const ALL: [Kind; 4] = [
        Kind::Customer,
        Kind::Opportunity,
        Kind::Product,
        Kind::Activity,
    ];

    /// The singular name used in the CLI and in tag rows.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Customer => "customer",
            Kind::Opportunity => "opportunity",
            Kind::Product => "product",
            Kind::Activity => "activity",
        }
    }

    /// The SQL table holding records of this kind.
    pub fn table(self) -> &'static str {
        match self {
            Kind::Customer => "customers",
            Kind::Opportunity => "opportunities",
            Kind::Product => "products",
            Kind::Activity => "activities",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "customer" | "customers" | "c" => Ok(Kind::Customer),
            "opportunity" | "opportunities" | "opp" | "opps" | "deal" | "deals" | "o" => {
                Ok(Kind::Opportunity)
            }
            "product" | "products" | "p" => Ok(Kind::Product),
            "activity" | "activities" | "a" | "touch" | "touches" => Ok(Kind::Activity),
            other => Err(format!(
                "unknown record kind '{other}' — use customer, opportunity, product or activity"
            )),
        }
    }
}

/// Implements `Display`/`FromStr`/serde for a plain enum with fixed labels.
/// `$label` is the stored and typed form; extra aliases are accepted on input.
macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $label:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stored label.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let norm = s.trim().to_lowercase().replace([' ', '-'], "_");
                $(
                    if norm == $label $(|| norm == $alias)* { return Ok($name::$variant); }
                )+
                Err($crate::tr!(
                    "err-not-one-of",
                    value = $crate::domain::text::cut_for_message(s.trim()),
                    what = $crate::domain::text::type_name(stringify!($name)),
                    expected = [$($label),+].join(", ")
                ))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use labelled_enum;
