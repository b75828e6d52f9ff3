//! `/search` (the page the header's box submits to; works without JavaScript) and
//! `GET /api/v1/search`.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::service::{search, Results, SearchQuery};
use crate::error::{AppResult, ErrorBody};
use crate::http::page::Page;
use crate::http::routing::ApiRoutes;
use crate::http::state::State;
use crate::policy::Actor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/search", web::get().to(search_page));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/search", api_search)
        .get("/search/similar", api_similar);
}

/// The title being written.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct SimilarQuery {
    #[serde(default)]
    pub title: String,
}

/// Up to five threads you may see whose titles share words with `title`, solved ones first
/// (the new-thread form asks while you type). A title over 200 characters is
/// `422 query_too_long`; an empty one finds nothing.
#[utoipa::path(get, path = "/api/v1/search/similar", tag = "search", params(SimilarQuery),
    responses((status = 200, body = Vec<super::service::Similar>), (status = 422, body = ErrorBody)))]
pub async fn api_similar(
    state: State,
    actor: Actor,
    query: web::Query<SimilarQuery>,
) -> AppResult<HttpResponse> {
    let title = query.into_inner().title;
    let found = state
        .db_as(actor, move |conn, actor, ctx| {
            super::service::similar(conn, &ctx.search, actor, &title)
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

async fn search_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    query: web::Query<SearchQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let asked = query.clone();
    // The bare page (no words yet) shows the form; anything typed is searched.
    let (results, categories) = state
        .db_as(actor, move |conn, actor, ctx| {
            let categories: Vec<(String, String)> = crate::policy::visible_categories(conn, actor)?
                .into_iter()
                .map(|c| (c.slug, c.name))
                .collect();
            let results = if asked.q.trim().is_empty() {
                None
            } else {
                Some(search(conn, &ctx.search, actor, &asked)?)
            };
            Ok((results, categories))
        })
        .await?;
    // The next page keeps every filter.
    let next_query = results
        .as_ref()
        .and_then(|r| r.next_cursor.clone())
        .and_then(|cursor| {
            let mut next = query.clone();
            next.cursor = Some(cursor);
            serde_urlencoded::to_string(&next).ok()
        });
    // The same words, everywhere.
    let everywhere = serde_urlencoded::to_string([("q", query.q.trim())]).unwrap_or_default();
    Page::from_request(&req).render(
        &state,
        "search/search.html",
        context! {
            q => query.q.trim(),
            everywhere => everywhere,
            next_query => next_query,
            query => query,
            categories => categories,
            results => results,
        },
    )
}

/// Search the posts you may see: ranked (title matches first), with snippets; within one
/// `thread` or one `author`'s posts; paged by `cursor`. Spanish and English words match their
/// other forms and accents are ignored. An empty query is `422 query_empty`, one over 200
/// characters `422 query_too_long`; a query of only stop words finds nothing.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = Results), (status = 422, body = ErrorBody)))]
pub async fn api_search(
    state: State,
    actor: Actor,
    query: web::Query<SearchQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let results = state
        .db_as(actor, move |conn, actor, ctx| {
            search(conn, &ctx.search, actor, &query)
        })
        .await?;
    Ok(HttpResponse::Ok().json(results))
}
