//! The 14 languages of the sign-in pages, SMS and emails (Fluent), and how one is chosen.
//!
//! Messages are compiled in; a locale that lacks a message falls back to English, so a
//! missing translation shows English rather than a key. A unit test keeps every locale
//! complete. Formatting never fails: the worst case is the message id itself.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use unic_langid::LanguageIdentifier;

/// One supported language.
#[derive(Debug)]
pub struct LocaleInfo {
    /// Our code: what `ui_locales`, `default_locale` and `?lang=` use, and `<html lang>`.
    pub code: &'static str,
    /// The language's own name, for the switcher.
    pub name: &'static str,
    pub rtl: bool,
    /// The language whose CLDR plural rules apply (Montenegrin has none of its own).
    plural: &'static str,
    source: &'static str,
}

macro_rules! locale {
    ($code:literal, $name:literal, $rtl:literal, $plural:literal) => {
        LocaleInfo {
            code: $code,
            name: $name,
            rtl: $rtl,
            plural: $plural,
            source: include_str!(concat!("../locales/", $code, ".ftl")),
        }
    };
}

/// The 14 languages (README, "Languages"), English first (the fallback).
pub static LOCALES: &[LocaleInfo] = &[
    locale!("en", "English", false, "en"),
    locale!("bn", "বাংলা", false, "bn"),
    locale!("bg", "Български", false, "bg"),
    locale!("my", "မြန်မာ", false, "my"),
    locale!("zh-Hans", "简体中文", false, "zh-Hans"),
    locale!("da", "Dansk", false, "da"),
    locale!("id", "Bahasa Indonesia", false, "id"),
    locale!("ms", "Bahasa Melayu", false, "ms"),
    locale!("cnr", "Crnogorski", false, "sr-Latn"),
    locale!("nb", "Norsk bokmål", false, "nb"),
    locale!("sr-Latn", "Srpski", false, "sr-Latn"),
    locale!("sv", "Svenska", false, "sv"),
    locale!("th", "ไทย", false, "th"),
    locale!("ur", "اردو", true, "ur"),
];

pub const DEFAULT: &str = "en";

/// A message to show later, stored by id so it is translated when shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, i64)>,
}

impl Notice {
    pub fn new(id: &str) -> Self {
        Self {
            id: id.into(),
            args: Vec::new(),
        }
    }
    pub fn with(mut self, name: &str, value: i64) -> Self {
        self.args.push((name.into(), value));
        self
    }
}

/// An argument to a message.
#[derive(Debug, Clone)]
pub enum Arg {
    Str(String),
    Num(i64),
}

pub struct Translations {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
}

impl Translations {
    /// Parses every locale. A syntax error drops only the broken entries (logged); the rest
    /// of that locale still works and the missing ones fall back to English.
    pub fn load() -> Self {
        let mut bundles = HashMap::new();
        for l in LOCALES {
            let resource = match FluentResource::try_new(l.source.to_string()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    tracing::error!(locale = l.code, errors = ?errors, "locale has syntax errors");
                    r
                }
            };
            let lang: LanguageIdentifier = l.plural.parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![lang]);
            // Unicode isolation marks would leak into SMS and attribute values; pages set
            // `dir` and wrap inserted identifiers in <bdi> instead.
            bundle.set_use_isolating(false);
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(locale = l.code, errors = ?errors, "locale has duplicate messages");
            }
            bundles.insert(l.code, bundle);
        }
        Self { bundles }
    }

    /// Formats a message in `lang`, falling back to English, then to the id.
    pub fn format(&self, lang: &str, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Str(s) => fluent_args.set(*name, FluentValue::from(s.as_str())),
                Arg::Num(n) => fluent_args.set(*name, FluentValue::from(*n)),
            }
        }
        for code in [lang, DEFAULT] {
            let Some(bundle) = self.bundles.get(code) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(locale = code, id, errors = ?errors, "message formatted with errors");
            }
            return text.into_owned();
        }
        id.to_string()
    }

    pub fn notice(&self, lang: &str, n: &Notice) -> String {
        let args: Vec<(&str, Arg)> = n
            .args
            .iter()
            .map(|(k, v)| (k.as_str(), Arg::Num(*v)))
            .collect();
        self.format(lang, &n.id, &args)
    }

    /// Formats a message whose string arguments are shown emphasised, as safe HTML: the whole
    /// text is escaped, then each argument is put back escaped inside `<strong><bdi>`.
    pub fn format_html(&self, lang: &str, id: &str, args: &[(&str, Arg)]) -> String {
        let marked: Vec<(&str, Arg)> = args
            .iter()
            .enumerate()
            .map(|(i, (name, value))| match value {
                Arg::Str(_) => (*name, Arg::Str(format!("\u{E000}{i}\u{E001}"))),
                Arg::Num(n) => (*name, Arg::Num(*n)),
            })
            .collect();
        let text = escape_html(&self.format(lang, id, &marked));
        let mut out = text;
        for (i, (_, value)) in args.iter().enumerate() {
            if let Arg::Str(s) = value {
                // A phone number has no strong direction of its own: inside right-to-left
                // text an isolate alone would still show `4790000005+`.
                let shown = match connectid_core::identifier::display_phone(s) {
                    Some(p) => format!(
                        "<strong><bdi dir=\"ltr\">{}</bdi></strong>",
                        escape_html(&p)
                    ),
                    None => format!("<strong><bdi>{}</bdi></strong>", escape_html(s)),
                };
                out = out.replace(&format!("\u{E000}{i}\u{E001}"), &shown);
            }
        }
        out
    }
}

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub fn info(code: &str) -> &'static LocaleInfo {
    LOCALES
        .iter()
        .find(|l| l.code == code)
        .unwrap_or(&LOCALES[0])
}

/// Our code for a language tag, if we speak it: exact (case-insensitive) first, then by
/// the primary language with the usual aliases (`no`/`nn` → Bokmål, `zh-CN` → Simplified,
/// any Serbian → Latin).
pub fn supported(tag: &str) -> Option<&'static str> {
    let tag = tag.trim();
    if tag.is_empty() || tag.len() > 35 {
        return None;
    }
    let lower = tag.to_ascii_lowercase().replace('_', "-");
    if let Some(l) = LOCALES
        .iter()
        .find(|l| l.code.to_ascii_lowercase() == lower)
    {
        return Some(l.code);
    }
    let mut parts = lower.split('-');
    let primary = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    let code = match primary {
        "no" | "nn" | "nb" => "nb",
        "zh" => {
            // Traditional Chinese readers are better served by English than by Simplified.
            if rest
                .iter()
                .any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo"))
            {
                return None;
            }
            "zh-Hans"
        }
        "sr" | "sh" => "sr-Latn",
        "in" => "id",
        "me" => "cnr",
        other => return LOCALES.iter().find(|l| l.code == other).map(|l| l.code),
    };
    Some(code)
}

/// The first supported language of an `Accept-Language` header, by quality.
pub fn from_accept_language(header: &str) -> Option<&'static str> {
    let mut ranges: Vec<(f32, usize, &str)> = header
        .split(',')
        .take(32)
        .enumerate()
        .filter_map(|(i, part)| {
            let mut it = part.split(';');
            let tag = it.next()?.trim();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (q > 0.0 && tag != "*").then_some((q, i, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().find_map(|(_, _, tag)| supported(tag))
}

/// `ui_locales` (space-separated, in order of preference), then the browser, then the
/// service's default, then English.
pub fn negotiate(
    ui_locales: Option<&str>,
    accept_language: Option<&str>,
    default_locale: Option<&str>,
) -> &'static str {
    ui_locales
        .and_then(|u| u.split_whitespace().take(16).find_map(supported))
        .or_else(|| accept_language.and_then(from_accept_language))
        .or_else(|| default_locale.and_then(supported))
        .unwrap_or(DEFAULT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(source: &str) -> BTreeSet<String> {
        let resource = match FluentResource::try_new(source.to_string()) {
            Ok(r) => r,
            Err((_, errors)) => panic!("syntax errors: {errors:?}"),
        };
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn english_parses_and_formats() {
        let t = Translations::load();
        assert_eq!(t.format("en", "signin-title", &[]), "Sign in");
        assert_eq!(
            t.format("en", "err-resend-wait", &[("seconds", Arg::Num(1))]),
            "A code was just sent. Wait 1 second before asking for a new one."
        );
        assert_eq!(
            t.format("en", "err-resend-wait", &[("seconds", Arg::Num(20))]),
            "A code was just sent. Wait 20 seconds before asking for a new one."
        );
        assert_eq!(t.format("xx", "signin-title", &[]), "Sign in");
        assert_eq!(t.format("en", "no-such-message", &[]), "no-such-message");
    }

    #[test]
    fn html_formatting_escapes_text_and_arguments() {
        let t = Translations::load();
        let html = t.format_html(
            "en",
            "signed-in-as",
            &[("identifier", Arg::Str("<b>a@b.no</b>".into()))],
        );
        assert_eq!(
            html,
            "Signed in as <strong><bdi>&lt;b&gt;a@b.no&lt;/b&gt;</bdi></strong>"
        );
    }

    #[test]
    fn negotiation_order_and_aliases() {
        assert_eq!(negotiate(Some("ur sv"), Some("da"), Some("nb")), "ur");
        assert_eq!(negotiate(Some("xx"), Some("da, en;q=0.5"), None), "da");
        assert_eq!(negotiate(None, Some("fr, sv;q=0.1, nb;q=0.9"), None), "nb");
        assert_eq!(negotiate(None, Some("fr"), Some("th")), "th");
        assert_eq!(negotiate(None, None, None), "en");
        assert_eq!(supported("no"), Some("nb"));
        assert_eq!(supported("nn-NO"), Some("nb"));
        assert_eq!(supported("zh-CN"), Some("zh-Hans"));
        assert_eq!(supported("zh-TW"), None);
        assert_eq!(supported("sr-Cyrl-RS"), Some("sr-Latn"));
        assert_eq!(supported("SR-latn"), Some("sr-Latn"));
        assert_eq!(supported("cnr"), Some("cnr"));
        assert_eq!(supported("ms-MY"), Some("ms"));
        assert_eq!(supported("en-GB"), Some("en"));
        assert_eq!(supported("fr"), None);
        assert_eq!(from_accept_language("sv;q=abc, da;q=0"), None);
        assert_eq!(from_accept_language("*, th"), Some("th"));
    }

    #[test]
    fn every_locale_parses_and_has_every_english_message() {
        let english = ids(LOCALES[0].source);
        assert!(english.len() > 50);
        let mut problems = Vec::new();
        for l in &LOCALES[1..] {
            let theirs = ids(l.source);
            let missing: Vec<_> = english.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&english).collect();
            if !missing.is_empty() || !extra.is_empty() {
                let first: Vec<_> = missing.iter().take(8).collect();
                problems.push(format!(
                    "{}: {} missing (first: {first:?}), extra {extra:?}",
                    l.code,
                    missing.len()
                ));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn plural_rules_follow_each_language() {
        let t = Translations::load();
        // Serbian and Montenegrin have a "few" form for 2–4 (and 22–24…).
        for code in ["sr-Latn", "cnr"] {
            let few = t.format(code, "err-resend-wait", &[("seconds", Arg::Num(3))]);
            let many = t.format(code, "err-resend-wait", &[("seconds", Arg::Num(5))]);
            assert_ne!(few, many.replace('5', "3"), "{code}: 3 and 5 use one form");
        }
        for l in LOCALES {
            let text = t.format(l.code, "err-resend-wait", &[("seconds", Arg::Num(21))]);
            assert!(text.contains("21"), "{}: {text}", l.code);
        }
    }

    /// Message ids and source texts of a catalogue, read as tools/i18n-sources.py reads them
    /// (its docstring defines the text): an entry starts at a line `<id> =`; its text is the
    /// rest of that line after `=` and the spaces following it, then every following line up
    /// to the next line starting with an ASCII letter, `-` or `#`, with trailing spaces, tabs,
    /// CRs and newlines trimmed.
    fn source_texts(ftl: &str) -> Vec<(&str, String)> {
        fn entry(line: &str) -> Option<(&str, &str)> {
            let (id, rest) = line.split_once('=')?;
            let id = id.trim_end_matches(' ');
            let valid = id.starts_with(|c: char| c.is_ascii_alphabetic())
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            valid.then_some((id, rest.trim_start_matches(' ')))
        }
        // Every entry, comments and terms too (id None), so that their lines end the message.
        let mut entries: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
        for line in ftl.split('\n') {
            if line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '-' || c == '#') {
                let (id, rest) = entry(line).map_or((None, ""), |(id, rest)| (Some(id), rest));
                entries.push((id, vec![rest]));
            } else if let Some((_, lines)) = entries.last_mut() {
                lines.push(line);
            }
        }
        entries
            .into_iter()
            .filter_map(|(id, lines)| {
                let text = lines.join("\n");
                let text = text.trim_end_matches([' ', '\t', '\r', '\n']);
                Some((id?, text.to_string()))
            })
            .collect()
    }

    /// The first 16 hex digits of the SHA-256 of a message's English source text.
    fn source_hash(text: &str) -> String {
        use connectid_core::crypto::{hex, sha256};
        let mut hash = hex(&sha256(text.as_bytes()));
        hash.truncate(16);
        hash
    }

    /// `locales/SOURCES` records, per locale and message, a hash of the English text the
    /// translation was made from (tools/i18n-sources.py writes it): a changed English message
    /// fails here, naming each translation to redo, until it is translated and recorded.
    #[test]
    fn every_translation_was_made_from_the_current_english() {
        let english: HashMap<&str, String> = source_texts(LOCALES[0].source)
            .into_iter()
            .map(|(id, text)| (id, source_hash(&text)))
            .collect();
        assert!(english.len() > 50);
        // The same hash as tools/i18n-sources.py's for `signin-title = Sign in`.
        assert_eq!(source_hash("Sign in"), "bfd402b2f6f38125");
        let mut recorded: HashMap<(&str, &str), &str> = HashMap::new();
        for line in include_str!("../locales/SOURCES").lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(fields.len(), 3, "locales/SOURCES line {line:?}");
            recorded.insert((fields[0], fields[1]), fields[2]);
        }
        let mut problems = Vec::new();
        for l in &LOCALES[1..] {
            let code = l.code;
            for (id, _) in source_texts(l.source) {
                // A message English lacks is the completeness test's to report.
                let Some(current) = english.get(id) else {
                    continue;
                };
                match recorded.remove(&(code, id)) {
                    Some(hash) if hash == current.as_str() => {}
                    Some(_) => problems.push(format!(
                        "en.ftl changed {id}; translate it again in {code}, \
                         then run tools/i18n-sources.py {code}:{id}"
                    )),
                    None => problems.push(format!(
                        "{code} {id} has no line in locales/SOURCES; once it is translated \
                         from today's en.ftl, run tools/i18n-sources.py {code}:{id}"
                    )),
                }
            }
        }
        for (code, id) in recorded.keys() {
            problems.push(format!(
                "locales/SOURCES lists {code} {id}, which {code}.ftl or en.ftl does not have; \
                 run tools/i18n-sources.py"
            ));
        }
        problems.sort();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
