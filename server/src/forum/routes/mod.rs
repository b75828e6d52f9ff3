//! Forum pages and their `/api/v1` twins, by what they serve: `lists` (home, latest, a
//! category's or a member's threads, bookmarks), `threads` (start, read, reply, watch,
//! moderate), `posts` (edit, history, accept, react, bookmark, preview) and `categories`
//! (category list and watching, the admin's category pages). A page and its API twin call the
//! same service function with the same form; they differ only in reading input (form + CSRF or
//! JSON) and writing output (render or redirect, or JSON).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::context::AppContext;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::forum::model::{Post, Thread};
use crate::forum::service::listing::{new_post_view, post_view};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;
use crate::policy::Actor;

pub mod categories;
pub mod drafts;
pub mod lists;
pub mod people;
pub mod posts;
pub mod threads;

type ErrorBody = crate::error::ErrorBody;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(lists::home))
        .route("/latest", web::get().to(lists::latest_page))
        .route("/c/{slug}", web::get().to(lists::category_page))
        .route(
            "/c/{slug}/watch",
            web::post().to(categories::category_watch),
        )
        .route("/new", web::get().to(threads::new_thread_page))
        .route("/new", web::post().to(threads::new_thread_submit))
        .route("/new/draft", web::post().to(drafts::save_new_thread_page))
        .route("/t/{id}/draft", web::post().to(drafts::save_reply_page))
        // Before `/t/{slug}/{id}`, which would take `live` for an id.
        .route("/t/{id}/live", web::get().to(threads::live))
        .route("/t/{slug}/{id}", web::get().to(threads::thread_page))
        .route("/t/{slug}/{id}/{number}", web::get().to(threads::permalink))
        .route("/t/{id}/reply", web::post().to(threads::reply_submit))
        .route("/t/{id}/watch", web::post().to(threads::thread_watch))
        .route("/t/{id}/moderate", web::post().to(threads::thread_moderate))
        .route("/p/{id}/edit", web::get().to(posts::edit_page))
        .route("/p/{id}/edit", web::post().to(posts::edit_submit))
        .route("/p/{id}/history", web::get().to(posts::history_page))
        .route("/p/{id}/fragment", web::get().to(posts::fragment))
        .route("/p/{id}/accept", web::post().to(posts::accept_submit))
        .route("/p/{id}/react", web::post().to(posts::react_submit))
        .route("/p/{id}/bookmark", web::post().to(posts::bookmark_submit))
        .route("/bookmarks", web::get().to(lists::bookmarks_page))
        .route("/u", web::get().to(people::directory_page))
        .route("/u/{username}/avatar.svg", web::get().to(people::avatar))
        .route("/u/{username}/card", web::get().to(people::card_fragment))
        .route(
            "/admin/categories",
            web::get().to(categories::admin_categories_page),
        )
        .route(
            "/admin/categories",
            web::post().to(categories::admin_category_create),
        )
        .route(
            "/admin/categories/{id}",
            web::post().to(categories::admin_category_update),
        )
        .route(
            "/admin/categories/{id}/move",
            web::post().to(categories::admin_category_move),
        );
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/categories", categories::api_categories)
        .get("/categories/{slug}/threads", lists::api_category_threads)
        .put("/categories/{slug}/watch", categories::api_category_watch)
        .get("/latest", lists::api_latest)
        .post("/threads", threads::api_create_thread)
        .get("/threads/{id}", threads::api_thread)
        .post("/threads/{id}/posts", threads::api_reply)
        .get("/threads/{id}/draft", drafts::api_get_reply)
        .put("/threads/{id}/draft", drafts::api_put_reply)
        .delete("/threads/{id}/draft", drafts::api_delete_reply)
        .get("/me/draft", drafts::api_get_new)
        .put("/me/draft", drafts::api_put_new)
        .delete("/me/draft", drafts::api_delete_new)
        .put("/threads/{id}/watch", threads::api_thread_watch)
        .post("/threads/{id}/moderation", threads::api_moderate)
        .patch("/posts/{id}", posts::api_edit)
        .get("/posts/{id}/revisions", posts::api_revisions)
        .post("/posts/{id}/accept", posts::api_accept)
        .post("/posts/{id}/reactions", posts::api_react)
        .post("/posts/{id}/bookmark", posts::api_bookmark)
        .get("/bookmarks", lists::api_bookmarks)
        .get("/users/{username}/threads", lists::api_user_threads)
        .get("/users", people::api_directory)
        .get("/users/{username}/card", people::api_card)
        .get("/mentions", people::api_mentions)
        .post("/preview", posts::api_preview)
        .post("/admin/categories", categories::api_admin_create_category)
        .put(
            "/admin/categories/{id}",
            categories::api_admin_update_category,
        );
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AfterQuery {
    /// Cursor from the previous page's `next_after`.
    pub after: Option<String>,
    /// Which threads: `all` (the default), `unanswered`, `unsolved`, `solved`, `questions`,
    /// `mine` (signed in), `needs_staff` (staff), or the most reactions among threads started
    /// in a period: `top_week`, `top_month`, `top_year`, `top_all`. Lists other than Latest and
    /// a category's ignore it.
    pub filter: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PostAfterQuery {
    /// Show posts numbered after this one (the previous page's `next_after`).
    pub after: Option<i32>,
    /// Prefill the reply box with a quote of this post number.
    pub quote: Option<i32>,
}

/// What a write did to a post: wrote a new one (`201 Created`) or changed one (`200 OK`).
#[derive(Clone, Copy)]
enum Wrote {
    New,
    Changed,
}

/// The API answer to a write on a post (reply, edit, reaction): the post as the actor now sees
/// it, read in the same hop as the write.
async fn post_json(
    state: &State,
    actor: Actor,
    wrote: Wrote,
    write: impl FnOnce(&mut DbConnection, &Actor, &AppContext) -> AppResult<(Post, Thread)>
        + Send
        + 'static,
) -> AppResult<HttpResponse> {
    let view = state
        .db_as(actor, move |conn, actor, ctx| {
            let (post, thread) = write(conn, actor, ctx)?;
            match wrote {
                Wrote::New => new_post_view(conn, actor, &post, &thread),
                Wrote::Changed => post_view(conn, actor, &post, &thread),
            }
        })
        .await?;
    let status = match wrote {
        Wrote::New => StatusCode::CREATED,
        Wrote::Changed => StatusCode::OK,
    };
    Ok(HttpResponse::build(status).json(view))
}
