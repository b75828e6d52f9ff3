//! The context every page shares (language, signed-in user, CSRF token, brand) and the helpers
//! that render a template with it.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use minijinja::context;
use minijinja::value::Value;
use serde::Serialize;

use super::auth::cached_user;
use super::csrf::token_of;
use crate::accounts::model::CurrentUser;
use crate::context::AppContext;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::view::i18n;

/// The signed-in user as templates see them.
#[derive(Serialize)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub is_admin: bool,
    pub unread_notifications: i64,
    pub email_verified: bool,
    /// Moderators and above: open items in the review queue.
    pub review_open: Option<i64>,
}

impl From<&CurrentUser> for UserView {
    fn from(user: &CurrentUser) -> Self {
        UserView {
            id: user.id.0,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str(),
            is_admin: crate::policy::administers(user.role),
            unread_notifications: user.unread_notifications,
            email_verified: user.email_verified,
            review_open: user.review_open,
        }
    }
}

pub struct Page {
    pub locale: &'static str,
    pub user: Option<CurrentUser>,
    pub csrf_token: String,
    /// Reached by `see_other_saved`: the page confirms that settings were saved.
    pub saved: bool,
    /// Where this page is (path and query): the language switch comes back here.
    pub path: String,
}

impl Page {
    /// Uses the user already resolved for this request (by a `CurrentUser`/`MaybeUser` extractor).
    pub fn from_request(req: &HttpRequest) -> Page {
        Page::new(req, cached_user(req).as_ref())
    }

    pub fn new(req: &HttpRequest, user: Option<&CurrentUser>) -> Page {
        let accept = req
            .headers()
            .get("Accept-Language")
            .and_then(|v| v.to_str().ok());
        // A member's own language first, then the language switch's cookie, then the browser's.
        let chosen = req
            .cookie(crate::accounts::routes::profile::LANGUAGE_COOKIE)
            .map(|c| c.value().to_string());
        let preferred = user.and_then(|u| u.locale.clone()).or(chosen);
        Page {
            locale: i18n::choose(preferred.as_deref(), accept),
            user: user.cloned(),
            csrf_token: token_of(req),
            saved: req.query_string().split('&').any(|pair| pair == "saved=1"),
            path: match req.query_string() {
                "" => req.path().to_string(),
                query => format!("{}?{query}", req.path()),
            },
        }
    }

    /// The message `key` in the page's language; `{ $brand }` in it is the community's name.
    pub fn t(&self, state: &AppContext, key: &str) -> String {
        let brand = state.config.brand_name.as_str();
        state
            .i18n()
            .message(self.locale, key, &[("brand", brand.into())])
    }

    /// How to show a page again after its form was refused: the status and the field errors
    /// (none without a failure); an error that is not about the input comes back as `Err`.
    pub fn refused_form(
        &self,
        state: &AppContext,
        failed: Option<AppError>,
    ) -> AppResult<(StatusCode, Option<BTreeMap<String, String>>)> {
        match failed {
            None => Ok((StatusCode::OK, None)),
            Some(error) => match self.form_errors(state, &error) {
                Some(errors) => Ok((error.status(), Some(errors))),
                None => Err(error),
            },
        }
    }

    /// The field errors of a form, translated, to show beside its fields; `None` when the error
    /// is not about the input (then it becomes the error page). A wrong password or a rate limit
    /// is an error of the whole form (`form`).
    pub fn form_errors(
        &self,
        state: &AppContext,
        error: &AppError,
    ) -> Option<BTreeMap<String, String>> {
        if !error.is_about_input() {
            return None;
        }
        match &error.kind {
            ErrorKind::BadCredentials | ErrorKind::RateLimited { .. } => {
                let message = match error.retry_after() {
                    Some(seconds) => state.i18n().message(
                        self.locale,
                        "error-rate-limited-seconds",
                        &[("seconds", seconds.into())],
                    ),
                    None => self.t(state, &error.message_key()),
                };
                Some(BTreeMap::from([("form".to_string(), message)]))
            }
            _ => Some(
                error
                    .fields()
                    .into_iter()
                    .map(|(field, key)| (field, state.i18n().field_message(self.locale, &key)))
                    .collect(),
            ),
        }
    }

    fn context(&self, state: &AppContext, extra: Value) -> Value {
        context! {
            locale => self.locale,
            user => self.user.as_ref().map(UserView::from),
            csrf_token => &self.csrf_token,
            saved => self.saved,
            page_path => &self.path,
            locales => crate::accounts::service::LOCALES,
            brand_name => &state.config.brand_name,
            brand_logo_url => state.config.brand_logo_url.clone()
                .or_else(|| state.theme.logo.as_ref().map(|_| "/theme/logo".to_string())),
            ..extra
        }
    }

    pub fn render(
        &self,
        state: &AppContext,
        template: &str,
        extra: Value,
    ) -> AppResult<HttpResponse> {
        self.render_with_status(state, template, extra, StatusCode::OK)
    }

    pub fn render_with_status(
        &self,
        state: &AppContext,
        template: &str,
        extra: Value,
        status: StatusCode,
    ) -> AppResult<HttpResponse> {
        let html = state
            .templates
            .render(template, &self.context(state, extra))
            .map_err(|e| AppError::internal(format!("template {template}: {e:#}")))?;
        Ok(HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html))
    }
}

/// A redirect after a successful POST (Post/Redirect/Get).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location.to_string()))
        .finish()
}

/// The redirect after settings were saved: the page it leads to says so ("Your changes are
/// saved.", from `?saved=1`).
pub fn see_other_saved(location: &str) -> HttpResponse {
    let (path, fragment) = location
        .split_once('#')
        .map_or((location, None), |(p, f)| (p, Some(f)));
    let joiner = if path.contains('?') { '&' } else { '?' };
    let mut target = format!("{path}{joiner}saved=1");
    if let Some(fragment) = fragment {
        target.push('#');
        target.push_str(fragment);
    }
    see_other(&target)
}

/// Only same-site paths are followed after login, so `?next=` cannot send people elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if is_local_path(path) => path.to_string(),
        _ => "/".to_string(),
    }
}

/// A path on this site and nothing a browser could read as another origin: it starts with one
/// `/` not followed by `/` or `\` (also percent-encoded), and has no backslash, whitespace or
/// control character anywhere (browsers drop tabs and newlines, so `/\t/evil` means `//evil`).
pub fn is_local_path(path: &str) -> bool {
    let rest = match path.strip_prefix('/') {
        Some(rest) => rest,
        None => return false,
    };
    let lower = rest.get(..3).map(str::to_ascii_lowercase);
    path.len() <= 2048
        && !rest.starts_with(['/', '\\'])
        && !matches!(lower.as_deref(), Some("%2f" | "%5c"))
        && !path
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_accepts_only_local_paths() {
        for good in ["/", "/t/1-hello", "/latest?page=2", "/search?q=caf%C3%A9"] {
            assert_eq!(safe_next(Some(good)), good);
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/%2F/evil.example",
            "/%5c/evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/a b",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
