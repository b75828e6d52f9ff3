//! The search outbox: rows that triggers on `posts`, `threads` and `events` write in the
//! writing transaction (migrations `search_outbox`, `search_outbox_events`), naming a post, a
//! thread or an event whose search documents must be written again. The jobs worker drains it
//! on every turn (`drain`), in batches, into Meilisearch when one is configured: it reads the
//! posts and events as they are now, sends every write of the batch (Meilisearch applies
//! waiting writes together), waits until Meilisearch has applied them, and only then removes
//! the rows.
//! When Meilisearch is down the rows stay and the worker retries with a growing delay, so
//! nothing is lost. Without Meilisearch the rows are just removed (the database engine indexes
//! in the write itself and checks visibility against the live tables).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::meili::{Document, EventDocument, Meili, Sent, Source};
use crate::context::AppContext;
use crate::db::schema::{events, posts, search_outbox, threads};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};

/// Outbox rows handled per turn: all of them are sent before the turn waits, so a backlog
/// costs Meilisearch a few large batches rather than many small ones.
const BATCH: i64 = 5_000;
/// Documents per write sent to Meilisearch.
const DOCUMENTS_PER_WRITE: usize = 1_000;
/// Writes a fill keeps in flight before waiting for the oldest (each of `FILL_WINDOW` posts).
const FILL_IN_FLIGHT: usize = 8;
const FILL_WINDOW: i64 = 2_000;

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
                        // A new index needs every post (or event); what the outbox holds is in
                        // it then. Until the fill has succeeded, each turn configures and fills
                        // again.
                        let filled = if created.posts {
                            fill(&mut conn, meili, |_| {}).map(|_| ())
                        } else {
                            Ok(())
                        }
                        .and_then(|()| {
                            if created.events {
                                fill_events(&mut conn, meili).map(|_| ())
                            } else {
                                Ok(())
                            }
                        });
                        if let Err(error) = filled {
                            ctx.search.failed(&error.to_string());
                            return false;
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
    type Row = (i64, Option<i64>, Option<i64>, Option<i64>);
    let rows: Vec<Row> = search_outbox::table
        .order(search_outbox::id.asc())
        .limit(BATCH)
        .select((
            search_outbox::id,
            search_outbox::post_id,
            search_outbox::thread_id,
            search_outbox::event_id,
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
    let event_ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.3)
        .collect::<BTreeSet<i64>>()
        .into_iter()
        .collect();
    // Every write of the batch is sent (the documents as the posts and events are now, the
    // removal of those that are gone) before waiting once for all of them.
    let mut sent = Sent::default();
    for chunk in ids.chunks(DOCUMENTS_PER_WRITE) {
        let documents = documents(conn, chunk)?;
        let gone = missing(chunk, documents.iter().map(|d| d.id));
        meili
            .send_posts(&documents, &mut sent)
            .and_then(|()| meili.send_post_removal(&gone, &mut sent))
            .map_err(AppError::internal)?;
    }
    for chunk in event_ids.chunks(DOCUMENTS_PER_WRITE) {
        let documents = event_documents(conn, Some(chunk))?;
        let gone = missing(chunk, documents.iter().map(|d| d.id));
        meili
            .send_events(&documents, &mut sent)
            .and_then(|()| meili.send_event_removal(&gone, &mut sent))
            .map_err(AppError::internal)?;
    }
    meili.finish(sent).map_err(AppError::internal)?;
    let handled = rows.len();
    // Only the rows read: on PostgreSQL a row with a lower id may commit after the read.
    let read: Vec<i64> = rows.iter().map(|r| r.0).collect();
    for chunk in read.chunks(1_000) {
        diesel::delete(search_outbox::table.filter(search_outbox::id.eq_any(chunk)))
            .execute(conn)?;
    }
    Ok(i64::try_from(handled).unwrap_or(0))
}

/// Those of `chunk` that are not among `found` (their documents must be removed).
fn missing(chunk: &[i64], found: impl Iterator<Item = i64>) -> Vec<i64> {
    let found: BTreeSet<i64> = found.collect();
    chunk
        .iter()
        .copied()
        .filter(|id| !found.contains(id))
        .collect()
}

/// The documents of the events `ids` that exist, or of every event.
pub fn event_documents(
    conn: &mut DbConnection,
    ids: Option<&[i64]>,
) -> AppResult<Vec<EventDocument>> {
    let mut query = events::table
        .select((
            events::id,
            events::title,
            events::raw,
            events::category_id,
            events::state,
        ))
        .order(events::id.asc())
        .into_boxed();
    if let Some(ids) = ids {
        query = query.filter(events::id.eq_any(ids.to_vec()));
    }
    let rows: Vec<(i64, String, String, i64, i16)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, title, raw, category, state)| {
            EventDocument::new(id, &title, &raw, category, state)
        })
        .collect())
}

/// Writes every event's document to Meilisearch and removes those of events that no longer
/// exist (events are few: one write); returns how many. Idempotent.
pub fn fill_events(conn: &mut DbConnection, meili: &Meili) -> AppResult<usize> {
    let documents = event_documents(conn, None)?;
    let all: BTreeSet<i64> = documents.iter().map(|d| d.id).collect();
    let stale: Vec<i64> = meili
        .event_ids()
        .map_err(AppError::internal)?
        .into_iter()
        .filter(|id| !all.contains(id))
        .collect();
    let mut sent = Sent::default();
    meili
        .send_events(&documents, &mut sent)
        .map_err(AppError::internal)?;
    meili
        .send_event_removal(&stale, &mut sent)
        .map_err(AppError::internal)?;
    meili.finish(sent).map_err(AppError::internal)?;
    Ok(documents.len())
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
    // Up to FILL_IN_FLIGHT windows are sent before the oldest is waited for, so Meilisearch
    // indexes them in large batches while the next ones are read.
    let mut in_flight: std::collections::VecDeque<(Sent, usize)> = Default::default();
    loop {
        let ids: Vec<i64> = posts::table
            .filter(posts::id.gt(after))
            .order(posts::id.asc())
            .limit(FILL_WINDOW)
            .select(posts::id)
            .load(conn)?;
        let Some(last) = ids.last().copied() else {
            break;
        };
        let documents = documents(conn, &ids)?;
        let mut sent = Sent::default();
        meili
            .send_posts(&documents, &mut sent)
            .map_err(AppError::internal)?;
        in_flight.push_back((sent, ids.len()));
        all.extend(ids.iter().copied());
        after = last;
        if in_flight.len() >= FILL_IN_FLIGHT {
            if let Some((sent, n)) = in_flight.pop_front() {
                meili.finish(sent).map_err(AppError::internal)?;
                done += n;
                progress(done);
            }
        }
    }
    while let Some((sent, n)) = in_flight.pop_front() {
        meili.finish(sent).map_err(AppError::internal)?;
        done += n;
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
