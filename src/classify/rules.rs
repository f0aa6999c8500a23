//! Rule files: a small typed condition format in TOML, checked against the
//! fact catalogues when loaded so a typo is reported with file and line.
//!
//! ```toml
//! [settings]
//! amount_high = 100000
//!
//! [customer.amount]
//! default = "low"
//! rules = [
//!   { value = "high", when = [{ fact = "revenue_12m", op = ">=", setting = "amount_high" }] },
//! ]
//! ```
//!
//! Each dimension lists rules in order; the first whose conditions all hold
//! gives the value, else `default` (no default: no tag). `only_if` guards
//! the whole dimension. A value may name facts: `"{province} {city}"`, and
//! `value_from = "industry"` is short for one rule with value `"{industry}"`.

use super::facts::Subject;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The rules that ship with dossier.
pub const BUILTIN_RULES: &str = include_str!("../../assets/rules.toml");

/// A rule file that cannot be used: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    /// 1-based; 0 when the file could not be read at all.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl std::error::Error for RuleError {}

/// A setting from `[settings]`.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    Num(f64),
    Text(String),
    List(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
    Ne,
    In,
    NotIn,
    Present,
    Absent,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s.trim() {
            ">=" | "≥" => Op::Ge,
            ">" => Op::Gt,
            "<=" | "≤" => Op::Le,
            "<" => Op::Lt,
            "==" | "=" => Op::Eq,
            "!=" | "≠" => Op::Ne,
            "in" => Op::In,
            "not_in" | "not in" => Op::NotIn,
            "present" => Op::Present,
            "absent" => Op::Absent,
            _ => return None,
        })
    }

    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Le => "≤",
            Op::Lt => "<",
            Op::Eq => "=",
            Op::Ne => "≠",
            Op::In => "in",
            Op::NotIn => "not in",
            Op::Present => "present",
            Op::Absent => "absent",
        }
    }
}

/// What a condition compares its fact with.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Rhs {
    None,
    Num {
        value: f64,
        setting: Option<String>,
    },
    Percentile(u8),
    Text(String),
    List {
        values: Vec<String>,
        setting: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Condition {
    pub fact: usize,
    pub op: Op,
    pub rhs: Rhs,
    /// For a percentile: the setting (value, name) used instead while the
    /// book has too few values for percentiles (a new or small book).
    pub floor: Option<(f64, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    Lit(String),
    Fact(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ValueSpec {
    Fixed(String),
    Template(Vec<Piece>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    pub name: String,
    pub value: ValueSpec,
    pub when: Vec<Condition>,
    /// The reason as a sentence a salesperson reads (`say = "…"`, or
    /// `say = { en = "…", zh = "…" }`).
    pub say: Says,
}

/// A piece of a `say` sentence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SayPiece {
    Lit(String),
    /// A fact of the record, as read today.
    Fact(usize),
    /// What the rule's first condition compares with: a setting's value,
    /// the book's cut point ("the top 20 % of the book starts at 236,000"),
    /// or the floor in force on a small book.
    Limit,
}

/// A `say` sentence in each language ([`Lang`] order); a language the
/// file gives none for uses the English one.
pub(crate) type Says = [Option<Vec<SayPiece>>; 2];

/// One dimension of a subject, e.g. the customer's `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub name: String,
    /// The dimension's label in each language ([`Lang`] order), e.g.
    /// "value" and "客户价值".
    pub labels: [String; 2],
    /// Labels of the dimension's values (`values = { high = { zh = "高" } }`):
    /// value id → label in each language, when the file gives one.
    pub value_labels: BTreeMap<String, [Option<String>; 2]>,
    pub(crate) only_if: Vec<Condition>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) default: Option<String>,
    /// The default's reason as a sentence (`say_default = "…"`).
    pub(crate) say_default: Says,
    /// A list-valued dimension (`multi = true`, e.g. a product's audience):
    /// each comma-separated item of the value is a tag of its own, so a
    /// filter by one value finds every record that has it among others.
    pub multi: bool,
}

impl Dimension {
    /// Every condition of the dimension: its guard's, then its rules'.
    pub(crate) fn conditions(&self) -> impl Iterator<Item = &Condition> {
        self.only_if
            .iter()
            .chain(self.rules.iter().flat_map(|r| &r.when))
    }

    /// Whether the rules can give this dimension `value`. A dimension whose
    /// value is built from facts (a city, an industry) takes any value.
    pub fn allows(&self, value: &str) -> bool {
        let open = self
            .rules
            .iter()
            .any(|r| matches!(r.value, ValueSpec::Template(_)))
            || self.default.as_deref().is_some_and(|d| d.contains('{'));
        open || self.default.as_deref() == Some(value)
            || self
                .rules
                .iter()
                .any(|r| matches!(&r.value, ValueSpec::Fixed(v) if v == value))
    }
}

/// The rules in force: built-in rules with a user's file laid over them.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub(crate) dims: [Vec<Dimension>; 4],
    pub(crate) settings: BTreeMap<String, Setting>,
    /// The files the rules came from, built-in first.
    pub sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    settings: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    customer: BTreeMap<String, Spanned<RawDim>>,
    #[serde(default)]
    opportunity: BTreeMap<String, Spanned<RawDim>>,
    #[serde(default)]
    product: BTreeMap<String, Spanned<RawDim>>,
    #[serde(default)]
    campaign: BTreeMap<String, Spanned<RawDim>>,
}

/// A text in one form for every language, or one per language:
/// `"high"` or `{ en = "high", zh = "高" }`.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum RawText {
    Plain(String),
    ByLang(ByLang),
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct ByLang {
    en: Option<String>,
    zh: Option<String>,
}

impl RawText {
    /// The text in each language ([`Lang`] order); `None` where not given.
    fn by_lang(&self) -> [Option<&str>; 2] {
        match self {
            RawText::Plain(s) => [Some(s), Some(s)],
            RawText::ByLang(b) => [b.en.as_deref(), b.zh.as_deref()],
        }
    }
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawDim {
    label: Option<RawText>,
    /// Labels of values: `values = { high = { en = "high", zh = "高" } }`.
    #[serde(default)]
    values: BTreeMap<String, RawText>,
    enabled: Option<bool>,
    default: Option<String>,
    value_from: Option<Spanned<String>>,
    say_default: Option<Spanned<RawText>>,
    #[serde(default)]
    multi: bool,
    #[serde(default)]
    only_if: Vec<Spanned<RawCond>>,
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawRule {
    value: Spanned<String>,
    name: Option<String>,
    say: Option<Spanned<RawText>>,
    #[serde(default)]
    when: Vec<Spanned<RawCond>>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawCond {
    fact: Spanned<String>,
    op: Spanned<String>,
    value: Option<toml::Value>,
    values: Option<Vec<String>>,
    setting: Option<Spanned<String>>,
    percentile: Option<u8>,
    /// With a percentile: the setting used while the book is too small.
    floor: Option<Spanned<String>>,
}

/// A rule file's text and name, for error positions.
struct Source<'a> {
    name: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> RuleError {
        let start = span.start.min(self.text.len());
        RuleError {
            file: self.name.to_string(),
            line: self.text[..start].matches('\n').count() + 1,
            message: message.into(),
        }
    }

    fn parse(&self) -> Result<RawFile, RuleError> {
        toml::from_str(self.text).map_err(|e| {
            let message = e.message().trim().to_string();
            match e.span() {
                Some(span) => self.error(span, message),
                None => RuleError {
                    file: self.name.to_string(),
                    line: 0,
                    message,
                },
            }
        })
    }
}

impl RawFile {
    /// The settings this file's own conditions name.
    fn referenced_settings(&self) -> std::collections::BTreeSet<&str> {
        let mut out = std::collections::BTreeSet::new();
        for subject in Subject::ALL {
            for dim in self.subject(subject).values() {
                let dim = dim.get_ref();
                let conds = dim
                    .only_if
                    .iter()
                    .chain(dim.rules.iter().flat_map(|r| &r.get_ref().when));
                for c in conds {
                    let c = c.get_ref();
                    for name in [&c.setting, &c.floor].into_iter().flatten() {
                        out.insert(name.get_ref().as_str());
                    }
                }
            }
        }
        out
    }

    fn subject(&self, s: Subject) -> &BTreeMap<String, Spanned<RawDim>> {
        match s {
            Subject::Customer => &self.customer,
            Subject::Opportunity => &self.opportunity,
            Subject::Product => &self.product,
            Subject::Campaign => &self.campaign,
        }
    }
}

impl RuleSet {
    /// The built-in rules alone.
    pub fn builtin() -> RuleSet {
        // The built-in file is part of the binary and checked by a test.
        RuleSet::from_texts(&[("built-in rules.toml", BUILTIN_RULES)])
            .expect("built-in rules.toml is valid")
    }

    /// Rules from files laid over one another, first to last: a later
    /// file's setting or dimension replaces an earlier one of the same name.
    pub fn from_texts(files: &[(&str, &str)]) -> Result<RuleSet, RuleError> {
        let sources: Vec<Source> = files
            .iter()
            .map(|(name, text)| Source { name, text })
            .collect();
        let raws: Vec<RawFile> = sources
            .iter()
            .map(Source::parse)
            .collect::<Result<_, _>>()?;

        let mut settings: BTreeMap<String, Setting> = BTreeMap::new();
        for (i, (src, raw)) in sources.iter().zip(&raws).enumerate() {
            let referenced = raw.referenced_settings();
            for (key, value) in &raw.settings {
                let new = setting(src, value)?;
                if let (true, Setting::List(entries)) = (key == "rates", &new) {
                    let book = match settings.get("currency") {
                        Some(Setting::Text(t)) => t.as_str(),
                        _ => "CNY",
                    };
                    crate::domain::Rates::parse(book, entries)
                        .map_err(|e| src.error(value.span(), e))?;
                }
                // A later file (the user's) may only change a setting an
                // earlier one has, to a value of the same kind — or add one
                // its own rules use. A misspelled key or a text where a
                // number belongs is named here, at the user's line, instead
                // of being ignored or blamed on the built-in file.
                if i > 0 {
                    match settings.get(key) {
                        None if !referenced.contains(key.as_str()) => {
                            return Err(src.error(value.span(), unknown_setting(key, &settings)));
                        }
                        Some(old) if !same_kind(old, &new) => {
                            return Err(src.error(
                                value.span(),
                                crate::tr!(
                                    "rules-setting-kind",
                                    key = key.as_str(),
                                    kind = kind_of(old)
                                ),
                            ));
                        }
                        _ => {}
                    }
                }
                settings.insert(key.clone(), new);
            }
        }
        let mut dims: [Vec<Dimension>; 4] = Default::default();
        for subject in Subject::ALL {
            // Later files replace earlier dimensions of the same name.
            let mut chosen: BTreeMap<&str, (&Source, &Spanned<RawDim>)> = BTreeMap::new();
            for (src, raw) in sources.iter().zip(&raws) {
                for (name, dim) in raw.subject(subject) {
                    chosen.insert(name, (src, dim));
                }
            }
            for (name, (src, dim)) in chosen {
                if dim.get_ref().enabled == Some(false) {
                    continue;
                }
                dims[subject.index()].push(compile_dim(src, subject, name, dim, &settings)?);
            }
        }
        Ok(RuleSet {
            dims,
            settings,
            sources: files.iter().map(|(n, _)| n.to_string()).collect(),
        })
    }

    /// The built-in rules with the user's file at `path` over them.
    pub fn with_user_file(path: &Path) -> Result<RuleSet, RuleError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| RuleError {
            file: name.clone(),
            line: 0,
            message: crate::tr!("rules-cannot-read", error = e.to_string()),
        })?;
        RuleSet::from_texts(&[("built-in rules.toml", BUILTIN_RULES), (&name, &text)])
    }

    /// The rules in force: the user's `rules.toml` in `config_dir` over the
    /// built-in ones. A user file with an error is refused (the error is
    /// returned for showing) and the built-in rules stay in force.
    pub fn load(config_dir: Option<&Path>) -> (RuleSet, Option<RuleError>) {
        let Some(path) = config_dir.map(|d| d.join("rules.toml")) else {
            return (RuleSet::builtin(), None);
        };
        if !path.exists() {
            return (RuleSet::builtin(), None);
        }
        match RuleSet::with_user_file(&path) {
            Ok(rules) => (rules, None),
            Err(e) => (RuleSet::builtin(), Some(e)),
        }
    }

    /// The dimensions of a subject, by name.
    pub fn dimensions(&self, subject: Subject) -> &[Dimension] {
        &self.dims[subject.index()]
    }

    pub fn setting(&self, name: &str) -> Option<&Setting> {
        self.settings.get(name)
    }

    /// The book's currency and the user's rates (`currency`, `rates`).
    pub fn rates(&self) -> crate::domain::Rates {
        let book = match self.setting("currency") {
            Some(Setting::Text(t)) if !t.trim().is_empty() => t.clone(),
            _ => "CNY".into(),
        };
        let entries = match self.setting("rates") {
            Some(Setting::List(l)) => l.clone(),
            _ => Vec::new(),
        };
        // Checked when the file was read (see `from_texts`).
        crate::domain::Rates::parse(&book, &entries).unwrap_or_default()
    }

    /// The (fact, percentile) cut points the rules of `subject` read,
    /// plus the quintiles the RFM scores need.
    pub fn percentiles_needed(&self, subject: Subject) -> Vec<(usize, u8)> {
        let mut out = Vec::new();
        for dim in self.dimensions(subject) {
            for c in dim.conditions() {
                if let Rhs::Percentile(p) = c.rhs {
                    out.push((c.fact, p));
                }
            }
        }
        if subject == Subject::Customer {
            for f in super::cuts::RFM_FACTS {
                for p in super::cuts::QUINTILES {
                    out.push((f.into(), p));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The user's config directory: `$DOSSIER_CONFIG_DIR`, else the platform's
/// (`~/.config/dossier` on Linux).
pub fn config_dir() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("DOSSIER_CONFIG_DIR").filter(|p| !p.is_empty()) {
        return Some(p.into());
    }
    directories::ProjectDirs::from("", "", "dossier").map(|d| d.config_dir().to_path_buf())
}

fn same_kind(a: &Setting, b: &Setting) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// What a setting must be, for a message: "a number (like 365)".
fn kind_of(s: &Setting) -> String {
    match s {
        Setting::Num(n) => crate::tr!("rules-kind-number", example = super::eval::format_num(*n)),
        Setting::Text(t) => crate::tr!("rules-kind-text", example = t.as_str()),
        Setting::List(_) => crate::tr!("rules-kind-list"),
    }
}

/// "unknown setting 'chrun_days' — did you mean churn_days?"
fn unknown_setting(key: &str, known: &BTreeMap<String, Setting>) -> String {
    let closest = known
        .keys()
        .map(|k| (strsim_distance(key, k), k))
        .min()
        .filter(|(d, _)| *d <= 3);
    match closest {
        Some((_, k)) => crate::tr!("rules-unknown-setting-mean", key = key, guess = k.as_str()),
        None => crate::tr!(
            "rules-unknown-setting-list",
            key = key,
            known = known.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Edit distance (Levenshtein) between two short keys.
fn strsim_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(here).min(row[j])
            };
            prev = here;
        }
    }
    row[b.len()]
}

fn setting(src: &Source, value: &Spanned<toml::Value>) -> Result<Setting, RuleError> {
    use toml::Value;
    match value.get_ref() {
        Value::Integer(i) => Ok(Setting::Num(*i as f64)),
        Value::Float(f) => Ok(Setting::Num(*f)),
        Value::String(s) => Ok(Setting::Text(s.clone())),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(Setting::List)
            .ok_or_else(|| src.error(value.span(), "a list setting holds text only")),
        _ => Err(src.error(
            value.span(),
            "a setting is a number, a text or a list of texts",
        )),
    }
}

fn compile_dim(
    src: &Source,
    subject: Subject,
    name: &str,
    raw: &Spanned<RawDim>,
    settings: &BTreeMap<String, Setting>,
) -> Result<Dimension, RuleError> {
    let dim = raw.get_ref();
    let only_if = dim
        .only_if
        .iter()
        .map(|c| compile_cond(src, subject, c, settings))
        .collect::<Result<_, _>>()?;
    let mut rules = Vec::new();
    if let Some(from) = &dim.value_from {
        let value = template(
            src,
            subject,
            &format!("{{{}}}", from.get_ref()),
            from.span(),
        )?;
        rules.push(Rule {
            name: format!("{name}.{}", from.get_ref()),
            value,
            when: Vec::new(),
            say: [None, None],
        });
    }
    for r in &dim.rules {
        let rule = r.get_ref();
        let value = template(src, subject, rule.value.get_ref(), rule.value.span())?;
        let base = rule.name.clone().unwrap_or_else(|| {
            let v = rule.value.get_ref();
            let v = if v.contains('{') { "value" } else { v.as_str() };
            format!("{name}.{v}")
        });
        // Two rules giving the same value get distinct names.
        let mut rule_name = base.clone();
        let mut n = 2;
        while rules.iter().any(|r: &Rule| r.name == rule_name) {
            rule_name = format!("{base}#{n}");
            n += 1;
        }
        let when = rule
            .when
            .iter()
            .map(|c| compile_cond(src, subject, c, settings))
            .collect::<Result<_, _>>()?;
        let say = says(src, subject, rule.say.as_ref(), settings)?;
        rules.push(Rule {
            name: rule_name,
            value,
            when,
            say,
        });
    }
    if rules.is_empty() && dim.default.is_none() {
        return Err(src.error(
            raw.span(),
            crate::tr!(
                "rules-dimension-empty",
                dimension = format!("{subject}.{name}")
            ),
        ));
    }
    let label = dim
        .label
        .as_ref()
        .map(RawText::by_lang)
        .unwrap_or([None, None]);
    let en_label = label[0].unwrap_or(name).to_string();
    let value_labels = dim
        .values
        .iter()
        .map(|(v, l)| {
            let [en, zh] = l.by_lang();
            (v.clone(), [en.map(str::to_string), zh.map(str::to_string)])
        })
        .collect();
    Ok(Dimension {
        name: name.to_string(),
        labels: [en_label.clone(), label[1].map_or(en_label, str::to_string)],
        value_labels,
        only_if,
        rules,
        default: dim.default.clone(),
        say_default: says(src, subject, dim.say_default.as_ref(), settings)?,
        multi: dim.multi,
    })
}

/// A `say` sentence in each language; a language without one uses English.
fn says(
    src: &Source,
    subject: Subject,
    text: Option<&Spanned<RawText>>,
    settings: &BTreeMap<String, Setting>,
) -> Result<Says, RuleError> {
    let Some(text) = text else {
        return Ok([None, None]);
    };
    let [en, zh] = text.get_ref().by_lang();
    let span = text.span();
    let en = en
        .map(|t| say(src, subject, t, span.clone(), settings))
        .transpose()?;
    let zh = match zh {
        Some(t) => Some(say(src, subject, t, span, settings)?),
        None => en.clone(),
    };
    Ok([en, zh])
}

/// A `say` sentence: text with `{fact}`, `{setting}` and `{limit}` in it.
fn say(
    src: &Source,
    subject: Subject,
    text: &str,
    span: Range<usize>,
    settings: &BTreeMap<String, Setting>,
) -> Result<Vec<SayPiece>, RuleError> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            pieces.push(SayPiece::Lit(rest[..open].to_string()));
        }
        let Some(close) = rest[open..].find('}') else {
            return Err(src.error(span, "a '{' without its '}' in say"));
        };
        let name = &rest[open + 1..open + close];
        let piece = if name == "limit" {
            SayPiece::Limit
        } else if let Some(i) = subject.fact_index(name) {
            SayPiece::Fact(i)
        } else {
            match settings.get(name) {
                Some(Setting::Num(n)) => SayPiece::Lit(super::eval::format_num(*n)),
                Some(Setting::Text(t)) => SayPiece::Lit(t.clone()),
                Some(Setting::List(l)) => SayPiece::Lit(l.join(", ")),
                None => {
                    return Err(src.error(
                        span,
                        crate::tr!(
                            "rules-say-unknown",
                            name = name,
                            subject = super::eval::subject_name(subject, crate::i18n::current())
                        ),
                    ))
                }
            }
        };
        pieces.push(piece);
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(SayPiece::Lit(rest.to_string()));
    }
    Ok(pieces)
}

fn template(
    src: &Source,
    subject: Subject,
    text: &str,
    span: Range<usize>,
) -> Result<ValueSpec, RuleError> {
    if !text.contains('{') {
        if text.trim().is_empty() {
            return Err(src.error(span, "a value cannot be empty"));
        }
        return Ok(ValueSpec::Fixed(text.to_string()));
    }
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            pieces.push(Piece::Lit(rest[..open].to_string()));
        }
        let Some(close) = rest[open..].find('}') else {
            return Err(src.error(span, crate::tr!("rules-unclosed-brace", text = text)));
        };
        let fact = &rest[open + 1..open + close];
        let index = subject
            .fact_index(fact)
            .ok_or_else(|| src.error(span.clone(), unknown_fact(subject, fact)))?;
        pieces.push(Piece::Fact(index));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Lit(rest.to_string()));
    }
    Ok(ValueSpec::Template(pieces))
}

fn unknown_fact(subject: Subject, fact: &str) -> String {
    crate::tr!(
        "rules-unknown-fact",
        subject = super::eval::subject_name(subject, crate::i18n::current()),
        fact = fact,
        known = subject.fact_names().join(", ")
    )
}

fn compile_cond(
    src: &Source,
    subject: Subject,
    raw: &Spanned<RawCond>,
    settings: &BTreeMap<String, Setting>,
) -> Result<Condition, RuleError> {
    let c = raw.get_ref();
    let err = |m: String| src.error(raw.span(), m);
    let fact_name = c.fact.get_ref();
    let fact = subject
        .fact_index(fact_name)
        .ok_or_else(|| src.error(c.fact.span(), unknown_fact(subject, fact_name)))?;
    let is_text = subject.fact_is_text(fact);
    let op = Op::parse(c.op.get_ref()).ok_or_else(|| {
        src.error(
            c.op.span(),
            crate::tr!("rules-unknown-op", op = c.op.get_ref().as_str()),
        )
    })?;
    let given = [
        c.value.is_some(),
        c.values.is_some(),
        c.setting.is_some(),
        c.percentile.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if matches!(op, Op::Present | Op::Absent) {
        if given > 0 {
            return Err(err(crate::tr!(
                "rules-op-takes-nothing",
                op = c.op.get_ref().as_str()
            )));
        }
        return Ok(Condition {
            fact,
            op,
            rhs: Rhs::None,
            floor: None,
        });
    }
    if given != 1 {
        return Err(err(crate::tr!("rules-condition-one-of", fact = fact_name)));
    }
    let rhs = if let Some(p) = c.percentile {
        if !(1..=99).contains(&p) {
            return Err(err(crate::tr!(
                "rules-percentile-range",
                percentile = i64::from(p)
            )));
        }
        Rhs::Percentile(p)
    } else if let Some(values) = &c.values {
        Rhs::List {
            values: values.clone(),
            setting: None,
        }
    } else if let Some(name) = &c.setting {
        match settings.get(name.get_ref()) {
            None => {
                return Err(src.error(
                    name.span(),
                    crate::tr!("rules-setting-missing", key = name.get_ref().as_str()),
                ))
            }
            Some(Setting::Num(n)) => Rhs::Num {
                value: *n,
                setting: Some(name.get_ref().clone()),
            },
            Some(Setting::Text(t)) => Rhs::Text(t.clone()),
            Some(Setting::List(l)) => Rhs::List {
                values: l.clone(),
                setting: Some(name.get_ref().clone()),
            },
        }
    } else {
        match c.value.as_ref() {
            Some(toml::Value::Integer(i)) => Rhs::Num {
                value: *i as f64,
                setting: None,
            },
            Some(toml::Value::Float(f)) => Rhs::Num {
                value: *f,
                setting: None,
            },
            Some(toml::Value::String(s)) => Rhs::Text(s.clone()),
            _ => return Err(err(crate::tr!("rules-value-kind"))),
        }
    };
    let ok = match (&rhs, op, is_text) {
        (Rhs::Num { .. } | Rhs::Percentile(_), Op::In | Op::NotIn, _) => false,
        (Rhs::Num { .. } | Rhs::Percentile(_), _, text) => !text,
        (Rhs::Text(_), Op::Eq | Op::Ne, text) => text,
        (Rhs::List { .. }, Op::In | Op::NotIn, text) => text,
        _ => false,
    };
    if !ok {
        let op = c.op.get_ref().as_str();
        return Err(err(if is_text {
            crate::tr!("rules-op-text", fact = fact_name, op = op)
        } else {
            crate::tr!("rules-op-number", fact = fact_name, op = op)
        }));
    }
    let floor = match &c.floor {
        None => None,
        Some(_) if c.percentile.is_none() => {
            return Err(err(crate::tr!("rules-floor-percentile")));
        }
        Some(name) => match settings.get(name.get_ref()) {
            Some(Setting::Num(n)) => Some((*n, name.get_ref().clone())),
            Some(_) => {
                return Err(src.error(
                    name.span(),
                    crate::tr!("rules-setting-not-number", key = name.get_ref().as_str()),
                ))
            }
            None => {
                return Err(src.error(
                    name.span(),
                    crate::tr!("rules-setting-missing", key = name.get_ref().as_str()),
                ))
            }
        },
    };
    Ok(Condition {
        fact,
        op,
        rhs,
        floor,
    })
}
