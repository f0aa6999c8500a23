//! Argument definitions (clap derive).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Reads a record id typed on the command line.
fn record_id(s: &str) -> Result<i64, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(crate::tr!("arg-record-id")),
    }
}

/// Reads a version number typed after --if-version.
fn version_number(s: &str) -> Result<i64, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(crate::tr!("arg-version")),
    }
}

/// Reads a language typed after --lang.
fn lang_name(s: &str) -> Result<String, String> {
    crate::i18n::Lang::parse(s)
        .map(|_| s.to_string())
        .ok_or_else(|| crate::tr!("cli-bad-lang"))
}

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "A keyboard-driven customer-file manager (CRM) for salespeople",
    long_about = "dossier keeps customers, deals, products and activities in one local SQLite file.\n\
                  Every command works on the default database unless --db names another."
)]
pub struct Cli {
    /// Database file (default: the XDG data dir, or $DOSSIER_DB), or a team
    /// book as postgres://user@host/dbname (for `team` and `copy`).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Language: en (English) or zh (简体中文); default: `lang` in the
    /// config file, else the locale (LANG=zh_CN.UTF-8 → 简体中文).
    #[arg(long, global = true, value_name = "LANG", value_parser = lang_name)]
    pub lang: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Which kind of record a command works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    #[value(alias = "customers", alias = "c")]
    Customer,
    #[value(
        alias = "opportunities",
        alias = "opp",
        alias = "deal",
        alias = "deals"
    )]
    Opportunity,
    #[value(alias = "products", alias = "p")]
    Product,
    #[value(alias = "activities", alias = "touch", alias = "a")]
    Activity,
}

impl From<KindArg> for crate::domain::Kind {
    fn from(k: KindArg) -> Self {
        use crate::domain::Kind;
        match k {
            KindArg::Customer => Kind::Customer,
            KindArg::Opportunity => Kind::Opportunity,
            KindArg::Product => Kind::Product,
            KindArg::Activity => Kind::Activity,
        }
    }
}

/// File formats for export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Csv,
    #[value(alias = "vcard")]
    Vcf,
    Json,
}

/// How `show` prints a record for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    #[value(alias = "markdown")]
    Md,
}

/// The column layout of a CSV export, for another program to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShapeArg {
    /// dossier's own columns (imports back exactly).
    Dossier,
    /// Google Contacts' "Google CSV".
    Google,
    /// Outlook's "Comma Separated Values".
    Outlook,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add a record: dossier add customer --name 张伟 --company "上海华信科技" --city 上海
    #[command(subcommand)]
    Add(AddKind),
    /// Change fields of a record: dossier edit customer 12 --city 北京
    #[command(subcommand)]
    Edit(EditKind),
    /// Show one record with its tags (and a customer's deals and timeline).
    Show {
        kind: KindArg,
        #[arg(value_parser = record_id)]
        id: i64,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// text (default) or md: the whole file as one Markdown page to
        /// share or print.
        #[arg(long, value_enum, conflicts_with = "json")]
        format: Option<ShowFormat>,
    },
    /// List records, oldest first, a page at a time.
    List {
        kind: KindArg,
        /// Print one JSON object per line.
        #[arg(long)]
        json: bool,
        /// How many rows at most.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Start after this id (keyset paging: pass the last id you saw).
        #[arg(long, default_value_t = 0)]
        after: i64,
        /// List the trash instead of live records.
        #[arg(long)]
        trash: bool,
        /// Only records carrying this tag, as DIMENSION=VALUE (e.g.
        /// value=high); repeat to require several.
        #[arg(long = "tag", value_name = "DIM=VALUE")]
        tags: Vec<String>,
        /// Team book: only the records you own.
        #[arg(long, conflicts_with = "owner")]
        mine: bool,
        /// Team book: only the records this member owns.
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
    },
    /// Classify the whole book again (time-driven tags: churn, new,
    /// urgency, stale, follow-up due). --dry-run shows what would change.
    Classify {
        /// Count what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Try this rule file (over the built-in rules) instead of yours;
        /// only with --dry-run.
        #[arg(long, value_name = "FILE")]
        rules: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Why a record carries its tags: each tag's rule and facts, then its
    /// tag history.
    Why {
        kind: KindArg,
        #[arg(value_parser = record_id)]
        id: i64,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Move a record to the trash (it can be restored).
    Delete {
        kind: KindArg,
        #[arg(value_parser = record_id)]
        id: i64,
        /// Refuse if the record is no longer at this version.
        #[arg(long, value_parser = version_number)]
        version: Option<i64>,
    },
    /// Take a record out of the trash.
    Restore {
        kind: KindArg,
        #[arg(value_parser = record_id)]
        id: i64,
    },
    /// Show the trash, or empty it with --empty.
    Trash {
        /// Delete everything in the trash for good.
        #[arg(long)]
        empty: bool,
        #[arg(long)]
        json: bool,
    },
    /// Load the demo book (about 50 customers with deals, products and touches).
    Demo {
        /// Load even if the book already has records.
        #[arg(long)]
        force: bool,
    },
    /// Import a CSV, vCard (.vcf) or JSON backup file. Re-runnable: rows that
    /// match a customer (same email, phone, or name + company) update it.
    /// Exit status 2 when some rows were rejected (the others are imported).
    Import {
        file: PathBuf,
        /// The kind of record in a CSV file (default customer).
        #[arg(long)]
        kind: Option<KindArg>,
        /// Map a CSV column to a field: "Mobil=phones", "Firma=company",
        /// "WeChat=custom.wechat", "Photo=ignore" (repeatable).
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        maps: Vec<String>,
        /// The file's encoding when detection gets it wrong: gbk, gb18030,
        /// big5, shift_jis, windows-1252, iso-8859-1, utf-16le, utf-8, …
        #[arg(long, value_name = "NAME")]
        encoding: Option<String>,
        /// The CSV file has no header line: name columns by position,
        /// --map 1=name --map 3=phones.
        #[arg(long)]
        no_header: bool,
        /// Show what would be created, updated and rejected; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Skip classification now (very large imports): the book is swept at
        /// the next start of the TUI or by `dossier classify`.
        #[arg(long)]
        defer_classify: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Export records: CSV (one kind), vCard 3.0 (customers) or a JSON backup.
    Export {
        #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
        format: FormatArg,
        /// CSV column layout: dossier (default), google or outlook — to take
        /// the book back to those programs.
        #[arg(long, value_enum)]
        shape: Option<ShapeArg>,
        /// Which kind of record (CSV default: customer; JSON default: everything).
        #[arg(long)]
        kind: Option<KindArg>,
        /// Only records carrying this tag, DIMENSION=VALUE (repeatable: all must match).
        #[arg(long = "tag", value_name = "DIMENSION=VALUE")]
        tags: Vec<String>,
        /// Write to this file (created private) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Replace the file named by --output if it exists (never the open
        /// book, its -wal/-shm files or a symbolic link).
        #[arg(long)]
        force: bool,
        /// CSV for people: headers and tags as labels in the chosen
        /// language (the plain CSV keeps ids and imports back).
        #[arg(long, conflicts_with = "shape")]
        labels: bool,
    },
    /// List likely duplicate customers (same email or phone, similar name and company).
    Duplicates {
        /// How many pairs at most.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Merge customer DUPLICATE into KEEP (deals and activities move; undo with unmerge).
    Merge {
        #[arg(value_parser = record_id)]
        keep: i64,
        #[arg(value_parser = record_id)]
        duplicate: i64,
    },
    /// Undo a merge (default: the most recent one).
    Unmerge {
        /// The merge id printed by `merge`.
        merge: Option<i64>,
    },
    /// Write a consistent copy of the database to PATH (SQLite's online
    /// backup: safe while dossier is open elsewhere; refuses an existing
    /// file unless --force).
    Backup {
        path: PathBuf,
        /// Replace PATH if it exists (never the open book or a symbolic link).
        #[arg(long)]
        force: bool,
    },
    /// Check the database: integrity, links between records, orphan tags,
    /// tags against their history. Exits non-zero when something is wrong.
    Doctor {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Today's follow-ups: the reminders due today and overdue, oldest
    /// first — short enough for a login message or cron.
    Agenda {
        /// One JSON object per line instead of text.
        #[arg(long)]
        json: bool,
        /// Write every open reminder (future ones too) as an iCalendar file
        /// (needs -o FILE).
        #[arg(long, requires = "output")]
        ics: bool,
        /// The file for --ics (created private; never standard output).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Replace an existing --ics file.
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Mark the follow-up reminder set on touch ID done.
    Done {
        /// The touch (activity) that set the reminder, as `dossier agenda` shows.
        #[arg(value_parser = record_id)]
        id: i64,
    },
    /// Test helper: writes records in a loop, printing each commit.
    #[command(name = "__crash-writer", hide = true)]
    CrashWriter {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Stop after this many writes (default: until killed).
        #[arg(long)]
        count: Option<u64>,
    },
    /// Test helper: panics, to test the panic report.
    #[command(name = "__panic", hide = true)]
    Panic,
    /// Find records by name, company, phone, email, city, tags or notes
    /// (fuzzy, pinyin and initials), with filters: dossier search value:high city:上海 zhang
    Search {
        /// Words and field:value filters (value:, city:, stage:, tag:, kind: …).
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Only this kind of record.
        #[arg(long)]
        kind: Option<KindArg>,
        /// Print one JSON object per line.
        #[arg(long)]
        json: bool,
        /// How many results at most, best first.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Print a shell completion script: dossier completions bash >
    /// ~/.local/share/bash-completion/completions/dossier
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Generate a synthetic book for benchmarks (deterministic).
    Gen {
        /// Number of customers.
        #[arg(long, default_value_t = 10_000)]
        customers: u64,
        /// Seed for the generator.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },

    // ---- Team books on PostgreSQL ----
    /// Set up a team book on PostgreSQL and its members (--db postgres://…).
    #[command(subcommand)]
    Team(TeamCommand),
    /// Copy a whole book between a file and a team book (either way),
    /// exactly; run it again to resume an interrupted copy.
    Copy {
        /// The book to copy: a file or a postgres:// URL.
        #[arg(long, value_name = "BOOK")]
        from: String,
        /// Where to copy it: a new file or an empty team book.
        #[arg(long, value_name = "BOOK")]
        to: String,
        /// In a team book, the member who owns the copied records.
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
    },
}

/// `dossier team …`: run as the team book's administrator.
#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Create the schema, the roles dossier_rep and dossier_manager and the
    /// row-level security policies (safe to run again).
    Init,
    /// Add a member: a login role that sees their team's records and
    /// writes their own (all the team's with --manager).
    AddUser {
        /// The member's database role (lower-case letters, digits, _).
        name: String,
        /// Their team.
        #[arg(long)]
        team: String,
        /// A manager reads and writes every record of the team.
        #[arg(long)]
        manager: bool,
    },
}

impl Command {
    /// The command's name, for the log (never its arguments: they may hold
    /// personal data).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Add(_) => "add",
            Command::Edit(_) => "edit",
            Command::Show { .. } => "show",
            Command::List { .. } => "list",
            Command::Delete { .. } => "delete",
            Command::Restore { .. } => "restore",
            Command::Trash { .. } => "trash",
            Command::Demo { .. } => "demo",
            Command::Classify { .. } => "classify",
            Command::Why { .. } => "why",
            Command::Import { .. } => "import",
            Command::Export { .. } => "export",
            Command::Duplicates { .. } => "duplicates",
            Command::Merge { .. } => "merge",
            Command::Unmerge { .. } => "unmerge",
            Command::Backup { .. } => "backup",
            Command::Doctor { .. } => "doctor",
            Command::Agenda { .. } => "agenda",
            Command::Done { .. } => "done",
            Command::CrashWriter { .. } => "__crash-writer",
            Command::Panic => "__panic",
            Command::Search { .. } => "search",
            Command::Gen { .. } => "gen",
            Command::Completions { .. } => "completions",
            Command::Team(TeamCommand::Init) => "team init",
            Command::Team(TeamCommand::AddUser { .. }) => "team add-user",
            Command::Copy { .. } => "copy",
        }
    }
}

// Parsed once per run: the size of the customer flags does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum AddKind {
    /// Add a customer (person or company).
    #[command(alias = "c")]
    Customer(CustomerArgs),
    /// Add a deal for a customer, with its line items.
    #[command(alias = "opp", alias = "deal")]
    Opportunity(OpportunityArgs),
    /// Add a product to the catalogue.
    #[command(alias = "p")]
    Product(ProductArgs),
    /// Log a touch (call, visit, meeting, email, note) or add a campaign.
    #[command(alias = "a", alias = "touch")]
    Activity(ActivityArgs),
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum EditKind {
    /// Change a customer's fields.
    #[command(alias = "c")]
    Customer {
        #[arg(value_parser = record_id)]
        id: i64,
        #[command(flatten)]
        edit: EditArgs,
        #[command(flatten)]
        fields: CustomerArgs,
    },
    /// Change a deal's fields, stage or line items.
    #[command(alias = "opp", alias = "deal")]
    Opportunity {
        #[arg(value_parser = record_id)]
        id: i64,
        #[command(flatten)]
        edit: EditArgs,
        #[command(flatten)]
        fields: OpportunityArgs,
    },
    /// Change a product's fields.
    #[command(alias = "p")]
    Product {
        #[arg(value_parser = record_id)]
        id: i64,
        #[command(flatten)]
        edit: EditArgs,
        #[command(flatten)]
        fields: ProductArgs,
    },
    /// Change an activity (touch or campaign).
    #[command(alias = "a", alias = "touch")]
    Activity {
        #[arg(value_parser = record_id)]
        id: i64,
        #[command(flatten)]
        edit: EditArgs,
        #[command(flatten)]
        fields: ActivityArgs,
    },
}

/// Options every edit takes.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// Refuse the edit if the record is no longer at this version
    /// (as read with `show --json`); without it, the current version is used.
    #[arg(long = "if-version", value_name = "N", value_parser = version_number)]
    pub if_version: Option<i64>,
}

/// Output options for add and edit.
#[derive(Debug, Args, Default)]
pub struct OutputArgs {
    /// Print the saved record as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args, Default)]
pub struct CustomerArgs {
    #[arg(long)]
    pub name: Option<String>,
    /// individual or enterprise.
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub company: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    /// Phone numbers (repeat, or separate with commas); replaces the list.
    /// A label goes first: --phone "mobile: +86 138 0013 8000"; the first is preferred.
    #[arg(long = "phone")]
    pub phones: Vec<String>,
    /// Email addresses (repeat, or separate with commas); replaces the list.
    /// A label goes first: --email "work: ann@example.com".
    #[arg(long = "email")]
    pub emails: Vec<String>,
    #[arg(long)]
    pub country: Option<String>,
    /// Province or state.
    #[arg(long)]
    pub province: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub industry: Option<String>,
    /// Number of employees.
    #[arg(long, allow_hyphen_values = true)]
    pub size: Option<String>,
    /// website, social media, e-commerce, search ads, referral, exhibition, store, event, …
    #[arg(long)]
    pub source: Option<String>,
    /// Needs such as price-sensitive, quality-first (repeat or comma-separate).
    #[arg(long = "need")]
    pub needs: Vec<String>,
    #[arg(long)]
    pub notes: Option<String>,
    #[arg(long)]
    pub owner: Option<String>,
    /// A custom field, KEY=VALUE (repeatable; an empty VALUE removes it).
    #[arg(long = "field", value_name = "KEY=VALUE")]
    pub custom: Vec<String>,
    /// Given name (without it, split from --name: 欧阳娜娜 → 娜娜).
    #[arg(long = "given-name")]
    pub given_name: Option<String>,
    /// Family name (without it, split from --name: 欧阳娜娜 → 欧阳).
    #[arg(long = "family-name")]
    pub family_name: Option<String>,
    /// Honorific before the name (Dr., Mr.).
    #[arg(long)]
    pub prefix: Option<String>,
    /// After the name (Jr., PhD).
    #[arg(long)]
    pub suffix: Option<String>,
    #[arg(long)]
    pub nickname: Option<String>,
    #[arg(long)]
    pub department: Option<String>,
    /// Postcode of the main address.
    #[arg(long)]
    pub postcode: Option<String>,
    /// Label of the main address (work, home, …).
    #[arg(long = "address-label")]
    pub address_label: Option<String>,
    /// A further address, "LABEL: street; city; region; postcode; country"
    /// (repeat; replaces the list).
    #[arg(long = "more-address", value_name = "ADDRESS")]
    pub addresses: Vec<String>,
    /// 1990-03-15, or --03-15 without the year.
    #[arg(long, allow_hyphen_values = true)]
    pub birthday: Option<String>,
    /// 2015-06-01, or --06-01 without the year.
    #[arg(long, allow_hyphen_values = true)]
    pub anniversary: Option<String>,
    /// A website (repeat; replaces the list).
    #[arg(long = "website")]
    pub websites: Vec<String>,
    /// An IM handle, "SERVICE: HANDLE" such as "wechat: zw88" (repeat; replaces the list).
    #[arg(long = "im", value_name = "SERVICE: HANDLE")]
    pub ims: Vec<String>,
    /// A group or category (repeat; replaces the list); each is a `group` tag.
    #[arg(long = "group")]
    pub groups: Vec<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args, Default)]
pub struct OpportunityArgs {
    /// Customer id.
    #[arg(long, value_parser = record_id)]
    pub customer: Option<i64>,
    #[arg(long)]
    pub title: Option<String>,
    /// 12000, 12k, 1.5m, 12,000.50 (ignored when the deal has line items).
    #[arg(long, allow_hyphen_values = true)]
    pub amount: Option<String>,
    #[arg(long)]
    pub currency: Option<String>,
    /// prospect, qualified, negotiation, closing, won, lost.
    #[arg(long)]
    pub stage: Option<String>,
    /// Expected close date: YYYY-MM-DD, today, +2w, fri, …
    #[arg(long = "close", allow_hyphen_values = true)]
    pub expected_close: Option<String>,
    #[arg(long)]
    pub source: Option<String>,
    /// Id of the campaign (an activity of kind campaign) that sourced it; 0 clears.
    #[arg(long, value_parser = record_id)]
    pub campaign: Option<i64>,
    /// Competitors (repeat or comma-separate); replaces the list.
    #[arg(long = "competitor")]
    pub competitors: Vec<String>,
    /// Win probability in percent.
    #[arg(long, allow_hyphen_values = true)]
    pub probability: Option<String>,
    #[arg(long = "next-step")]
    pub next_step: Option<String>,
    #[arg(long = "next-date", allow_hyphen_values = true)]
    pub next_step_date: Option<String>,
    /// Date the deal was won or lost (default: today when it closes).
    #[arg(long = "closed-on", allow_hyphen_values = true)]
    pub closed_on: Option<String>,
    /// Why the deal was won or lost.
    #[arg(long)]
    pub reason: Option<String>,
    /// A line item PRODUCT_ID:QUANTITY[:UNIT_PRICE] (repeatable; replaces the lines;
    /// the unit price defaults to the product's price).
    #[arg(long = "item", value_name = "PRODUCT:QTY[:PRICE]")]
    pub items: Vec<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args, Default)]
pub struct ProductArgs {
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub sku: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub price: Option<String>,
    #[arg(long)]
    pub currency: Option<String>,
    #[arg(long)]
    pub brand: Option<String>,
    /// Functions (repeat or comma-separate); replaces the list.
    #[arg(long = "function")]
    pub functions: Vec<String>,
    /// Target audience: children, adults, seniors, businesses (repeat or comma-separate).
    #[arg(long = "audience")]
    pub audience: Vec<String>,
    /// yes or no.
    #[arg(long)]
    pub active: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args, Default)]
pub struct ActivityArgs {
    /// call, visit, meeting, email, note or campaign.
    #[arg(long)]
    pub kind: Option<String>,
    /// Customer id (required for touches).
    #[arg(long, value_parser = record_id)]
    pub customer: Option<i64>,
    /// Opportunity id this touch is about; 0 clears.
    #[arg(long, value_parser = record_id)]
    pub opportunity: Option<i64>,
    /// Date of the touch or start of the campaign (default today).
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// What happened, or the campaign's name.
    #[arg(long)]
    pub summary: Option<String>,
    /// positive, neutral or negative.
    #[arg(long)]
    pub sentiment: Option<String>,
    /// Next follow-up date: YYYY-MM-DD, tomorrow, +3d, mon, … ("-" clears).
    #[arg(long = "follow-up", allow_hyphen_values = true)]
    pub follow_up: Option<String>,
    /// Campaign: live_stream, social, webinar, ads, exhibition, seminar, store_event.
    #[arg(long)]
    pub channel: Option<String>,
    /// Campaign end date.
    #[arg(long, allow_hyphen_values = true)]
    pub end: Option<String>,
    /// Campaign region: local, regional, national, international.
    #[arg(long)]
    pub region: Option<String>,
    /// Campaign goal: brand_awareness, sales, lead_collection.
    #[arg(long)]
    pub goal: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub participants: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub cost: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub leads: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}
