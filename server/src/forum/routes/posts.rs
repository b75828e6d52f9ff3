//! Posts: edit (with history), accept as the answer, react, bookmark, and the Markdown preview.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Serialize;

use super::{post_json, ErrorBody, Wrote};
use crate::accounts::model::CurrentUser;
use crate::error::AppResult;
use crate::forum::model::*;
use crate::forum::service::engagement::{toggle_bookmark, toggle_reaction};
use crate::forum::service::{self, posting};
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::csrf::NoFields;
use crate::http::page::{see_other, Page};
use crate::http::state::{State, Submitted};
use crate::policy::Actor;

/// The edit form of `post`: the stored text, or what was typed (`typed`, with its `errors`).
fn show_edit(
    state: &State,
    req: &HttpRequest,
    (post, thread): (Post, Thread),
    typed: Option<(minijinja::Value, BTreeMap<String, String>)>,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let (values, errors) = match typed {
        Some((values, errors)) => (values, Some(errors)),
        None => (context! { body => post.raw.clone() }, None),
    };
    Page::from_request(req).render_with_status(
        state,
        "forum/edit_post.html",
        context! {
            post => post, thread => thread, thread_url => service::thread_url(&thread),
            values => values, errors => errors,
        },
        status,
    )
}

pub(super) async fn edit_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let editing = state
        .db_as(actor, move |conn, actor, _| {
            posting::post_for_edit(conn, actor, id)
        })
        .await?;
    show_edit(&state, &req, editing, None, StatusCode::OK)
}

pub(super) async fn edit_submit(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let values = context! { body => form.body.clone(), reason => form.reason.clone() };
    let submitted = state
        .submit_as(
            actor,
            move |conn, actor, state| {
                posting::edit_post(conn, actor, id, &form, &state.forum_settings())
            },
            move |conn, actor, _| posting::post_for_edit(conn, actor, id),
        )
        .await?;
    let (error, editing) = match submitted {
        Submitted::Done((post, thread)) => {
            return Ok(see_other(&service::post_url(&thread, post.number)))
        }
        Submitted::Refused(error, editing) => (error, editing),
    };
    let page = Page::from_request(&req);
    let errors = page.form_errors(&state, &error).unwrap_or_default();
    show_edit(
        &state,
        &req,
        editing,
        Some((values, errors)),
        error.status(),
    )
}

/// Edit a post (its author or a moderator); every version is kept.
#[utoipa::path(patch, path = "/api/v1/posts/{id}", tag = "forum", params(("id" = i64, Path, description = "Post id")), request_body = EditForm,
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_edit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<EditForm>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let form = form.into_inner();
    post_json(&state, actor, Wrote::Changed, move |conn, actor, ctx| {
        posting::edit_post(conn, actor, id, &form, &ctx.forum_settings())
    })
    .await
}

async fn revisions(
    state: &State,
    actor: Actor,
    id: i64,
) -> AppResult<(Post, Thread, Vec<RevisionView>)> {
    state
        .db_as(actor, move |conn, actor, _| {
            posting::revisions(conn, actor, PostId(id))
        })
        .await
}

pub(super) async fn history_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (post, thread, revisions) = revisions(&state, actor.clone(), path.into_inner()).await?;
    Page::new(&req, actor.user.as_ref()).render(
        &state,
        "forum/history.html",
        context! {
            post => post, thread => thread, revisions => revisions,
            post_url => service::post_url(&thread, post.number),
        },
    )
}

/// One post as the thread page shows it (its header, text, reactions and actions), with the
/// thread's reply count: what the page's script inserts after a reply sent without reload.
pub(super) async fn fragment(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let page = state
        .db_as(actor.clone(), move |conn, actor, _| {
            crate::forum::service::listing::post_in_page(conn, actor, id)
        })
        .await?;
    Page::new(&req, actor.user.as_ref()).render(
        &state,
        "forum/post_fragment.html",
        context! { page => page, reactions => ReactionKind::ALL },
    )
}

/// Every version of a post, newest first.
#[utoipa::path(get, path = "/api/v1/posts/{id}/revisions", tag = "forum", params(("id" = i64, Path, description = "Post id")),
    responses((status = 200, body = Vec<RevisionView>), (status = 404, body = ErrorBody)))]
pub async fn api_revisions(
    state: State,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (_, _, revisions) = revisions(&state, actor, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(revisions))
}

async fn accept(state: &State, actor: Actor, id: i64) -> AppResult<Thread> {
    state
        .db_as(actor, move |conn, actor, _| {
            posting::toggle_accepted(conn, actor, PostId(id))
        })
        .await
}

pub(super) async fn accept_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let thread = accept(&state, actor, path.into_inner()).await?;
    Ok(see_other(&service::thread_url(&thread)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AcceptedState {
    /// The accepted post's id, or null when none is accepted now.
    pub accepted_post_id: Option<PostId>,
}

/// Mark a reply as the answer to its question, or unmark it.
#[utoipa::path(post, path = "/api/v1/posts/{id}/accept", tag = "forum", params(("id" = i64, Path, description = "Post id")),
    responses((status = 200, body = AcceptedState), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_accept(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let thread = accept(&state, actor, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(AcceptedState {
        accepted_post_id: thread.accepted_post_id,
    }))
}

pub(super) async fn react_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReactForm>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let (post, thread) = state
        .db_as(actor, move |conn, actor, _| {
            toggle_reaction(conn, actor, id, &form)
        })
        .await?;
    Ok(see_other(&service::post_url(&thread, post.number)))
}

/// Add a reaction, or take it back.
#[utoipa::path(post, path = "/api/v1/posts/{id}/reactions", tag = "forum", params(("id" = i64, Path, description = "Post id")), request_body = ReactForm,
    responses((status = 200, body = PostView), (status = 422, body = ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_react(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<ReactForm>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let form = form.into_inner();
    post_json(&state, actor, Wrote::Changed, move |conn, actor, _| {
        toggle_reaction(conn, actor, id, &form)
    })
    .await
}

async fn bookmark(state: &State, actor: Actor, id: i64) -> AppResult<(bool, Post, Thread)> {
    state
        .db_as(actor, move |conn, actor, _| {
            toggle_bookmark(conn, actor, PostId(id))
        })
        .await
}

pub(super) async fn bookmark_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (_, post, thread) = bookmark(&state, actor, path.into_inner()).await?;
    Ok(see_other(&service::post_url(&thread, post.number)))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BookmarkState {
    pub bookmarked: bool,
}

/// Bookmark a post, or remove the bookmark.
#[utoipa::path(post, path = "/api/v1/posts/{id}/bookmark", tag = "forum", params(("id" = i64, Path, description = "Post id")),
    responses((status = 200, body = BookmarkState), (status = 404, body = ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_bookmark(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (bookmarked, _, _) = bookmark(&state, actor, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(BookmarkState { bookmarked }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PreviewHtml {
    pub html: String,
}

/// Render Markdown exactly as a post would be, without saving it.
#[utoipa::path(post, path = "/api/v1/preview", tag = "forum", request_body = PreviewForm,
    responses((status = 200, body = PreviewHtml), (status = 422, body = ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_preview(
    state: State,
    _user: CurrentUser,
    form: web::Json<PreviewForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    // A database hop only to look up mentioned members; the rendering holds no connection.
    let known = if crate::forum::markdown::mentions(&form.body).is_empty() {
        Default::default()
    } else {
        let raw = form.body.clone();
        state
            .db(move |conn, _| posting::known_mentions(conn, &raw))
            .await?
    };
    let settings = state.forum_settings();
    let html = web::block(move || posting::preview(&form, &known, &settings))
        .await
        .map_err(crate::error::AppError::from)??;
    Ok(HttpResponse::Ok().json(PreviewHtml { html }))
}
