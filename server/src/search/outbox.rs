//! The search outbox: rows that triggers on `posts` and `threads` write in the writing
//! transaction (migration `search_outbox`), naming a post or a thread whose search documents
//! must be written again. The jobs worker drains it on every turn (`drain`), in batches, into
//! Meilisearch when one is configured: it reads the posts as they are now, writes or deletes
//! their documents, waits until Meilisearch has applied them, and only then removes the rows.
//! When Meilisearch is down the rows stay and the worker retries with a growing delay, so
//! nothing is lost. Without Meilisearch the rows are just removed (the database engine indexes
//! in the write itself and checks visibility against the live tables).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::meili::{Document, Meili, Source};
use crate::context::AppContext;
use crate::db::schema::{posts, search_outbox, threads};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};

/// Rows handled per turn.
const BATCH: i64 = 500;

/// How far the index is behind the database.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Lag {
    /// `database` or `meilisearch`.
    pub engine: String,
    /// Changes not yet in the index.
    pub pending: i64,
    /// How long the oldest of them has waited, in seconds.
    pub oldest_seconds: i64,
    /// Meilisearch's last failure, while it lasts (searches use the database meanwhile).
    pub failure: Option<String>,
}

/// The index's lag now.
pub fn lag(conn: &mut DbConnection, ctx: &AppContext) -> AppResult<Lag> {
    let (pending, oldest): (i64, Option<NaiveDateTime>) = search_outbox::table
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(search_outbox::created_at),
        ))
        .first(conn)?;
    let now = crate::util::now();
    let health = ctx.search.health();
    Ok(Lag {
        engine: if ctx.search.meili.is_some() {
            "meilisearch"
        } else {
            "database"
        }
        .into(),
        pending,
        oldest_seconds: oldest.map_or(0, |o| (now - o).num_seconds().max(0)),
        failure: health.failure.map(|(error, _)| error),
    })
}

/// When the worker may try Meilisearch again after `failures` failures in a row: 1 s, doubling,
/// at most 30 s.
fn retry_delay(failures: u32) -> Duration {
    Duration::from_secs(1_u64 << failures.saturating_sub(1).min(5)).min(Duration::from_secs(30))
}

/// One turn of the worker: handles a batch of the outbox. Returns whether there may be more to
/// do at once.
pub fn drain(ctx: &AppContext) -> bool {
    let health = ctx.search.health();
    if let Some((_, at)) = &health.failure {
        if at.elapsed() < retry_delay(health.failures) {
            return false;
        }
    }
    let mut conn = match ctx.pool.get() {
        Ok(conn) => conn,
        Err(error) => {
            tracing::error!(?error, "search outbox: no database connection");
            return false;
        }
    };
    let result = match &ctx.search.meili {
        None => clear(&mut conn),
        Some(meili) => {
            if !health.configured {
                match meili.configure() {
                    Ok(created) => {
                        if created {
                            // A new index needs every post; what the outbox holds is in it then.
                            // Until the fill has succeeded, each turn configures and fills again.
                            if let Err(error) = fill(&mut conn, meili, |_| {}) {
                                ctx.search.failed(&error.to_string());
                                return false;
                            }
                        }
                        ctx.search.set_configured();
                    }
                    Err(error) => {
                        ctx.search.failed(&error);
                        return false;
                    }
                }
            }
            send(&mut conn, meili)
        }
    };
    match result {
        Ok(handled) => {
            if ctx.search.meili.is_some() {
                ctx.search.succeeded();
            }
            handled == BATCH
        }
        Err(error) => {
            ctx.search.failed(&error.to_string());
            false
        }
    }
}

/// Without Meilisearch: removes what the outbox holds.
fn clear(conn: &mut DbConnection) -> AppResult<i64> {
    let last: Option<i64> = search_outbox::table
        .select(diesel::dsl::max(search_outbox::id))
        .first(conn)?;
    let Some(last) = last else { return Ok(0) };
    let n =
        diesel::delete(search_outbox::table.filter(search_outbox::id.le(last))).execute(conn)?;
    Ok(i64::try_from(n).unwrap_or(0).min(BATCH))
}

/// Sends a batch of the outbox to Meilisearch; returns how many rows it handled.
fn send(conn: &mut DbConnection, meili: &Meili) -> AppResult<i64> {
    let rows: Vec<(i64, Option<i64>, Option<i64>)> = search_outbox::table
        .order(search_outbox::id.asc())
        .limit(BATCH)
        .select((
            search_outbox::id,
            search_outbox::post_id,
            search_outbox::thread_id,
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut ids: BTreeSet<i64> = rows.iter().filter_map(|r| r.1).collect();
    let thread_ids: Vec<i64> = rows.iter().filter_map(|r| r.2).collect();
    if !thread_ids.is_empty() {
        let of_threads: Vec<i64> = posts::table
            .filter(posts::thread_id.eq_any(&thread_ids))
            .select(posts::id)
            .load(conn)?;
        ids.extend(of_threads);
    }
    let ids: Vec<i64> = ids.into_iter().collect();
    write_documents(conn, meili, &ids)?;
    let handled = rows.len();
    // Only the rows read: on PostgreSQL a row with a lower id may commit after the read.
    let read: Vec<i64> = rows.iter().map(|r| r.0).collect();
    diesel::delete(search_outbox::table.filter(search_outbox::id.eq_any(&read))).execute(conn)?;
    Ok(i64::try_from(handled).unwrap_or(0))
}

/// Writes the documents of `ids` as the posts are now (deleting those of posts that are gone).
fn write_documents(conn: &mut DbConnection, meili: &Meili, ids: &[i64]) -> AppResult<()> {
    for chunk in ids.chunks(500) {
        let documents = documents(conn, chunk)?;
        let found: BTreeSet<i64> = documents.iter().map(|d| d.id).collect();
        let gone: Vec<i64> = chunk
            .iter()
            .copied()
            .filter(|id| !found.contains(id))
            .collect();
        meili.put(&documents).map_err(AppError::internal)?;
        meili.delete(&gone).map_err(AppError::internal)?;
    }
    Ok(())
}

/// The documents of the posts `ids` that exist.
pub fn documents(conn: &mut DbConnection, ids: &[i64]) -> AppResult<Vec<Document>> {
    type Row = (
        (i64, i64, i32, String, i16, i64, NaiveDateTime, i32),
        (String, i64, i16, Option<i64>, Option<i64>, i16),
    );
    let rows: Vec<Row> = posts::table
        .inner_join(threads::table)
        .filter(posts::id.eq_any(ids))
        .select((
            (
                posts::id,
                posts::thread_id,
                posts::number,
                posts::raw,
                posts::state,
                posts::author_id,
                posts::created_at,
                posts::likes,
            ),
            (
                threads::title,
                threads::category_id,
                threads::kind,
                threads::accepted_post_id,
                threads::official_post_id,
                threads::state,
            ),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(p, t)| {
            Document::new(Source {
                id: p.0,
                thread_id: p.1,
                number: p.2,
                raw: p.3,
                post_state: p.4,
                author_id: p.5,
                created_at: p.6,
                likes: p.7,
                title: t.0,
                category_id: t.1,
                kind: t.2,
                accepted: t.3.is_some(),
                has_official: t.4.is_some(),
                thread_state: t.5,
            })
        })
        .collect())
}

/// Writes every post's document to Meilisearch (after removing documents of posts that no
/// longer exist), in batches; `progress` gets the count so far. Idempotent; safe while serving:
/// what changes meanwhile reaches the outbox and is sent again.
pub fn fill(
    conn: &mut DbConnection,
    meili: &Meili,
    mut progress: impl FnMut(usize),
) -> AppResult<usize> {
    let started = Instant::now();
    let mut after = 0_i64;
    let mut done = 0;
    let mut all: BTreeSet<i64> = BTreeSet::new();
    loop {
        let ids: Vec<i64> = posts::table
            .filter(posts::id.gt(after))
            .order(posts::id.asc())
            .limit(2_000)
            .select(posts::id)
            .load(conn)?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        let documents = documents(conn, &ids)?;
        meili.put(&documents).map_err(AppError::internal)?;
        all.extend(ids.iter().copied());
        done += ids.len();
        after = last;
        progress(done);
    }
    let stale: Vec<i64> = meili
        .ids()
        .map_err(AppError::internal)?
        .into_iter()
        .filter(|id| !all.contains(id))
        .collect();
    meili.delete(&stale).map_err(AppError::internal)?;
    tracing::info!(
        posts = done,
        seconds = started.elapsed().as_secs(),
        "Meilisearch index filled"
    );
    Ok(done)
}
