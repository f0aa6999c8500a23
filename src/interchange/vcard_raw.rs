//! vCard content lines as written, before `calcard` reads them: splitting a
//! file into cards (nested 2.1 AGENT cards set apart), legacy charsets in
//! quoted-printable values (`CHARSET=GB2312`, `SHIFT_JIS`, `GBK`, …, which
//! the parser does not decode), and the properties dossier has no field
//! for, kept verbatim so a vCard export gives them back.

use encoding_rs::Encoding;

/// One card of a file.
#[derive(Debug, Default)]
pub(super) struct RawCard {
    /// The line its BEGIN:VCARD is on (1-based).
    pub line: u64,
    /// The card's text, nested cards removed.
    pub text: String,
    /// Nested cards (2.1 AGENT) that were inside it.
    pub nested: usize,
}

/// Splits a file into cards, each with the line its BEGIN:VCARD is on. A
/// card inside a card (2.1 `AGENT:` followed by BEGIN:VCARD) is counted,
/// not mistaken for the end of its parent.
pub(super) fn cards(text: &str) -> Vec<RawCard> {
    let mut out = Vec::new();
    let mut current: Option<RawCard> = None;
    let mut depth = 0usize;
    for (i, line) in text.lines().enumerate() {
        let upper = line
            .trim_start_matches('\u{feff}')
            .trim()
            .to_ascii_uppercase();
        let begin = upper == "BEGIN:VCARD" || upper.ends_with(":BEGIN:VCARD");
        if begin {
            match &mut current {
                Some(card) => {
                    depth += 1;
                    card.nested += 1;
                    continue;
                }
                None => {
                    current = Some(RawCard {
                        line: i as u64 + 1,
                        ..Default::default()
                    })
                }
            }
        }
        if upper == "END:VCARD" && depth > 0 {
            depth -= 1;
            continue;
        }
        if depth > 0 {
            continue;
        }
        if let Some(card) = &mut current {
            card.text.push_str(line);
            card.text.push_str("\r\n");
        }
        if upper == "END:VCARD" {
            if let Some(card) = current.take() {
                out.push(card);
            }
        }
    }
    if let Some(card) = current {
        out.push(card);
    }
    out
}

/// Content lines unfolded: RFC 6350 folding (a line starting with a space
/// or tab continues the one before) and 2.1 quoted-printable soft breaks
/// (a QP value ending in `=` continues on the next line).
pub(super) fn unfolded(card: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut soft = false;
    for line in card.lines() {
        match out.last_mut() {
            Some(last) if soft => {
                last.pop();
                last.push_str(line);
            }
            Some(last) if line.starts_with([' ', '\t']) => last.push_str(&line[1..]),
            _ => out.push(line.to_string()),
        }
        let last = out.last().map(String::as_str).unwrap_or("");
        soft = is_qp(last) && last.ends_with('=');
    }
    out
}

/// The name of a content line, upper case, without its group (`item1.`).
pub(super) fn name_of(line: &str) -> String {
    let end = line.find([';', ':']).unwrap_or(line.len());
    let name = &line[..end];
    let name = name.rsplit('.').next().unwrap_or(name);
    name.trim().to_ascii_uppercase()
}

/// The group of a content line (`item1` of `item1.TEL:…`), lower case.
pub(super) fn group_of(line: &str) -> Option<String> {
    let end = line.find([';', ':']).unwrap_or(line.len());
    let (group, _) = line[..end].rsplit_once('.')?;
    let group = group.trim();
    (!group.is_empty()).then(|| group.to_ascii_lowercase())
}

/// The parameters part of a line (between the name and the `:`), upper case.
fn params_of(line: &str) -> String {
    let colon = line.find(':').unwrap_or(line.len());
    match line[..colon].find(';') {
        Some(semi) => line[semi..colon].to_ascii_uppercase(),
        None => String::new(),
    }
}

fn is_qp(line: &str) -> bool {
    let p = params_of(line);
    p.contains("ENCODING=QUOTED-PRINTABLE") || p.contains(";QUOTED-PRINTABLE")
}

fn charset_of(line: &str) -> Option<&'static Encoding> {
    let p = params_of(line);
    let at = p.find("CHARSET=")? + "CHARSET=".len();
    let label: String = p[at..]
        .chars()
        .take_while(|c| !matches!(c, ';' | ':'))
        .collect();
    Encoding::for_label(label.trim_matches('"').as_bytes())
}

fn qp_bytes(value: &str) -> Vec<u8> {
    let b = value.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// The card with every quoted-printable value in a charset other than
/// UTF-8 decoded to plain UTF-8 text (its CHARSET and ENCODING parameters
/// dropped), so the parser reads it right. Other lines are left alone.
pub(super) fn with_charsets_decoded(card: &str) -> String {
    let needs = card
        .lines()
        .any(|l| is_qp(l) && charset_of(l).is_some_and(|e| e != encoding_rs::UTF_8));
    if !needs {
        return card.to_string();
    }
    let mut out = String::with_capacity(card.len());
    for line in unfolded(card) {
        let enc = charset_of(&line).filter(|e| *e != encoding_rs::UTF_8);
        match (enc, is_qp(&line), line.find(':')) {
            (Some(enc), true, Some(colon)) => {
                let bytes = qp_bytes(&line[colon + 1..]);
                let (text, _) = enc.decode_without_bom_handling(&bytes);
                let head: Vec<&str> = line[..colon]
                    .split(';')
                    .filter(|p| {
                        let u = p.trim().to_ascii_uppercase();
                        !(u.starts_with("CHARSET=")
                            || u.starts_with("ENCODING=")
                            || u == "QUOTED-PRINTABLE")
                    })
                    .collect();
                out.push_str(&head.join(";"));
                out.push(':');
                out.push_str(&text.replace(['\r', '\n'], " "));
            }
            _ => out.push_str(&line),
        }
        out.push_str("\r\n");
    }
    out
}

/// Properties dossier reads into fields (or writes itself); everything
/// else is kept verbatim.
const READ: &[&str] = &[
    "BEGIN",
    "END",
    "VERSION",
    "FN",
    "N",
    "ORG",
    "TITLE",
    "ROLE",
    "TEL",
    "EMAIL",
    "ADR",
    "LABEL",
    "NOTE",
    "CATEGORIES",
    "UID",
    "PRODID",
    "REV",
    "AGENT",
    "KIND",
    "X-ADDRESSBOOKSERVER-KIND",
    "X-ABSHOWAS",
    "NICKNAME",
    "BDAY",
    "ANNIVERSARY",
    "X-ANNIVERSARY",
    "X-MS-ANNIVERSARY",
    "URL",
    "IMPP",
    "X-QQ",
    "X-WECHAT",
    "X-SKYPE",
    "X-SKYPE-USERNAME",
    "X-AIM",
    "X-JABBER",
    "X-MSN",
    "X-ICQ",
    "X-YAHOO",
    "X-GOOGLE-TALK",
    "X-GADUGADU",
    "X-TWITTER",
];

/// Prefix of the custom fields holding properties kept verbatim.
pub(super) const KEPT_PREFIX: &str = "vcard ";

/// Longest property kept (a custom field's limit): a larger one (a photo)
/// is reported instead.
const KEEP_AT_MOST: usize = crate::domain::MAX_LONG;

/// Properties too large to keep: name and size in characters.
pub(super) type TooLarge = Vec<(String, usize)>;

/// The properties of a card that no field takes, as custom fields
/// `vcard NAME` → the content lines verbatim (one per line); and the names
/// of those too large to keep, with their size.
pub(super) fn kept_properties(card: &str) -> (Vec<(String, String)>, TooLarge) {
    let mut kept: Vec<(String, String)> = Vec::new();
    let mut too_large = Vec::new();
    let lines = unfolded(card);
    // Groups (`item1.TEL`) of the properties read into fields: their
    // Apple labels (`item1.X-ABLabel`) are read with them.
    let read_groups: Vec<String> = lines
        .iter()
        .filter(|l| READ.contains(&name_of(l).as_str()))
        .filter_map(|l| group_of(l))
        .collect();
    for line in lines {
        let name = name_of(&line);
        if name.is_empty() || READ.contains(&name.as_str()) || name.starts_with("X-DOSSIER-") {
            continue;
        }
        if name == "X-ABLABEL" && group_of(&line).is_some_and(|g| read_groups.contains(&g)) {
            continue;
        }
        let key = format!("{KEPT_PREFIX}{name}");
        match kept.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => {
                v.push('\n');
                v.push_str(&line);
            }
            None => kept.push((key, line)),
        }
    }
    kept.retain(|(k, v)| {
        let n = v.chars().count();
        if n > KEEP_AT_MOST {
            too_large.push((k[KEPT_PREFIX.len()..].to_string(), n));
            false
        } else {
            true
        }
    });
    (kept, too_large)
}

/// The content lines of a kept property that may be written back: each
/// must be a line of that property (an edited custom field cannot smuggle
/// in an END:VCARD or another card).
pub(super) fn lines_to_write<'a>(key: &str, value: &'a str) -> Vec<&'a str> {
    let Some(name) = key.strip_prefix(KEPT_PREFIX) else {
        return Vec::new();
    };
    let name = name.trim().to_ascii_uppercase();
    if name.is_empty() || READ.contains(&name.as_str()) {
        return Vec::new();
    }
    value
        .lines()
        .filter(|l| name_of(l) == name && l.contains(':'))
        .collect()
}

/// Whether a card stands for an organisation: vCard 4 `KIND:org`, Apple's
/// `X-ABShowAs:COMPANY`.
pub(super) fn is_org(card: &str) -> bool {
    unfolded(card).iter().any(|l| {
        let value = l.rsplit(':').next().unwrap_or("").trim();
        match name_of(l).as_str() {
            "KIND" => value.eq_ignore_ascii_case("org"),
            "X-ABSHOWAS" => value.eq_ignore_ascii_case("company"),
            _ => false,
        }
    })
}

/// Whether a card is a contact group (iCloud, vCard 4 `KIND:group`).
pub(super) fn group_name(card: &str) -> Option<String> {
    let lines = unfolded(card);
    let is_group = lines.iter().any(|l| {
        let n = name_of(l);
        (n == "X-ADDRESSBOOKSERVER-KIND" || n == "KIND")
            && l.rsplit(':')
                .next()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("group"))
    });
    is_group.then(|| {
        lines
            .iter()
            .find(|l| name_of(l) == "FN")
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_agent_cards_are_set_apart() {
        let file = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Boss\r\nAGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:Assistant\r\nEND:VCARD\r\nTEL:123456\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Next\r\nEND:VCARD\r\n";
        let c = cards(file);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].line, c[0].nested), (1, 1));
        assert!(c[0].text.contains("TEL:123456") && !c[0].text.contains("Assistant"));
        assert_eq!(c[1].line, 11);
    }

    #[test]
    fn legacy_charsets_in_quoted_printable_are_decoded() {
        // 张伟 in GB2312, 山田 in Shift_JIS, a soft line break in the note.
        let card = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=GB2312;ENCODING=QUOTED-PRINTABLE:=D5=C5;=CE=B0;;;\r\nORG;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:=8ER=93c=\r\n=8F=A4=8E=96\r\nEND:VCARD\r\n";
        let out = with_charsets_decoded(card);
        assert!(out.contains("\r\nN:张;伟;;;\r\n"), "{out}");
        assert!(out.contains("\r\nORG:山田商事\r\n"), "{out}");
    }

    #[test]
    fn unknown_properties_are_kept_verbatim_and_safe_to_write_back() {
        let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nitem1.X-ABLabel:_$!<Partner>!$_\r\nBDAY:1980-05-17\r\nX-SOCIALPROFILE;type=twitter:http://twitter.com/ann\r\nX-SOCIALPROFILE;type=linkedin:http://linkedin.com/in/ann\r\nGENDER:F\r\nPHOTO;ENCODING=b;TYPE=JPEG:AAAA\r\n BBBB\r\nEND:VCARD\r\n";
        let (kept, large) = kept_properties(card);
        let keys: Vec<&str> = kept.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "vcard X-ABLABEL",
                "vcard X-SOCIALPROFILE",
                "vcard GENDER",
                "vcard PHOTO"
            ]
        );
        assert_eq!(kept[1].1.lines().count(), 2);
        assert_eq!(kept[3].1, "PHOTO;ENCODING=b;TYPE=JPEG:AAAABBBB");
        assert!(large.is_empty());
        assert_eq!(
            lines_to_write("vcard GENDER", "GENDER:F\nEND:VCARD\nBEGIN:VCARD"),
            ["GENDER:F"]
        );
        // BDAY is read into the birthday field, so it is never written back raw.
        assert!(lines_to_write("vcard BDAY", "BDAY:1980-05-17").is_empty());
        assert!(lines_to_write("vcard END", "END:VCARD").is_empty());
    }

    #[test]
    fn group_cards_are_recognised() {
        let icloud = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Friends\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nEND:VCARD\r\n";
        assert_eq!(group_name(icloud).as_deref(), Some("Friends"));
        assert_eq!(group_name("BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\n"), None);
    }
}
