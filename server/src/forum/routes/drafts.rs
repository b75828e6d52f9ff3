//! Drafts over HTTP: the composer's script keeps the text on the server as the member types
//! (`/api/v1/threads/{id}/draft` for a reply, `/api/v1/me/draft` for a new thread); without
//! JavaScript the composers' "Save draft" buttons post to `/t/{id}/draft` and `/new/draft`.

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::ErrorBody;
use crate::error::AppResult;
use crate::forum::model::ThreadId;
use crate::forum::service::drafts::{self, Draft, DraftForm, DraftOf};
use crate::forum::service::{thread_url, visible_thread};
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::page::see_other_saved;
use crate::http::state::State;
use crate::policy::Actor;

/// The composer's fields as its "Save draft" button posts them (the new-thread form also
/// sends its category and kind, which a draft does not keep).
#[derive(Deserialize)]
pub(super) struct DraftPageForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

pub(super) async fn save_reply_page(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<DraftPageForm>,
) -> AppResult<HttpResponse> {
    let thread = ThreadId(path.into_inner());
    let form = DraftForm {
        title: String::new(),
        body: form.body,
    };
    let url = state
        .db_as(actor, move |conn, actor, _| {
            drafts::save(conn, actor, DraftOf::Reply(thread), &form)?;
            Ok(thread_url(&visible_thread(conn, actor, thread)?.0))
        })
        .await?;
    Ok(see_other_saved(&format!("{url}#reply")))
}

pub(super) async fn save_new_thread_page(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<DraftPageForm>,
) -> AppResult<HttpResponse> {
    let form = DraftForm {
        title: form.title,
        body: form.body,
    };
    state
        .db_as(actor, move |conn, actor, _| {
            drafts::save(conn, actor, DraftOf::NewThread, &form)
        })
        .await?;
    Ok(see_other_saved("/new"))
}

async fn get(state: &State, actor: Actor, of: DraftOf) -> AppResult<HttpResponse> {
    let draft = state
        .db_as(actor, move |conn, actor, _| drafts::get(conn, actor, of))
        .await?;
    Ok(match draft {
        Some(draft) => HttpResponse::Ok().json(draft),
        None => HttpResponse::NoContent().finish(),
    })
}

async fn put(state: &State, actor: Actor, of: DraftOf, form: DraftForm) -> AppResult<HttpResponse> {
    let draft = state
        .db_as(actor, move |conn, actor, _| {
            drafts::save(conn, actor, of, &form)
        })
        .await?;
    Ok(match draft {
        Some(draft) => HttpResponse::Ok().json(draft),
        None => HttpResponse::NoContent().finish(),
    })
}

async fn delete(state: &State, actor: Actor, of: DraftOf) -> AppResult<HttpResponse> {
    state
        .db_as(actor, move |conn, actor, _| {
            drafts::discard(conn, actor, of)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The member's unsent reply to a thread (204 when there is none).
#[utoipa::path(get, path = "/api/v1/threads/{id}/draft", tag = "forum",
    params(("id" = i64, Path, description = "Thread id")),
    responses((status = 200, body = Draft), (status = 204), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_get_reply(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    get(&state, actor, DraftOf::Reply(ThreadId(path.into_inner()))).await
}

/// Keeps the member's unsent reply (an empty one is discarded: 204).
#[utoipa::path(put, path = "/api/v1/threads/{id}/draft", tag = "forum",
    params(("id" = i64, Path, description = "Thread id")), request_body = DraftForm,
    responses((status = 200, body = Draft), (status = 204), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_put_reply(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<DraftForm>,
) -> AppResult<HttpResponse> {
    let of = DraftOf::Reply(ThreadId(path.into_inner()));
    put(&state, actor, of, form.into_inner()).await
}

/// Discards the member's unsent reply.
#[utoipa::path(delete, path = "/api/v1/threads/{id}/draft", tag = "forum",
    params(("id" = i64, Path, description = "Thread id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_delete_reply(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    delete(&state, actor, DraftOf::Reply(ThreadId(path.into_inner()))).await
}

/// The member's unsent new thread (204 when there is none).
#[utoipa::path(get, path = "/api/v1/me/draft", tag = "forum",
    responses((status = 200, body = Draft), (status = 204), (status = 401, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_get_new(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    get(&state, actor, DraftOf::NewThread).await
}

/// Keeps the member's unsent new thread (title and text; both empty discards it: 204).
#[utoipa::path(put, path = "/api/v1/me/draft", tag = "forum", request_body = DraftForm,
    responses((status = 200, body = Draft), (status = 204), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_put_new(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<DraftForm>,
) -> AppResult<HttpResponse> {
    put(&state, actor, DraftOf::NewThread, form.into_inner()).await
}

/// Discards the member's unsent new thread.
#[utoipa::path(delete, path = "/api/v1/me/draft", tag = "forum",
    responses((status = 204), (status = 401, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_delete_new(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    delete(&state, actor, DraftOf::NewThread).await
}
