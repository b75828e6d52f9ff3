//! Cross-cutting request handling: request ids and logs, panic containment, and turning an
//! `AppError` into an HTML page in the reader's language or a JSON error body.

use std::panic::AssertUnwindSafe;
use std::time::Instant;

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpResponse};
use futures_util::FutureExt;
use rand::Rng;
use tracing::Instrument;

use super::page::Page;
use super::state::AppState;
use crate::error::{AppError, ErrorBody, ErrorCode, ErrorDetail, RenderedError};

/// Tags each request with an id (also sent back as `X-Request-Id`) and logs its outcome. The
/// log names the matched route pattern (`/password/reset/{token}`), never the path itself:
/// paths carry the secrets of e-mailed links.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = format!("{:016x}", rand::thread_rng().gen::<u64>());
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        route = tracing::field::Empty
    );
    let started = Instant::now();
    let result = next.call(req).instrument(span.clone()).await;
    let _entered = span.enter();
    match &result {
        Ok(response) => {
            let route = response.request().match_pattern();
            span.record("route", route.as_deref().unwrap_or("(no route)"));
            tracing::info!(
                status = response.status().as_u16(),
                ms = started.elapsed().as_millis() as u64,
                "served"
            )
        }
        Err(error) => tracing::warn!(%error, "failed"),
    }
    result.map(|mut response| {
        if let Ok(value) = HeaderValue::from_str(&id) {
            response
                .headers_mut()
                .insert(header::HeaderName::from_static("x-request-id"), value);
        }
        response
    })
}

/// Refuses a request that carries a NUL character (in its path, query, or a JSON or form body)
/// with `nul_character` (422), before any handler runs. No text here needs one, PostgreSQL
/// cannot store one, and refusing it up front makes both databases answer the same.
pub async fn refuse_nul(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, Error> {
    use actix_web::{FromRequest as _, ResponseError as _};
    let refuse = |req: ServiceRequest, error: AppError| {
        Ok(req
            .into_response(error.error_response())
            .map_into_right_body())
    };
    if req.uri().to_string().contains("%00") {
        return refuse(req, AppError::bad_request(ErrorCode::NulCharacter));
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_start().to_ascii_lowercase())
        .unwrap_or_default();
    // Whatever the JSON extractor accepts: application/json, text/json, any `+json` type.
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let json = essence.ends_with("/json") || essence.ends_with("+json");
    let form = essence == "application/x-www-form-urlencoded";
    if json || form {
        let (http, mut payload) = req.into_parts();
        let body = web::Bytes::from_request(&http, &mut payload).await;
        req = ServiceRequest::from_parts(http, actix_web::dev::Payload::None);
        let body = match body {
            Ok(body) => body,
            Err(_) => return refuse(req, AppError::bad_request(ErrorCode::BodyTooLarge)),
        };
        let nul = body.contains(&0)
            || (json && json_has_nul_escape(&body))
            || (form && body.windows(3).any(|w| w == b"%00"));
        if nul {
            return refuse(req, AppError::bad_request(ErrorCode::NulCharacter));
        }
        // The body was decompressed while read: the handler gets it as plain bytes.
        req.headers_mut().remove(header::CONTENT_ENCODING);
        req.set_payload(actix_web::dev::Payload::from(body));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// Whether JSON text escapes a NUL (`\u0000`) in a string. An escaped backslash is skipped, so
/// the text `\\u0000` (a backslash, then "u0000") is not a NUL.
fn json_has_nul_escape(body: &[u8]) -> bool {
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'\\' {
            if body.get(i + 1) == Some(&b'u') && body.get(i + 2..i + 6) == Some(b"0000".as_slice())
            {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// A panic in a handler becomes a 500 for that request; the worker keeps serving. (The request
/// cannot be kept for the error page: cloning it before routing would break routing, so the
/// fallback body of `AppError` is sent.)
pub async fn catch_panic(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(result) => result.map(ServiceResponse::map_into_boxed_body),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into());
            Err(AppError::internal(format!("handler panicked: {message}")).into())
        }
    }
}

/// Renders errors: JSON under `/api/`, a redirect to the login page for anonymous page views,
/// and an error page otherwise.
pub async fn render_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let response = next.call(req).await?.map_into_boxed_body();
    let Some(rendered) = response
        .response()
        .extensions()
        .get::<RenderedError>()
        .cloned()
    else {
        return Ok(response);
    };
    let request = response.request().clone();
    let Some(state) = request.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(response);
    };
    let page = Page::from_request(&request);
    let message = state
        .i18n()
        .message(page.locale, &rendered.message_key, &[]);
    let mut new_response = if request.path().starts_with("/api/") {
        let fields = rendered
            .fields
            .iter()
            .map(|(field, key)| (field.clone(), state.i18n().field_message(page.locale, key)))
            .collect();
        HttpResponse::build(rendered.status).json(ErrorBody {
            error: ErrorDetail {
                code: rendered.code.to_string(),
                message,
                fields,
            },
        })
    } else if rendered.status == StatusCode::UNAUTHORIZED
        && rendered.code == "unauthenticated"
        && request.method() == actix_web::http::Method::GET
    {
        let next = request
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        HttpResponse::SeeOther()
            .insert_header((
                header::LOCATION,
                format!("/login?next={}", url_encode(next)),
            ))
            .finish()
    } else {
        let context = minijinja::context! {
            status => rendered.status.as_u16(),
            code => rendered.code,
            message => message,
            retry_after => rendered.retry_after,
        };
        match page.render_with_status(&state, "layout/error.html", context, rendered.status) {
            Ok(html) => html,
            Err(_) => HttpResponse::build(rendered.status)
                .content_type("text/plain; charset=utf-8")
                .body(message),
        }
    };
    if let Some(seconds) = rendered.retry_after {
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            new_response
                .headers_mut()
                .insert(header::RETRY_AFTER, value);
        }
    }
    // Cookies set before the error (a new CSRF cookie) must survive the new body.
    for cookie in response.response().cookies() {
        let _ = new_response.add_cookie(&cookie);
    }
    Ok(ServiceResponse::new(request, new_response))
}

pub fn url_encode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use actix_web::middleware::from_fn;
    use actix_web::{test, web, App, HttpResponse};

    /// Everything logged while it is the default subscriber.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[actix_web::test]
    async fn nul_escapes_are_found_in_json_strings_only_when_real() {
        assert!(super::json_has_nul_escape(br#"{"body":"a\u0000b"}"#));
        assert!(!super::json_has_nul_escape(br#"{"body":"a\\u0000b"}"#));
        assert!(super::json_has_nul_escape(br#"{"body":"a\\\u0000b"}"#));
        assert!(!super::json_has_nul_escape(br#"{"body":"a\u0001b"}"#));
    }

    #[actix_web::test]
    async fn the_request_log_names_the_route_not_the_secret_in_the_path() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_max_level(tracing::Level::INFO)
            .finish();
        let _default = tracing::subscriber::set_default(subscriber);
        let app = test::init_service(App::new().wrap(from_fn(super::request_log)).route(
            "/reset/{token}",
            web::get().to(|| async { HttpResponse::Ok().finish() }),
        ))
        .await;
        let request = test::TestRequest::get()
            .uri("/reset/SECRET-TOKEN-123")
            .to_request();
        let response = test::call_service(&app, request).await;
        assert_eq!(response.status(), 200);
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(log.contains("/reset/{token}"), "{log}");
        assert!(!log.contains("SECRET-TOKEN-123"), "{log}");
    }

    async fn boom() -> HttpResponse {
        let parts: Vec<&str> = vec![];
        HttpResponse::Ok().body(parts[3].to_string())
    }

    #[actix_web::test]
    async fn a_panicking_handler_answers_500_and_the_app_keeps_serving() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(super::catch_panic))
                .route("/boom", web::get().to(boom))
                .route(
                    "/fine",
                    web::get().to(|| async { HttpResponse::Ok().body("fine") }),
                ),
        )
        .await;
        // The server turns this error into its response, as for any error leaving middleware.
        let error =
            test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request())
                .await
                .err()
                .unwrap();
        let response = error.error_response();
        assert_eq!(response.status(), 500);
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .unwrap();
        assert!(String::from_utf8_lossy(&body).contains("\"code\":\"internal\""));
        let response =
            test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(response.status(), 200);
    }
}
