//! Thread lists: the home page, latest activity, a category's threads, a member's threads, and
//! the reader's bookmarks.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::{AfterQuery, ErrorBody};
use crate::error::AppResult;
use crate::forum::model::*;
use crate::forum::service::categories::list_categories;
use crate::forum::service::listing::{self, ListScope};
use crate::http::auth::SignedIn;
use crate::http::page::Page;
use crate::http::state::State;
use crate::policy::Actor;

pub(super) async fn home(state: State, req: HttpRequest, actor: Actor) -> AppResult<HttpResponse> {
    let (categories, latest, new_since) = state
        .db_as(actor.clone(), |conn, actor, _| {
            let categories = list_categories(conn, actor)?;
            let latest =
                listing::list_threads(conn, actor, ListScope::Latest, ListFilter::All, None)?;
            let new_since = listing::new_since_last_visit(conn, actor)?;
            Ok((categories, latest, new_since))
        })
        .await?;
    // The first-week path comes with the member's row: no query.
    let first_week = actor
        .user
        .as_ref()
        .and_then(crate::reputation::first_week::checklist);
    Page::new(&req, actor.user.as_ref()).render(
        &state,
        "forum/home.html",
        context! {
            categories => categories, list => latest, new_since => new_since,
            first_week => first_week,
        },
    )
}

async fn latest(state: &State, actor: Actor, query: AfterQuery) -> AppResult<ThreadList> {
    let filter = listing::parse_filter(query.filter.as_deref())?;
    state
        .db_as(actor, move |conn, actor, _| {
            listing::list_threads(
                conn,
                actor,
                ListScope::Latest,
                filter,
                query.after.as_deref(),
            )
        })
        .await
}

/// The filters a list offers the viewer, and the one shown.
fn filters_for(actor: &Actor, query: &AfterQuery) -> minijinja::Value {
    let current = query.filter.as_deref().unwrap_or("all").to_string();
    // One "Top" link; on a top list, its periods.
    let on_top = ListFilter::parse(&current).is_some_and(|f| f.top_period().is_some());
    let offered: Vec<&str> = ListFilter::ALL
        .iter()
        .filter(|f| match f {
            ListFilter::Mine => actor.user.is_some(),
            ListFilter::NeedsStaff => crate::forum::service::can_see_staff_backlog(actor),
            ListFilter::TopMonth => true,
            f if f.top_period().is_some() => on_top,
            _ => true,
        })
        .map(|f| f.as_str())
        .collect();
    context! { offered => offered, current => current }
}

pub(super) async fn latest_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let filters = filters_for(&actor, &query);
    let list = latest(&state, actor.clone(), query).await?;
    Page::new(&req, actor.user.as_ref()).render(
        &state,
        "forum/latest.html",
        context! { list => list, filters => filters },
    )
}

/// Latest activity across every visible category (minus what the viewer muted).
#[utoipa::path(get, path = "/api/v1/latest", tag = "forum", params(AfterQuery),
    responses((status = 200, body = ThreadList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn api_latest(
    state: State,
    actor: Actor,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let list = latest(&state, actor, query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(list))
}

async fn category_threads(
    state: &State,
    actor: Actor,
    slug: String,
    query: AfterQuery,
) -> AppResult<(CategoryView, ThreadList)> {
    let filter = listing::parse_filter(query.filter.as_deref())?;
    state
        .db_as(actor, move |conn, actor, _| {
            listing::category_threads(conn, actor, &slug, filter, query.after.as_deref())
        })
        .await
}

pub(super) async fn category_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let filters = filters_for(&actor, &query);
    let (category, list) =
        category_threads(&state, actor.clone(), path.into_inner(), query).await?;
    Page::new(&req, actor.user.as_ref()).render(
        &state,
        "forum/category.html",
        context! {
            category => category, list => list, levels => WatchLevel::ALL, filters => filters,
        },
    )
}

/// A category's threads, pinned first, then by latest activity (keyset pages).
#[utoipa::path(get, path = "/api/v1/categories/{slug}/threads", tag = "forum", params(("slug" = String, Path, description = "Category slug"), AfterQuery),
    responses((status = 200, body = ThreadList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn api_category_threads(
    state: State,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let (_, list) = category_threads(&state, actor, path.into_inner(), query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Threads a member started, where the viewer may see them.
#[utoipa::path(get, path = "/api/v1/users/{username}/threads", tag = "forum", params(("username" = String, Path, description = "Username"), AfterQuery),
    responses((status = 200, body = ThreadList), (status = 404, body = ErrorBody)))]
pub async fn api_user_threads(
    state: State,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let (_, list) = state
        .db_as(actor, move |conn, actor, _| {
            listing::author_threads(conn, actor, &username, query.after.as_deref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

async fn bookmarks(state: &State, actor: Actor) -> AppResult<Vec<BookmarkView>> {
    state
        .db_as(actor, |conn, actor, _| listing::list_bookmarks(conn, actor))
        .await
}

pub(super) async fn bookmarks_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let marks = bookmarks(&state, actor).await?;
    Page::from_request(&req).render(
        &state,
        "forum/bookmarks.html",
        context! { bookmarks => marks },
    )
}

/// The viewer's bookmarks.
#[utoipa::path(get, path = "/api/v1/bookmarks", tag = "forum", responses((status = 200, body = Vec<BookmarkView>), (status = 401, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_bookmarks(state: State, actor: Actor) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(bookmarks(&state, actor).await?))
}
