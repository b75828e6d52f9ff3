//! The tamper-evident audit log (disputes.md R-L1, R-L2): an append-only list of what moderation
//! and the ombudsman did — decisions, sanctions, statements of reasons, rule publications,
//! reversals, every move of a case — each with its actor and role, time, target, case, reason,
//! rule@version, digest, automated flag and the hash of the entry before it. An entry's hash
//! covers all of that, so changing or deleting any entry breaks the chain from there on;
//! `verify` walks it (`tertulia audit verify`, the admin page `/admin/audit`). Nothing updates
//! or deletes entries: no service does, and database triggers refuse it. Entries are written in
//! the transaction of what they record, one at a time (PostgreSQL: an advisory lock; SQLite's
//! write transaction already runs one writer at a time).

pub mod routes;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::accounts::model::{Role, UserId};
use crate::db::schema::{audit_log, users};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::util::now;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What to record. `action` is `<what>.<how>` (`decision.hide`, `case.decided`…).
#[derive(Clone, Debug, Default)]
pub struct Entry<'a> {
    pub actor: Option<UserId>,
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: i64,
    pub case_id: Option<i64>,
    pub reason: &'a str,
    pub rule: Option<(i64, i32)>,
    /// SHA-256 of the content the entry is about (an evidence snapshot), when there is one.
    pub digest: Option<&'a str>,
    pub automated: bool,
}

/// One stored entry, as auditors read it.
#[derive(Clone, Debug, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = audit_log)]
pub struct Stored {
    pub id: i64,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor_role: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: i64,
    pub case_id: Option<i64>,
    pub reason: String,
    pub rule_id: Option<i64>,
    pub rule_version: Option<i32>,
    pub digest: Option<String>,
    pub automated: i16,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of an entry: SHA-256 over the previous hash and every field, as one JSON array
/// (unambiguous whatever the texts hold), hex.
fn hash_of(prev: &str, e: &Stored) -> String {
    let fields = serde_json::json!([
        prev,
        e.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        e.actor_id,
        e.actor_role,
        e.action,
        e.target_kind,
        e.target_id,
        e.case_id,
        e.reason,
        e.rule_id,
        e.rule_version,
        e.digest,
        e.automated,
    ]);
    hex::encode(Sha256::digest(fields.to_string().as_bytes()))
}

/// Appends `entry`; call inside the transaction of what it records.
pub fn record(conn: &mut DbConnection, entry: &Entry<'_>) -> AppResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        use diesel::connection::SimpleConnection as _;
        // One writer of the chain at a time (the key is arbitrary and used for nothing else).
        pg.batch_execute("SELECT pg_advisory_xact_lock(7361636)")?;
    }
    let prev: String = audit_log::table
        .order(audit_log::id.desc())
        .select(audit_log::hash)
        .first(conn)
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let role = match entry.actor {
        Some(actor) => users::table
            .find(actor)
            .select(users::role)
            .first::<crate::newtypes::Lenient<Role>>(conn)
            .optional()?
            .and_then(|role| role.0)
            .map_or("unknown", Role::as_str),
        None => "system",
    };
    // Stored to the microsecond on both databases, so the hash is recomputed from what is read.
    let at = now();
    let at = at
        .with_nanosecond(at.and_utc().timestamp_subsec_micros() * 1000)
        .unwrap_or(at);
    let mut stored = Stored {
        id: 0,
        at,
        actor_id: entry.actor.map(|a| a.0),
        actor_role: role.to_string(),
        action: entry.action.to_string(),
        target_kind: entry.target_kind.to_string(),
        target_id: entry.target_id,
        case_id: entry.case_id,
        reason: entry.reason.chars().take(2_000).collect(),
        rule_id: entry.rule.map(|r| r.0),
        rule_version: entry.rule.map(|r| r.1),
        digest: entry.digest.map(str::to_string),
        automated: i16::from(entry.automated),
        prev_hash: prev.clone(),
        hash: String::new(),
    };
    stored.hash = hash_of(&prev, &stored);
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(stored.at),
            audit_log::actor_id.eq(stored.actor_id),
            audit_log::actor_role.eq(&stored.actor_role),
            audit_log::action.eq(&stored.action),
            audit_log::target_kind.eq(&stored.target_kind),
            audit_log::target_id.eq(stored.target_id),
            audit_log::case_id.eq(stored.case_id),
            audit_log::reason.eq(&stored.reason),
            audit_log::rule_id.eq(stored.rule_id),
            audit_log::rule_version.eq(stored.rule_version),
            audit_log::digest.eq(&stored.digest),
            audit_log::automated.eq(stored.automated),
            audit_log::prev_hash.eq(&stored.prev_hash),
            audit_log::hash.eq(&stored.hash),
        ))
        .execute(conn)?;
    Ok(())
}

use chrono::Timelike as _;

/// What `verify` found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// Entries checked.
    pub entries: i64,
    /// The last entry's hash (note it down: an auditor who kept an earlier head can tell that
    /// nothing was cut off the end).
    pub head: String,
    /// The first entry whose link or hash does not match, if any.
    pub broken_at: Option<i64>,
    /// `link` (its previous hash is not the entry before's hash) or `hash` (its fields were
    /// changed after it was written).
    pub broken: Option<String>,
}

/// Walks the chain from the first entry, in pages, recomputing every hash.
pub fn verify(conn: &mut DbConnection) -> AppResult<Verification> {
    let mut prev = GENESIS.to_string();
    let mut after = 0i64;
    let mut entries = 0i64;
    loop {
        let page: Vec<Stored> = audit_log::table
            .filter(audit_log::id.gt(after))
            .order(audit_log::id.asc())
            .limit(1_000)
            .select(Stored::as_select())
            .load(conn)?;
        let Some(last) = page.last() else {
            break;
        };
        after = last.id;
        for entry in &page {
            entries += 1;
            let broken = if entry.prev_hash != prev {
                Some("link")
            } else if hash_of(&prev, entry) != entry.hash {
                Some("hash")
            } else {
                None
            };
            if let Some(kind) = broken {
                return Ok(Verification {
                    entries,
                    head: prev,
                    broken_at: Some(entry.id),
                    broken: Some(kind.to_string()),
                });
            }
            prev = entry.hash.clone();
        }
    }
    Ok(Verification {
        entries,
        head: prev,
        broken_at: None,
        broken: None,
    })
}

/// The newest entries, before `before` when given (for the admin page and the API).
pub fn recent(
    conn: &mut DbConnection,
    before: Option<i64>,
    case: Option<i64>,
) -> AppResult<Vec<Stored>> {
    let mut query = audit_log::table.into_boxed();
    if let Some(before) = before {
        query = query.filter(audit_log::id.lt(before));
    }
    if let Some(case) = case {
        query = query.filter(audit_log::case_id.eq(Some(case)));
    }
    Ok(query
        .order(audit_log::id.desc())
        .limit(100)
        .select(Stored::as_select())
        .load(conn)?)
}

pub const JOB_VERIFY: &str = "audit.verify";

/// The daily check of the chain (R-L2): a broken chain is logged as an error for the operator's
/// monitoring; the admin page verifies on every visit.
pub fn run_verify(
    _ctx: &crate::context::AppContext,
    conn: &mut DbConnection,
    _payload: &str,
) -> Result<(), String> {
    let found = verify(conn).map_err(|e| format!("{e:?}"))?;
    match found.broken_at {
        Some(id) => {
            tracing::error!(entry = id, kind = ?found.broken, "the audit log chain is broken")
        }
        None => tracing::info!(entries = found.entries, head = %found.head, "audit log verified"),
    }
    crate::jobs::schedule_once(conn, JOB_VERIFY, now() + chrono::Duration::days(1), true)
        .map_err(|e| format!("{e:?}"))
}

fn schedule_verify(ctx: &crate::context::AppContext) {
    let result = ctx
        .pool
        .get()
        .map_err(crate::error::AppError::from)
        .and_then(|mut conn| crate::jobs::schedule_once(&mut conn, JOB_VERIFY, now(), false));
    if let Err(error) = result {
        tracing::error!(?error, "could not schedule the audit log's verification");
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(routes::api_entries, routes::api_verify))]
struct Api;

pub const DOMAIN: crate::domain::Domain = crate::domain::Domain {
    jobs: &[crate::domain::JobHandler::new(JOB_VERIFY, run_verify)],
    on_worker_start: Some(schedule_verify),
    ..crate::domain::Domain::new::<Api>("audit", &[routes::routes], &[routes::api_routes])
};
