//! Invitations: `/invites` (make and list your own; the community manager's campaigns), the
//! dashboard of sources (`/insights/invites`) and the `/api/v1` twins.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::invites::{self, Invitation, InviteForm, SourceFigures};
use crate::error::{AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::page::{see_other, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/invites", web::get().to(invites_page))
        .route("/invites", web::post().to(create_submit))
        .route("/invites/{id}/revoke", web::post().to(revoke_submit))
        .route("/insights/invites", web::get().to(sources_page));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/invites", api_list)
        .post("/invites", api_create)
        .delete("/invites/{id}", api_revoke)
        .get("/insights/invites", api_sources);
}

async fn invites_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let campaigns = invites::can_invite_for_campaigns(&actor);
    let allowed = invites::can_invite(&actor);
    let list = state
        .db_as(actor, |conn, actor, ctx| invites::list(ctx, conn, actor))
        .await?;
    Page::from_request(&req).render(
        &state,
        "reputation/invites.html",
        context! {
            invites => list, campaigns => campaigns, allowed => allowed,
            member_level => invites::MEMBER_LEVEL, member_per_week => invites::MEMBER_PER_WEEK,
        },
    )
}

async fn create_submit(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<InviteForm>,
) -> AppResult<HttpResponse> {
    state
        .db_as(actor, move |conn, actor, ctx| {
            invites::create(ctx, conn, actor, &form)
        })
        .await?;
    Ok(see_other("/invites"))
}

async fn revoke_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<crate::http::csrf::NoFields>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    state
        .db_as(actor, move |conn, actor, _| {
            invites::revoke(conn, actor, id)
        })
        .await?;
    Ok(see_other("/invites"))
}

async fn sources_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let figures = state
        .db_as(actor, |conn, actor, _| invites::sources(conn, actor))
        .await?;
    Page::from_request(&req).render(
        &state,
        "reputation/sources.html",
        context! { sources => figures },
    )
}

/// Your invitations (every invitation, for the community manager), newest first.
#[utoipa::path(get, path = "/api/v1/invites", tag = "reputation",
    responses((status = 200, body = Vec<Invitation>), (status = 401, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_list(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let list = state
        .db_as(actor, |conn, actor, ctx| invites::list(ctx, conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// An invitation link: the community manager's with a campaign `source` (up to 100,000 uses
/// and 365 days); a member's from trust level 2 (source `member`, up to 5 uses and 30 days, 5 a
/// week).
#[utoipa::path(post, path = "/api/v1/invites", tag = "reputation", request_body = InviteForm,
    responses((status = 201, body = Invitation), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_create(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<InviteForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let made = state
        .db_as(actor, move |conn, actor, ctx| {
            invites::create(ctx, conn, actor, &form)
        })
        .await?;
    Ok(HttpResponse::Created().json(made))
}

/// Stop an invitation (its maker or the community manager).
#[utoipa::path(delete, path = "/api/v1/invites/{id}", tag = "reputation",
    params(("id" = i64, Path, description = "Invitation id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_revoke(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    state
        .db_as(actor, move |conn, actor, _| {
            invites::revoke(conn, actor, id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The dashboard of invitation sources: sign-ups, members who posted, members still active 30
/// and 90 days after joining (community manager).
#[utoipa::path(get, path = "/api/v1/insights/invites", tag = "reputation",
    responses((status = 200, body = Vec<SourceFigures>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_sources(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let figures = state
        .db_as(actor, |conn, actor, _| invites::sources(conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(figures))
}
