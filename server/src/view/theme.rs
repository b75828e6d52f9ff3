//! Themes: `themes/<name>/theme.toml` (name, parent, logo, colours, body font), `theme.css`, and
//! optional `templates/` overrides. Colours become CSS custom properties in front of the theme's
//! stylesheet. A theme that cannot be read falls back to the built-in look and says why in the
//! log; it never stops the server.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: String,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    logo: Option<String>,
    #[serde(default)]
    font_body: Option<String>,
    #[serde(default)]
    colors: BTreeMap<String, String>,
}

/// Templates live in one folder per domain (`forum/home.html`); an override left at the top of a
/// theme's `templates/` (the layout before 2026-11-30) would silently never apply, so say so.
fn warn_about_flat_templates(theme: &str, templates: &Path) {
    let Ok(entries) = std::fs::read_dir(templates) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "html") {
            tracing::warn!(
                theme,
                file = %path.display(),
                "theme template at the top of templates/ is not used: templates live in one folder per domain (e.g. templates/forum/home.html)"
            );
        }
    }
}

/// The active theme, resolved with its parents.
#[derive(Default)]
pub struct Theme {
    pub name: String,
    /// Template folders to search before the built-in templates, most specific first.
    pub template_dirs: Vec<PathBuf>,
    /// Custom properties, then each theme's stylesheet from the root parent down.
    pub css: String,
    /// The logo's bytes and content type, served at `/theme/logo`.
    pub logo: Option<(Vec<u8>, &'static str)>,
}

/// Only plain values reach the stylesheet: no `;`, braces or quotes that could open new rules.
fn safe_css_value(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 100
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " #(),.%-'".contains(c))
}

fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn read_theme(dir: &Path) -> Result<ThemeFile, String> {
    let text = std::fs::read_to_string(dir.join("theme.toml"))
        .map_err(|e| format!("{}: {e}", dir.join("theme.toml").display()))?;
    let file: ThemeFile =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", dir.join("theme.toml").display()))?;
    for (key, value) in &file.colors {
        if !safe_name(key) || !safe_css_value(value) {
            return Err(format!(
                "colour {key:?} = {value:?} is not a plain CSS value"
            ));
        }
    }
    if let Some(font) = &file.font_body {
        if !safe_css_value(font) {
            return Err(format!("font_body {font:?} is not a plain CSS value"));
        }
    }
    Ok(file)
}

fn logo_type(path: &str) -> Option<&'static str> {
    match path.rsplit('.').next()? {
        "svg" => Some("image/svg+xml"),
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

fn resolve(themes_dir: &Path, name: &str) -> Result<Theme, String> {
    let mut theme = Theme {
        name: name.to_string(),
        ..Theme::default()
    };
    let mut chain = vec![];
    let mut current = name.to_string();
    // Walk up the parents (at most a few levels; a cycle is an error).
    while current != "default" {
        if !safe_name(&current) {
            return Err(format!(
                "theme name {current:?} must be letters, digits, '-' or '_'"
            ));
        }
        if chain
            .iter()
            .any(|(n, _): &(String, ThemeFile)| *n == current)
            || chain.len() > 4
        {
            return Err(format!(
                "theme {name:?}: parents form a loop or are too deep"
            ));
        }
        let dir = themes_dir.join(&current);
        let file = read_theme(&dir)?;
        let parent = file.parent.clone().unwrap_or_else(|| "default".into());
        chain.push((current, file));
        current = parent;
    }
    let mut properties = String::new();
    let mut stylesheets = String::new();
    // Root parent first, so the active theme's values win.
    for (theme_name, file) in chain.iter().rev() {
        let dir = themes_dir.join(theme_name);
        for (key, value) in &file.colors {
            properties.push_str(&format!("  --color-{key}: {value};\n"));
        }
        if let Some(font) = &file.font_body {
            properties.push_str(&format!("  --font-body: {font};\n"));
        }
        if let Ok(css) = std::fs::read_to_string(dir.join("theme.css")) {
            stylesheets.push_str(&format!("/* theme {theme_name} */\n{css}\n"));
        }
        if let Some(logo) = &file.logo {
            let content_type = logo_type(logo)
                .ok_or_else(|| format!("logo {logo:?}: use svg, png, jpg or webp"))?;
            if logo.contains('/') || logo.contains("..") {
                return Err(format!("logo {logo:?} must be a file in the theme folder"));
            }
            let bytes = std::fs::read(dir.join(logo)).map_err(|e| format!("logo {logo:?}: {e}"))?;
            theme.logo = Some((bytes, content_type));
        }
    }
    for (theme_name, _) in &chain {
        let templates = themes_dir.join(theme_name).join("templates");
        if templates.is_dir() {
            warn_about_flat_templates(theme_name, &templates);
            theme.template_dirs.push(templates);
        }
    }
    if let Some((_, file)) = chain.first() {
        theme.name = file.name.clone();
    }
    theme.css = if properties.is_empty() {
        stylesheets
    } else {
        format!(":root {{\n{properties}}}\n{stylesheets}")
    };
    Ok(theme)
}

/// Loads the named theme; any problem is logged and the built-in look is used instead.
pub fn load(themes_dir: &Path, name: &str) -> Theme {
    if name == "default" {
        let css = std::fs::read_to_string(themes_dir.join("default").join("theme.css"))
            .unwrap_or_default();
        return Theme {
            name: "default".into(),
            css,
            ..Theme::default()
        };
    }
    match resolve(themes_dir, name) {
        Ok(theme) => theme,
        Err(error) => {
            tracing::error!(theme = name, %error, "theme cannot be used; falling back to the default look");
            Theme {
                name: "default".into(),
                ..Theme::default()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_theme_resolves() {
        let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes");
        let theme = load(&themes, "aurora");
        assert_eq!(theme.name, "Cafetera Aurora");
        assert!(theme.css.contains("--color-accent: #7a2e0e;"));
        assert!(theme.css.contains("/* theme aurora */"));
        assert_eq!(theme.logo.as_ref().map(|l| l.1), Some("image/svg+xml"));
        assert_eq!(theme.template_dirs.len(), 1);
    }

    #[test]
    fn broken_themes_fall_back() {
        let dir = std::env::temp_dir().join(format!("tertulia-themes-{}", std::process::id()));
        let bad = dir.join("bad");
        std::fs::create_dir_all(&bad).unwrap();
        std::fs::write(
            bad.join("theme.toml"),
            "name = \"Bad\"\n[colors]\naccent = \"red; } body { display: none\"\n",
        )
        .unwrap();
        assert_eq!(load(&dir, "bad").name, "default");
        std::fs::write(
            bad.join("theme.toml"),
            "name = \"Bad\"\ncolour = \"typo\"\n",
        )
        .unwrap();
        assert_eq!(load(&dir, "bad").name, "default");
        std::fs::write(
            bad.join("theme.toml"),
            "name = \"Loop\"\nparent = \"bad\"\n",
        )
        .unwrap();
        assert_eq!(load(&dir, "bad").name, "default");
        assert_eq!(load(&dir, "missing").name, "default");
        assert_eq!(load(&dir, "../etc").name, "default");
    }
}
