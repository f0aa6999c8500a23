//! Carrying out a parsed command.

use super::args::{AddKind, Cli, Command, EditArgs, EditKind, ShowFormat};
use super::fields::FieldEdits;
use super::output::{
    list_line, owned_json, print_record, record_json, to_json, to_json_pretty, AnyRecord,
};
use super::people::{live_reasons, Labels};
use crate::domain::fields::{parse_line_item, Fields};
use crate::domain::{Activity, Customer, Kind, Opportunity, Product, ValidationErrors};
use crate::store::{default_db_path, Page, Store, StoreError, Visibility, Written};
use crate::tr;
use anyhow::{anyhow, Context, Result};
use chrono::NaiveDate;
use std::process::ExitCode;

/// The demo loader the TUI offers on an empty book.
fn tui_demo(store: &mut Store) -> Result<String> {
    let s = crate::sample::demo::load_demo(store, false)?;
    Ok(tr!(
        "cli-demo-loaded",
        customers = s.customers,
        opportunities = s.opportunities,
        products = s.products,
        activities = s.activities()
    ))
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    if let Some(Command::Completions { shell }) = cli.command {
        // Completions need no book.
        let mut cmd = super::command();
        clap_complete::generate(shell, &mut cmd, "dossier", &mut std::io::stdout());
        return Ok(ExitCode::SUCCESS);
    }
    let path = cli.db.clone().unwrap_or_else(default_db_path);
    // Team books on PostgreSQL: their own commands, before a file is opened.
    if let Some(code) = super::team::run(&cli, &path)? {
        return Ok(code);
    }
    let what = cli.command.as_ref().map_or("tui", |c| c.name());
    tracing::info!(command = what, db = %path.display(), "start");
    let mut store = Store::open(&path).map_err(|e| {
        tracing::warn!(db = %path.display(), "cannot open the database: {e}");
        anyhow!("{}", super::people::store_error_text(&e))
    })?;
    let Some(command) = cli.command else {
        // Plain `dossier` opens the terminal UI.
        crate::tui::run(store, Some(tui_demo))?;
        // Ended by SIGTERM/SIGHUP/SIGINT/SIGQUIT: 128 + the signal, as a
        // shell or service manager expects (the terminal is restored).
        if let Some(signal) = crate::signals::received() {
            return Ok(ExitCode::from((128 + signal).clamp(0, 255) as u8));
        }
        return Ok(ExitCode::SUCCESS);
    };
    match command {
        Command::Add(add) => add_record(&mut store, add),
        Command::Edit(edit) => edit_record(&mut store, edit),
        Command::Show {
            kind,
            id,
            json,
            format,
        } => {
            super::classify::refresh(&mut store)?;
            match format {
                Some(ShowFormat::Md) => super::markdown::show(&mut store, kind.into(), id),
                _ => show(&mut store, kind.into(), id, json),
            }
        }
        Command::List {
            kind,
            json,
            limit,
            after,
            trash,
            tags,
            mine,
            owner,
        } => {
            // The list shows tags: bring them up to date (and say so when
            // the user's rule file was refused), as `show` does.
            super::classify::refresh(&mut store)?;
            let owner = super::team::list_owner(&store, mine, owner)?;
            let page = Page {
                after,
                limit,
                visibility: if trash {
                    Visibility::Trash
                } else {
                    Visibility::Live
                },
            };
            let kind: Kind = kind.into();
            let records = if !tags.is_empty() {
                super::classify::tagged(&mut store, kind, &tags, page, owner.as_deref())?
            } else if let Some(owner) = &owner {
                let mut out = Vec::new();
                for id in store.owned_ids(kind, owner, page)? {
                    out.push(super::output::load_record(&store, kind, id)?);
                }
                out
            } else {
                list(&mut store, kind, page)?
            };
            print_list(&mut store, kind, &records, json, limit, after)
        }
        Command::Classify {
            dry_run,
            rules,
            json,
        } => super::classify::classify(&mut store, dry_run, rules.as_deref(), json),
        Command::Why { kind, id, json } => {
            super::classify::refresh(&mut store)?;
            super::classify::why(&mut store, kind.into(), id, json)
        }
        Command::Delete { kind, id, version } => {
            let kind: Kind = kind.into();
            store.delete(kind, id, version).map_err(explain)?;
            println!(
                "{}",
                tr!(
                    "cli-deleted",
                    kind = kind.name(),
                    id = id,
                    cmd = format!("dossier restore {kind} {id}")
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { kind, id } => {
            let kind: Kind = kind.into();
            store.restore(kind, id).map_err(explain)?;
            println!("{}", tr!("cli-restored", kind = kind.name(), id = id));
            Ok(ExitCode::SUCCESS)
        }
        Command::Trash { empty, json } => trash(&mut store, empty, json),
        Command::Search {
            query,
            kind,
            json,
            limit,
        } => super::search::search(&mut store, &query, kind.map(Into::into), json, limit),
        Command::Demo { force } => {
            let summary = crate::sample::demo::load_demo(&mut store, force)?;
            println!(
                "{}",
                tr!(
                    "cli-demo-loaded-into",
                    path = path.display().to_string(),
                    summary = to_json(&summary)?
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            file,
            kind,
            maps,
            encoding,
            no_header,
            dry_run,
            defer_classify,
            json,
        } => super::interchange::import(
            &mut store,
            &file,
            kind,
            (maps, encoding, no_header),
            (dry_run, defer_classify),
            json,
        ),
        Command::Export {
            format,
            shape: _,
            kind,
            tags,
            output,
            force,
            labels,
        } if labels => {
            super::labelled_csv::export(&mut store, format, kind, &tags, (output, force))
        }
        Command::Export {
            format,
            shape,
            kind,
            tags,
            output,
            force,
            labels: _,
        } => super::interchange::export(&store, (format, shape), kind, tags, (output, force)),
        Command::Duplicates { limit, json } => super::interchange::duplicates(&store, limit, json),
        Command::Merge { keep, duplicate } => {
            super::interchange::merge(&mut store, keep, duplicate)
        }
        Command::Unmerge { merge } => super::interchange::unmerge(&mut store, merge),
        Command::Backup {
            path: target,
            force,
        } => {
            store.backup_file(&target, force).map_err(explain)?;
            println!(
                "{}",
                tr!(
                    "cli-backup-written",
                    book = path.display().to_string(),
                    target = target.display().to_string()
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Doctor { json } => doctor(&mut store, json),
        Command::Agenda {
            json,
            ics,
            output,
            force,
        } => super::agenda::agenda(&store, json, ics, (output, force)),
        Command::Done { id } => super::agenda::done(&mut store, id),
        Command::CrashWriter { seed, count } => {
            super::crash_writer::run(&mut store, seed, count)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Team(_) | Command::Copy { .. } => {
            unreachable!("run by cli::team before a book is opened")
        }
        Command::Panic => panic!("a test panic asked for with `dossier __panic`"),
        Command::Completions { .. } => Ok(ExitCode::SUCCESS),
        Command::Gen { customers, seed } => {
            let started = std::time::Instant::now();
            let summary = crate::sample::gen::generate(&mut store, customers, seed)?;
            println!(
                "{}",
                tr!(
                    "cli-generated",
                    customers = summary.customers,
                    opportunities = summary.opportunities,
                    activities = summary.activities,
                    products = summary.products,
                    seconds = format!("{:.1}", started.elapsed().as_secs_f64()),
                    path = path.display().to_string()
                )
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Words a store error for the command line.
pub(super) fn explain(e: StoreError) -> anyhow::Error {
    match &e {
        StoreError::Io { .. }
        | StoreError::Corrupt { .. }
        | StoreError::Refused(_)
        | StoreError::Sqlite(_) => {
            anyhow!("{e}")
        }
        _ => anyhow!("{}", super::people::store_error_text(&e)),
    }
}

/// Applies typed field edits to a record, collecting every problem.
fn apply(
    record: &mut dyn Fields,
    edits: &FieldEdits,
    today: NaiveDate,
) -> Result<(), ValidationErrors> {
    let mut errs = ValidationErrors::new();
    for (field, value) in edits {
        if let Err(m) = record.set(field, value, today) {
            errs.add(field, m);
        }
    }
    errs.into_result()
}

fn apply_custom(c: &mut Customer, pairs: &[String], errs: &mut ValidationErrors) {
    for pair in pairs {
        match pair.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                if v.trim().is_empty() {
                    c.custom.remove(k.trim());
                } else {
                    c.custom.insert(k.trim().to_string(), v.trim().to_string());
                }
            }
            _ => errs.add("field", format!("'{pair}' is not KEY=VALUE")),
        }
    }
}

fn apply_items(store: &Store, o: &mut Opportunity, items: &[String], errs: &mut ValidationErrors) {
    if items.is_empty() {
        return;
    }
    let mut lines = Vec::new();
    for text in items.iter().flat_map(|s| s.split(',')) {
        match parse_line_item(text, |pid| store.product(pid).ok().map(|p| p.price)) {
            Ok(item) => lines.push(item),
            Err(m) => errs.add("items", m),
        }
    }
    o.items = lines;
}

fn merge(a: Result<(), ValidationErrors>, mut b: ValidationErrors) -> Result<(), ValidationErrors> {
    if let Err(e) = a {
        b.0.splice(0..0, e.0);
    }
    b.into_result()
}

fn report_saved(
    store: &mut Store,
    verb: &str,
    written: Written<AnyRecord>,
    json: bool,
) -> Result<ExitCode> {
    let Written { record, changes } = written;
    let meta = record.meta().clone();
    let kind = record.kind();
    let answered = match kind {
        Kind::Activity => store.follow_ups_closed_by(meta.id)?,
        _ => Vec::new(),
    };
    if json {
        let tags = store.tags(kind, meta.id)?;
        println!("{}", to_json_pretty(&record_json(&record, &tags)?)?);
    } else {
        let labels = Labels::load(store)?;
        let line = tr!(
            "cli-saved",
            verb = verb,
            kind = kind.name(),
            id = meta.id,
            label =
                crate::domain::text::sanitize_for_terminal(&super::output::record_label(&record)),
            version = meta.version
        );
        println!("{line}");
        for c in changes {
            let (dim, _) = labels.tag(c.kind, &c.dimension, "");
            let value = |v: &Option<String>| match v {
                Some(v) => labels.tag(c.kind, &c.dimension, v).1,
                None => "–".to_string(),
            };
            println!(
                "  {}",
                crate::domain::text::sanitize_for_terminal(&tr!(
                    "cli-tag-change",
                    kind = c.kind.name(),
                    dimension = dim,
                    old = value(&c.old),
                    new = value(&c.new)
                ))
            );
        }
        for f in answered {
            println!(
                "  {}",
                tr!(
                    "cli-follow-up-answered",
                    due = f.due.to_string(),
                    activity = f.activity_id
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn add_record(store: &mut Store, add: AddKind) -> Result<ExitCode> {
    let today = store.clock().today();
    let not_saved = |kind: &str, e: ValidationErrors| {
        let kind: Kind = kind.parse().unwrap_or(Kind::Customer);
        anyhow!(
            "{}",
            tr!(
                "cli-kind-not-saved",
                kind = kind.name(),
                problems = super::people::problems_text(Some(kind), &e)
            )
        )
    };
    let (record, json) = match add {
        AddKind::Customer(args) => {
            let mut c = Customer::default();
            let mut errs = ValidationErrors::new();
            apply_custom(&mut c, &args.custom, &mut errs);
            merge(apply(&mut c, &args.edits(), today), errs)
                .map_err(|e| not_saved("customer", e))?;
            let saved = store.add_customer(&c).map_err(explain)?;
            (saved.map(AnyRecord::Customer), args.out.json)
        }
        AddKind::Opportunity(args) => {
            let mut o = Opportunity::default();
            let mut errs = ValidationErrors::new();
            apply_items(store, &mut o, &args.items, &mut errs);
            merge(apply(&mut o, &args.edits(), today), errs)
                .map_err(|e| not_saved("opportunity", e))?;
            let saved = store.add_opportunity(&o).map_err(explain)?;
            (saved.map(AnyRecord::Opportunity), args.out.json)
        }
        AddKind::Product(args) => {
            let mut p = Product::default();
            apply(&mut p, &args.edits(), today).map_err(|e| not_saved("product", e))?;
            let saved = store.add_product(&p).map_err(explain)?;
            (saved.map(AnyRecord::Product), args.out.json)
        }
        AddKind::Activity(args) => {
            let mut a = Activity {
                date: today,
                ..Default::default()
            };
            apply(&mut a, &args.edits(), today).map_err(|e| not_saved("activity", e))?;
            let saved = store.add_activity(&a).map_err(explain)?;
            (saved.map(AnyRecord::Activity), args.out.json)
        }
    };
    report_saved(store, &tr!("cli-verb-added"), record, json)
}

/// Loads a live record for editing, honouring `--if-version`.
fn for_edit(store: &Store, kind: Kind, id: i64, edit: &EditArgs) -> Result<AnyRecord> {
    let record = super::output::load_record(store, kind, id).map_err(|e| {
        match e.downcast::<StoreError>() {
            Ok(e) => explain(e),
            Err(e) => e,
        }
    })?;
    let meta = record.meta();
    if meta.deleted_at.is_some() {
        return Err(explain(StoreError::InTrash { kind, id }));
    }
    if let Some(v) = edit.if_version {
        if v != meta.version {
            return Err(explain(StoreError::Conflict {
                kind,
                id,
                expected: v,
                found: meta.version,
            }));
        }
    }
    Ok(record)
}

fn edit_record(store: &mut Store, edit: EditKind) -> Result<ExitCode> {
    let blind = match &edit {
        EditKind::Customer { edit, .. }
        | EditKind::Opportunity { edit, .. }
        | EditKind::Product { edit, .. }
        | EditKind::Activity { edit, .. } => edit.if_version.is_none(),
    };
    let (record, json) = if blind {
        // No version named: read and write under one write lock, so the
        // change applies to the latest version and cannot conflict.
        store.with_write_lock(|store| edit_latest(store, edit))?
    } else {
        edit_latest(store, edit)?
    };
    report_saved(store, &tr!("cli-verb-saved"), record, json)
}

/// Reads the record, applies the edit and saves it (a stale `--if-version`
/// is a conflict).
fn edit_latest(store: &mut Store, edit: EditKind) -> Result<(Written<AnyRecord>, bool)> {
    let today = store.clock().today();
    let not_saved = |kind: &str, id: i64, e: ValidationErrors| {
        let kind: Kind = kind.parse().unwrap_or(Kind::Customer);
        anyhow!(
            "{}",
            tr!(
                "cli-record-not-saved",
                kind = kind.name(),
                id = id,
                problems = super::people::problems_text(Some(kind), &e)
            )
        )
    };
    let (record, json) = match edit {
        EditKind::Customer { id, edit, fields } => {
            let AnyRecord::Customer(mut c) = for_edit(store, Kind::Customer, id, &edit)? else {
                unreachable!("loaded by kind")
            };
            let mut errs = ValidationErrors::new();
            apply_custom(&mut c, &fields.custom, &mut errs);
            merge(apply(&mut c, &fields.edits(), today), errs)
                .map_err(|e| not_saved("customer", id, e))?;
            let saved = store.update_customer(&c).map_err(explain)?;
            (saved.map(AnyRecord::Customer), fields.out.json)
        }
        EditKind::Opportunity { id, edit, fields } => {
            let AnyRecord::Opportunity(mut o) = for_edit(store, Kind::Opportunity, id, &edit)?
            else {
                unreachable!("loaded by kind")
            };
            let mut errs = ValidationErrors::new();
            apply_items(store, &mut o, &fields.items, &mut errs);
            merge(apply(&mut o, &fields.edits(), today), errs)
                .map_err(|e| not_saved("opportunity", id, e))?;
            let saved = store.update_opportunity(&o).map_err(explain)?;
            (saved.map(AnyRecord::Opportunity), fields.out.json)
        }
        EditKind::Product { id, edit, fields } => {
            let AnyRecord::Product(mut p) = for_edit(store, Kind::Product, id, &edit)? else {
                unreachable!("loaded by kind")
            };
            apply(&mut p, &fields.edits(), today).map_err(|e| not_saved("product", id, e))?;
            let saved = store.update_product(&p).map_err(explain)?;
            (saved.map(AnyRecord::Product), fields.out.json)
        }
        EditKind::Activity { id, edit, fields } => {
            let AnyRecord::Activity(mut a) = for_edit(store, Kind::Activity, id, &edit)? else {
                unreachable!("loaded by kind")
            };
            apply(&mut a, &fields.edits(), today).map_err(|e| not_saved("activity", id, e))?;
            let saved = store.update_activity(&a).map_err(explain)?;
            (saved.map(AnyRecord::Activity), fields.out.json)
        }
    };
    Ok((record, json))
}

fn show(store: &mut Store, kind: Kind, id: i64, json: bool) -> Result<ExitCode> {
    let record = super::output::load_record(store, kind, id)?;
    let tags = store.tags(kind, id)?;
    let owner = store.owner_of(kind, id)?;
    if json {
        let value = owned_json(record_json(&record, &tags)?, owner.as_deref());
        println!("{}", to_json_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    let labels = Labels::load(store)?;
    let reasons = live_reasons(store, kind, id)?;
    print_record(&record, &tags, &labels, &reasons);
    if let Some(owner) = &owner {
        println!(
            "\n{}",
            tr!(
                "cli-owned-by",
                owner = crate::domain::text::sanitize_for_terminal(owner)
            )
        );
    }
    if kind == Kind::Customer {
        let deals = store.opportunities_of_customer(id)?;
        if !deals.is_empty() {
            println!("\n{}", tr!("cli-heading-deals"));
            for o in deals {
                println!("{}", list_line(&AnyRecord::Opportunity(o), &labels));
            }
        }
        let timeline = store.activities_of_customer(id)?;
        if !timeline.is_empty() {
            println!("\n{}", tr!("cli-heading-timeline"));
            let today = store.clock().today();
            for a in timeline {
                let note = a
                    .follow_up_note(today)
                    .map(|n| format!("  ({n})"))
                    .unwrap_or_default();
                println!("{}{note}", list_line(&AnyRecord::Activity(a), &labels));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn list(store: &mut Store, kind: Kind, page: Page) -> Result<Vec<AnyRecord>> {
    Ok(match kind {
        Kind::Customer => store
            .customers(page)?
            .into_iter()
            .map(AnyRecord::Customer)
            .collect(),
        Kind::Opportunity => store
            .opportunities(page)?
            .into_iter()
            .map(AnyRecord::Opportunity)
            .collect(),
        Kind::Product => store
            .products(page)?
            .into_iter()
            .map(AnyRecord::Product)
            .collect(),
        Kind::Activity => store
            .activities(page)?
            .into_iter()
            .map(AnyRecord::Activity)
            .collect(),
    })
}

fn print_list(
    store: &mut Store,
    kind: Kind,
    records: &[AnyRecord],
    json: bool,
    limit: usize,
    after: i64,
) -> Result<ExitCode> {
    let labels = Labels::load(store)?;
    let ids: Vec<i64> = records.iter().map(|r| r.meta().id).collect();
    // A team book's records have an owner: a column, and a JSON field.
    let owners = store.owners(kind, &ids)?;
    let team = !owners.is_empty();
    for r in records {
        let owner = owners.get(&r.meta().id).map(String::as_str);
        if json {
            let tags = store.tags(kind, r.meta().id)?;
            println!("{}", to_json(&owned_json(record_json(r, &tags)?, owner))?);
        } else if team {
            println!("{}", super::team::owned_line(&list_line(r, &labels), owner));
        } else {
            println!("{}", list_line(r, &labels));
        }
    }
    if !json && records.len() == limit {
        let last = records.last().map(|r| r.meta().id).unwrap_or(after);
        eprintln!(
            "{}",
            tr!(
                "cli-list-more",
                cmd = format!("dossier list {kind} --after {last}")
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn trash(store: &mut Store, empty: bool, json: bool) -> Result<ExitCode> {
    if empty {
        let n = store.empty_trash().context(tr!("cli-emptying-trash"))?;
        println!("{}", tr!("cli-trash-emptied", count = n));
        return Ok(ExitCode::SUCCESS);
    }
    for e in store.trash()? {
        if json {
            println!("{}", to_json(&e)?);
        } else {
            println!(
                "{} {:>7}  {}  {}",
                super::output::pad(&e.kind.name(), 12),
                e.id,
                super::output::pad(&e.label, 40),
                tr!(
                    "cli-deleted-at",
                    at = e.deleted_at.format("%Y-%m-%d %H:%M").to_string()
                )
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn doctor(store: &mut Store, json: bool) -> Result<ExitCode> {
    let report = store.doctor()?;
    if json {
        println!("{}", to_json_pretty(&report)?);
    } else {
        for check in &report.checks {
            let mark = if check.problems.is_empty() {
                tr!("cli-doctor-ok")
            } else {
                tr!("cli-doctor-fail")
            };
            println!(
                "{}  {}",
                super::output::pad(&mark, 4),
                crate::store::doctor_check_name(check.name)
            );
            for p in &check.problems {
                println!("        {}", crate::domain::text::sanitize_for_terminal(p));
            }
        }
        for note in &report.notes {
            println!("{}  {note}", super::output::pad(&tr!("cli-doctor-note"), 4));
        }
    }
    Ok(if report.is_healthy() {
        ExitCode::SUCCESS
    } else {
        if !json {
            eprintln!("{}", tr!("cli-doctor-problems"));
        }
        ExitCode::FAILURE
    })
}
