//! Notifications and e-mail: in-app notifications about any subject, per-kind delivery
//! preferences, the fan-out of forum events, the mail outbox (the transport is `crate::mailer`),
//! digests and one-click unsubscribe.
pub mod digest;
pub mod fan_out;
pub mod mail;
pub mod model;
pub mod routes;
pub mod service;

/// Only in test builds (feature `test-support`): a job that takes as long as it is told and then
/// notifies one member about a (public) rule version, to test leases on long jobs.
#[cfg(feature = "test-support")]
pub mod probe {
    use super::fan_out::notify_subject;
    use super::model::{Kind, Notice, Subject, SubjectKind};
    use crate::accounts::model::UserId;
    use crate::context::AppContext;
    use crate::db::DbConnection;

    pub const JOB_SLOW_PROBE: &str = "test.slow_probe";

    #[derive(serde::Serialize, serde::Deserialize)]
    pub struct SlowProbe {
        pub user: UserId,
        pub millis: u64,
    }

    pub fn run_slow_probe(
        ctx: &AppContext,
        conn: &mut DbConnection,
        payload: &str,
    ) -> Result<(), String> {
        let probe: SlowProbe = serde_json::from_str(payload).map_err(|e| e.to_string())?;
        std::thread::sleep(std::time::Duration::from_millis(probe.millis));
        let notice = Notice::new(
            Subject::new(SubjectKind::RuleVersion, 1),
            "/rules",
            "Slow probe",
        );
        notify_subject(ctx, conn, probe.user, Kind::Watched, &notice).map_err(|e| format!("{e:?}"))
    }
}

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
    jobs: &[
        JobHandler::new(fan_out::JOB_FAN_OUT, fan_out::run_fan_out),
        JobHandler::new(mail::JOB_SEND_MAIL, mail::run_send).outside(),
        JobHandler::new(digest::JOB_DIGEST, digest::run_digest),
        #[cfg(feature = "test-support")]
        JobHandler::new(probe::JOB_SLOW_PROBE, probe::run_slow_probe),
    ],
    subscribers: &[Subscriber {
        name: "notify.fan_out",
        events: &["post_created", "answer_accepted", "reaction_added"],
        handle: fan_out::on_event,
    }],
    on_worker_start: Some(digest::schedule_digests),
    ..Domain::new::<Api>("notify", &[routes::routes], &[routes::api_routes])
};
