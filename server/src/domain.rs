//! How a domain plugs into the application: its pages, its `/api/v1` routes, its part of the
//! OpenAPI document, its background jobs and the domain events it subscribes to. `lib.rs` lists
//! the domains once (`DOMAINS`); the router, the OpenAPI document and the jobs worker read that
//! list, so adding a domain touches no infrastructure file.

use actix_web::web::ServiceConfig;

use crate::context::AppContext;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::events::DomainEvent;
use crate::http::routing::ApiRoutes;

pub struct Domain {
    pub name: &'static str,
    /// HTML pages and form posts (one function per routes module).
    pub pages: &'static [fn(&mut ServiceConfig)],
    /// Routes under `/api/v1`, declared through `ApiRoutes` so the routing table is data.
    pub api: &'static [fn(&mut ApiRoutes)],
    /// This domain's paths and schemas of the OpenAPI document.
    pub openapi: fn() -> utoipa::openapi::OpenApi,
    /// Job kinds this domain runs (`jobs` table `kind` → handler).
    pub jobs: &'static [JobHandler],
    /// Domain events this domain reacts to; each gets its own job per event.
    pub subscribers: &'static [Subscriber],
    /// Runs once when a jobs worker starts (to schedule timers such as digests).
    pub on_worker_start: Option<fn(&AppContext)>,
    /// Runs on every turn of a jobs worker, before it looks for jobs (to drain an outbox);
    /// returns whether it has more to do at once.
    pub on_worker_turn: Option<fn(&AppContext) -> bool>,
    /// Screens what members publish before it is written (see `screening`).
    pub screen: Option<&'static crate::screening::Screen>,
}

impl Domain {
    /// A domain with its pages, its API and its part of the OpenAPI document (`A`'s), and no jobs,
    /// subscribers, worker hooks or screen: a domain that has some adds them with struct update
    /// syntax, `Domain { jobs: &[…], ..Domain::new(…) }`.
    pub const fn new<A: utoipa::OpenApi>(
        name: &'static str,
        pages: &'static [fn(&mut ServiceConfig)],
        api: &'static [fn(&mut ApiRoutes)],
    ) -> Domain {
        Domain {
            name,
            pages,
            api,
            openapi: A::openapi,
            jobs: &[],
            subscribers: &[],
            on_worker_start: None,
            on_worker_turn: None,
            screen: None,
        }
    }
}

/// Runs one job of a kind; `payload` is the JSON it was queued with.
pub struct JobHandler {
    pub kind: &'static str,
    pub run: fn(&AppContext, &mut DbConnection, &str) -> Result<(), String>,
    /// Whether the handler only writes to the database: then the worker runs it and marks the
    /// job done in one transaction, so a job that runs twice (a lease that ran out, two
    /// workers) leaves its effects once. Handlers that talk to the outside (SMTP) are not, and
    /// guard themselves (the mail outbox's `sent_at`).
    pub transactional: bool,
}

impl JobHandler {
    /// A handler that only writes to the database: it runs in one transaction with its job's
    /// completion (see `transactional`).
    pub const fn new(
        kind: &'static str,
        run: fn(&AppContext, &mut DbConnection, &str) -> Result<(), String>,
    ) -> JobHandler {
        JobHandler {
            kind,
            run,
            transactional: true,
        }
    }

    /// The same handler when it talks to the outside and guards itself against running twice.
    pub const fn outside(self) -> JobHandler {
        JobHandler {
            transactional: false,
            ..self
        }
    }
}

/// A domain's reaction to some domain events. Runs in a job of its own (kind
/// `event:<subscriber name>`), inside one transaction with the job's completion, so it runs
/// at most once to completion per event and subscriber.
pub struct Subscriber {
    /// Unique across domains, e.g. `notify.fan_out`.
    pub name: &'static str,
    /// The `DomainEvent::name()`s it wants.
    pub events: &'static [&'static str],
    pub handle: fn(&AppContext, &mut DbConnection, &DomainEvent) -> AppResult<()>,
}
