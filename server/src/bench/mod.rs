//! `tertulia bench`: the dataset generator, the load driver, and — only when `bench = true` —
//! the ceiling endpoints `/bench/plaintext` and `/bench/fortunes` plus `/bench/stats`
//! (requests and SQL statements counted by the server), served by the same binary as the forum.

pub mod generate;
pub mod report;
mod reputation;
pub mod run;
mod search;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

use actix_web::{web, HttpResponse};
use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::prelude::*;
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::db::schema::fortunes;
use crate::error::AppResult;
use crate::http::state::State;

static QUERIES: AtomicU64 = AtomicU64::new(0);
static REQUESTS: AtomicU64 = AtomicU64::new(0);
/// Whether `QueryCounter` also keeps each statement's text (tests that explain a count).
static KEEP_TEXT: AtomicBool = AtomicBool::new(false);
static TEXTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Counts every SQL statement a connection starts.
struct QueryCounter;

impl Instrumentation for QueryCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            QUERIES.fetch_add(1, Ordering::Relaxed);
            if KEEP_TEXT.load(Ordering::Relaxed) {
                let text = query.to_string();
                if let Ok(mut texts) = TEXTS.lock() {
                    texts.push(text);
                }
            }
        }
    }
}

/// Keeps the text of every statement counted from now on, until `take_statements` (tests
/// that say which statements a page ran, not only how many).
pub fn keep_statements() {
    KEEP_TEXT.store(true, Ordering::Relaxed);
}

/// The statements kept since the last call, oldest first.
pub fn take_statements() -> Vec<String> {
    TEXTS
        .lock()
        .map(|mut texts| std::mem::take(&mut *texts))
        .unwrap_or_default()
}

fn counter() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(QueryCounter))
}

/// Turns on statement counting for connections opened from now on (bench mode only).
pub fn count_queries() {
    if let Err(error) = diesel::connection::set_default_instrumentation(counter) {
        tracing::error!(%error, "cannot count SQL statements");
    }
}

/// SQL statements run since `count_queries` (by every connection of this process).
pub fn queries_run() -> u64 {
    QUERIES.load(Ordering::Relaxed)
}

/// Counts requests (bench mode only; wraps the app).
pub async fn count_request(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<
    actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody + 'static>,
    actix_web::Error,
> {
    if !req.path().starts_with("/bench/stats") {
        REQUESTS.fetch_add(1, Ordering::Relaxed);
    }
    next.call(req).await
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/bench/plaintext", web::get().to(plaintext))
        .route("/bench/fortunes", web::get().to(fortunes_page))
        .route("/bench/stats", web::get().to(stats));
}

async fn plaintext() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain")
        .body("Hello, World!")
}

#[derive(Queryable, Serialize)]
struct Fortune {
    id: i64,
    message: String,
}

async fn fortunes_page(state: State) -> AppResult<HttpResponse> {
    let mut rows: Vec<Fortune> = state
        .db(|conn, _| {
            Ok(fortunes::table
                .select((fortunes::id, fortunes::message))
                .load(conn)?)
        })
        .await?;
    rows.push(Fortune {
        id: 0,
        message: "Additional fortune added at request time.".into(),
    });
    rows.sort_by(|a, b| a.message.cmp(&b.message));
    let html = state
        .templates
        .render("bench/fortunes.html", &context! { fortunes => rows })
        .map_err(|e| crate::error::AppError::internal(format!("{e:#}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default)]
pub struct Stats {
    pub requests: u64,
    pub queries: u64,
}

async fn stats() -> HttpResponse {
    HttpResponse::Ok().json(Stats {
        requests: REQUESTS.load(Ordering::Relaxed),
        queries: QUERIES.load(Ordering::Relaxed),
    })
}
