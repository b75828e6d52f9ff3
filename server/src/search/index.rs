//! The database engine's index (the default): one row per post holding its analyzed words, in
//! SQLite's FTS5 (`post_search(title, body)`) or PostgreSQL's full-text search
//! (`post_search(post_id, terms tsvector)`, the title at weight A, with a GIN index). Both store
//! the terms of `analyzer`, so they match alike; title matches rank first, then BM25 or
//! `ts_rank`. A post is indexed in the transaction that writes its text (lag 0); what a reader
//! may see (the post's and thread's state, the category's visibility) is checked at query time
//! against the live tables, so hiding, deleting, moving or closing a category needs no
//! re-indexing.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::analyzer::{index_terms, Term};
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
    let title = if number == 1 {
        index_terms(&title)
    } else {
        String::new()
    };
    let body = index_terms(&raw);
    write(conn, post_id, &title, &body)
}

fn write(conn: &mut DbConnection, post_id: i64, title: &str, body: &str) -> AppResult<()> {
    match conn {
        DbConnection::Sqlite(c) => {
            diesel::sql_query("DELETE FROM post_search WHERE rowid = ?")
                .bind::<BigInt, _>(post_id)
                .execute(c)?;
            diesel::sql_query("INSERT INTO post_search (rowid, title, body) VALUES (?, ?, ?)")
                .bind::<BigInt, _>(post_id)
                .bind::<Text, _>(title)
                .bind::<Text, _>(body)
                .execute(c)?;
        }
        DbConnection::Postgresql(c) => {
            diesel::sql_query(
                "INSERT INTO post_search (post_id, terms) VALUES ($1, \
                 setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'B')) \
                 ON CONFLICT (post_id) DO UPDATE SET terms = EXCLUDED.terms",
            )
            .bind::<BigInt, _>(post_id)
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

/// The ids of the matching posts a reader may see, best first, and how many match in all.
/// `groups`: the query's stems (every group must match, any stem in a group will do);
/// `categories`: the categories the reader may see; `within`: a thread or an author to stay in.
pub(super) fn matching(
    conn: &mut DbConnection,
    groups: &[Vec<Term>],
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<i64>, i64)> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    if groups.is_empty() || filter.categories.is_empty() {
        return Ok((vec![], 0));
    }
    // Every value inlined below is a number from the database or the server; the words are
    // bound. Stems are letters and digits only (the analyzer splits on anything else).
    let mut wheres = format!(
        "p.state = 0 AND t.state = 0 AND t.category_id IN ({})",
        filter
            .categories
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    if let Some(thread) = filter.thread {
        wheres.push_str(&format!(" AND t.id = {thread}"));
    }
    if let Some(author) = filter.author {
        wheres.push_str(&format!(" AND p.author_id = {author}"));
    }
    match conn {
        DbConnection::Sqlite(c) => {
            let expression = groups
                .iter()
                .map(|g| {
                    let alternatives: Vec<String> = g
                        .iter()
                        .map(|t| format!("\"{}\"{}", t.text, if t.prefix { "*" } else { "" }))
                        .collect();
                    format!("({})", alternatives.join(" OR "))
                })
                .collect::<Vec<_>>()
                .join(" AND ");
            let from = "FROM post_search JOIN posts p ON p.id = post_search.rowid \
                        JOIN threads t ON t.id = p.thread_id";
            // Title matches first, then BM25 (the title weighing more).
            let ids: Vec<Id> = diesel::sql_query(format!(
                "SELECT p.id AS id {from} WHERE post_search MATCH ? AND {wheres} \
                 ORDER BY p.id NOT IN (SELECT rowid FROM post_search WHERE post_search MATCH ?), \
                 bm25(post_search, 10.0, 1.0), p.id LIMIT {limit} OFFSET {offset}"
            ))
            .bind::<Text, _>(&expression)
            .bind::<Text, _>(format!("{{title}} : ({expression})"))
            .load(c)?;
            let total: Count = diesel::sql_query(format!(
                "SELECT count(*) AS n {from} WHERE post_search MATCH ? AND {wheres}"
            ))
            .bind::<Text, _>(&expression)
            .get_result(c)?;
            Ok((ids.into_iter().map(|i| i.id).collect(), total.n))
        }
        DbConnection::Postgresql(c) => {
            let expression = groups
                .iter()
                .map(|g| {
                    let alternatives: Vec<String> = g
                        .iter()
                        .map(|t| format!("{}{}", t.text, if t.prefix { ":*" } else { "" }))
                        .collect();
                    format!("({})", alternatives.join(" | "))
                })
                .collect::<Vec<_>>()
                .join(" & ");
            let from = "FROM post_search s JOIN posts p ON p.id = s.post_id \
                        JOIN threads t ON t.id = p.thread_id, to_tsquery('simple', $1) q";
            // Title matches (weight A) first, then the rank.
            let title = groups
                .iter()
                .map(|g| {
                    let alternatives: Vec<String> = g
                        .iter()
                        .map(|t| format!("{}:{}A", t.text, if t.prefix { "*" } else { "" }))
                        .collect();
                    format!("({})", alternatives.join(" | "))
                })
                .collect::<Vec<_>>()
                .join(" & ");
            let ids: Vec<Id> = diesel::sql_query(format!(
                "SELECT p.id AS id {from} WHERE s.terms @@ q AND {wheres} \
                 ORDER BY s.terms @@ to_tsquery('simple', $2) DESC, ts_rank(s.terms, q) DESC, p.id \
                 LIMIT {limit} OFFSET {offset}"
            ))
            .bind::<Text, _>(&expression)
            .bind::<Text, _>(&title)
            .load(c)?;
            let total: Count = diesel::sql_query(format!(
                "SELECT count(*) AS n {from} WHERE s.terms @@ q AND {wheres}"
            ))
            .bind::<Text, _>(&expression)
            .get_result(c)?;
            Ok((ids.into_iter().map(|i| i.id).collect(), total.n))
        }
    }
}

/// What a search is limited to.
pub(super) struct Filter {
    pub categories: Vec<i64>,
    pub thread: Option<i64>,
    pub author: Option<i64>,
}
