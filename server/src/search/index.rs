//! The database engine's index (the default): one row per post holding its analyzed words, in
//! SQLite's FTS5 (`post_search(title, body)`) or PostgreSQL's full-text search
//! (`post_search(post_id, terms tsvector)`, the title at weight A, with a GIN index). Both store
//! the terms of `analyzer::prefix_terms` (the same as Meilisearch's documents), matched exactly,
//! so they match alike. A search costs two statements: one reads the newest `WINDOW` matches
//! (backwards from the index, so its cost stays bounded) with what the total and the facets
//! count, the other ranks them for the page (title matches first, then BM25 or `ts_rank`). A post is indexed in the transaction that writes its text (lag 0); what a reader
//! may see (the post's and thread's state, the category's visibility) is checked at query time
//! against the live tables, so hiding, deleting, moving or closing a category needs no
//! re-indexing.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::analyzer::{prefix_terms, Term};
use crate::db::schema::{posts, threads};
use crate::db::DbConnection;
use crate::error::AppResult;

/// (Re)indexes one post from its current text (and its thread's title, for a first post).
pub fn index_post(conn: &mut DbConnection, post_id: i64) -> AppResult<()> {
    let found: Option<(String, i32, String)> = posts::table
        .inner_join(threads::table)
        .filter(posts::id.eq(post_id))
        .select((posts::raw, posts::number, threads::title))
        .first(conn)
        .optional()?;
    let Some((raw, number, title)) = found else {
        return Ok(());
    };
    write_post(conn, post_id, number, &title, &raw, Row::Existing)
}

/// Indexes a post this transaction has just written, from its text (`title`: its thread's,
/// which only a first post is indexed with), without reading it back.
pub fn index_new_post(
    conn: &mut DbConnection,
    post_id: i64,
    number: i32,
    title: &str,
    raw: &str,
) -> AppResult<()> {
    write_post(conn, post_id, number, title, raw, Row::New)
}

/// Writes a post's index row from its number, its thread's title and its text.
fn write_post(
    conn: &mut DbConnection,
    post_id: i64,
    number: i32,
    title: &str,
    raw: &str,
    row: Row,
) -> AppResult<()> {
    let (title, body) = post_terms(number, title, raw);
    write_terms(conn, "post_search", "post_id", post_id, &title, &body, row)
}

/// The indexed terms of a post's title (first posts only) and body. Exact terms only: each
/// word's stems and the beginnings of its Spanish stem, so a query's long stem is an exact term
/// too (FTS5 and tsquery prefix searches cost as much as all the words they begin).
fn post_terms(number: i32, title: &str, raw: &str) -> (String, String) {
    let title = if number == 1 {
        prefix_terms(title)
    } else {
        String::new()
    };
    (title, prefix_terms(raw))
}

/// Whether an index row may exist already (and must be replaced).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Row {
    New,
    Existing,
}

/// Writes one row of an index table (`post_search`, `event_search`): on SQLite an FTS5 row
/// whose rowid is `id`, on PostgreSQL a `tsvector` keyed by `key`, the title at weight A.
/// `table` and `key` are the callers' constants.
pub(super) fn write_terms(
    conn: &mut DbConnection,
    table: &str,
    key: &str,
    id: i64,
    title: &str,
    body: &str,
    row: Row,
) -> AppResult<()> {
    match conn {
        DbConnection::Sqlite(c) => {
            if row == Row::Existing {
                diesel::sql_query(format!("DELETE FROM {table} WHERE rowid = ?"))
                    .bind::<BigInt, _>(id)
                    .execute(c)?;
            }
            diesel::sql_query(format!(
                "INSERT INTO {table} (rowid, title, body) VALUES (?, ?, ?)"
            ))
            .bind::<BigInt, _>(id)
            .bind::<Text, _>(title)
            .bind::<Text, _>(body)
            .execute(c)?;
        }
        DbConnection::Postgresql(c) => {
            diesel::sql_query(format!(
                "INSERT INTO {table} ({key}, terms) VALUES ($1, \
                 setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'B')) \
                 ON CONFLICT ({key}) DO UPDATE SET terms = EXCLUDED.terms"
            ))
            .bind::<BigInt, _>(id)
            .bind::<Text, _>(title)
            .bind::<Text, _>(body)
            .execute(c)?;
        }
    }
    Ok(())
}

/// Indexes every post again, in batches of 500 (each its own transaction); returns how many.
/// Safe while serving: a post written meanwhile indexes itself.
pub fn reindex(conn: &mut DbConnection, mut progress: impl FnMut(usize)) -> AppResult<usize> {
    let mut after = 0_i64;
    let mut done = 0;
    loop {
        let ids: Vec<i64> = posts::table
            .filter(posts::id.gt(after))
            .order(posts::id.asc())
            .limit(500)
            .select(posts::id)
            .load(conn)?;
        let Some(last) = ids.last().copied() else {
            return Ok(done);
        };
        crate::db::write_transaction(conn, |conn| {
            for id in &ids {
                index_post(conn, *id)?;
            }
            crate::error::AppResult::Ok(())
        })?;
        done += ids.len();
        after = last;
        progress(done);
    }
}

/// One post of a search's window: its id and what the facets count it by.
#[derive(QueryableByName)]
struct Matched {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    category: i64,
    #[diesel(sql_type = BigInt)]
    kind: i64,
    #[diesel(sql_type = BigInt)]
    solved: i64,
}

/// The columns of `Matched`; `cast` makes them BIGINT on PostgreSQL.
fn matched_columns(id: &str, cast: &str) -> String {
    format!(
        "{id}{cast} AS id, t.category_id{cast} AS category, t.kind{cast} AS kind, \
         (CASE WHEN t.accepted_post_id IS NULL THEN 0 ELSE 1 END){cast} AS solved"
    )
}

/// The total and facet counts of a window (the newest matches, at most `WINDOW + 1` read so a
/// longer list is known to be capped), and the lowest id it keeps when it is capped.
fn tally(mut window: Vec<Matched>) -> (Found, Option<i64>) {
    let capped = window.len() as i64 > WINDOW;
    window.truncate(WINDOW as usize);
    let mut by_category = std::collections::BTreeMap::<i64, i64>::new();
    let mut by_kind = std::collections::BTreeMap::<i64, i64>::new();
    let mut by_solved = std::collections::BTreeMap::<i64, i64>::new();
    for m in &window {
        *by_category.entry(m.category).or_default() += 1;
        *by_kind.entry(m.kind).or_default() += 1;
        *by_solved.entry(m.solved).or_default() += 1;
    }
    let floor = window.last().filter(|_| capped).map(|m| m.id);
    let found = Found {
        ids: vec![],
        total: window.len() as i64,
        by_category: by_category.into_iter().collect(),
        by_kind: by_kind.into_iter().collect(),
        by_solved: by_solved.into_iter().collect(),
        capped,
    };
    (found, floor)
}

/// A query matching more posts than this ranks and counts only the newest this many (the
/// database engine's cost grows with the matches; Meilisearch has no such limit).
pub const WINDOW: i64 = 2_000;

/// What a search found: a page of post ids, best first, how many match in all, and the counts
/// by category, thread kind and solved (over everything that matches, not just the page).
#[derive(Default)]
pub struct Found {
    pub ids: Vec<i64>,
    pub total: i64,
    pub by_category: Vec<(i64, i64)>,
    pub by_kind: Vec<(i64, i64)>,
    pub by_solved: Vec<(i64, i64)>,
    /// More posts match than were ranked and counted: `total` is a lower bound (`WINDOW`).
    pub capped: bool,
}

/// The matching posts a reader may see. `groups`: the query's terms (every group must match,
/// any term in a group will do); `filter`: the reader's categories and the search's filters.
pub fn matching(
    conn: &mut DbConnection,
    groups: &[Vec<Term>],
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> AppResult<Found> {
    if groups.is_empty() || filter.categories.is_empty() {
        return Ok(Found::default());
    }
    // Every value inlined below is a number from the database or the server; the words are
    // bound. Stems are letters and digits only (the analyzer splits on anything else).
    let mut wheres = format!(
        "p.state = 0 AND t.state = 0 AND t.category_id IN ({})",
        numbers(&filter.categories)
    );
    if let Some(thread) = filter.thread {
        wheres.push_str(&format!(" AND t.id = {thread}"));
    }
    if let Some(author) = filter.author {
        wheres.push_str(&format!(" AND p.author_id = {author}"));
    }
    if let Some(category) = filter.category {
        wheres.push_str(&format!(" AND t.category_id = {category}"));
    }
    if let Some(kind) = filter.kind {
        wheres.push_str(&format!(" AND t.kind = {kind}"));
    }
    match filter.solved {
        Some(true) => wheres.push_str(" AND t.accepted_post_id IS NOT NULL"),
        Some(false) => wheres.push_str(" AND t.accepted_post_id IS NULL"),
        None => {}
    }
    if filter.official {
        wheres.push_str(" AND t.official_post_id IS NOT NULL");
    }
    // Dates are the server's own formatting of parsed dates.
    if let Some(from) = filter.from {
        wheres.push_str(&format!(
            " AND p.created_at >= '{}'",
            from.format("%Y-%m-%d %H:%M:%S")
        ));
    }
    if let Some(to) = filter.to {
        wheres.push_str(&format!(
            " AND p.created_at < '{}'",
            to.format("%Y-%m-%d %H:%M:%S")
        ));
    }
    match conn {
        DbConnection::Sqlite(c) => {
            let expression = fts5_expression(groups);
            let from = "FROM post_search JOIN posts p ON p.id = post_search.rowid \
                        JOIN threads t ON t.id = p.thread_id";
            // The newest WINDOW matches (FTS5 walks its rowids backwards and stops there), with
            // what the total and the facets count.
            let window: Vec<Matched> = diesel::sql_query(format!(
                "SELECT {} {from} WHERE post_search MATCH ? AND {wheres} \
                 ORDER BY post_search.rowid DESC LIMIT {}",
                matched_columns("post_search.rowid", ""),
                WINDOW + 1
            ))
            .bind::<Text, _>(&expression)
            .load(c)?;
            let (mut found, threshold) = tally(window);
            if found.total == 0 {
                return Ok(found);
            }
            let mut wheres = wheres.clone();
            let mut floor = String::new();
            if let Some(t) = threshold {
                wheres.push_str(&format!(" AND post_search.rowid >= {t}"));
                floor = format!(" AND rowid >= {t}");
            }
            // Relevance: title matches first, then BM25 (the title weighing more). BM25 counts
            // every post holding each word first, which a common word makes slow: past the
            // window, the newest come after the title matches instead.
            let then = if threshold.is_none() {
                "bm25(post_search, 10.0, 1.0), p.id"
            } else {
                "p.id DESC"
            };
            let titled = format!(
                "p.id NOT IN (SELECT rowid FROM post_search WHERE post_search MATCH ?{floor}), \
                 {then}"
            );
            let order = match filter.sort {
                Sort::Relevance => titled.as_str(),
                Sort::Newest => "p.created_at DESC, p.id DESC",
                Sort::Reactions => "p.likes DESC, p.id",
            };
            let mut page = diesel::sql_query(format!(
                "SELECT p.id AS id {from} WHERE post_search MATCH ? AND {wheres} \
                 ORDER BY {order} LIMIT {limit} OFFSET {offset}"
            ))
            .bind::<Text, _>(&expression)
            .into_boxed();
            if filter.sort == Sort::Relevance {
                page = page.bind::<Text, _>(format!("{{title}} : ({expression})"));
            }
            let ids: Vec<Id> = page.load(c)?;
            found.ids = ids.into_iter().map(|i| i.id).collect();
            Ok(found)
        }
        DbConnection::Postgresql(c) => {
            let (expression, title) = tsquery_expression(groups);
            let from = "FROM post_search s JOIN posts p ON p.id = s.post_id \
                        JOIN threads t ON t.id = p.thread_id, to_tsquery('simple', $1) q";
            // The newest WINDOW matches, with what the total and the facets count.
            let window: Vec<Matched> = diesel::sql_query(format!(
                "SELECT {} {from} WHERE s.terms @@ q AND {wheres} \
                 ORDER BY s.post_id DESC LIMIT {}",
                matched_columns("s.post_id", "::BIGINT"),
                WINDOW + 1
            ))
            .bind::<Text, _>(&expression)
            .load(c)?;
            let (mut found, threshold) = tally(window);
            if found.total == 0 {
                return Ok(found);
            }
            let mut wheres = wheres.clone();
            if let Some(t) = threshold {
                wheres.push_str(&format!(" AND s.post_id >= {t}"));
            }
            // Title matches (weight A) first, then the rank.
            let order = match filter.sort {
                Sort::Relevance => {
                    "s.terms @@ to_tsquery('simple', $2) DESC, ts_rank(s.terms, q) DESC, p.id"
                }
                Sort::Newest => "p.created_at DESC, p.id DESC",
                Sort::Reactions => "p.likes DESC, p.id",
            };
            let mut page = diesel::sql_query(format!(
                "SELECT p.id AS id {from} WHERE s.terms @@ q AND {wheres} \
                 ORDER BY {order} LIMIT {limit} OFFSET {offset}"
            ))
            .bind::<Text, _>(&expression)
            .into_boxed();
            if filter.sort == Sort::Relevance {
                page = page.bind::<Text, _>(&title);
            }
            let ids: Vec<Id> = page.load(c)?;
            found.ids = ids.into_iter().map(|i| i.id).collect();
            Ok(found)
        }
    }
}

/// One id read by a raw query.
#[derive(QueryableByName)]
pub(super) struct Id {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
}

/// Ids inlined in SQL (`1,2,3`): numbers from the database, never from the request.
pub(super) fn numbers(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// An FTS5 query: every group must match, any term of a group will do. Terms are letters and
/// digits only (the analyzer splits on anything else), quoted as FTS5 strings.
pub fn fts5_expression(groups: &[Vec<Term>]) -> String {
    groups
        .iter()
        .map(|g| {
            let alternatives: Vec<String> = g.iter().map(|t| format!("\"{}\"", t.text)).collect();
            format!("({})", alternatives.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The same as a PostgreSQL `tsquery`, and its twin matching the title (weight A) only.
pub fn tsquery_expression(groups: &[Vec<Term>]) -> (String, String) {
    let join = |suffix: &str| {
        groups
            .iter()
            .map(|g| {
                let alternatives: Vec<String> =
                    g.iter().map(|t| format!("{}{suffix}", t.text)).collect();
                format!("({})", alternatives.join(" | "))
            })
            .collect::<Vec<_>>()
            .join(" & ")
    };
    (join(""), join(":A"))
}

/// What a search is limited to: the categories the reader may see, and the search's filters.
pub struct Filter {
    pub categories: Vec<i64>,
    pub thread: Option<i64>,
    pub author: Option<i64>,
    pub category: Option<i64>,
    pub kind: Option<i16>,
    pub solved: Option<bool>,
    pub official: bool,
    pub from: Option<chrono::NaiveDateTime>,
    pub to: Option<chrono::NaiveDateTime>,
    pub sort: Sort,
}

/// The order of the results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    Newest,
    Reactions,
}

/// The first posts of threads whose titles share words with `groups` (any of them), that the
/// reader may see in `categories`: solved threads first, then the closest; at most `limit`.
pub fn similar_threads(
    conn: &mut DbConnection,
    groups: &[Vec<Term>],
    categories: &[i64],
    limit: i64,
) -> AppResult<Vec<i64>> {
    if groups.is_empty() || categories.is_empty() {
        return Ok(vec![]);
    }
    let terms: Vec<&Term> = groups.iter().flatten().collect();
    let wheres = format!(
        "p.number = 1 AND p.state = 0 AND t.state = 0 AND t.category_id IN ({})",
        numbers(categories)
    );
    let ids: Vec<Id> = match conn {
        DbConnection::Sqlite(c) => {
            let any: Vec<String> = terms.iter().map(|t| format!("\"{}\"", t.text)).collect();
            diesel::sql_query(format!(
                "SELECT p.id AS id FROM post_search JOIN posts p ON p.id = post_search.rowid \
                 JOIN threads t ON t.id = p.thread_id WHERE post_search MATCH ? AND {wheres} \
                 ORDER BY t.accepted_post_id IS NULL, bm25(post_search, 10.0, 1.0), p.id \
                 LIMIT {limit}"
            ))
            .bind::<Text, _>(format!("{{title}} : ({})", any.join(" OR ")))
            .load(c)?
        }
        DbConnection::Postgresql(c) => {
            let any: Vec<String> = terms.iter().map(|t| format!("{}:A", t.text)).collect();
            diesel::sql_query(format!(
                "SELECT p.id AS id FROM post_search s JOIN posts p ON p.id = s.post_id \
                 JOIN threads t ON t.id = p.thread_id, to_tsquery('simple', $1) q \
                 WHERE s.terms @@ q AND {wheres} \
                 ORDER BY t.accepted_post_id IS NULL, ts_rank(s.terms, q) DESC, p.id LIMIT {limit}"
            ))
            .bind::<Text, _>(any.join(" | "))
            .load(c)?
        }
    };
    Ok(ids.into_iter().map(|i| i.id).collect())
}
