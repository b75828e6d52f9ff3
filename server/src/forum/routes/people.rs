//! The member directory (`/u`, `GET /api/v1/users`) and generated avatars.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::ErrorBody;
use crate::error::AppResult;
use crate::forum::service::people::{self, DirectorySort, MemberCard};
use crate::http::auth::SignedIn;
use crate::http::page::Page;
use crate::http::state::State;
use crate::policy::Actor;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DirectoryQuery {
    /// Part of a username or display name (any case).
    pub q: Option<String>,
    /// `activity` (the default: most recently seen first), `joined` (newest first) or `name`.
    pub sort: Option<String>,
}

async fn members(state: &State, actor: Actor, query: DirectoryQuery) -> AppResult<Vec<MemberCard>> {
    let sort = DirectorySort::parse(query.sort.as_deref())?;
    let search = query.q.unwrap_or_default();
    state
        .db_as(actor, move |conn, actor, _| {
            people::directory(conn, actor, &search, sort)
        })
        .await
}

pub(super) async fn directory_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    query: web::Query<DirectoryQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let search = query.q.clone().unwrap_or_default();
    let sort = query.sort.clone().unwrap_or_else(|| "activity".into());
    let list = members(&state, actor.clone(), query).await?;
    Page::new(&req, actor.user.as_ref()).render(
        &state,
        "forum/directory.html",
        context! {
            members => list, search => search, sort => sort, sorts => DirectorySort::ALL,
            size => people::DIRECTORY_SIZE,
        },
    )
}

/// The member directory: members matching `q`, suspended ones left out, with their count of
/// posts the reader may see.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(DirectoryQuery),
    responses((status = 200, body = Vec<MemberCard>), (status = 422, body = ErrorBody)))]
pub async fn api_directory(
    state: State,
    actor: Actor,
    query: web::Query<DirectoryQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(members(&state, actor, query.into_inner()).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MentionQuery {
    /// The start of a username (an `@` before it is ignored); up to 30 letters, digits, `_`,
    /// `.` or `-`. Empty only with `thread`.
    pub q: Option<String>,
    /// The thread being answered: its participants come first.
    pub thread: Option<i64>,
}

/// Who the composer's `@` may suggest (signed-in members; at most 60 lookups a minute each).
#[utoipa::path(get, path = "/api/v1/mentions", tag = "forum", params(MentionQuery),
    responses((status = 200, body = Vec<people::Mentionable>), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_mentions(
    state: State,
    SignedIn(actor): SignedIn,
    query: web::Query<MentionQuery>,
) -> AppResult<HttpResponse> {
    let user = actor.require_user()?.id;
    state.limit(
        &format!("mentions:{}", user.0),
        60,
        std::time::Duration::from_secs(60),
    )?;
    let MentionQuery { q, thread } = query.into_inner();
    let thread = thread.map(crate::forum::model::ThreadId);
    let found = state
        .db_as(actor, move |conn, actor, _| {
            people::mentionable(conn, actor, q.as_deref().unwrap_or(""), thread)
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// `/u/{username}/card`: the member's card as an HTML fragment (for the page's script, which
/// opens it over the page when a name is pressed; without JavaScript names link to profiles).
pub(super) async fn card_fragment(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let card = state
        .db_as(actor.clone(), move |conn, actor, _| {
            people::card(conn, actor, &username)
        })
        .await?;
    Page::new(&req, actor.user.as_ref()).render(
        &state,
        "forum/user_card.html",
        context! { card => card },
    )
}

/// A member's card: who they are and their posts, solutions and reactions received in the
/// categories the reader may see.
#[utoipa::path(get, path = "/api/v1/users/{username}/card", tag = "accounts",
    params(("username" = String, Path, description = "Username (any case)")),
    responses((status = 200, body = people::MemberCardView), (status = 404, body = ErrorBody)))]
pub async fn api_card(
    state: State,
    actor: Actor,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let card = state
        .db_as(actor, move |conn, actor, _| {
            people::card(conn, actor, &username)
        })
        .await?;
    Ok(HttpResponse::Ok().json(card))
}

/// `/u/{username}/avatar.svg`: the member's generated avatar (from the name alone).
pub(super) async fn avatar(path: web::Path<String>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(people::avatar_svg(&path.into_inner()))
}
