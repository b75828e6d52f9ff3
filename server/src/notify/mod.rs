//! Notifications and e-mail: in-app notifications about any subject, per-kind delivery
//! preferences, the fan-out of forum events, the mail outbox (the transport is `crate::mailer`),
//! digests and one-click unsubscribe.
pub mod digest;
pub mod fan_out;
pub mod mail;
pub mod model;
pub mod routes;
pub mod service;

use crate::domain::{Domain, JobHandler, Subscriber};

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::api_list,
    routes::api_read,
    routes::api_read_all,
    routes::api_preferences,
    routes::api_set_preferences,
))]
struct Api;

pub const DOMAIN: Domain = Domain {
    name: "notify",
    pages: routes::routes,
    api: routes::api_routes,
    openapi: <Api as utoipa::OpenApi>::openapi,
    jobs: &[
        JobHandler {
            kind: fan_out::JOB_FAN_OUT,
            run: fan_out::run_fan_out,
            transactional: true,
        },
        JobHandler {
            kind: mail::JOB_SEND_MAIL,
            run: mail::run_send,
            transactional: false,
        },
        JobHandler {
            kind: digest::JOB_DIGEST,
            run: digest::run_digest,
            transactional: true,
        },
    ],
    subscribers: &[Subscriber {
        name: "notify.fan_out",
        events: &["post_created", "answer_accepted", "reaction_added"],
        handle: fan_out::on_event,
    }],
    on_worker_start: Some(digest::schedule_digests),
};
