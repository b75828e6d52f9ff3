//! Live Q&A over HTTP: the questions (`/api/v1/events/{id}/questions…` and the page's forms)
//! and the live stream of an event's questions (`GET /events/{id}/live`, server-sent events: a
//! `questions` event with the whole list at once and after every change, a comment every 15
//! seconds to keep the connection open).

use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use tokio::sync::broadcast::error::RecvError;

use super::model::EventId;
use super::questions::{self, Asked, QuestionForm, Questions, StateForm, Voted};
use crate::error::{AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::{CsrfForm, NoFields};
use crate::http::page::see_other;
use crate::http::routing::ApiRoutes;
use crate::http::state::State;
use crate::policy::Actor;

const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/events/{id}/live", web::get().to(live))
        .route("/events/{id}/questions", web::post().to(ask_submit))
        .route(
            "/events/{id}/questions/{question}/vote",
            web::post().to(vote_submit),
        )
        .route(
            "/events/{id}/questions/{question}/state",
            web::post().to(state_submit),
        );
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/events/{id}/questions", api_list)
        .post("/events/{id}/questions", api_ask)
        .post("/events/{id}/questions/{question}/vote", api_vote)
        .delete("/events/{id}/questions/{question}/vote", api_unvote)
        .post("/events/{id}/questions/{question}/state", api_state);
}

fn frame(questions: &Questions) -> Bytes {
    let json = serde_json::to_string(questions).unwrap_or_else(|_| "{}".into());
    Bytes::from(format!("event: questions\ndata: {json}\n\n"))
}

struct Watch {
    first: Option<Questions>,
    changes: tokio::sync::broadcast::Receiver<String>,
    state: State,
    actor: Actor,
    id: EventId,
}

/// The event's questions as they change, for as long as the reader keeps the page open.
async fn live(state: State, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    // Subscribe first, so no change between the first read and the stream is missed.
    let changes = state.live.subscribe();
    let first = state
        .db_as(actor.clone(), move |conn, actor, _| {
            questions::list(conn, actor, id)
        })
        .await?;
    let watch = Watch {
        first: Some(first),
        changes,
        state: state.clone(),
        actor,
        id,
    };
    let stream = futures_util::stream::unfold(watch, |mut watch| async move {
        if let Some(first) = watch.first.take() {
            return Some((Ok::<_, actix_web::Error>(frame(&first)), watch));
        }
        let topic = questions::topic(watch.id);
        loop {
            match actix_web::rt::time::timeout(KEEP_ALIVE, watch.changes.recv()).await {
                Err(_) => return Some((Ok(Bytes::from_static(b": keep-alive\n\n")), watch)),
                Ok(Err(RecvError::Closed)) => return None,
                Ok(Ok(changed)) if changed != topic => continue,
                // A change of this event (or, when messages were missed, maybe one).
                Ok(Ok(_)) | Ok(Err(RecvError::Lagged(_))) => {
                    let id = watch.id;
                    let read = watch
                        .state
                        .db_as(watch.actor.clone(), move |conn, actor, _| {
                            questions::list(conn, actor, id)
                        })
                        .await;
                    // The reader lost access (or the database failed): the stream ends.
                    let list = read.ok()?;
                    return Some((Ok(frame(&list)), watch));
                }
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        // Compression would hold the events back until a buffer fills.
        .insert_header(("Content-Encoding", "identity"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(stream))
}

fn back(id: i64) -> HttpResponse {
    see_other(&format!("/events/{id}#questions"))
}

async fn ask_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<QuestionForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    state
        .db_as(actor, move |conn, actor, ctx| {
            questions::ask(conn, ctx, actor, EventId(id), &form)
        })
        .await?;
    Ok(back(id))
}

async fn vote_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, question) = path.into_inner();
    state
        .db_as(actor, move |conn, actor, ctx| {
            questions::vote(conn, ctx, actor, EventId(id), question, true)
        })
        .await?;
    Ok(back(id))
}

async fn state_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<StateForm>,
) -> AppResult<HttpResponse> {
    let (id, question) = path.into_inner();
    state
        .db_as(actor, move |conn, actor, ctx| {
            questions::set_state(conn, ctx, actor, EventId(id), question, &form)
        })
        .await?;
    Ok(back(id))
}

/// An event's questions: open ones by votes, then the answered ones.
#[utoipa::path(get, path = "/api/v1/events/{id}/questions", tag = "events",
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = Questions), (status = 404, body = ErrorBody)))]
pub async fn api_list(state: State, actor: Actor, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let list = state
        .db_as(actor, move |conn, actor, _| {
            questions::list(conn, actor, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Ask a question (3 to 500 characters; until the event's last date ends; 10 open questions
/// each at most). Everyone watching the event sees it at once.
#[utoipa::path(post, path = "/api/v1/events/{id}/questions", tag = "events",
    params(("id" = i64, Path, description = "Event id")), request_body = QuestionForm,
    responses((status = 201, body = Asked), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_ask(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<QuestionForm>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let form = form.into_inner();
    let asked = state
        .db_as(actor, move |conn, actor, ctx| {
            questions::ask(conn, ctx, actor, id, &form)
        })
        .await?;
    Ok(HttpResponse::Created().json(asked))
}

/// Upvote someone else's open question (once; again changes nothing).
#[utoipa::path(post, path = "/api/v1/events/{id}/questions/{question}/vote", tag = "events",
    params(("id" = i64, Path, description = "Event id"), ("question" = i64, Path, description = "Question id")),
    responses((status = 200, body = Voted), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_vote(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    vote_as(state, actor, path.into_inner(), true).await
}

/// Take your vote back.
#[utoipa::path(delete, path = "/api/v1/events/{id}/questions/{question}/vote", tag = "events",
    params(("id" = i64, Path, description = "Event id"), ("question" = i64, Path, description = "Question id")),
    responses((status = 200, body = Voted), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_unvote(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    vote_as(state, actor, path.into_inner(), false).await
}

async fn vote_as(
    state: State,
    actor: Actor,
    path: (i64, i64),
    up: bool,
) -> AppResult<HttpResponse> {
    let (id, question) = path;
    let voted = state
        .db_as(actor, move |conn, actor, ctx| {
            questions::vote(conn, ctx, actor, EventId(id), question, up)
        })
        .await?;
    Ok(HttpResponse::Ok().json(voted))
}

/// Mark a question `answered`, `dismissed` or `open` (those who run the event).
#[utoipa::path(post, path = "/api/v1/events/{id}/questions/{question}/state", tag = "events",
    params(("id" = i64, Path, description = "Event id"), ("question" = i64, Path, description = "Question id")),
    request_body = StateForm,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_state(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    form: web::Json<StateForm>,
) -> AppResult<HttpResponse> {
    let (id, question) = path.into_inner();
    let form = form.into_inner();
    state
        .db_as(actor, move |conn, actor, ctx| {
            questions::set_state(conn, ctx, actor, EventId(id), question, &form)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
