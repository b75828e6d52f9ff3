//! A member's side of moderation as pages and JSON: their statements of reasons
//! (`/me/statements`, readable while suspended), and, for staff, a member's record with the
//! sanction and note forms (`/u/{username}/moderation`).

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::model::*;
use super::sanctions::{self, MemberRecord, NoteForm};
use super::{rules, statements};
use crate::error::{AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::page::{see_other, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/statements", web::get().to(statements_page))
        .route("/me/statements/{id}", web::get().to(statement_page))
        .route("/u/{username}/moderation", web::get().to(record_page))
        .route("/u/{username}/sanctions", web::post().to(sanction_submit))
        .route("/u/{username}/notes", web::post().to(note_submit))
        .route("/u/{username}/trust-level", web::post().to(trust_submit));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/me/statements", api_statements)
        .get("/me/statements/{id}", api_statement)
        .get("/users/{username}/moderation", api_record)
        .post("/users/{username}/sanctions", api_sanction)
        .post("/users/{username}/notes", api_note)
        .put("/users/{username}/trust-level", api_trust_level);
}

async fn statements_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let list = state
        .db_as(actor, |conn, actor, _| statements::mine(conn, actor))
        .await?;
    Page::from_request(&req).render(
        &state,
        "moderation/statements.html",
        context! { statements => list },
    )
}

async fn statement_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = StatementId(path.into_inner());
    let statement = state
        .db_as(actor, move |conn, actor, _| {
            statements::one(conn, actor, id)
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "moderation/statement.html",
        context! {
            appeal_link => format!("/appeal?statement={}", statement.id.0),
            s => statement,
        },
    )
}

/// The signed-in member's statements of reasons, newest first (also while suspended).
#[utoipa::path(get, path = "/api/v1/me/statements", tag = "moderation",
    responses((status = 200, body = Vec<StatementView>), (status = 401, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_statements(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let list = state
        .db_as(actor, |conn, actor, _| statements::mine(conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// One of the signed-in member's statements of reasons.
#[utoipa::path(get, path = "/api/v1/me/statements/{id}", tag = "moderation",
    params(("id" = i64, Path, description = "Statement id")),
    responses((status = 200, body = StatementView), (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_statement(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = StatementId(path.into_inner());
    let statement = state
        .db_as(actor, move |conn, actor, _| {
            statements::one(conn, actor, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(statement))
}

async fn record_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let (record, rules) = state
        .db_as(actor, move |conn, actor, _| {
            Ok((
                sanctions::record(conn, actor, &username)?,
                rules::current_rules(conn)?,
            ))
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "moderation/member.html",
        context! { record => record, rules => rules },
    )
}

async fn sanction_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<SanctionForm>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let back = format!("/u/{username}/moderation");
    state
        .db_as(actor, move |conn, actor, ctx| {
            sanctions::sanction(conn, ctx, actor, &username, &form)
        })
        .await?;
    Ok(see_other(&back))
}

async fn note_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<NoteForm>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let back = format!("/u/{username}/moderation");
    state
        .db_as(actor, move |conn, actor, _| {
            sanctions::add_note(conn, actor, &username, &form)
        })
        .await?;
    Ok(see_other(&back))
}

/// A member's moderation record: sanctions, notes, how their reports fared (moderators).
#[utoipa::path(get, path = "/api/v1/users/{username}/moderation", tag = "moderation",
    params(("username" = String, Path, description = "Username")),
    responses((status = 200, body = MemberRecord), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_record(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let record = state
        .db_as(actor, move |conn, actor, _| {
            sanctions::record(conn, actor, &username)
        })
        .await?;
    Ok(HttpResponse::Ok().json(record))
}

/// Sanction a member: warning, silence or suspension for `days`, or ban, citing a rule in
/// force with an explanation; the member gets a statement of reasons (moderators, on members
/// below their role).
#[utoipa::path(post, path = "/api/v1/users/{username}/sanctions", tag = "moderation",
    params(("username" = String, Path, description = "Username")), request_body = SanctionForm,
    responses((status = 201, body = SanctionView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_sanction(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<String>,
    form: web::Json<SanctionForm>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let form = form.into_inner();
    let sanction = state
        .db_as(actor, move |conn, actor, ctx| {
            sanctions::sanction(conn, ctx, actor, &username, &form)
        })
        .await?;
    Ok(HttpResponse::Created().json(sanction))
}

/// Add a staff-only note to a member's record (moderators).
#[utoipa::path(post, path = "/api/v1/users/{username}/notes", tag = "moderation",
    params(("username" = String, Path, description = "Username")), request_body = NoteForm,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_note(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<String>,
    form: web::Json<NoteForm>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let form = form.into_inner();
    state
        .db_as(actor, move |conn, actor, _| {
            sanctions::add_note(conn, actor, &username, &form)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn trust_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<super::trust::TrustLevelForm>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let back = format!("/u/{username}/moderation");
    state
        .db_as(actor, move |conn, actor, _| {
            super::trust::set_level(conn, actor, &username, &form)
        })
        .await?;
    Ok(see_other(&back))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct TrustLevelSet {
    pub trust_level: i16,
}

/// Set a member's trust level by hand (community manager and admins; 4, leader, only this way).
#[utoipa::path(put, path = "/api/v1/users/{username}/trust-level", tag = "moderation",
    params(("username" = String, Path, description = "Username")),
    request_body = super::trust::TrustLevelForm,
    responses((status = 200, body = TrustLevelSet), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_trust_level(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<String>,
    form: web::Json<super::trust::TrustLevelForm>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let form = form.into_inner();
    let trust_level = state
        .db_as(actor, move |conn, actor, _| {
            super::trust::set_level(conn, actor, &username, &form)
        })
        .await?;
    Ok(HttpResponse::Ok().json(TrustLevelSet { trust_level }))
}
