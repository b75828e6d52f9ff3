//! Events (the calendar): the community manager's online workshops, Q&A sessions and
//! meet-ups. An event (`model::Event`) holds what its dates share; its dates
//! (`model::Occurrence`, from its recurrence in its own time zone: `schedule`) each take RSVPs
//! with a capacity and a waitlist that promotes in order (`rsvp`). Moving and cancelling
//! dates (`changes`), `.ics` files (`ics`) and secret feed URLs (`feeds`, `feed_routes`), reminders
//! (`reminders`: a sweep job every minute, each reminder written once), check-in, figures
//! and the attendee CSV (`attendance`, `attendance_routes`). The follow-up and the
//! questions' thread (`follow_up`), members allowed to organise (`organizers`). Live Q&A (`questions`,
//! `question_routes`: the questions and their server-sent-event stream, fed by `crate::live`). Creating and reading in
//! `service`, pages and API in `routes`. The module is `calendar` because `crate::events` is
//! the bus of domain events.
pub mod attendance;
pub mod attendance_routes;
pub mod changes;
pub mod feed_routes;
pub mod feeds;
pub mod follow_up;
pub mod ics;
pub mod model;
pub mod month;
pub mod organizers;
pub mod question_routes;
pub mod questions;
pub mod reminders;
pub mod routes;
pub mod rsvp;
pub mod schedule;
pub mod service;

use crate::domain::{Domain, JobHandler};

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::api_list,
    routes::api_create,
    routes::api_event,
    routes::api_rsvp,
    routes::api_withdraw,
    routes::api_cancel,
    routes::api_move,
    routes::api_cancel_date,
    routes::api_edit,
    routes::api_schedule,
    routes::api_organizers,
    routes::api_set_organizers,
    routes::api_follow_up,
    routes::api_thread,
    feed_routes::api_list,
    feed_routes::api_create,
    feed_routes::api_revoke,
    feed_routes::api_reminders,
    feed_routes::api_set_reminders,
    attendance_routes::api_attendees,
    attendance_routes::api_mark,
    attendance_routes::api_check_in,
    question_routes::api_list,
    question_routes::api_ask,
    question_routes::api_vote,
    question_routes::api_unvote,
    question_routes::api_state
))]
struct Api;

pub const DOMAIN: Domain = Domain {
    jobs: &[JobHandler::new(reminders::JOB_REMINDERS, reminders::run)],
    on_worker_start: Some(reminders::schedule),
    ..Domain::new::<Api>(
        "calendar",
        &[
            feed_routes::routes,
            question_routes::routes,
            attendance_routes::routes,
            routes::routes,
        ],
        &[
            feed_routes::api_routes,
            question_routes::api_routes,
            attendance_routes::api_routes,
            routes::api_routes,
        ],
    )
};
