//! Facts: the numbers and labels rules read, one set per record.
//!
//! Each subject (customer, opportunity, product, campaign) has a fixed
//! catalogue of facts, so rule files are checked against it when they are
//! loaded and evaluation indexes a vector instead of hashing names.

use std::fmt;

/// What a rule can classify. Campaigns are activities of kind campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Customer,
    Opportunity,
    Product,
    Campaign,
}

impl Subject {
    pub const ALL: [Subject; 4] = [
        Subject::Customer,
        Subject::Opportunity,
        Subject::Product,
        Subject::Campaign,
    ];

    /// The section name in `rules.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Customer => "customer",
            Subject::Opportunity => "opportunity",
            Subject::Product => "product",
            Subject::Campaign => "campaign",
        }
    }

    /// The record kind the tags are stored under.
    pub fn kind(self) -> crate::domain::Kind {
        use crate::domain::Kind;
        match self {
            Subject::Customer => Kind::Customer,
            Subject::Opportunity => Kind::Opportunity,
            Subject::Product => Kind::Product,
            Subject::Campaign => Kind::Activity,
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The facts this subject has, in index order.
    pub fn fact_names(self) -> &'static [&'static str] {
        match self {
            Subject::Customer => CustomerFact::NAMES,
            Subject::Opportunity => OpportunityFact::NAMES,
            Subject::Product => ProductFact::NAMES,
            Subject::Campaign => CampaignFact::NAMES,
        }
    }

    /// Whether a fact holds text (else a number).
    pub(crate) fn fact_is_text(self, index: usize) -> bool {
        match self {
            Subject::Customer => CustomerFact::IS_TEXT.get(index).copied().unwrap_or(false),
            Subject::Opportunity => OpportunityFact::IS_TEXT
                .get(index)
                .copied()
                .unwrap_or(false),
            Subject::Product => ProductFact::IS_TEXT.get(index).copied().unwrap_or(false),
            Subject::Campaign => CampaignFact::IS_TEXT.get(index).copied().unwrap_or(false),
        }
    }

    pub fn fact_index(self, name: &str) -> Option<usize> {
        self.fact_names().iter().position(|n| *n == name)
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Declares a fact catalogue: an enum whose discriminants index [`Facts`],
/// the names rule files use, and which of them hold text.
macro_rules! fact_catalogue {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $label:literal $(: $text:ident)?),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const NAMES: &'static [&'static str] = &[$($label),+];
            const IS_TEXT: &'static [bool] = &[$(fact_catalogue!(@is $($text)?)),+];
            pub const COUNT: usize = Self::NAMES.len();
        }

        impl From<$name> for usize {
            fn from(f: $name) -> usize { f as usize }
        }
    };
    (@is text) => { true };
    (@is) => { false };
}

fact_catalogue!(
    /// Facts about a customer.
    CustomerFact {
        Kind = "kind": text,
        Country = "country": text,
        Province = "province": text,
        City = "city": text,
        Industry = "industry": text,
        Source = "source": text,
        Channel = "channel": text,
        Size = "size",
        TenureDays = "tenure_days",
        OrdersTotal = "orders_total",
        WonDeals12m = "won_deals_12m",
        LostDeals12m = "lost_deals_12m",
        OpenDeals = "open_deals",
        Revenue12m = "revenue_12m",
        RevenuePrev12m = "revenue_prev_12m",
        RevenueTotal = "revenue_total",
        DaysSinceFirstPurchase = "days_since_first_purchase",
        DaysSinceLastPurchase = "days_since_last_purchase",
        MedianPurchaseInterval = "median_purchase_interval",
        PurchaseGapRatio = "purchase_gap_ratio",
        RevenueGrowth = "revenue_growth",
        Touches90d = "touches_90d",
        TouchesTotal = "touches_total",
        PositiveTouches90d = "positive_touches_90d",
        NegativeTouches90d = "negative_touches_90d",
        LastSentiment = "last_sentiment": text,
        DaysSinceLastTouch = "days_since_last_touch",
        FollowUpInDays = "follow_up_in_days",
        RecencyScore = "recency_score",
        FrequencyScore = "frequency_score",
        MonetaryScore = "monetary_score",
    }
);

fact_catalogue!(
    /// Facts about an opportunity.
    OpportunityFact {
        Stage = "stage": text,
        Open = "open",
        Amount = "amount",
        Source = "source": text,
        Industry = "industry": text,
        Competitors = "competitors",
        Probability = "probability",
        DaysToClose = "days_to_close",
        NextStepOverdueDays = "next_step_overdue_days",
        DaysIdle = "days_idle",
    }
);

fact_catalogue!(
    /// Facts about a product.
    ProductFact {
        Category = "category": text,
        Brand = "brand": text,
        Audience = "audience": text,
        Price = "price",
        Active = "active",
        UnitsSold90d = "units_sold_90d",
        Revenue90d = "revenue_90d",
    }
);

fact_catalogue!(
    /// Facts about a marketing campaign.
    CampaignFact {
        Channel = "channel": text,
        Mode = "mode": text,
        Region = "region": text,
        Goal = "goal": text,
        Participants = "participants",
        Leads = "leads",
        Cost = "cost",
        DurationDays = "duration_days",
        SourcedDeals = "sourced_deals",
        WonRevenue = "won_revenue",
        Roi = "roi",
    }
);

/// One fact's value.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    Num(f64),
    Text(String),
}

/// The facts of one record, indexed by its subject's catalogue.
/// A fact that does not apply (no purchase yet, no follow-up planned, an
/// empty field) is absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    subject: Subject,
    values: Vec<Option<FactValue>>,
}

impl Facts {
    /// All facts absent.
    pub fn new(subject: Subject) -> Facts {
        Facts {
            subject,
            values: vec![None; subject.fact_names().len()],
        }
    }

    pub fn subject(&self) -> Subject {
        self.subject
    }

    /// Every fact absent again (a set reused for many records).
    pub fn clear(&mut self) {
        self.values.fill(None);
    }

    pub fn get(&self, index: usize) -> Option<&FactValue> {
        self.values.get(index).and_then(Option::as_ref)
    }

    pub fn num(&self, index: impl Into<usize>) -> Option<f64> {
        match self.get(index.into()) {
            Some(FactValue::Num(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn text(&self, index: impl Into<usize>) -> Option<&str> {
        match self.get(index.into()) {
            Some(FactValue::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// Sets a number (NaN and infinities are treated as absent).
    pub fn set_num(&mut self, index: impl Into<usize>, value: f64) {
        let i = index.into();
        self.values[i] = value.is_finite().then_some(FactValue::Num(value));
    }

    pub fn set_opt_num(&mut self, index: impl Into<usize>, value: Option<f64>) {
        let i = index.into();
        match value {
            Some(v) => self.set_num(i, v),
            None => self.values[i] = None,
        }
    }

    /// Sets a text; blank text is absent.
    pub fn set_text(&mut self, index: impl Into<usize>, value: &str) {
        let v = value.trim();
        self.values[index.into()] = (!v.is_empty()).then(|| FactValue::Text(v.to_string()));
    }

    /// Looks a fact up by name (tests, `why`).
    pub fn by_name(&self, name: &str) -> Option<&FactValue> {
        self.subject.fact_index(name).and_then(|i| self.get(i))
    }
}
