//! Translations with Fluent: every visible string lives in `web/locales/<lang>/*.ftl`, one file
//! per domain (`common`, `errors`, `accounts`, `forum`, `notify`, `admin`, `mail`), all embedded
//! and loaded into one bundle per language. The language is the member's choice, else the
//! browser's Accept-Language, else English.

use std::collections::{HashMap, HashSet};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use include_dir::{include_dir, Dir, File};

static LOCALES_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/locales");

pub const DEFAULT_LOCALE: &str = "en";
pub const SUPPORTED: [&str; 2] = ["en", "es"];

pub struct I18n {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
    /// Per locale, the messages that need no argument, formatted once at start: most of a
    /// page's strings, which then cost a map lookup instead of a Fluent formatting call.
    plain: HashMap<&'static str, HashMap<String, String>>,
    /// The messages (in any language) that name `{ $brand }`, which templates fill from the
    /// page's brand name without every other message paying for the argument.
    branded: HashSet<String>,
}

impl I18n {
    pub fn load() -> Result<I18n, String> {
        let mut bundles = HashMap::new();
        for locale in SUPPORTED {
            let langid = locale
                .parse()
                .map_err(|e| format!("locale {locale}: {e:?}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Isolation marks would end up inside HTML attributes and plain-text e-mails.
            bundle.set_use_isolating(false);
            let files = ftl_files(locale);
            if files.is_empty() {
                return Err(format!("web/locales/{locale} has no .ftl files"));
            }
            // A message id defined in two files is an error here, not a silent override.
            for file in files {
                let text = file
                    .contents_utf8()
                    .ok_or_else(|| format!("{} is not UTF-8", file.path().display()))?;
                let resource = FluentResource::try_new(text.to_string())
                    .map_err(|(_, errors)| format!("{}: {errors:?}", file.path().display()))?;
                bundle
                    .add_resource(resource)
                    .map_err(|errors| format!("{}: {errors:?}", file.path().display()))?;
            }
            bundles.insert(locale, bundle);
        }
        let branded = SUPPORTED
            .iter()
            .flat_map(|locale| ftl_files(locale))
            .filter_map(|f| f.contents_utf8())
            .flat_map(|text| messages_naming(text, "$brand"))
            .collect();
        let mut i18n = I18n {
            bundles,
            plain: HashMap::new(),
            branded,
        };
        for locale in SUPPORTED {
            let mut plain = HashMap::new();
            if let Some(bundle) = i18n.bundles.get(locale) {
                for id in i18n.message_ids(locale) {
                    let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) else {
                        continue;
                    };
                    // A message that formats without errors and without arguments never
                    // changes (a `{ $brand }` or a plural needs its argument: an error here).
                    let mut errors = vec![];
                    let text = bundle.format_pattern(pattern, None, &mut errors);
                    if errors.is_empty() {
                        plain.insert(id, text.into_owned());
                    }
                }
            }
            i18n.plain.insert(locale, plain);
        }
        Ok(i18n)
    }

    /// The message `key` in `locale` (or English) when it needs no argument.
    pub fn plain(&self, locale: &str, key: &str) -> Option<&str> {
        for candidate in [locale, DEFAULT_LOCALE] {
            if let Some(text) = self.plain.get(candidate).and_then(|p| p.get(key)) {
                return Some(text);
            }
            if self
                .bundles
                .get(candidate)
                .is_some_and(|b| b.has_message(key))
            {
                return None;
            }
        }
        None
    }

    /// The message `key` in `locale` (falling back to English, then to the key itself, which a
    /// test catches).
    pub fn message(&self, locale: &str, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.format(locale, key, &fluent_args)
    }

    /// Whether the message `key` names `{ $brand }` in some language.
    pub fn uses_brand(&self, key: &str) -> bool {
        self.branded.contains(key)
    }

    /// The message `key` in `locale` with these arguments (as `message`, for callers that
    /// build Fluent's arguments themselves).
    pub fn format(&self, locale: &str, key: &str, fluent_args: &FluentArgs) -> String {
        if let Some(text) = self.plain(locale, key) {
            return text.to_string();
        }
        for candidate in [locale, DEFAULT_LOCALE] {
            let Some(bundle) = self.bundles.get(candidate) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = vec![];
            let text = bundle.format_pattern(pattern, Some(fluent_args), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(key, locale = candidate, ?errors, "translation errors");
            }
            return text.into_owned();
        }
        tracing::warn!(key, locale, "missing translation");
        key.to_string()
    }

    /// A field's message from its key, which may carry arguments as `key|name=value|…`
    /// (`AppError::invalid_field_with`).
    pub fn field_message(&self, locale: &str, encoded: &str) -> String {
        let mut parts = encoded.split('|');
        let key = parts.next().unwrap_or_default();
        let args: Vec<(&str, FluentValue<'_>)> = parts
            .filter_map(|part| part.split_once('='))
            .map(|(name, value)| (name, FluentValue::from(value)))
            .collect();
        self.message(locale, key, &args)
    }

    pub fn has_message(&self, locale: &str, key: &str) -> bool {
        self.bundles.get(locale).is_some_and(|b| b.has_message(key))
    }

    /// Every message id of a locale (for the test that both languages say everything).
    pub fn message_ids(&self, locale: &str) -> Vec<String> {
        ftl_files(locale)
            .into_iter()
            .filter_map(|f| f.contents_utf8())
            .flat_map(message_ids_in)
            .collect()
    }
}

/// The message ids an `.ftl` text defines (`id = …` at the start of a line).
fn message_ids_in(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.split_once(" ="))
        .map(|(id, _)| id.trim().to_string())
        .filter(|id| {
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .collect()
}

/// The ids of the messages of an `.ftl` text whose value or attributes contain `needle` (a
/// message runs from its `id =` line to the next line that starts without indentation).
fn messages_naming(text: &str, needle: &str) -> Vec<String> {
    let mut found = vec![];
    let mut current: Option<&str> = None;
    for line in text.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            current = line
                .split_once(" =")
                .map(|(id, _)| id.trim())
                .filter(|id| !id.starts_with('#'));
        }
        if let Some(id) = current.filter(|_| line.contains(needle)) {
            if found.last().map(String::as_str) != Some(id) {
                found.push(id.to_string());
            }
        }
    }
    found
}

/// The embedded `.ftl` files of a language, in name order.
fn ftl_files(locale: &str) -> Vec<&'static File<'static>> {
    let mut files: Vec<_> = LOCALES_DIR
        .get_dir(locale)
        .map(|dir| {
            dir.files()
                .filter(|f| f.path().extension().is_some_and(|e| e == "ftl"))
                .collect()
        })
        .unwrap_or_default();
    files.sort_by_key(|f| f.path());
    files
}

/// The best supported language of an Accept-Language header, honouring q-values.
pub fn negotiate(accept_language: Option<&str>) -> Option<&'static str> {
    let header = accept_language?;
    let mut ranked: Vec<(f32, &'static str)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim().to_ascii_lowercase();
            let quality = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next()?;
            SUPPORTED
                .into_iter()
                .find(|s| *s == primary)
                .map(|s| (quality, s))
        })
        .filter(|(q, _)| *q > 0.0)
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map(|(_, s)| *s)
}

/// The member's saved language, else the browser's, else English.
pub fn choose(user_locale: Option<&str>, accept_language: Option<&str>) -> &'static str {
    user_locale
        .and_then(|l| SUPPORTED.into_iter().find(|s| *s == l))
        .or_else(|| negotiate(accept_language))
        .unwrap_or(DEFAULT_LOCALE)
}

#[cfg(test)]
mod keys_used;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_naming_the_brand_are_found_in_any_line_of_them() {
        let text = "# a comment = { $brand }\nplain = Hello\nwelcome = Welcome to { $brand }\n\
                    pick = { $count ->\n    [one] one\n   *[other] { $brand } and more\n}\n\
                    -term = { $brand }\nlast = Bye\n";
        assert_eq!(
            messages_naming(text, "$brand"),
            ["welcome", "pick", "-term"]
        );
        let i18n = I18n::load().expect("locales load");
        assert!(i18n.uses_brand("home-welcome"));
        assert!(!i18n.uses_brand("thread-replies"));
    }

    #[test]
    fn accept_language_is_ranked() {
        assert_eq!(negotiate(Some("es-ES,es;q=0.9,en;q=0.8")), Some("es"));
        assert_eq!(negotiate(Some("fr-FR, en;q=0.5, es;q=0.7")), Some("es"));
        assert_eq!(negotiate(Some("fr")), None);
        assert_eq!(choose(Some("es"), Some("en")), "es");
        assert_eq!(choose(None, None), "en");
    }

    /// The ids defined in each `.ftl` file of a language, by file name, sorted.
    fn ids_by_file(locale: &str) -> Vec<(String, Vec<String>)> {
        ftl_files(locale)
            .into_iter()
            .map(|file| {
                let name = file.path().file_name().unwrap().to_string_lossy();
                let mut ids = message_ids_in(file.contents_utf8().unwrap());
                ids.sort();
                (name.to_string(), ids)
            })
            .collect()
    }

    #[test]
    fn each_message_lives_in_the_same_file_in_both_languages() {
        let english = ids_by_file("en");
        assert!(english.len() > 1, "one file per domain");
        assert_eq!(english, ids_by_file("es"));
    }

    #[test]
    fn both_languages_have_every_message() {
        let i18n = I18n::load().unwrap();
        let english = i18n.message_ids("en");
        assert!(english.len() > 20);
        for id in &english {
            assert!(i18n.has_message("es", id), "es lacks {id}");
        }
        for id in i18n.message_ids("es") {
            assert!(i18n.has_message("en", &id), "en lacks {id}");
        }
    }
}
