//! The ombudsman: the community manager's case file. So far, appeals against moderation
//! decisions (DSA Art. 20): filed from a statement of reasons (also through its signed e-mail
//! link, without logging in) or by a reporter told of a decision, once per decision and within
//! 180 days; reviewed by someone with no part in the decision (`appeals`), on a clock that
//! escalates to the community manager (`clock`); an overturned decision is reversed
//! (`moderation::reversal`). Disputes between members or with the brand (`disputes`): evidence,
//! mediation (`mediation`), settlement (`settlement`), arbitration with a draft decision
//! (`arbitration`), decisions with remedies as enforcement tasks (`remedies`), one review per
//! side, the fallback arbiter and published decisions (`review`). Pages and API in `routes` and
//! `stage_routes`, reading in `view`. The public transparency report (`transparency`,
//! `transparency_routes`).
pub mod appeals;
pub mod arbitration;
pub mod arbitration_clock;
pub mod awaiting;
pub mod clock;
pub mod disputes;
pub mod mediation;
pub mod model;
pub mod notices;
pub mod remedies;
pub mod review;
pub mod routes;
pub mod settlement;
pub mod stage_routes;
pub mod transparency;
pub mod transparency_routes;
pub mod view;

use crate::domain::{Domain, JobHandler};

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::api_appeal,
    routes::api_desk,
    routes::api_case,
    routes::api_decide,
    routes::api_transition,
    routes::api_open_case,
    routes::api_evidence,
    routes::api_message,
    routes::api_resubmit,
    routes::api_record,
    routes::api_task_done,
    routes::api_task_waive,
    stage_routes::api_decisions,
    stage_routes::api_arbiter,
    stage_routes::api_draft,
    stage_routes::api_comment,
    stage_routes::api_terms,
    stage_routes::api_accept,
    stage_routes::api_review,
    stage_routes::api_fallback,
    stage_routes::api_consent,
    stage_routes::api_publish,
    transparency_routes::api_report
))]
struct Api;

pub const DOMAIN: Domain = Domain {
    jobs: &[JobHandler::new(clock::JOB_DEADLINES, clock::run)],
    on_worker_start: Some(clock::schedule),
    ..Domain::new::<Api>(
        "ombudsman",
        &[
            stage_routes::routes,
            routes::routes,
            transparency_routes::routes,
        ],
        &[
            stage_routes::api_routes,
            routes::api_routes,
            transparency_routes::api_routes,
        ],
    )
};
