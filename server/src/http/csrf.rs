//! CSRF protection.
//!
//! HTML forms: every form carries a hidden token that `CsrfForm<T>` checks. For a visitor with
//! a session the token is an HMAC of the session secret under the instance key, so it cannot
//! be known or planted by anyone without the session (a sibling subdomain can set cookies, but
//! cannot read this one). Without a session (login, registration) it is a random value kept in
//! a `SameSite=Lax`, HttpOnly cookie (double submit).
//!
//! JSON API: a write (POST, PUT, PATCH, DELETE) authenticated by the session cookie must be
//! `Content-Type: application/json` or carry the form token in `X-CSRF-Token`; a cross-site page
//! can send neither without a CORS preflight, which is never granted. The rule is decided on
//! the matched route (`/%61pi/…` is the API too), when the session is resolved (`auth`).
//! Requests with a Bearer token carry no ambient credentials and need neither.

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use super::auth::SESSION_COOKIE;
use super::state::AppState;
use crate::error::{AppError, ErrorCode, ErrorKind};
use crate::util::{new_token, sign};

pub const CSRF_COOKIE: &str = "tertulia_csrf";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "X-CSRF-Token";
const FORM_LIMIT: usize = 256 * 1024;

/// This request's CSRF token (from its cookie, or new).
#[derive(Clone)]
pub struct CsrfToken(pub String);

fn looks_like_token(value: &str) -> bool {
    value.len() == 43
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub fn token_of(req: &HttpRequest) -> String {
    req.extensions()
        .get::<CsrfToken>()
        .map(|t| t.0.clone())
        .unwrap_or_default()
}

/// The token a form must carry: bound to the session when there is one, else the cookie's.
fn expected_token(req: &HttpRequest) -> Option<String> {
    match req.cookie(SESSION_COOKIE) {
        Some(session) => {
            let state = req.app_data::<web::Data<AppState>>()?;
            Some(session_token(state.secret_key.expose(), session.value()))
        }
        None => req
            .cookie(CSRF_COOKIE)
            .map(|c| c.value().to_string())
            .filter(|v| looks_like_token(v)),
    }
}

/// The form token of a session: an HMAC of its secret, so only its holder can know it.
fn session_token(key: &str, session_secret: &str) -> String {
    sign(key, &format!("csrf:{session_secret}"))
}

/// Gives every request its CSRF token (for the forms it renders) and sets the cookie of the
/// anonymous token when it was new.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, Error> {
    let existing = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| looks_like_token(v));
    // The anonymous token lives in the cookie; a session's token is derived from the session.
    let anonymous = existing.clone().unwrap_or_else(|| new_token(""));
    let token = match req.cookie(SESSION_COOKIE) {
        Some(_) => expected_token(req.request()).unwrap_or_default(),
        None => anonymous.clone(),
    };
    req.extensions_mut().insert(CsrfToken(token.clone()));

    let secure = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.config.secure_cookies());
    let mut response = next.call(req).await?;
    if existing.is_none() {
        let cookie = Cookie::build(CSRF_COOKIE, anonymous)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .finish();
        response.response_mut().add_cookie(&cookie)?;
    }
    Ok(response)
}

/// The JSON API rule for a request authenticated by its session cookie (called once the route
/// is matched): a write to an API route must be JSON or carry the session's token in
/// `X-CSRF-Token`.
pub fn check_api_write(req: &HttpRequest) -> Result<(), AppError> {
    use actix_web::http::Method;
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let api_route = req
        .match_pattern()
        .is_some_and(|pattern| pattern.starts_with("/api/"));
    if !unsafe_method || !api_route {
        return Ok(());
    }
    let is_json = req
        .headers()
        .get("Content-Type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    let header_ok = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .zip(expected_token(req))
        .is_some_and(|(sent, expected)| constant_time_eq(sent.as_bytes(), expected.as_bytes()));
    if is_json || header_ok {
        Ok(())
    } else {
        Err(AppError::new(ErrorKind::Csrf))
    }
}

/// The form of a button: no field but the CSRF token (`CsrfForm<NoFields>`).
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// An urlencoded form whose `csrf_token` field matched this visitor's token.
pub struct CsrfForm<T>(pub T);

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let expected = expected_token(&req);
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body
                .await
                .map_err(|_| AppError::bad_request(ErrorCode::InvalidForm))?;
            if body.len() > FORM_LIMIT {
                return Err(AppError::bad_request(ErrorCode::FormTooLarge));
            }
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|_| AppError::bad_request(ErrorCode::InvalidForm))?;
            let submitted = pairs
                .iter()
                .find(|(k, _)| k == CSRF_FIELD)
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            let valid = expected.is_some_and(|expected| {
                looks_like_token(&expected)
                    && constant_time_eq(expected.as_bytes(), submitted.as_bytes())
            });
            if !valid {
                return Err(AppError::new(ErrorKind::Csrf));
            }
            let form = serde_urlencoded::from_bytes(&body)
                .map_err(|_| AppError::bad_request(ErrorCode::InvalidForm))?;
            Ok(CsrfForm(form))
        })
    }
}
