//! Page rendering with minijinja. A template name resolves to the active theme's override
//! (`themes/<theme>/templates/<name>`), else the built-in default embedded from `web/templates`;
//! `default/<name>` always means the built-in one, so a theme can extend it. Names are paths under
//! the templates folder, one folder per domain (`forum/home.html`); a theme overrides a page by
//! placing a file at the same path. A themed page that fails to render is logged and rendered with
//! the default instead.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use fluent_bundle::FluentValue;
use include_dir::{include_dir, Dir};
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, Error, ErrorKind, State, UndefinedBehavior};

use super::i18n::I18n;

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

/// `t("key", name=value)` in templates: the message in the page's `locale`.
fn add_translate(env: &mut Environment<'static>, i18n: Arc<I18n>) {
    env.add_function(
        "t",
        move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, Error> {
            let locale = state
                .lookup("locale")
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "en".into());
            let mut args: Vec<(String, FluentValue<'static>)> = vec![];
            for name in kwargs.args().map(str::to_string).collect::<Vec<_>>() {
                let value: Value = kwargs.get(&name)?;
                let fluent = match value.as_i64() {
                    Some(n) => FluentValue::from(n),
                    None => FluentValue::from(value.to_string()),
                };
                args.push((name, fluent));
            }
            kwargs.assert_all_used()?;
            let borrowed: Vec<(&str, FluentValue<'_>)> =
                args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            Ok(i18n.message(&locale, key, &borrowed))
        },
    );
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
    add_translate(&mut env, i18n);
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
