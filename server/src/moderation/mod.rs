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
    name: "moderation",
    pages: |cfg| {
        routes::routes(cfg);
        member_routes::routes(cfg);
        watched_routes::routes(cfg);
    },
    api: |api| {
        routes::api_routes(api);
        member_routes::api_routes(api);
        watched_routes::api_routes(api);
    },
    openapi: <Api as utoipa::OpenApi>::openapi,
    jobs: &[
        JobHandler {
            kind: rules::JOB_ANNOUNCE,
            run: rules::run_announce,
            transactional: true,
        },
        JobHandler {
            kind: sanctions::JOB_EXPIRE,
            run: sanctions::run_expiry,
            transactional: true,
        },
        JobHandler {
            kind: trust::JOB_TRUST,
            run: trust::run_daily,
            transactional: true,
        },
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
    on_worker_turn: None,
    screen: Some(&watched::SCREEN),
};
