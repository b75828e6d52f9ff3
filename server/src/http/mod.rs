//! The HTTP layer: middleware, extractors (`Actor`, `SignedIn`, `CurrentUser`), the page
//! context, the state handlers see, and the routing table built from `crate::DOMAINS`.
//! Handlers live in each domain's `routes.rs`.

pub mod auth;
pub mod csrf;
pub mod middleware;
pub mod openapi;
pub mod page;
pub mod ratelimit;
pub mod routing;
pub mod sse;
pub mod state;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::Serialize;

use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use state::State;

/// The routing table of pages, assets and the JSON API.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(256 * 1024)
            .error_handler(|error, _| {
                // Each code written out at its `bad_request` so the message-key test finds it.
                let error = match error {
                    actix_web::error::JsonPayloadError::ContentType => {
                        AppError::bad_request(ErrorCode::ExpectedJson)
                    }
                    actix_web::error::JsonPayloadError::Overflow { .. }
                    | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => {
                        AppError::bad_request(ErrorCode::BodyTooLarge)
                    }
                    _ => AppError::bad_request(ErrorCode::InvalidJson),
                };
                error.into()
            }),
    )
    .app_data(
        web::PathConfig::default().error_handler(|_, _| AppError::new(ErrorKind::NotFound).into()),
    )
    .app_data(
        web::QueryConfig::default()
            .error_handler(|_, _| AppError::bad_request(ErrorCode::InvalidQuery).into()),
    )
    .route("/healthz", web::get().to(healthz))
    .route("/static/{path:.*}", web::get().to(static_file))
    .route("/theme.css", web::get().to(theme_css))
    .route("/theme/logo", web::get().to(theme_logo))
    .configure(|cfg| {
        for domain in crate::DOMAINS {
            for pages in domain.pages {
                cfg.configure(pages);
            }
        }
    })
    .service(
        web::scope("/api/v1")
            .route("/openapi.json", web::get().to(openapi::document))
            .configure(|cfg| {
                let mut api = routing::ApiRoutes::new(cfg);
                for domain in crate::DOMAINS {
                    for routes in domain.api {
                        routes(&mut api);
                    }
                }
            })
            .default_service(web::to(not_found)),
    )
    .default_service(web::to(not_found));
}

async fn not_found() -> AppResult<HttpResponse> {
    Err(AppError::new(ErrorKind::NotFound))
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    database: &'static str,
}

/// Liveness and readiness: answers 200 only when the database answers.
async fn healthz(state: State) -> HttpResponse {
    let backend = state.backend.name();
    let result = state
        .db(|conn, _| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("SELECT 1").map_err(AppError::from)
        })
        .await;
    match result {
        Ok(()) => HttpResponse::Ok().json(Health {
            status: "ok",
            database: backend,
        }),
        Err(error) => {
            tracing::error!(?error, "health check failed");
            HttpResponse::ServiceUnavailable().json(Health {
                status: "unavailable",
                database: backend,
            })
        }
    }
}

async fn static_file(path: web::Path<String>) -> AppResult<HttpResponse> {
    let path = path.into_inner();
    let file = crate::view::templates::STATIC_DIR
        .get_file(&path)
        .ok_or_else(|| AppError::new(ErrorKind::NotFound))?;
    Ok(HttpResponse::Ok()
        .content_type(crate::view::templates::content_type(&path))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(file.contents()))
}

async fn theme_css(state: State) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(state.theme.css.clone())
}

async fn theme_logo(state: State) -> AppResult<HttpResponse> {
    let (bytes, content_type) = state
        .theme
        .logo
        .clone()
        .ok_or_else(|| AppError::new(ErrorKind::NotFound))?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(bytes))
}
