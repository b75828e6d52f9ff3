//! CSRF protection. HTML forms: a random token lives in a `SameSite=Lax`, HttpOnly cookie and in
//! a hidden field of every form; `CsrfForm<T>` refuses a POST whose field does not match the
//! cookie. JSON API: a POST made with the session cookie must carry
//! `Content-Type: application/json`, which a cross-site page cannot send without a CORS
//! preflight (none is ever granted); PUT, PATCH and DELETE always need that preflight, and
//! requests with a Bearer token carry no ambient credentials.

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error, FromRequest, HttpMessage, HttpRequest, ResponseError};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use super::auth::{uses_bearer_token, SESSION_COOKIE};
use super::state::AppState;
use crate::error::{AppError, ErrorCode, ErrorKind};
use crate::util::new_token;

pub const CSRF_COOKIE: &str = "tertulia_csrf";
pub const CSRF_FIELD: &str = "csrf_token";
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

/// Gives every request a CSRF token and sets the cookie when it was new; guards the JSON API.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, Error> {
    let existing = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| looks_like_token(v));
    let token = existing.clone().unwrap_or_else(|| new_token(""));
    req.extensions_mut().insert(CsrfToken(token.clone()));

    if req.path().starts_with("/api/")
        && req.method() == actix_web::http::Method::POST
        && !uses_bearer_token(req.request())
        && req.cookie(SESSION_COOKIE).is_some()
    {
        let is_json = req
            .headers()
            .get("Content-Type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            let refused = AppError::new(ErrorKind::Csrf).error_response();
            return Ok(req.into_response(refused).map_into_right_body());
        }
    }

    let secure = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.config.secure_cookies());
    let mut response = next.call(req).await?;
    if existing.is_none() {
        let cookie = Cookie::build(CSRF_COOKIE, token)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(secure)
            .finish();
        response.response_mut().add_cookie(&cookie)?;
    }
    Ok(response.map_into_left_body())
}

/// An urlencoded form whose `csrf_token` field matched the cookie.
pub struct CsrfForm<T>(pub T);

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let cookie = req.cookie(CSRF_COOKIE).map(|c| c.value().to_string());
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
            let valid = cookie.is_some_and(|c| {
                looks_like_token(&c) && constant_time_eq(c.as_bytes(), submitted.as_bytes())
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
