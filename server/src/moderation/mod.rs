//! Moderation. So far: the community rules, numbered and versioned (each published version is
//! immutable and has an effective date; decisions will cite rule id @ version), shown to
//! everyone at `/rules` with their history and a diff between versions, written by the
//! community manager, accepted at sign-up, and announced to members when a change is
//! significant. Reports from anyone feed one review queue item per target, with an evidence
//! snapshot (`reports`); moderators claim and decide items, reporters hear the outcome and the
//! public log shows it (`decisions`). Statements of reasons and sanctions come next.
pub mod actions;
pub mod decisions;
pub mod member_routes;
pub mod model;
pub mod queue;
pub mod reports;
pub mod reversal;
pub mod routes;
pub mod rules;
pub mod sanctions;
pub mod settings;
pub mod statements;
pub mod trust;
pub mod watched;
pub mod watched_routes;

use crate::domain::{Domain, JobHandler, Subscriber};

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::api_rules,
    routes::api_rule_versions,
    routes::api_create_rule,
    routes::api_update_rule,
    routes::api_report,
    routes::api_review,
    routes::api_claim,
    routes::api_decide,
    routes::api_modlog,
    member_routes::api_statements,
    member_routes::api_statement,
    member_routes::api_record,
    member_routes::api_sanction,
    member_routes::api_note,
    watched_routes::api_words,
    watched_routes::api_word_add,
    watched_routes::api_word_remove,
    watched_routes::api_word_test,
    watched_routes::api_open,
    watched_routes::api_settings,
    watched_routes::api_settings_save,
    member_routes::api_trust_level
))]
struct Api;

pub const DOMAIN: Domain = Domain {
    jobs: &[
        JobHandler::new(rules::JOB_ANNOUNCE, rules::run_announce),
        JobHandler::new(sanctions::JOB_EXPIRE, sanctions::run_expiry),
        JobHandler::new(trust::JOB_TRUST, trust::run_daily),
    ],
    subscribers: &[
        Subscriber {
            name: "moderation.resubmitted",
            events: &["post_edited"],
            handle: actions::on_event,
        },
        Subscriber {
            name: "moderation.trust_levels",
            events: &["post_created", "reaction_added", "answer_accepted"],
            handle: trust::on_event,
        },
    ],
    on_worker_start: Some(|ctx| {
        sanctions::schedule_expiry(ctx);
        trust::schedule_daily(ctx);
    }),
    screen: Some(&watched::SCREEN),
    ..Domain::new::<Api>(
        "moderation",
        &[
            routes::routes,
            member_routes::routes,
            watched_routes::routes,
        ],
        &[
            routes::api_routes,
            member_routes::api_routes,
            watched_routes::api_routes,
        ],
    )
};
