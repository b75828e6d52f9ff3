//! The potential leaders report (`/insights/leaders`, its CSV) and the ambassador programme
//! (nominating from the report; `/me/ambassador` to accept or decline), with the API.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::ambassadors::{self, AnswerForm, Nomination, NominationForm};
use super::leaders::{self, LeadersQuery, Report};
use crate::error::{AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::page::{see_other, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/insights/leaders", web::get().to(leaders_page))
        .route("/insights/leaders.csv", web::get().to(leaders_csv))
        .route(
            "/insights/leaders/nominate",
            web::post().to(nominate_submit),
        )
        .route("/me/ambassador", web::get().to(ambassador_page))
        .route("/me/ambassador", web::post().to(answer_submit));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/insights/leaders", api_leaders)
        .post("/ambassadors/nominations", api_nominate)
        .get("/me/ambassador", api_mine)
        .put("/me/ambassador", api_answer);
}

async fn leaders_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    query: web::Query<LeadersQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let csv_query = req.query_string().to_string();
    let (report, categories) = state
        .db_as(actor, move |conn, actor, _| {
            Ok((
                leaders::report(conn, actor, &query)?,
                crate::policy::visible_categories(conn, actor)?,
            ))
        })
        .await?;
    let categories: Vec<(String, String)> =
        categories.into_iter().map(|c| (c.slug, c.name)).collect();
    Page::from_request(&req).render(
        &state,
        "reputation/leaders.html",
        context! { report => report, categories => categories, csv_query => csv_query },
    )
}

async fn leaders_csv(
    state: State,
    SignedIn(actor): SignedIn,
    query: web::Query<LeadersQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let text = state
        .db_as(actor, move |conn, actor, _| {
            leaders::csv(&leaders::report(conn, actor, &query)?)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"potential-leaders.csv\"",
        ))
        .body(text))
}

async fn nominate_submit(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<NominationForm>,
) -> AppResult<HttpResponse> {
    state
        .db_as(actor, move |conn, actor, ctx| {
            ambassadors::nominate(ctx, conn, actor, &form)
        })
        .await?;
    Ok(see_other("/insights/leaders"))
}

async fn ambassador_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let nomination = state
        .db_as(actor, |conn, actor, _| ambassadors::mine(conn, actor))
        .await?;
    Page::from_request(&req).render(
        &state,
        "reputation/ambassador.html",
        context! { nomination => nomination },
    )
}

async fn answer_submit(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<AnswerForm>,
) -> AppResult<HttpResponse> {
    state
        .db_as(actor, move |conn, actor, _| {
            ambassadors::answer(conn, actor, form.accept)
        })
        .await?;
    Ok(see_other("/me/ambassador"))
}

/// The potential leaders report: members ranked by accepted answers, replies to newcomers'
/// first threads, reactions per post, reports moderators agreed with, breadth and consistency
/// (community manager). `/insights/leaders.csv` gives the same as CSV.
#[utoipa::path(get, path = "/api/v1/insights/leaders", tag = "reputation", params(LeadersQuery),
    responses((status = 200, body = Report), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_leaders(
    state: State,
    SignedIn(actor): SignedIn,
    query: web::Query<LeadersQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let report = state
        .db_as(actor, move |conn, actor, _| {
            leaders::report(conn, actor, &query)
        })
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// Nominate a member as an ambassador, with a reason they read (community manager).
#[utoipa::path(post, path = "/api/v1/ambassadors/nominations", tag = "reputation",
    request_body = NominationForm,
    responses((status = 201, body = Nomination), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_nominate(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<NominationForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let made = state
        .db_as(actor, move |conn, actor, ctx| {
            ambassadors::nominate(ctx, conn, actor, &form)
        })
        .await?;
    Ok(HttpResponse::Created().json(made))
}

/// Your latest ambassador nomination, if any (`null` otherwise).
#[utoipa::path(get, path = "/api/v1/me/ambassador", tag = "reputation",
    responses((status = 200, body = Option<Nomination>), (status = 401, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_mine(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let nomination = state
        .db_as(actor, |conn, actor, _| ambassadors::mine(conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(nomination))
}

/// Accept (`accept: true`) or decline your pending nomination; accepting joins the
/// ambassadors (their flair, trust level 4: pinning and moving threads).
#[utoipa::path(put, path = "/api/v1/me/ambassador", tag = "reputation", request_body = AnswerForm,
    responses((status = 200, body = Nomination), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_answer(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<AnswerForm>,
) -> AppResult<HttpResponse> {
    let accept = form.into_inner().accept;
    let answered = state
        .db_as(actor, move |conn, actor, _| {
            ambassadors::answer(conn, actor, accept)?;
            ambassadors::mine(conn, actor)
        })
        .await?;
    Ok(HttpResponse::Ok().json(answered))
}
