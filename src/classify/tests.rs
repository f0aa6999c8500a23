//! Table tests: every built-in rule at its boundaries, and rule files.

use super::compute::{customer_facts, CustomerProfile, DealRow};
use super::facts::{FactValue, Facts, Subject};
use super::rules::BUILTIN_RULES;
use super::{CutPoints, RuleSet};
use crate::domain::Stage;
use crate::i18n::Lang;
use chrono::NaiveDate;
use std::collections::BTreeSet;

enum V {
    N(f64),
    T(&'static str),
}
use V::{N, T};

/// (subject, dimension, facts, expected value, expected rule name —
/// "dim.default" for the dimension's default).
type Case = (
    Subject,
    &'static str,
    &'static [(&'static str, V)],
    Option<&'static str>,
    &'static str,
);

const C: Subject = Subject::Customer;
const O: Subject = Subject::Opportunity;
const P: Subject = Subject::Product;
const M: Subject = Subject::Campaign;

#[rustfmt::skip]
const CASES: &[Case] = &[
    (C, "type", &[("kind", T("enterprise"))], Some("enterprise"), "type.kind"),
    (C, "status", &[("orders_total", N(0.0))], Some("prospect"), "status.default"),
    (C, "status", &[("orders_total", N(1.0))], Some("existing"), "status.existing"),
    (C, "region", &[], Some("domestic"), "region.default"),
    (C, "region", &[("country", T("china"))], Some("domestic"), "region.default"),
    (C, "region", &[("country", T("中国"))], Some("domestic"), "region.default"),
    (C, "region", &[("country", T("Japan"))], Some("international"), "region.international"),
    (C, "location", &[("country", T("Japan")), ("city", T("Osaka"))], Some("Japan"), "location.country"),
    (C, "location", &[("country", T("CN")), ("province", T("广东")), ("city", T("深圳"))], Some("广东 深圳"), "location.province_city"),
    (C, "location", &[], None, ""),
    (C, "frequency", &[("won_deals_12m", N(2.0))], Some("low"), "frequency.default"),
    (C, "frequency", &[("won_deals_12m", N(3.0))], Some("high"), "frequency.high"),
    (C, "amount", &[("revenue_12m", N(19_999.99))], Some("low"), "amount.default"),
    (C, "amount", &[("revenue_12m", N(20_000.0))], Some("medium"), "amount.medium"),
    (C, "amount", &[("revenue_12m", N(99_999.99))], Some("medium"), "amount.medium"),
    (C, "amount", &[("revenue_12m", N(100_000.0))], Some("high"), "amount.high"),
    // Cut points in these tests: revenue_12m p50 = 10,000, p80 = 50,000.
    (C, "value", &[("revenue_12m", N(9_999.0))], Some("low"), "value.default"),
    (C, "value", &[("revenue_12m", N(10_000.0))], Some("medium"), "value.medium"),
    (C, "value", &[("revenue_12m", N(49_999.0))], Some("medium"), "value.medium"),
    (C, "value", &[("revenue_12m", N(50_000.0))], Some("high"), "value.high"),
    (C, "lifecycle", &[("orders_total", N(0.0))], None, ""),
    (C, "lifecycle", &[("orders_total", N(1.0)), ("days_since_last_purchase", N(366.0)), ("days_since_first_purchase", N(400.0))], Some("churned"), "lifecycle.churned"),
    (C, "lifecycle", &[("orders_total", N(1.0)), ("days_since_last_purchase", N(365.0)), ("days_since_first_purchase", N(400.0))], Some("stable"), "lifecycle.default"),
    (C, "lifecycle", &[("orders_total", N(3.0)), ("purchase_gap_ratio", N(3.01)), ("days_since_last_purchase", N(91.0)), ("days_since_first_purchase", N(200.0))], Some("churned"), "lifecycle.churned#2"),
    (C, "lifecycle", &[("orders_total", N(3.0)), ("purchase_gap_ratio", N(3.01)), ("days_since_last_purchase", N(90.0)), ("days_since_first_purchase", N(200.0))], Some("stable"), "lifecycle.default"),
    (C, "lifecycle", &[("orders_total", N(3.0)), ("purchase_gap_ratio", N(3.0)), ("days_since_last_purchase", N(120.0)), ("days_since_first_purchase", N(200.0))], Some("stable"), "lifecycle.default"),
    (C, "lifecycle", &[("orders_total", N(1.0)), ("days_since_last_purchase", N(90.0)), ("days_since_first_purchase", N(90.0))], Some("new"), "lifecycle.new"),
    (C, "lifecycle", &[("orders_total", N(1.0)), ("days_since_last_purchase", N(91.0)), ("days_since_first_purchase", N(91.0))], Some("stable"), "lifecycle.default"),
    (C, "lifecycle", &[("orders_total", N(4.0)), ("days_since_last_purchase", N(10.0)), ("days_since_first_purchase", N(500.0)), ("revenue_growth", N(1.2))], Some("growing"), "lifecycle.growing"),
    (C, "lifecycle", &[("orders_total", N(4.0)), ("days_since_last_purchase", N(10.0)), ("days_since_first_purchase", N(500.0)), ("revenue_growth", N(1.19))], Some("stable"), "lifecycle.default"),
    (C, "loyalty", &[("orders_total", N(0.0))], None, ""),
    (C, "loyalty", &[("orders_total", N(5.0)), ("days_since_last_purchase", N(366.0))], Some("lost"), "loyalty.lost"),
    (C, "loyalty", &[("orders_total", N(5.0)), ("days_since_last_purchase", N(365.0)), ("lost_deals_12m", N(1.0)), ("won_deals_12m", N(3.0))], Some("swing"), "loyalty.swing"),
    (C, "loyalty", &[("orders_total", N(5.0)), ("lost_deals_12m", N(0.0)), ("won_deals_12m", N(3.0))], Some("loyal"), "loyalty.loyal"),
    (C, "loyalty", &[("orders_total", N(5.0)), ("lost_deals_12m", N(0.0)), ("won_deals_12m", N(2.0))], Some("swing"), "loyalty.default"),
    // Issue 18: churned by its usual interval yet loyal by its deal count.
    (C, "loyalty", &[("orders_total", N(4.0)), ("purchase_gap_ratio", N(3.01)), ("days_since_last_purchase", N(91.0)), ("won_deals_12m", N(3.0))], Some("lost"), "loyalty.lost_as_churned"),
    // Issue 18: a first-time buyer was "swing"; a lost deal beside it too.
    (C, "loyalty", &[("orders_total", N(1.0)), ("days_since_last_purchase", N(10.0)), ("lost_deals_12m", N(1.0))], Some("new"), "loyalty.first_purchase"),
    (C, "feedback", &[], None, ""),
    (C, "feedback", &[("last_sentiment", T("negative")), ("positive_touches_90d", N(5.0))], Some("negative"), "feedback.negative"),
    (C, "feedback", &[("last_sentiment", T("neutral")), ("negative_touches_90d", N(1.0)), ("positive_touches_90d", N(0.0))], Some("negative"), "feedback.negative#2"),
    (C, "feedback", &[("last_sentiment", T("positive")), ("negative_touches_90d", N(3.0))], Some("positive"), "feedback.positive"),
    (C, "feedback", &[("last_sentiment", T("neutral")), ("negative_touches_90d", N(0.0)), ("positive_touches_90d", N(1.0))], Some("positive"), "feedback.positive#2"),
    (C, "feedback", &[("last_sentiment", T("neutral")), ("negative_touches_90d", N(1.0)), ("positive_touches_90d", N(1.0))], Some("neutral"), "feedback.default"),
    (C, "relationship", &[("touches_90d", N(3.0)), ("tenure_days", N(180.0))], Some("close"), "relationship.close"),
    (C, "relationship", &[("touches_90d", N(2.0)), ("tenure_days", N(180.0))], Some("loose"), "relationship.default"),
    (C, "relationship", &[("touches_90d", N(3.0)), ("tenure_days", N(179.0))], Some("loose"), "relationship.default"),
    (C, "channel", &[("channel", T("online"))], Some("online"), "channel.channel"),
    (C, "channel", &[], None, ""),
    (C, "source", &[("source", T("referral"))], Some("referral"), "source.source"),
    (C, "industry", &[("industry", T("tech"))], Some("tech"), "industry.industry"),
    (C, "size", &[], None, ""),
    (C, "size", &[("size", N(1000.0))], Some("large"), "size.large"),
    (C, "size", &[("size", N(999.0))], Some("medium"), "size.medium"),
    (C, "size", &[("size", N(100.0))], Some("medium"), "size.medium"),
    (C, "size", &[("size", N(99.0))], Some("small"), "size.default"),
    (C, "rfm", &[], None, ""),
    (C, "rfm", &[("recency_score", N(4.0)), ("frequency_score", N(4.0)), ("monetary_score", N(4.0))], Some("champions"), "rfm.champions"),
    (C, "rfm", &[("recency_score", N(1.0)), ("frequency_score", N(4.0)), ("monetary_score", N(4.0))], Some("cant_lose"), "rfm.cant_lose"),
    (C, "rfm", &[("recency_score", N(3.0)), ("frequency_score", N(4.0)), ("monetary_score", N(1.0))], Some("loyal"), "rfm.loyal"),
    (C, "rfm", &[("recency_score", N(4.0)), ("frequency_score", N(1.0)), ("monetary_score", N(1.0))], Some("new"), "rfm.new"),
    (C, "rfm", &[("recency_score", N(5.0)), ("frequency_score", N(3.0)), ("monetary_score", N(1.0))], Some("potential_loyalist"), "rfm.potential_loyalist"),
    (C, "rfm", &[("recency_score", N(2.0)), ("frequency_score", N(3.0)), ("monetary_score", N(1.0))], Some("at_risk"), "rfm.at_risk"),
    (C, "rfm", &[("recency_score", N(2.0)), ("frequency_score", N(2.0)), ("monetary_score", N(5.0))], Some("hibernating"), "rfm.hibernating"),
    (C, "rfm", &[("recency_score", N(3.0)), ("frequency_score", N(3.0)), ("monetary_score", N(3.0))], Some("need_attention"), "rfm.default"),
    (C, "follow_up", &[("follow_up_in_days", N(-1.0))], Some("overdue"), "follow_up.overdue"),
    (C, "follow_up", &[("follow_up_in_days", N(0.0))], Some("due_today"), "follow_up.due_today"),
    (C, "follow_up", &[("follow_up_in_days", N(1.0))], Some("planned"), "follow_up.planned"),
    (C, "follow_up", &[], Some("none_planned"), "follow_up.default"),
    (O, "stage", &[("stage", T("won"))], Some("won"), "stage.stage"),
    (O, "size", &[("amount", N(49_999.0))], Some("small"), "size.default"),
    (O, "size", &[("amount", N(50_000.0))], Some("medium"), "size.medium"),
    (O, "size", &[("amount", N(499_999.0))], Some("medium"), "size.medium"),
    (O, "size", &[("amount", N(500_000.0))], Some("big"), "size.big"),
    (O, "source", &[("source", T("campaign"))], Some("campaign"), "source.source"),
    (O, "urgency", &[("open", N(0.0)), ("days_to_close", N(1.0))], None, ""),
    (O, "urgency", &[("open", N(1.0)), ("days_to_close", N(7.0))], Some("urgent"), "urgency.urgent"),
    (O, "urgency", &[("open", N(1.0)), ("days_to_close", N(8.0)), ("next_step_overdue_days", N(0.0))], Some("normal"), "urgency.default"),
    (O, "urgency", &[("open", N(1.0)), ("days_to_close", N(8.0)), ("next_step_overdue_days", N(1.0))], Some("urgent"), "urgency.urgent#2"),
    (O, "competition", &[("competitors", N(0.0))], Some("low"), "competition.default"),
    (O, "competition", &[("competitors", N(1.0))], Some("medium"), "competition.medium"),
    (O, "competition", &[("competitors", N(2.0))], Some("medium"), "competition.medium"),
    (O, "competition", &[("competitors", N(3.0))], Some("high"), "competition.high"),
    (O, "industry", &[("industry", T("finance"))], Some("finance"), "industry.industry"),
    (O, "stale", &[("open", N(0.0)), ("days_idle", N(99.0))], None, ""),
    (O, "stale", &[("open", N(1.0)), ("days_idle", N(30.0))], Some("active"), "stale.default"),
    (O, "stale", &[("open", N(1.0)), ("days_idle", N(31.0))], Some("stale"), "stale.stale"),
    (P, "category", &[("category", T("printer"))], Some("printer"), "category.category"),
    // Cut points in these tests: price p33 = 100, p67 = 1,000.
    (P, "price", &[("price", N(99.0))], Some("low"), "price.default"),
    (P, "price", &[("price", N(100.0))], Some("mid"), "price.mid"),
    (P, "price", &[("price", N(999.0))], Some("mid"), "price.mid"),
    (P, "price", &[("price", N(1_000.0))], Some("high"), "price.high"),
    (P, "sales", &[("units_sold_90d", N(100.0))], Some("hot"), "sales.hot"),
    (P, "sales", &[("units_sold_90d", N(99.0))], Some("normal"), "sales.default"),
    (P, "sales", &[("units_sold_90d", N(10.0))], Some("normal"), "sales.default"),
    (P, "sales", &[("units_sold_90d", N(9.0))], Some("slow"), "sales.slow"),
    (P, "brand", &[("brand", T("Acme"))], Some("Acme"), "brand.brand"),
    (P, "audience", &[("audience", T("adults, seniors"))], Some("adults, seniors"), "audience.audience"),
    (M, "mode", &[("mode", T("online"))], Some("online"), "mode.mode"),
    (M, "scale", &[("participants", N(500.0))], Some("large"), "scale.large"),
    (M, "scale", &[("participants", N(499.0))], Some("medium"), "scale.medium"),
    (M, "scale", &[("participants", N(100.0))], Some("medium"), "scale.medium"),
    (M, "scale", &[("participants", N(99.0))], Some("small"), "scale.default"),
    (M, "goal", &[("goal", T("sales"))], Some("sales"), "goal.goal"),
    (M, "duration", &[("duration_days", N(7.0))], Some("long"), "duration.long"),
    (M, "duration", &[("duration_days", N(6.0))], Some("short"), "duration.default"),
    (M, "region", &[("region", T("national"))], Some("national"), "region.region"),
    (M, "cost", &[("cost", N(100_000.0))], Some("high"), "cost.high"),
    (M, "cost", &[("cost", N(99_999.0))], Some("medium"), "cost.medium"),
    (M, "cost", &[("cost", N(20_000.0))], Some("medium"), "cost.medium"),
    (M, "cost", &[("cost", N(19_999.0))], Some("low"), "cost.default"),
    (M, "roi", &[("roi", N(3.0))], Some("high"), "roi.high"),
    (M, "roi", &[("roi", N(2.99))], Some("positive"), "roi.positive"),
    (M, "roi", &[("roi", N(0.0))], Some("positive"), "roi.positive"),
    (M, "roi", &[("roi", N(-0.01))], Some("negative"), "roi.negative"),
    (M, "roi", &[], Some("no_cost"), "roi.default"),
];

fn facts(subject: Subject, given: &[(&str, V)]) -> Facts {
    let mut f = Facts::new(subject);
    for (name, v) in given {
        let i = subject
            .fact_index(name)
            .unwrap_or_else(|| panic!("no fact {name}"));
        match v {
            N(n) => f.set_num(i, *n),
            T(t) => f.set_text(i, t),
        }
    }
    f
}

fn test_cuts() -> CutPoints {
    let mut c = CutPoints::new();
    let rev = Subject::Customer.fact_index("revenue_12m").unwrap();
    c.set(Subject::Customer, rev, 50, 10_000.0);
    c.set(Subject::Customer, rev, 80, 50_000.0);
    let price = Subject::Product.fact_index("price").unwrap();
    c.set(Subject::Product, price, 33, 100.0);
    c.set(Subject::Product, price, 67, 1_000.0);
    // A book big enough for percentiles (not the floors).
    c.set_count(Subject::Customer, rev, 100);
    c.set_count(Subject::Product, price, 100);
    c
}

#[test]
fn every_builtin_rule_at_its_boundaries() {
    let rules = RuleSet::builtin();
    let cuts = test_cuts();
    let mut covered = BTreeSet::new();
    for (i, (subject, dim, given, want, want_rule)) in CASES.iter().enumerate() {
        let d = rules
            .dimensions(*subject)
            .iter()
            .find(|d| d.name == *dim)
            .unwrap_or_else(|| panic!("case {i}: no dimension {subject}.{dim}"));
        let f = facts(*subject, given);
        let got = d.evaluate(&f, &cuts);
        assert_eq!(
            got.as_ref().map(|o| o.value.as_ref()),
            *want,
            "case {i}: {subject}.{dim}"
        );
        if let Some(o) = got {
            let name = match o.rule {
                Some(r) => d.rules[r].name.clone(),
                None => format!("{dim}.default"),
            };
            assert_eq!(name, *want_rule, "case {i}: {subject}.{dim} rule");
            covered.insert(format!("{subject}:{name}"));
        }
    }
    // Every built-in rule and default is exercised above.
    for subject in Subject::ALL {
        for d in rules.dimensions(subject) {
            for r in &d.rules {
                let key = format!("{subject}:{}", r.name);
                assert!(covered.contains(&key), "no test case for {key}");
            }
            if d.default.is_some() {
                let key = format!("{subject}:{}.default", d.name);
                assert!(covered.contains(&key), "no test case for {key}");
            }
        }
    }
}

/// A new or small book has too few buyers for percentiles: the floors in
/// settings decide (issue 18: the first 254k customer stayed `low`).
#[rstest::rstest]
#[case::no_cut_points_yet(None, 254_000.0, "high")]
#[case::three_buyers(Some(3), 254_000.0, "high")]
#[case::three_buyers_medium(Some(3), 30_000.0, "medium")]
#[case::three_buyers_low(Some(3), 5_000.0, "low")]
#[case::enough_buyers(Some(10), 60_000.0, "high")]
fn few_buyers_fall_back_to_the_floors(
    #[case] buyers: Option<usize>,
    #[case] revenue: f64,
    #[case] want: &str,
) {
    let rules = RuleSet::builtin();
    let f = facts(C, &[("revenue_12m", N(revenue))]);
    let mut cuts = test_cuts();
    let rev = Subject::Customer.fact_index("revenue_12m").unwrap();
    match buyers {
        None => cuts = CutPoints::new(),
        Some(n) => cuts.set_count(Subject::Customer, rev, n),
    }
    let tags = rules.tags(&f, &cuts);
    let value = tags.iter().find(|t| t.dimension == "value").unwrap();
    assert_eq!(value.value, want, "{}", value.reason);
}

#[test]
fn reasons_name_rule_and_facts() {
    let rules = RuleSet::builtin();
    let f = facts(C, &[("revenue_12m", N(182_000.0))]);
    let tags = rules.tags(&f, &test_cuts());
    let reason = |dim: &str| {
        tags.iter()
            .find(|t| t.dimension == dim)
            .unwrap()
            .reason
            .clone()
    };
    // Issue 18: reasons read as sentences with the facts in them.
    assert_eq!(
        reason("amount"),
        "Won 182,000 in the last 12 months — high starts at 100,000"
    );
    assert_eq!(
        reason("value"),
        "Won 182,000 in the last 12 months — the top 20 % of the book starts at 50,000"
    );
    assert_eq!(reason("status"), "No purchase yet");
    let f = facts(C, &[("industry", T("tech"))]);
    let tags = rules.tags(&f, &test_cuts());
    let t = tags.iter().find(|t| t.dimension == "industry").unwrap();
    assert_eq!(t.reason, "Taken from the customer's industry");
}

/// A user's rule without a sentence says its comparisons in words, with
/// no rule id in it.
#[test]
fn a_rule_without_a_sentence_says_its_comparisons() {
    let user = r#"
[customer.vip]
label = { en = "VIP", zh = "贵宾" }
values = { yes = { zh = "是" } }
rules = [{ value = "yes", when = [{ fact = "revenue_12m", op = ">=", value = 1000 }] }]
"#;
    let rules = RuleSet::from_texts(&[("built-in", BUILTIN_RULES), ("mine", user)]).unwrap();
    let f = facts(C, &[("revenue_12m", N(5_000.0))]);
    let outcomes = rules.evaluate(&f, &test_cuts());
    let vip = outcomes.iter().find(|o| o.dim.name == "vip").unwrap();
    assert_eq!(
        vip.reason_in(Lang::En, &f, &test_cuts()),
        "yes because revenue_12m 5,000 ≥ 1,000"
    );
    assert_eq!(
        vip.reason_in(Lang::Zh, &f, &test_cuts()),
        "是，因为 revenue_12m 5,000 ≥ 1,000"
    );
    assert_eq!(vip.rule_name(), Some("vip.yes"));
}

/// Every built-in rule and default speaks both languages in a sentence,
/// and every fixed value has a Chinese label.
#[test]
fn builtin_rules_speak_both_languages() {
    let rules = RuleSet::builtin();
    for subject in Subject::ALL {
        for d in rules.dimensions(subject) {
            assert_ne!(
                d.label(Lang::Zh),
                d.label(Lang::En),
                "{subject}.{} zh label",
                d.name
            );
            for r in &d.rules {
                let from_field =
                    r.when.is_empty() && matches!(r.value, super::rules::ValueSpec::Template(_));
                if !from_field {
                    assert!(
                        r.say[0].is_some() && r.say[1] != r.say[0],
                        "{subject} rule {} says nothing in both",
                        r.name
                    );
                }
                if let super::rules::ValueSpec::Fixed(v) = &r.value {
                    assert!(
                        d.value_labels.get(v).and_then(|l| l[1].as_ref()).is_some(),
                        "{subject}.{} value {v} has no zh label",
                        d.name
                    );
                }
            }
            if let Some(def) = &d.default {
                assert!(
                    d.say_default[0].is_some() && d.say_default[1] != d.say_default[0],
                    "{subject}.{} default",
                    d.name
                );
                assert!(
                    d.value_labels
                        .get(def)
                        .and_then(|l| l[1].as_ref())
                        .is_some(),
                    "{subject}.{} default {def} has no zh label",
                    d.name
                );
            }
        }
    }
}

#[rstest::rstest]
#[case("value=high", Some(("value", "high")))]
#[case("价值:高", Some(("value", "high")))]
#[case("客户价值=高", Some(("value", "high")))]
#[case("生命周期:流失", Some(("lifecycle", "churned")))]
#[case("忠诚度：流失", Some(("loyalty", "lost")))]
#[case("Value:High", Some(("value", "high")))]
#[case("follow-up=due today", Some(("follow_up", "due_today")))]
#[case("跟进=已逾期", Some(("follow_up", "overdue")))]
#[case("city:上海", None)]
#[case("value", None)]
fn tag_filters_read_ids_and_labels(#[case] typed: &str, #[case] want: Option<(&str, &str)>) {
    let rules = RuleSet::builtin();
    let got = rules.parse_tag_filter(Subject::Customer, typed);
    assert_eq!(got.as_ref().map(|(d, v)| (d.as_str(), v.as_str())), want);
}

#[test]
fn tags_read_as_labels_in_each_language() {
    let rules = RuleSet::builtin();
    assert_eq!(
        rules.tag_label(Subject::Customer, "lifecycle", "churned", Lang::Zh),
        ("生命周期".to_string(), "流失".to_string())
    );
    assert_eq!(
        rules.tag_label(Subject::Customer, "follow_up", "none_planned", Lang::En),
        ("follow-up".to_string(), "none planned".to_string())
    );
    assert_eq!(
        rules.tag_label(Subject::Opportunity, "stage", "qualified", Lang::Zh),
        ("商机阶段".to_string(), "意向".to_string())
    );
    // A value built from a field keeps its text.
    assert_eq!(
        rules
            .tag_label(Subject::Customer, "location", "上海 上海", Lang::Zh)
            .1,
        "上海 上海"
    );
}

#[test]
fn churn_follows_the_clock() {
    let rules = RuleSet::builtin();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let c = CustomerProfile {
        since: d("2024-01-01"),
        ..Default::default()
    };
    let deals = [DealRow {
        stage: Stage::Won,
        closed_on: Some(d("2025-01-01")),
        amount: 100,
        opened: None,
    }];
    let lifecycle = |today: &str| {
        let f = customer_facts(&c, &deals, &[], d(today));
        rules
            .tags(&f, &CutPoints::new())
            .into_iter()
            .find(|t| t.dimension == "lifecycle")
            .map(|t| t.value)
    };
    assert_eq!(lifecycle("2026-01-01").as_deref(), Some("stable")); // 365 days
    assert_eq!(lifecycle("2026-01-02").as_deref(), Some("churned")); // 366 days
    assert_eq!(lifecycle("2025-03-01").as_deref(), Some("new"));
}

#[test]
fn rfm_scores_from_quintiles() {
    let mut cuts = CutPoints::new();
    let mut pop = Vec::new();
    for i in 1..=10 {
        let mut f = Facts::new(C);
        f.set_num(
            Subject::Customer.fact_index("orders_total").unwrap(),
            i as f64,
        );
        f.set_num(
            Subject::Customer.fact_index("revenue_total").unwrap(),
            (i * 1000) as f64,
        );
        f.set_num(
            Subject::Customer
                .fact_index("days_since_last_purchase")
                .unwrap(),
            (i * 10) as f64,
        );
        pop.push(f);
    }
    let needed = RuleSet::builtin().percentiles_needed(C);
    cuts.add_population(C, &needed, &pop);
    let mut best = pop[0].clone(); // 1 order, recent, small
    cuts.add_rfm_scores(&mut best);
    assert_eq!(best.by_name("recency_score"), Some(&FactValue::Num(5.0)));
    assert_eq!(best.by_name("frequency_score"), Some(&FactValue::Num(1.0)));
    let mut top = pop[9].clone();
    cuts.add_rfm_scores(&mut top);
    assert_eq!(top.by_name("recency_score"), Some(&FactValue::Num(1.0)));
    assert_eq!(top.by_name("monetary_score"), Some(&FactValue::Num(5.0)));
}

fn user(text: &str) -> Result<RuleSet, super::RuleError> {
    RuleSet::from_texts(&[
        ("built-in rules.toml", super::rules::BUILTIN_RULES),
        ("my.toml", text),
    ])
}

#[test]
fn user_file_overrides_settings_and_dimensions() {
    let r = user(
        "[settings]\namount_high = 5000\n\n[customer.vip]\nrules = [{ value = \"yes\", when = [{ fact = \"revenue_total\", op = \">\", value = 1 }] }]\n\n[customer.size]\nenabled = false\n",
    )
    .unwrap();
    let f = facts(
        C,
        &[
            ("revenue_12m", N(6_000.0)),
            ("revenue_total", N(2.0)),
            ("size", N(5.0)),
        ],
    );
    let tags = r.tags(&f, &CutPoints::new());
    let get = |d: &str| {
        tags.iter()
            .find(|t| t.dimension == d)
            .map(|t| t.value.as_str())
    };
    assert_eq!(get("amount"), Some("high"));
    assert_eq!(get("vip"), Some("yes"));
    assert_eq!(get("size"), None);
    assert_eq!(r.sources, ["built-in rules.toml", "my.toml"]);
}

#[test]
fn bad_rule_files_are_refused_with_line() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "[settings]\namount_high = 1\n\n[customer.value]\nrules = [\n  { value = \"high\", when = [{ fact = \"revenue\", op = \">\", value = 1 }] },\n]\n",
            6,
            "unknown customer fact 'revenue'",
        ),
        // Issue 18: a misspelled key was accepted silently…
        (
            "[settings]\nchurn_days = 300\nchrun_days = 200\n",
            3,
            "unknown setting 'chrun_days' — did you mean churn_days?",
        ),
        // …and a wrong type was blamed on the built-in file.
        (
            "[settings]\n\nchurn_days = \"a year\"\n",
            3,
            "setting 'churn_days' must be a number (like 365)",
        ),
        (
            "[settings]\nhome_country = \"China\"\n",
            2,
            "setting 'home_country' must be a list of texts",
        ),
        (
            "[customer.value]\nrules = [\n  { value = \"high\", when = [{ fact = \"revenue_12m\", op = \"=>\", value = 1 }] },\n]\n",
            3,
            "unknown op '=>'",
        ),
        ("[customer.value]\n\nrules = [ { value = \"high\" \n", 3, ""),
        (
            "[customer.value]\nrules = [\n { value = \"high\", when = [{ fact = \"revenue_12m\", op = \">\", setting = \"nope\" }] },\n]\n",
            3,
            "unknown setting 'nope'",
        ),
        (
            "\n\n[customer.value]\ncolour = \"red\"\n",
            4,
            "unknown field `colour`",
        ),
        (
            "[customer.region]\nrules = [\n\n { value = \"x\", when = [{ fact = \"country\", op = \">\", value = 3 }] },\n]\n",
            4,
            "is a text",
        ),
    ];
    for (text, line, message) in cases {
        let e = user(text).unwrap_err();
        assert_eq!(e.file, "my.toml");
        assert_eq!(e.line, *line, "{e}");
        assert!(e.message.contains(message), "{e}");
        assert!(e.to_string().starts_with(&format!("my.toml:{line}: ")));
    }
}

/// A user's own dimension may bring its own settings.
#[test]
fn a_new_setting_used_by_the_users_own_rule_is_accepted() {
    let r = user(
        "[settings]\nvip_total = 5\n\n[customer.vip]\nrules = [{ value = \"yes\", when = [{ fact = \"revenue_total\", op = \">\", setting = \"vip_total\" }] }]\n",
    )
    .unwrap();
    assert!(r.setting("vip_total").is_some());
}

#[test]
fn load_keeps_builtin_rules_when_user_file_is_bad() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rules.toml"), "[customer.value\n").unwrap();
    let (rules, err) = RuleSet::load(Some(dir.path()));
    assert_eq!(rules, RuleSet::builtin());
    let err = err.unwrap();
    assert_eq!(err.line, 1);
    assert!(err.file.ends_with("rules.toml"));
    let (rules, err) = RuleSet::load(Some(&dir.path().join("missing")));
    assert!(err.is_none());
    assert_eq!(rules, RuleSet::builtin());
}

/// Lifecycle and loyalty never contradict: over a grid of purchase
/// histories, a churned customer is always lost, never loyal (issue 18).
#[test]
fn lifecycle_and_loyalty_agree() {
    let rules = RuleSet::builtin();
    let mut churned = 0;
    for orders in [1.0, 2.0, 4.0, 8.0] {
        for since_last in [10.0, 91.0, 200.0, 366.0] {
            for gap in [0.5, 2.0, 3.5, 10.0] {
                for won in [0.0, 1.0, 3.0, 6.0] {
                    let f = facts(
                        C,
                        &[
                            ("orders_total", N(orders)),
                            ("days_since_last_purchase", N(since_last)),
                            ("days_since_first_purchase", N(since_last + 100.0)),
                            ("purchase_gap_ratio", N(gap)),
                            ("won_deals_12m", N(won)),
                            ("lost_deals_12m", N(0.0)),
                        ],
                    );
                    let tags = rules.tags(&f, &test_cuts());
                    let value = |d: &str| {
                        tags.iter()
                            .find(|t| t.dimension == d)
                            .map(|t| t.value.clone())
                            .unwrap_or_default()
                    };
                    if value("lifecycle") == "churned" {
                        churned += 1;
                        assert_eq!(value("loyalty"), "lost", "{f:?}");
                    }
                    if value("loyalty") == "loyal" {
                        assert_ne!(value("lifecycle"), "churned", "{f:?}");
                    }
                }
            }
        }
    }
    assert!(churned > 0, "the grid reaches churned customers");
}

/// Every reason the issue quoted as engineering text now reads as a
/// sentence with the facts in it (issue 18).
#[rstest::rstest]
#[case::floor_on_a_small_book(
    &[("revenue_12m", N(254_000.0))], None, "value", Lang::En,
    "Won 254,000 in the last 12 months — 100,000 is the mark while the book is too small for percentiles")]
#[case::top_of_the_book(
    &[("revenue_12m", N(254_000.0))], Some(()), "value", Lang::En,
    "Won 254,000 in the last 12 months — the top 20 % of the book starts at 50,000")]
#[case::top_of_the_book_zh(
    &[("revenue_12m", N(254_000.0))], Some(()), "value", Lang::Zh,
    "近 12 个月成交 254,000，位于前 20 %（门槛 50,000）")]
#[case::churned(
    &[("orders_total", N(2.0)), ("days_since_last_purchase", N(400.0)), ("days_since_first_purchase", N(900.0))], Some(()), "lifecycle", Lang::En,
    "No purchase for 400 days — churned after 365")]
#[case::churned_zh(
    &[("orders_total", N(2.0)), ("days_since_last_purchase", N(400.0)), ("days_since_first_purchase", N(900.0))], Some(()), "lifecycle", Lang::Zh,
    "已 400 天没有成交 — 超过 365 天即算流失")]
#[case::churned_over_loyal(
    &[("orders_total", N(4.0)), ("purchase_gap_ratio", N(3.5)), ("days_since_last_purchase", N(120.0)), ("won_deals_12m", N(3.0))], Some(()), "loyalty", Lang::En,
    "Churned (no purchase for 120 days, 3.50× its usual gap) — churn comes before loyal")]
#[case::first_purchase(
    &[("orders_total", N(1.0)), ("days_since_last_purchase", N(5.0))], Some(()), "loyalty", Lang::En,
    "One purchase so far — too early to call it loyal or swing")]
#[case::default_sentence(
    &[("orders_total", N(3.0)), ("won_deals_12m", N(2.0)), ("lost_deals_12m", N(0.0))], Some(()), "loyalty", Lang::En,
    "Won 2 deal(s) in the last 12 months — loyal from 3")]
#[case::feedback_positive(
    &[("last_sentiment", T("positive"))], Some(()), "feedback", Lang::En,
    "The last touch went well")]
#[case::feedback_positive_zh(
    &[("last_sentiment", T("positive"))], Some(()), "feedback", Lang::Zh,
    "最近一次接触的反馈是正面的")]
#[case::from_a_field_zh(
    &[("industry", T("tech"))], Some(()), "industry", Lang::Zh,
    "取自客户的行业")]
fn reasons_are_sentences(
    #[case] given: &[(&str, V)],
    #[case] book: Option<()>,
    #[case] dim: &str,
    #[case] lang: Lang,
    #[case] want: &str,
) {
    let rules = RuleSet::builtin();
    let cuts = book.map(|_| test_cuts()).unwrap_or_default();
    let f = facts(C, given);
    let outcomes = rules.evaluate(&f, &cuts);
    let o = outcomes.iter().find(|o| o.dim.name == dim).unwrap();
    let reason = o.reason_in(lang, &f, &cuts);
    assert_eq!(reason, want);
    assert!(
        !reason.contains("rule ") && !reason.contains(&format!("{dim}.")),
        "{reason}"
    );
}
