//! Events in search. Each event's title and description are indexed, analyzed like posts, in
//! `event_search` (SQLite FTS5 or PostgreSQL full-text) in the transaction that writes the
//! event's text (`calendar::service::create`, `calendar::changes::edit`): the database engine
//! searches them here. With Meilisearch configured, events have an index of their own there
//! too (`meili`, kept by the outbox), and this one stands in while Meilisearch is down. What a
//! reader may see (the event's category) is checked against the live tables at query time.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::analyzer::{prefix_terms, Term};
use super::index::{fts5_expression, numbers, tsquery_expression, write_terms, Id, Row};
use crate::db::schema::events;
use crate::db::DbConnection;
use crate::error::AppResult;

/// (Re)indexes one event from its current title and description.
pub fn index_event(conn: &mut DbConnection, event_id: i64) -> AppResult<()> {
    let found: Option<(String, String)> = events::table
        .find(crate::calendar::model::EventId(event_id))
        .select((events::title, events::raw))
        .first(conn)
        .optional()?;
    let Some((title, raw)) = found else {
        return Ok(());
    };
    write_terms(
        conn,
        "event_search",
        "event_id",
        event_id,
        &prefix_terms(&title),
        &prefix_terms(&raw),
        Row::Existing,
    )
}

/// Indexes every event again (one transaction: they are few); returns how many.
pub fn reindex(conn: &mut DbConnection) -> AppResult<usize> {
    let ids: Vec<i64> = events::table
        .select(events::id)
        .load::<crate::calendar::model::EventId>(conn)?
        .into_iter()
        .map(|id| id.0)
        .collect();
    crate::db::write_transaction(conn, |conn| {
        for id in &ids {
            index_event(conn, *id)?;
        }
        AppResult::Ok(())
    })?;
    Ok(ids.len())
}

/// The events in `categories` (the reader's, or the one filtered to) whose title or
/// description match every group of `groups`: title matches first, then the closest, the
/// cancelled last; at most `limit` ids.
pub fn matching(
    conn: &mut DbConnection,
    groups: &[Vec<Term>],
    categories: &[i64],
    limit: i64,
) -> AppResult<Vec<i64>> {
    if groups.is_empty() || categories.is_empty() {
        return Ok(vec![]);
    }
    // The categories are numbers from the database; the words are bound.
    let wheres = format!("e.category_id IN ({})", numbers(categories));
    let ids: Vec<Id> = match conn {
        DbConnection::Sqlite(c) => {
            let expression = fts5_expression(groups);
            diesel::sql_query(format!(
                "SELECT e.id AS id FROM event_search JOIN events e ON e.id = event_search.rowid \
                 WHERE event_search MATCH ? AND {wheres} \
                 ORDER BY e.state, e.id NOT IN (SELECT rowid FROM event_search WHERE event_search MATCH ?), \
                 bm25(event_search, 10.0, 1.0), e.id DESC LIMIT {limit}"
            ))
            .bind::<Text, _>(&expression)
            .bind::<Text, _>(format!("{{title}} : ({expression})"))
            .load(c)?
        }
        DbConnection::Postgresql(c) => {
            let (expression, title) = tsquery_expression(groups);
            diesel::sql_query(format!(
                "SELECT e.id AS id FROM event_search s JOIN events e ON e.id = s.event_id, \
                 to_tsquery('simple', $1) q WHERE s.terms @@ q AND {wheres} \
                 ORDER BY e.state, s.terms @@ to_tsquery('simple', $2) DESC, ts_rank(s.terms, q) DESC, \
                 e.id DESC LIMIT {limit}"
            ))
            .bind::<Text, _>(&expression)
            .bind::<Text, _>(&title)
            .load(c)?
        }
    };
    Ok(ids.into_iter().map(|i| i.id).collect())
}
