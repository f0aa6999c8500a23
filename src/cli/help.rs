//! Command-line help in the chosen language: every command's `about` and
//! every option's help come from the catalog (`help.ftl`), laid over the
//! clap definitions at run time.

use crate::i18n::{self, Lang};
use clap::{Arg, ArgAction, Command};

/// The catalog key of a command's about text (`help-about` for dossier
/// itself, `help-add-customer` for `dossier add customer`).
pub(crate) fn command_key(path: &[&str]) -> String {
    if path.is_empty() {
        "help-about".into()
    } else {
        format!("help-{}", path.join("-"))
    }
}

/// The catalog key of an option's help (`help-list--tags`, `help---db`).
/// `add` and `edit` take the same fields, so their options share one key
/// per kind (`help-customer--kind`).
pub(crate) fn arg_key(path: &[&str], id: &str) -> String {
    let path = match path {
        ["add" | "edit", rest @ ..] if !rest.is_empty() => rest,
        _ => path,
    };
    format!("help-{}--{}", path.join("-"), id.replace('_', "-"))
}

/// Whether an argument is one clap adds by itself (help, version).
fn builtin_arg(a: &Arg) -> bool {
    matches!(a.get_id().as_str(), "help" | "version")
}

#[cfg(test)]
/// Every (key, text) the help of `cmd` shows as the clap definitions give
/// it, for the completeness test: visible commands and options only.
pub(crate) fn entries(cmd: &Command) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(cmd, &mut Vec::new(), &mut out);
    out
}

#[cfg(test)]
fn walk<'a>(cmd: &'a Command, path: &mut Vec<&'a str>, out: &mut Vec<(String, String)>) {
    if let Some(about) = cmd.get_about() {
        out.push((command_key(path), about.to_string()));
    }
    for a in cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !builtin_arg(a))
    {
        // Global options are described once, at the top.
        if a.is_global_set() && !path.is_empty() {
            continue;
        }
        if let Some(h) = a.get_help() {
            let key = arg_key(path, a.get_id().as_str());
            if !out.iter().any(|(k, _)| *k == key) {
                out.push((key, h.to_string()));
            }
        }
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        path.push(sub.get_name());
        walk(sub, path, out);
        path.pop();
    }
}

/// `cmd` with its help in `lang`.
pub fn localized(cmd: Command, lang: Lang) -> Command {
    let mut cmd = localize(cmd, &mut Vec::new(), lang, &[]);
    if lang == Lang::Zh {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(crate::tr_in!(lang, "help-flag-version"))
                .help_heading(crate::tr_in!(lang, "help-heading-options")),
        );
    }
    cmd
}

fn localize(mut cmd: Command, path: &mut Vec<String>, lang: Lang, globals: &[String]) -> Command {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    let key = command_key(&p);
    if i18n::has(lang, &key) {
        cmd = cmd.about(i18n::message(lang, &key, &[])).long_about(None);
    }
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .filter(|a| !builtin_arg(a))
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in &ids {
        let global = globals.contains(id);
        let key = if global {
            arg_key(&[], id)
        } else {
            arg_key(&p, id)
        };
        let help = i18n::has(lang, &key).then(|| i18n::message(lang, &key, &[]));
        cmd = cmd.mut_arg(id, |a| {
            let a = match help {
                Some(h) => a.help(h).long_help(None),
                None => a,
            };
            if lang == Lang::Zh {
                let heading = if *positional {
                    "help-heading-arguments"
                } else {
                    "help-heading-options"
                };
                a.help_heading(i18n::message(lang, heading, &[]))
            } else {
                a
            }
        });
    }
    if lang == Lang::Zh {
        let usage = crate::tr_in!(lang, "help-heading-usage");
        cmd = cmd
            .help_template(format!(
                "{{before-help}}{{about-with-newline}}\n{usage}{{usage}}\n\n{{all-args}}{{after-help}}"
            ))
            .subcommand_help_heading(crate::tr_in!(lang, "help-heading-commands"))
            .subcommand_value_name(crate::tr_in!(lang, "help-value-command"))
            .disable_help_subcommand(true)
            .disable_help_flag(true)
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help(crate::tr_in!(lang, "help-flag-help"))
                    .help_heading(crate::tr_in!(lang, "help-heading-options")),
            );
    }
    let mut globals = globals.to_vec();
    globals.extend(
        cmd.get_arguments()
            .filter(|a| a.is_global_set())
            .map(|a| a.get_id().to_string()),
    );
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        path.push(name.clone());
        cmd = cmd.mut_subcommand(&name, |s| localize(s, path, lang, &globals));
        path.pop();
    }
    cmd
}
