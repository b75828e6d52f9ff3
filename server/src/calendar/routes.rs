//! The events pages (`/events`, `/events/new`, `/events/{id}`, the RSVP forms) and API
//! (`/api/v1/events…`). Each handler makes one hop to the database through the services.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Datelike;
use minijinja::context;

use super::changes::{self, Changed, EditForm, MoveForm, ScheduleForm};
use super::follow_up::{FollowUpForm, Published};
use super::model::*;
use super::organizers::{Organizers, OrganizersForm};
use super::rsvp::{self, Answered};
use super::service::{self, Created, EventView, ListQuery, Listed};
use crate::error::{AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::page::{see_other, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;
use crate::policy::Actor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/events/organizers", web::get().to(organizers_page))
        .route("/events/organizers", web::post().to(organizers_submit))
        .route("/events", web::get().to(list_page))
        .route("/events", web::post().to(create_submit))
        .route("/events/new", web::get().to(new_page))
        .route("/events/{id}", web::get().to(event_page))
        .route("/events/{id}/rsvp", web::post().to(rsvp_submit))
        .route(
            "/events/{id}/rsvp/withdraw",
            web::post().to(withdraw_submit),
        )
        .route("/events/{id}/cancel", web::post().to(cancel_submit))
        .route("/events/{id}/schedule", web::post().to(schedule_submit))
        .route("/events/{id}/edit", web::get().to(edit_page))
        .route("/events/{id}/edit", web::post().to(edit_submit))
        .route("/events/{id}/follow-up", web::post().to(follow_up_submit))
        .route(
            "/events/{id}/questions-thread",
            web::post().to(thread_submit),
        )
        .route(
            "/events/{id}/dates/{date}/move",
            web::post().to(move_submit),
        )
        .route(
            "/events/{id}/dates/{date}/cancel",
            web::post().to(cancel_date_submit),
        );
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/events/organizers", api_organizers)
        .put("/events/organizers", api_set_organizers)
        .get("/events", api_list)
        .post("/events", api_create)
        .get("/events/{id}", api_event)
        .put("/events/{id}/rsvp", api_rsvp)
        .delete("/events/{id}/rsvp", api_withdraw)
        .post("/events/{id}/cancel", api_cancel)
        .put("/events/{id}", api_edit)
        .put("/events/{id}/schedule", api_schedule)
        .post("/events/{id}/follow-up", api_follow_up)
        .post("/events/{id}/questions-thread", api_thread)
        .put("/events/{id}/occurrences/{date}", api_move)
        .post("/events/{id}/occurrences/{date}/cancel", api_cancel_date);
}

/// The list page's query: the list's filters, and `view=month` for the month calendar.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
struct PageQuery {
    #[serde(flatten)]
    list: ListQuery,
    #[serde(default)]
    view: Option<String>,
}

async fn list_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let mut query = query.into_inner();
    let month_view = query.view.as_deref() == Some("month");
    let first = match query.list.month.as_deref().and_then(service::month_start) {
        Some(first) => first,
        None => crate::util::now().date().with_day(1).unwrap_or_default(),
    };
    if month_view {
        query.list.month = Some(first.format("%Y-%m").to_string());
    }
    let asked = query.list.clone();
    let manages = service::can_host(&actor);
    let (dates, categories, can_host) = state
        .db_as(actor, move |conn, actor, _| {
            let dates = service::list(conn, actor, &asked)?;
            let categories: Vec<(String, String)> = crate::policy::visible_categories(conn, actor)?
                .into_iter()
                .map(|c| (c.slug, c.name))
                .collect();
            let hosts = !super::organizers::hostable(conn, actor)?.is_empty();
            Ok((dates, categories, hosts))
        })
        .await?;
    let month = month_view.then(|| super::month::build(first, crate::util::now().date(), &dates));
    Page::from_request(&req).render(
        &state,
        "calendar/events.html",
        context! {
            dates => dates, categories => categories, query => query.list, can_host => can_host,
            manages => manages, month => month,
        },
    )
}

async fn new_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let categories = state
        .db_as(actor, |conn, actor, _| {
            let hostable = super::organizers::hostable(conn, actor)?;
            crate::policy::require(!hostable.is_empty())?;
            Ok(hostable
                .into_iter()
                .map(|c| (c.slug, c.name))
                .collect::<Vec<_>>())
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "calendar/new.html",
        context! { categories => categories, zones => ZONES },
    )
}

/// The zones the form offers first (any IANA name is accepted).
const ZONES: &[&str] = &[
    "Europe/Madrid",
    "Europe/London",
    "Europe/Lisbon",
    "Atlantic/Canary",
    "America/Mexico_City",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Argentina/Buenos_Aires",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
];

async fn create_submit(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<EventForm>,
) -> AppResult<HttpResponse> {
    let created = state
        .db_as(actor, move |conn, actor, ctx| {
            service::create(conn, ctx, actor, &form)
        })
        .await?;
    Ok(see_other(&created.url))
}

async fn event_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let (event, questions) = state
        .db_as(actor, move |conn, actor, _| {
            Ok((
                service::view(conn, actor, id)?,
                super::questions::list(conn, actor, id)?,
            ))
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "calendar/event.html",
        context! { event => event, questions => questions },
    )
}

async fn rsvp_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<RsvpForm>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    state.step(actor, id, form, rsvp::answer).await?;
    Ok(see_other(&format!("{}#rsvp", service::url(id))))
}

async fn withdraw_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<OccurrenceChoice>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    state
        .db_as(actor, move |conn, actor, ctx| {
            rsvp::withdraw(conn, ctx, actor, id, form.occurrence)
        })
        .await?;
    Ok(see_other(&format!("{}#rsvp", service::url(id))))
}

/// The dates of the events you may see, soonest first (from today unless `from`, until `to`,
/// days as `YYYY-MM-DD`), in one `category` or `format` (`online`, `in_person`).
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(ListQuery),
    responses((status = 200, body = Vec<Listed>), (status = 422, body = ErrorBody)))]
pub async fn api_list(
    state: State,
    actor: Actor,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let dates = state
        .db_as(actor, move |conn, actor, _| {
            service::list(conn, actor, &query)
        })
        .await?;
    Ok(HttpResponse::Ok().json(dates))
}

/// Create an event (community managers and admins): times on the clock of `time_zone`, an
/// online link or a place, an optional capacity per date, a recurrence (`weekly`, `biweekly`,
/// `monthly` or an RRULE) and an RSVP deadline.
#[utoipa::path(post, path = "/api/v1/events", tag = "events", request_body = EventForm,
    responses((status = 201, body = Created), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_create(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<EventForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let created = state
        .db_as(actor, move |conn, actor, ctx| {
            service::create(conn, ctx, actor, &form)
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// One event with its dates, the counts (`going`, `waitlisted`, `capacity`) and your answer
/// (`my_rsvp`) for the next date; the online link only when you are going (or host), from 15
/// minutes before a date starts.
#[utoipa::path(get, path = "/api/v1/events/{id}", tag = "events",
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = EventView), (status = 404, body = ErrorBody)))]
pub async fn api_event(
    state: State,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let event = state
        .db_as(actor, move |conn, actor, _| service::view(conn, actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(event))
}

/// Answer for a date (`occurrence`, the next when omitted): `going` (→ `waitlisted` when the
/// date is full; you are promoted in order when a place frees up), `interested`, `not_going`.
/// A date that ended, was cancelled or passed its deadline is `422 rsvp_closed`.
#[utoipa::path(put, path = "/api/v1/events/{id}/rsvp", tag = "events",
    params(("id" = i64, Path, description = "Event id")), request_body = RsvpForm,
    responses((status = 200, body = Answered), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_rsvp(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<RsvpForm>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let form = form.into_inner();
    let answered = state.step(actor, id, form, rsvp::answer).await?;
    Ok(HttpResponse::Ok().json(answered))
}

/// Take back your answer for a date (the next when `occurrence` is omitted); a place you held
/// goes to the first in the waitlist.
#[utoipa::path(delete, path = "/api/v1/events/{id}/rsvp", tag = "events",
    params(("id" = i64, Path, description = "Event id"), OccurrenceChoice),
    responses((status = 200, body = Answered), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_withdraw(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    query: web::Query<OccurrenceChoice>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let occurrence = query.into_inner().occurrence;
    let answered = state
        .db_as(actor, move |conn, actor, ctx| {
            rsvp::withdraw(conn, ctx, actor, id, occurrence)
        })
        .await?;
    Ok(HttpResponse::Ok().json(answered))
}

async fn cancel_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<crate::http::csrf::NoFields>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    state
        .db_as(actor, move |conn, actor, ctx| {
            changes::cancel(conn, ctx, actor, id, None)
        })
        .await?;
    Ok(see_other(&service::url(id)))
}

async fn move_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> AppResult<HttpResponse> {
    let (id, date) = path.into_inner();
    let id = EventId(id);
    state
        .db_as(actor, move |conn, actor, ctx| {
            changes::move_date(conn, ctx, actor, id, date, &form)
        })
        .await?;
    Ok(see_other(&format!("{}#date-{date}", service::url(id))))
}

async fn cancel_date_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    _form: CsrfForm<crate::http::csrf::NoFields>,
) -> AppResult<HttpResponse> {
    let (id, date) = path.into_inner();
    let id = EventId(id);
    state
        .db_as(actor, move |conn, actor, ctx| {
            changes::cancel(conn, ctx, actor, id, Some(date))
        })
        .await?;
    Ok(see_other(&format!("{}#date-{date}", service::url(id))))
}

/// Cancel the whole event (those who run it): every date not yet ended is cancelled, everyone
/// who answered is told once, and calendars see `STATUS:CANCELLED`.
#[utoipa::path(post, path = "/api/v1/events/{id}/cancel", tag = "events",
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = Changed), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_cancel(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let changed = state
        .db_as(actor, move |conn, actor, ctx| {
            changes::cancel(conn, ctx, actor, id, None)
        })
        .await?;
    Ok(HttpResponse::Ok().json(changed))
}

/// Move one date (those who run the event): times on the event's clock. Those who answered
/// for it are told the new time on their own clock; calendars see the same UID with a higher
/// SEQUENCE.
#[utoipa::path(put, path = "/api/v1/events/{id}/occurrences/{date}", tag = "events",
    params(("id" = i64, Path, description = "Event id"), ("date" = i64, Path, description = "Date (occurrence) id")),
    request_body = MoveForm,
    responses((status = 200, body = Changed), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_move(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    form: web::Json<MoveForm>,
) -> AppResult<HttpResponse> {
    let (id, date) = path.into_inner();
    let form = form.into_inner();
    let changed = state
        .db_as(actor, move |conn, actor, ctx| {
            changes::move_date(conn, ctx, actor, EventId(id), date, &form)
        })
        .await?;
    Ok(HttpResponse::Ok().json(changed))
}

/// Cancel one date (those who run the event), leaving the others as they are.
#[utoipa::path(post, path = "/api/v1/events/{id}/occurrences/{date}/cancel", tag = "events",
    params(("id" = i64, Path, description = "Event id"), ("date" = i64, Path, description = "Date (occurrence) id")),
    responses((status = 200, body = Changed), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_cancel_date(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (id, date) = path.into_inner();
    let changed = state
        .db_as(actor, move |conn, actor, ctx| {
            changes::cancel(conn, ctx, actor, EventId(id), Some(date))
        })
        .await?;
    Ok(HttpResponse::Ok().json(changed))
}

async fn organizers_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let list = state
        .db_as(actor, |conn, actor, _| super::organizers::list(conn, actor))
        .await?;
    Page::from_request(&req).render(
        &state,
        "calendar/organizers.html",
        context! { organizers => list },
    )
}

async fn organizers_submit(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<OrganizersForm>,
) -> AppResult<HttpResponse> {
    state
        .db_as(actor, move |conn, actor, _| {
            super::organizers::set(conn, actor, &form)
        })
        .await?;
    Ok(see_other("/events/organizers"))
}

async fn follow_up_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<FollowUpForm>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    state
        .step(actor, id, form, super::follow_up::publish)
        .await?;
    Ok(see_other(&format!("{}#follow-up", service::url(id))))
}

async fn thread_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<crate::http::csrf::NoFields>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let made = state
        .db_as(actor, move |conn, actor, ctx| {
            super::follow_up::questions_thread(conn, ctx, actor, id)
        })
        .await?;
    Ok(see_other(&made.url))
}

/// Every category with the members allowed to create events in it (community managers and
/// admins).
#[utoipa::path(get, path = "/api/v1/events/organizers", tag = "events",
    responses((status = 200, body = Vec<Organizers>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_organizers(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let list = state
        .db_as(actor, |conn, actor, _| super::organizers::list(conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Set the members allowed to create events in a category (community managers and admins):
/// `usernames` replaces the list (empty for none).
#[utoipa::path(put, path = "/api/v1/events/organizers", tag = "events", request_body = OrganizersForm,
    responses((status = 200, body = Organizers), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_set_organizers(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<OrganizersForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let set = state
        .db_as(actor, move |conn, actor, _| {
            super::organizers::set(conn, actor, &form)
        })
        .await?;
    Ok(HttpResponse::Ok().json(set))
}

/// Publish (or edit) the follow-up of an event that has begun: the recording, the slides
/// (Markdown). Everyone who was going to a date that took place is told the first time.
#[utoipa::path(post, path = "/api/v1/events/{id}/follow-up", tag = "events",
    params(("id" = i64, Path, description = "Event id")), request_body = FollowUpForm,
    responses((status = 200, body = Published), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_follow_up(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<FollowUpForm>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let form = form.into_inner();
    let published = state
        .step(actor, id, form, super::follow_up::publish)
        .await?;
    Ok(HttpResponse::Ok().json(published))
}

/// Turn the answered questions into a forum thread in the event's category (once; asking
/// again gives the same thread).
#[utoipa::path(post, path = "/api/v1/events/{id}/questions-thread", tag = "events",
    params(("id" = i64, Path, description = "Event id")),
    responses((status = 200, body = Created), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_thread(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let made = state
        .db_as(actor, move |conn, actor, ctx| {
            super::follow_up::questions_thread(conn, ctx, actor, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(made))
}

async fn edit_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let current = state
        .db_as(actor, move |conn, actor, _| {
            changes::current(conn, actor, id)
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "calendar/edit.html",
        context! { id => id.0, event => current },
    )
}

async fn edit_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    state.step(actor, id, form, changes::edit).await?;
    Ok(see_other(&service::url(id)))
}

/// Edit an event without moving its dates (those who run it): title, description, online
/// link or place, capacity (a larger one gives its new places to the waitlist at once) and
/// hosts. Every field is sent.
#[utoipa::path(put, path = "/api/v1/events/{id}", tag = "events",
    params(("id" = i64, Path, description = "Event id")), request_body = EditForm,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_edit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<EditForm>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let form = form.into_inner();
    state.step(actor, id, form, changes::edit).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn schedule_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ScheduleForm>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    state.step(actor, id, form, changes::reschedule).await?;
    Ok(see_other(&service::url(id)))
}

/// Give every coming date of a recurring event a new time of day (those who run it), on the
/// event's clock; dates moved on their own keep their time. Everyone who answered is told once.
#[utoipa::path(put, path = "/api/v1/events/{id}/schedule", tag = "events",
    params(("id" = i64, Path, description = "Event id")), request_body = ScheduleForm,
    responses((status = 200, body = Changed), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_schedule(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<ScheduleForm>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let form = form.into_inner();
    let changed = state.step(actor, id, form, changes::reschedule).await?;
    Ok(HttpResponse::Ok().json(changed))
}
