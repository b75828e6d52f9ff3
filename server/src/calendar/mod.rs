//! Events (the calendar): the community manager's online workshops, Q&A sessions and
//! meet-ups. An event (`model::Event`) holds what its dates share; its dates
//! (`model::Occurrence`, from its recurrence in its own time zone: `schedule`) each take RSVPs
//! with a capacity and a waitlist that promotes in order (`rsvp`). Creating and reading in
//! `service`, pages and API in `routes`. The module is `calendar` because `crate::events` is
//! the bus of domain events.
pub mod model;
pub mod routes;
pub mod rsvp;
pub mod schedule;
pub mod service;

use crate::domain::Domain;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::api_list,
    routes::api_create,
    routes::api_event,
    routes::api_rsvp,
    routes::api_withdraw
))]
struct Api;

pub const DOMAIN: Domain = Domain {
    name: "calendar",
    pages: routes::routes,
    api: routes::api_routes,
    openapi: <Api as utoipa::OpenApi>::openapi,
    jobs: &[],
    subscribers: &[],
    on_worker_start: None,
    on_worker_turn: None,
    screen: None,
};
