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
    api.get("/search", api_search);
}

async fn search_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    query: web::Query<SearchQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    // The bare page (no words yet) shows the form; anything typed is searched.
    let results = if query.q.trim().is_empty() {
        None
    } else {
        let query = query.clone();
        Some(
            state
                .db_as(actor, move |conn, actor, _| search(conn, actor, &query))
                .await?,
        )
    };
    Page::from_request(&req).render(
        &state,
        "search/search.html",
        context! {
            q => query.q.trim(),
            thread => query.thread,
            author => query.author,
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
        .db_as(actor, move |conn, actor, _| search(conn, actor, &query))
        .await?;
    Ok(HttpResponse::Ok().json(results))
}
