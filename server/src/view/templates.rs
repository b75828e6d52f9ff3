//! Page rendering with minijinja. A template name resolves to the active theme's override
//! (`themes/<theme>/templates/<name>`), else the built-in default embedded from `web/templates`;
//! `default/<name>` always means the built-in one, so a theme can extend it. Names are paths under
//! the templates folder, one folder per domain (`forum/home.html`); a theme overrides a page by
//! placing a file at the same path. A themed page that fails to render is logged and rendered with
//! the default instead.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use fluent_bundle::{FluentArgs, FluentValue};
use include_dir::{include_dir, Dir};
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};

use super::i18n::{I18n, DEFAULT_LOCALE};

static TEMPLATES_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/templates");
pub static STATIC_DIR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/static");

pub struct Templates {
    themed: Option<Environment<'static>>,
    default: Environment<'static>,
    dev_dir: Option<PathBuf>,
    i18n: Arc<I18n>,
    undefined: UndefinedBehavior,
}

fn embedded(name: &str) -> Option<String> {
    TEMPLATES_DIR
        .get_file(name)
        .and_then(|f| f.contents_utf8())
        .map(str::to_string)
}

fn read_under(dir: &Path, name: &str) -> Result<Option<String>, Error> {
    if name.split('/').any(|part| part == ".." || part.is_empty()) {
        return Ok(None);
    }
    match std::fs::read_to_string(dir.join(name)) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::new(ErrorKind::InvalidOperation, e.to_string())),
    }
}

/// `t("key", name=value)` in templates: the message in the page's `locale`. Called a hundred
/// times and more per page, so it allocates no more than the message and its string arguments.
fn add_translate(env: &mut Environment<'static>, i18n: Arc<I18n>) {
    env.add_function(
        "t",
        move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, Error> {
            let locale = state.lookup("locale");
            let locale = locale
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or(DEFAULT_LOCALE);
            if kwargs.args().next().is_none() {
                if let Some(text) = i18n.plain(locale, key) {
                    return Ok(text.to_string());
                }
            }
            let mut args = FluentArgs::new();
            for name in kwargs.args() {
                let value: Value = kwargs.get(name)?;
                match (value.as_i64(), value.as_str()) {
                    (Some(n), _) => args.set(name, n),
                    (None, Some(text)) => args.set(name, text.to_string()),
                    (None, None) => args.set(name, value.to_string()),
                }
            }
            kwargs.assert_all_used()?;
            // `{ $brand }` needs no argument: the page's `brand_name` is the default.
            if i18n.uses_brand(key) && args.get("brand").is_none() {
                if let Some(brand) = state.lookup("brand_name").filter(|v| !v.is_undefined()) {
                    args.set("brand", brand.to_string());
                }
            }
            Ok(i18n.format(locale, key, &args))
        },
    );
}

/// `time | ago` in templates: how long ago an RFC 3339 time was, in the page's `locale` ("2 h
/// ago", "hace 2 h"); a month or more ago, the date; text that is not a time stays as it is.
fn add_ago(env: &mut Environment<'static>, i18n: Arc<I18n>) {
    env.add_filter("ago", move |state: &State, value: Value| -> String {
        let locale = state.lookup("locale");
        let locale = locale
            .as_ref()
            .and_then(Value::as_str)
            .unwrap_or(DEFAULT_LOCALE);
        match value.as_str().map(chrono::DateTime::parse_from_rfc3339) {
            Some(Ok(at)) => ago(&i18n, locale, at.naive_utc(), crate::util::now()),
            _ => value.to_string(),
        }
    });
    // `time | minute`: an RFC 3339 time to the minute as people read it ("2026-12-03 12:04"),
    // for the `title` beside `ago`.
    env.add_filter("minute", |value: Value| -> String {
        let text = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string);
        text.chars()
            .take(16)
            .map(|c| if c == 'T' { ' ' } else { c })
            .collect()
    });
}

/// How long before `now` `at` was, as a person says it.
pub fn ago(
    i18n: &I18n,
    locale: &str,
    at: chrono::NaiveDateTime,
    now: chrono::NaiveDateTime,
) -> String {
    let seconds = (now - at).num_seconds().max(0);
    let (key, count) = match seconds {
        0..60 => ("time-just-now", 0),
        60..3_600 => ("time-minutes-ago", seconds / 60),
        3_600..86_400 => ("time-hours-ago", seconds / 3_600),
        86_400..2_592_000 => ("time-days-ago", seconds / 86_400),
        _ => return at.format("%Y-%m-%d").to_string(),
    };
    i18n.message(locale, key, &[("count", FluentValue::from(count))])
}

fn environment(
    i18n: Arc<I18n>,
    overrides: Vec<PathBuf>,
    undefined: UndefinedBehavior,
) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_loader(move |name| {
        if let Some(default_name) = name.strip_prefix("default/") {
            return Ok(embedded(default_name));
        }
        for dir in &overrides {
            if let Some(text) = read_under(dir, name)? {
                return Ok(Some(text));
            }
        }
        Ok(embedded(name))
    });
    env.set_undefined_behavior(undefined);
    add_translate(&mut env, i18n.clone());
    add_ago(&mut env, i18n);
    env
}

impl Templates {
    /// `theme_templates`: the active theme's `templates/` folders, most specific first.
    /// `strict`: an undefined variable is an error (tests) rather than blank (production).
    pub fn new(
        i18n: Arc<I18n>,
        theme_templates: Vec<PathBuf>,
        dev_dir: Option<PathBuf>,
        strict: bool,
    ) -> Self {
        let undefined = if strict {
            UndefinedBehavior::Strict
        } else {
            UndefinedBehavior::Chainable
        };
        Templates {
            themed: (!theme_templates.is_empty())
                .then(|| environment(i18n.clone(), theme_templates, undefined)),
            default: environment(i18n.clone(), vec![], undefined),
            dev_dir,
            i18n,
            undefined,
        }
    }

    pub fn i18n(&self) -> &I18n {
        &self.i18n
    }

    pub fn render(&self, name: &str, context: &Value) -> Result<String, Error> {
        if let Some(dir) = &self.dev_dir {
            // Template work: read from disk on every request.
            let env = environment(self.i18n.clone(), vec![dir.clone()], self.undefined);
            return env.get_template(name)?.render(context);
        }
        if let Some(themed) = &self.themed {
            match themed.get_template(name).and_then(|t| t.render(context)) {
                Ok(html) => return Ok(html),
                Err(error) => {
                    tracing::error!(template = name, %error, "theme template failed; using the default")
                }
            }
        }
        self.default.get_template(name)?.render(context)
    }
}

/// The content type of a static file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_say_how_long_ago_in_each_language() {
        let i18n = I18n::load().unwrap();
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let before = |seconds: i64| now - chrono::Duration::seconds(seconds);
        assert_eq!(ago(&i18n, "en", before(20), now), "just now");
        assert_eq!(ago(&i18n, "en", before(5 * 60), now), "5 min ago");
        assert_eq!(ago(&i18n, "es", before(2 * 3_600 + 59), now), "hace 2 h");
        assert_eq!(ago(&i18n, "en", before(86_400 + 5), now), "yesterday");
        assert_eq!(ago(&i18n, "es", before(3 * 86_400), now), "hace 3 días");
        assert_eq!(ago(&i18n, "en", before(40 * 86_400), now), "2026-10-22");
        // A time in the future (a clock a little ahead) is now.
        assert_eq!(
            ago(&i18n, "en", now + chrono::Duration::seconds(3), now),
            "just now"
        );
    }

    #[test]
    fn template_helpers_translate_with_the_brand_and_show_minutes() {
        let env = environment(
            Arc::new(I18n::load().unwrap()),
            vec![],
            UndefinedBehavior::Strict,
        );
        let render = |source: &str| {
            env.render_str(
                source,
                minijinja::context! { locale => "es", brand_name => "Cafetal" },
            )
            .unwrap()
        };
        assert_eq!(
            render("{{ t('home-welcome') }}"),
            "Bienvenido a la comunidad de Cafetal"
        );
        assert_eq!(render("{{ t('thread-replies', count=2) }}"), "2 respuestas");
        assert_eq!(
            render("{{ '2026-12-03T12:04:23.512' | minute }} {{ 'soon' | ago }}"),
            "2026-12-03 12:04 soon"
        );
    }
}
