//! Badges and leaderboards: `/badges`, `/badges/{id}`, `/u/{username}/badges`, `/leaderboard`,
//! the community manager's forms and the `/api/v1` twins.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::model::*;
use super::{featured, leaderboard, service};
use crate::error::{AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::page::{see_other, see_other_saved, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;
use crate::policy::Actor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/badges", web::get().to(list_page))
        .route("/badges", web::post().to(create_submit))
        .route("/badges/{id}", web::get().to(badge_page))
        .route("/badges/{id}/grants", web::post().to(grant_submit))
        .route("/badges/{id}/revocations", web::post().to(revoke_submit))
        .route("/badges/{id}/enabled", web::post().to(enabled_submit))
        .route("/u/{username}/badges", web::get().to(member_page))
        .route("/me/featured-badges", web::post().to(featured_submit))
        .route("/leaderboard", web::get().to(leaderboard_page))
        .route("/me/leaderboard", web::post().to(opt_out_submit));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/badges", api_list)
        .post("/badges", api_create)
        .get("/badges/{id}", api_badge)
        .post("/badges/{id}/grants", api_grant)
        .post("/badges/{id}/revocations", api_revoke)
        .put("/badges/{id}/enabled", api_enabled)
        .get("/users/{username}/badges", api_member)
        .put("/me/featured-badges", api_featured)
        .get("/leaderboard", api_leaderboard)
        .put("/me/leaderboard", api_opt_out);
}

fn locale(req: &HttpRequest) -> &'static str {
    Page::from_request(req).locale
}

async fn list_page(state: State, req: HttpRequest, actor: Actor) -> AppResult<HttpResponse> {
    let locale = locale(&req);
    let manage = service::can_manage_badges(&actor);
    let list = state
        .db_as(actor, move |conn, actor, ctx| {
            service::list(ctx, conn, actor, locale)
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "reputation/badges.html",
        context! { badges => list, manage => manage, icons => ICONS },
    )
}

async fn badge_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let locale = locale(&req);
    let id = BadgeId(path.into_inner());
    let manage = service::can_manage_badges(&actor);
    let page = state
        .db_as(actor, move |conn, actor, ctx| {
            service::page(ctx, conn, actor, id, locale)
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "reputation/badge.html",
        context! { page => page, manage => manage },
    )
}

async fn create_submit(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<BadgeForm>,
) -> AppResult<HttpResponse> {
    let locale = locale(&req);
    let made = state
        .db_as(actor, move |conn, actor, ctx| {
            service::create(ctx, conn, actor, &form, locale)
        })
        .await?;
    Ok(see_other(&made.url))
}

async fn grant_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<GrantForm>,
) -> AppResult<HttpResponse> {
    let id = BadgeId(path.into_inner());
    state
        .db_as(actor, move |conn, actor, ctx| {
            service::grant_by_hand(ctx, conn, actor, id, &form)
        })
        .await?;
    Ok(see_other(&super::badges::url(id)))
}

async fn revoke_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<GrantForm>,
) -> AppResult<HttpResponse> {
    let id = BadgeId(path.into_inner());
    state
        .db_as(actor, move |conn, actor, ctx| {
            service::revoke_by_hand(ctx, conn, actor, id, &form)
        })
        .await?;
    Ok(see_other(&super::badges::url(id)))
}

async fn enabled_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<EnabledForm>,
) -> AppResult<HttpResponse> {
    let id = BadgeId(path.into_inner());
    state
        .db_as(actor, move |conn, actor, _| {
            service::set_enabled(conn, actor, id, form.enabled)
        })
        .await?;
    Ok(see_other(&super::badges::url(id)))
}

async fn member_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let locale = locale(&req);
    let username = path.into_inner();
    let me = actor.user.as_ref().map(|u| u.username.to_lowercase());
    let is_self = me.as_deref() == Some(username.to_lowercase().as_str());
    let (profile, grants, featured_ids) = state
        .db_as(actor, move |conn, actor, ctx| {
            let user = crate::accounts::service::user_by_username(conn, &username)?;
            let grants = service::of_member(ctx, conn, actor, &user.username, locale)?;
            let chosen: Vec<BadgeId> = featured::parse(user.featured_badges.as_deref())
                .into_iter()
                .map(|f| f.id)
                .collect();
            Ok((
                crate::accounts::model::PublicUser::from(&user),
                grants,
                chosen,
            ))
        })
        .await?;
    // Each badge once, for the featured choice.
    let mut held: Vec<(BadgeId, String)> = vec![];
    for g in &grants {
        if !held.iter().any(|(id, _)| *id == g.badge.id) {
            held.push((g.badge.id, g.badge.name.clone()));
        }
    }
    Page::from_request(&req).render(
        &state,
        "reputation/member.html",
        context! {
            profile => profile, grants => grants, is_self => is_self, max => featured::MAX,
            held => held, featured_ids => featured_ids,
        },
    )
}

/// The page's choice of featured badges: up to three slots, each a badge id or empty.
#[derive(Clone, Debug, Deserialize)]
pub struct FeaturedSlots {
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub first: Option<i64>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub second: Option<i64>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub third: Option<i64>,
}

async fn featured_submit(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<FeaturedSlots>,
) -> AppResult<HttpResponse> {
    let username = actor.require_user()?.username.clone();
    let ids: Vec<BadgeId> = [form.first, form.second, form.third]
        .into_iter()
        .flatten()
        .map(BadgeId)
        .collect();
    state
        .db_as(actor, move |conn, actor, _| {
            featured::set(conn, actor, &ids)
        })
        .await?;
    Ok(see_other_saved(&format!("/u/{username}/badges")))
}

/// Which board: `period` (`week`, `month`, `all`; default `week`) and a category's slug.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct BoardQuery {
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub category: Option<String>,
}

async fn leaderboard_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    query: web::Query<BoardQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let (board, categories) = state
        .db_as(actor, move |conn, actor, _| {
            Ok((
                leaderboard::board(conn, actor, &query.period, query.category.as_deref())?,
                crate::policy::visible_categories(conn, actor)?,
            ))
        })
        .await?;
    let categories: Vec<(String, String)> =
        categories.into_iter().map(|c| (c.slug, c.name)).collect();
    Page::from_request(&req).render(
        &state,
        "reputation/leaderboard.html",
        context! { board => board, categories => categories },
    )
}

/// Leaving the leaderboards (or coming back).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct OptOutForm {
    #[serde(default, deserialize_with = "crate::forum::model::checkbox")]
    pub opt_out: bool,
}

async fn opt_out_submit(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<OptOutForm>,
) -> AppResult<HttpResponse> {
    state
        .db_as(actor, move |conn, actor, _| {
            leaderboard::set_opt_out(conn, actor, form.opt_out)
        })
        .await?;
    Ok(see_other_saved("/leaderboard"))
}

/// Every badge: its tier, how to earn it, how many hold it (disabled badges for the community
/// manager only).
#[utoipa::path(get, path = "/api/v1/badges", tag = "reputation",
    responses((status = 200, body = Vec<BadgeView>)))]
pub async fn api_list(state: State, req: HttpRequest, actor: Actor) -> AppResult<HttpResponse> {
    let locale = locale(&req);
    let list = state
        .db_as(actor, move |conn, actor, ctx| {
            service::list(ctx, conn, actor, locale)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// A custom badge (community manager): names in English and Spanish, a tier, one of the
/// built-in icons.
#[utoipa::path(post, path = "/api/v1/badges", tag = "reputation", request_body = BadgeForm,
    responses((status = 201, body = BadgeView), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_create(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    form: web::Json<BadgeForm>,
) -> AppResult<HttpResponse> {
    let locale = locale(&req);
    let form = form.into_inner();
    let made = state
        .db_as(actor, move |conn, actor, ctx| {
            service::create(ctx, conn, actor, &form, locale)
        })
        .await?;
    Ok(HttpResponse::Created().json(made))
}

/// One badge with the members who earned it most recently.
#[utoipa::path(get, path = "/api/v1/badges/{id}", tag = "reputation",
    params(("id" = i64, Path, description = "Badge id")),
    responses((status = 200, body = BadgePage), (status = 404, body = ErrorBody)))]
pub async fn api_badge(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let locale = locale(&req);
    let id = BadgeId(path.into_inner());
    let page = state
        .db_as(actor, move |conn, actor, ctx| {
            service::page(ctx, conn, actor, id, locale)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Grant a custom badge to a member with a reason (community manager); the member is told.
#[utoipa::path(post, path = "/api/v1/badges/{id}/grants", tag = "reputation",
    params(("id" = i64, Path, description = "Badge id")), request_body = GrantForm,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_grant(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<GrantForm>,
) -> AppResult<HttpResponse> {
    let id = BadgeId(path.into_inner());
    let form = form.into_inner();
    state
        .db_as(actor, move |conn, actor, ctx| {
            service::grant_by_hand(ctx, conn, actor, id, &form)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Revoke a member's badge with a reason (community manager); the member is told and the
/// revocation is logged.
#[utoipa::path(post, path = "/api/v1/badges/{id}/revocations", tag = "reputation",
    params(("id" = i64, Path, description = "Badge id")), request_body = GrantForm,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_revoke(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<GrantForm>,
) -> AppResult<HttpResponse> {
    let id = BadgeId(path.into_inner());
    let form = form.into_inner();
    state
        .db_as(actor, move |conn, actor, ctx| {
            service::revoke_by_hand(ctx, conn, actor, id, &form)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Turn a badge on or off (community manager); a built-in badge turned on is backfilled over
/// every member.
#[utoipa::path(put, path = "/api/v1/badges/{id}/enabled", tag = "reputation",
    params(("id" = i64, Path, description = "Badge id")), request_body = EnabledForm,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_enabled(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<EnabledForm>,
) -> AppResult<HttpResponse> {
    let id = BadgeId(path.into_inner());
    let enabled = form.into_inner().enabled;
    state
        .db_as(actor, move |conn, actor, _| {
            service::set_enabled(conn, actor, id, enabled)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every badge a member holds, newest first.
#[utoipa::path(get, path = "/api/v1/users/{username}/badges", tag = "reputation",
    params(("username" = String, Path, description = "Username")),
    responses((status = 200, body = Vec<GrantView>), (status = 404, body = ErrorBody)))]
pub async fn api_member(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let locale = locale(&req);
    let username = path.into_inner();
    let grants = state
        .db_as(actor, move |conn, actor, ctx| {
            service::of_member(ctx, conn, actor, &username, locale)
        })
        .await?;
    Ok(HttpResponse::Ok().json(grants))
}

/// Choose up to three of your badges to show by your name on posts (an empty list shows none).
#[utoipa::path(put, path = "/api/v1/me/featured-badges", tag = "reputation",
    request_body = FeaturedForm,
    responses((status = 200, body = Vec<Featured>), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_featured(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<FeaturedForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let chosen = state
        .db_as(actor, move |conn, actor, _| {
            featured::set(conn, actor, &form.badges)
        })
        .await?;
    Ok(HttpResponse::Ok().json(chosen))
}

/// A leaderboard: `period` `week` (default), `month` or `all`, overall or for a category;
/// dense ranking; staff, suspended members and members who opted out are left out.
#[utoipa::path(get, path = "/api/v1/leaderboard", tag = "reputation", params(BoardQuery),
    responses((status = 200, body = Leaderboard), (status = 422, body = ErrorBody)))]
pub async fn api_leaderboard(
    state: State,
    actor: Actor,
    query: web::Query<BoardQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let board = state
        .db_as(actor, move |conn, actor, _| {
            leaderboard::board(conn, actor, &query.period, query.category.as_deref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(board))
}

/// Leave the leaderboards (`opt_out: true`) or come back.
#[utoipa::path(put, path = "/api/v1/me/leaderboard", tag = "reputation", request_body = OptOutForm,
    responses((status = 204), (status = 401, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_opt_out(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<OptOutForm>,
) -> AppResult<HttpResponse> {
    let out = form.into_inner().opt_out;
    state
        .db_as(actor, move |conn, actor, _| {
            leaderboard::set_opt_out(conn, actor, out)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
