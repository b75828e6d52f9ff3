//! Attendance over HTTP: the attendees page with its check-in list and code
//! (`/events/{id}/attendees`), marking one member, the CSV, and an attendee's own check-in.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::attendance::{self, Attendance, CheckInForm, MarkForm};
use super::model::{EventId, OccurrenceChoice};
use crate::error::{AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::page::{see_other, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;

/// Registered before `/events/{id}` (see `feed_routes`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/events/{id}/attendees.csv", web::get().to(csv))
        .route("/events/{id}/attendees", web::get().to(attendees_page))
        .route(
            "/events/{id}/dates/{date}/attendance",
            web::post().to(mark_submit),
        )
        .route("/events/{id}/check-in", web::post().to(check_in_submit));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/events/{id}/attendees", api_attendees)
        .put("/events/{id}/occurrences/{date}/attendance", api_mark)
        .post("/events/{id}/check-in", api_check_in);
}

async fn attendees_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    query: web::Query<OccurrenceChoice>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let choice = query.into_inner().occurrence;
    let (attendance, event) = state
        .db_as(actor, move |conn, actor, _| {
            Ok((
                attendance::attendance(conn, actor, id, choice)?,
                super::service::view(conn, actor, id)?,
            ))
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "calendar/attendees.html",
        context! { attendance => attendance, event => event },
    )
}

async fn csv(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    query: web::Query<OccurrenceChoice>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let choice = query.into_inner().occurrence;
    let body = state
        .db_as(actor, move |conn, actor, _| {
            attendance::csv(conn, actor, id, choice)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"event-{}-attendees.csv\"", id.0),
        ))
        .body(body))
}

async fn mark_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<MarkForm>,
) -> AppResult<HttpResponse> {
    let (id, date) = path.into_inner();
    state
        .db_as(actor, move |conn, actor, _| {
            attendance::mark(conn, actor, EventId(id), date, &form)
        })
        .await?;
    Ok(see_other(&format!(
        "/events/{id}/attendees?occurrence={date}"
    )))
}

async fn check_in_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<CheckInForm>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    state
        .db_as(actor, move |conn, actor, _| {
            attendance::check_in(conn, actor, id, &form)
        })
        .await?;
    Ok(see_other(&format!("{}#rsvp", super::service::url(id))))
}

/// A date's attendance (those who run the event): going, waitlisted, interested, attended and
/// no-show figures, the check-in code and everyone who answered.
#[utoipa::path(get, path = "/api/v1/events/{id}/attendees", tag = "events",
    params(("id" = i64, Path, description = "Event id"), OccurrenceChoice),
    responses((status = 200, body = Attendance), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_attendees(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    query: web::Query<OccurrenceChoice>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let choice = query.into_inner().occurrence;
    let found = state
        .db_as(actor, move |conn, actor, _| {
            attendance::attendance(conn, actor, id, choice)
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Mark a member as attended or not (those who run the event; from 15 minutes before the
/// start).
#[utoipa::path(put, path = "/api/v1/events/{id}/occurrences/{date}/attendance", tag = "events",
    params(("id" = i64, Path, description = "Event id"), ("date" = i64, Path, description = "Date (occurrence) id")),
    request_body = MarkForm,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_mark(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    form: web::Json<MarkForm>,
) -> AppResult<HttpResponse> {
    let (id, date) = path.into_inner();
    let form = form.into_inner();
    state
        .db_as(actor, move |conn, actor, _| {
            attendance::mark(conn, actor, EventId(id), date, &form)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Check yourself in with the code the host shows (going members, from 15 minutes before the
/// start until an hour after the end).
#[utoipa::path(post, path = "/api/v1/events/{id}/check-in", tag = "events",
    params(("id" = i64, Path, description = "Event id")), request_body = CheckInForm,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_check_in(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<CheckInForm>,
) -> AppResult<HttpResponse> {
    let id = EventId(path.into_inner());
    let form = form.into_inner();
    state
        .db_as(actor, move |conn, actor, _| {
            attendance::check_in(conn, actor, id, &form)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
