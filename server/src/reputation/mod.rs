//! Reputation: badges, points and leaderboards, the first-week path. Built-in badges are rules
//! (`rules`: read-only queries over some members) evaluated on the domain events that can
//! change them and by a nightly backfill in batches (`badges`); the community manager adds
//! custom badges and grants or revokes them with a reason (`service`). Members choose up to
//! three badges to show by their name (`featured`, stored on their row so a thread page pays
//! nothing for it). Points are an append-only ledger reconciled per post (`points`), rolled up
//! per period and category in the same transaction and read by `leaderboard`. The first-week
//! path's steps are bits on the member's row (`first_week`). Invitations with a source tag and
//! the dashboard of sources (`invites`, `invite_routes`). The potential leaders report and the
//! ambassador programme (`leaders`, `ambassadors`, `leader_routes`). Pages and API in `routes`.
pub mod ambassadors;
pub mod badges;
pub mod featured;
pub mod first_week;
pub mod invite_routes;
pub mod invites;
pub mod leader_routes;
pub mod leaderboard;
pub mod leaders;
pub mod model;
pub mod points;
pub mod routes;
pub mod rules;
pub mod service;

use crate::domain::{Domain, JobHandler, Subscriber};

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::api_list,
    routes::api_create,
    routes::api_badge,
    routes::api_grant,
    routes::api_revoke,
    routes::api_enabled,
    routes::api_member,
    routes::api_featured,
    routes::api_leaderboard,
    routes::api_opt_out,
    invite_routes::api_list,
    invite_routes::api_create,
    invite_routes::api_revoke,
    invite_routes::api_sources,
    leader_routes::api_leaders,
    leader_routes::api_nominate,
    leader_routes::api_mine,
    leader_routes::api_answer
))]
struct Api;

pub const DOMAIN: Domain = Domain {
    jobs: &[
        JobHandler::new(badges::JOB_BACKFILL, badges::run_backfill),
        JobHandler::new(badges::JOB_NIGHTLY, badges::run_nightly),
    ],
    subscribers: &[
        Subscriber {
            name: "reputation.badges",
            events: &[
                "post_created",
                "post_changed",
                "reaction_added",
                "answer_accepted",
                "trust_level_changed",
                "attendance_marked",
            ],
            handle: badges::on_event,
        },
        Subscriber {
            name: "reputation.points",
            events: &[
                "post_created",
                "post_changed",
                "reaction_added",
                "answer_accepted",
            ],
            handle: points::on_event,
        },
    ],
    on_worker_start: Some(badges::schedule_nightly),
    ..Domain::new::<Api>(
        "reputation",
        &[routes::routes, invite_routes::routes, leader_routes::routes],
        &[
            routes::api_routes,
            invite_routes::api_routes,
            leader_routes::api_routes,
        ],
    )
};
