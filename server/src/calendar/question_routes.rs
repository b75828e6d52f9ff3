//! Live Q&A over HTTP: the questions (`/api/v1/events/{id}/questions…` and the page's forms)
//! and the live stream of an event's questions (`GET /events/{id}/live`, server-sent events: a
//! `questions` event with the whole list at once and after every change, a comment every 15
//! seconds to keep the connection open).

use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};

use super::model::EventId;
use super::questions::{self, Asked, QuestionForm, Questions, StateForm, Voted};
use crate::error::{AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::{CsrfForm, NoFields};
use crate::http::page::see_other;
use crate::http::routing::ApiRoutes;
use crate::http::sse::{self, Feed};
use crate::http::state::State;
use crate::policy::Actor;

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

/// An event's questions as its reader may see them.
struct QuestionsFeed {
    actor: Actor,
    id: EventId,
    topic: String,
}

impl Feed for QuestionsFeed {
    fn concerns(&self, topic: &str) -> bool {
        topic == self.topic
    }

    async fn read(self, state: &State) -> AppResult<(Option<Bytes>, Self)> {
        let id = self.id;
        let list = state
            .db_as(self.actor.clone(), move |conn, actor, _| {
                questions::list(conn, actor, id)
            })
            .await?;
        Ok((Some(sse::frame("questions", None, &list)), self))
    }
}

/// The event's questions as they change, for as long as the reader keeps the page open.
async fn live(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    // Refused at once when the event is not visible; the stream re-checks on every read.
    let check = actor.clone();
    state
        .db_as(check, move |conn, actor, _| {
            questions::list(conn, actor, id)
        })
        .await?;
    let slot = state.live.open_stream(sse::person(&actor, &req))?;
    let topic = questions::topic(id);
    Ok(sse::respond(
        state,
        slot,
        QuestionsFeed { actor, id, topic },
    ))
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
    let asked = state.step(actor, id, form, questions::ask).await?;
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
