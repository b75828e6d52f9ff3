//! The transparency report, public: `/transparency` (a page with a period form),
//! `/transparency.csv` and `GET /api/v1/transparency`.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::transparency::{self, Period, Report};
use crate::error::{AppResult, ErrorBody};
use crate::http::page::Page;
use crate::http::routing::ApiRoutes;
use crate::http::state::State;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/transparency", web::get().to(page))
        .route("/transparency.csv", web::get().to(csv));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/transparency", api_report);
}

async fn compute(state: &State, query: Period) -> AppResult<Report> {
    state
        .db(move |conn, _| {
            let (from, to) = transparency::period(&query, crate::util::now().date())?;
            transparency::report(conn, from, to)
        })
        .await
}

async fn page(
    state: State,
    req: HttpRequest,
    query: web::Query<Period>,
) -> AppResult<HttpResponse> {
    let report = compute(&state, query.into_inner()).await?;
    let mut sections: Vec<(String, Vec<transparency::Figure>)> = vec![];
    for figure in &report.figures {
        match sections.last_mut() {
            Some((name, list)) if *name == figure.section => list.push(figure.clone()),
            _ => sections.push((figure.section.clone(), vec![figure.clone()])),
        }
    }
    Page::from_request(&req).render(
        &state,
        "ombudsman/transparency.html",
        context! {
            from => report.from.to_string(),
            to => report.to.to_string(),
            sections => sections,
        },
    )
}

async fn csv(state: State, query: web::Query<Period>) -> AppResult<HttpResponse> {
    let report = compute(&state, query.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"transparency-{}-{}.csv\"",
                report.from, report.to
            ),
        ))
        .body(report.csv()))
}

/// The transparency report for a period (`from`, `to` as `YYYY-MM-DD`, both included; by default
/// the last 365 days): DSA figures on notices, decisions, appeals and sanctions, and the
/// community's figures on cases. Counts from 1 to 4 are suppressed; no personal data.
#[utoipa::path(get, path = "/api/v1/transparency", tag = "ombudsman", params(Period),
    responses((status = 200, body = Report), (status = 422, body = ErrorBody)))]
pub async fn api_report(state: State, query: web::Query<Period>) -> AppResult<HttpResponse> {
    let report = compute(&state, query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(report))
}
