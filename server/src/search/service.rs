//! Searching: a query (words, optionally within one thread or one member's posts) answered
//! with ranked hits the reader may see, each with its thread, category, author, date, marks and
//! a snippet of the post with the matching words highlighted; paged by a cursor.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::analyzer::{query_groups, stems, words, Term};
use super::index::{matching, Filter};
use crate::accounts::model::UserId;
use crate::db::schema::{categories, posts, threads, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::forum::model::Thread;
use crate::policy::Actor;

/// Hits per page.
pub const PAGE: i64 = 20;
/// The longest query accepted, in characters.
pub const MAX_QUERY: usize = 200;
/// How deep the cursor may page (results past it are not worth reading).
const MAX_OFFSET: i64 = 1_000;

/// A search: `q` (words), optionally `thread` (within one thread) or `author` (a username);
/// `cursor` continues from a previous page.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub thread: Option<i64>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// One result: a post, with its thread.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Hit {
    /// `thread` when the post is a thread's first post (the title matched or the question
    /// did), `post` for a reply.
    pub kind: String,
    pub thread_id: i64,
    pub post_number: i32,
    pub title: String,
    pub url: String,
    /// The post's text around the first matching word, HTML-escaped, matches in `<mark>`.
    pub snippet: String,
    pub category: String,
    pub author: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    /// The thread has an accepted answer.
    pub solved: bool,
    /// The post is the thread's official answer.
    pub official: bool,
}

/// A page of results.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Results {
    pub query: String,
    pub hits: Vec<Hit>,
    /// How many posts match in all (that the reader may see).
    pub total: i64,
    pub next_cursor: Option<String>,
    /// Which engine answered: `database`.
    pub engine: String,
}

fn query_error(code: ErrorCode, key: &str) -> AppError {
    AppError::new(ErrorKind::Invalid {
        code,
        fields: [("q".to_string(), key.to_string())].into(),
    })
}

type HitRow = (
    i64,
    i32,
    String,
    bool,
    NaiveDateTime,
    UserId,
    Thread,
    String,
);

/// Searches what `actor` may see.
pub fn search(conn: &mut DbConnection, actor: &Actor, query: &SearchQuery) -> AppResult<Results> {
    let q = query.q.trim();
    if q.is_empty() {
        return Err(query_error(ErrorCode::QueryEmpty, "error-search-empty"));
    }
    if q.chars().count() > MAX_QUERY {
        return Err(query_error(ErrorCode::QueryTooLong, "error-search-long"));
    }
    let offset = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|o| (1..=MAX_OFFSET).contains(o))
            .ok_or_else(|| AppError::bad_request(ErrorCode::InvalidCursor))?,
    };
    let author = match query
        .author
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        None => None,
        Some(name) => Some(
            users::table
                .filter(users::username.eq(name))
                .select(users::id)
                .first::<UserId>(conn)
                .optional()?
                .ok_or_else(|| AppError::invalid_field("author", "error-search-author"))?
                .0,
        ),
    };
    let categories: Vec<i64> = crate::policy::visible_categories(conn, actor)?
        .into_iter()
        .map(|c| c.id.0)
        .collect();
    let groups = query_groups(q);
    let filter = Filter {
        categories,
        thread: query.thread,
        author,
    };
    let (ids, total) = matching(conn, &groups, &filter, PAGE, offset)?;
    let rows: Vec<HitRow> = posts::table
        .inner_join(threads::table.inner_join(categories::table))
        .filter(posts::id.eq_any(&ids))
        .select((
            posts::id,
            posts::number,
            posts::raw,
            posts::official.eq(1),
            posts::created_at,
            posts::author_id,
            Thread::as_select(),
            categories::name,
        ))
        .load(conn)?;
    let authors: Vec<UserId> = rows.iter().map(|r| r.5).collect();
    let names = crate::accounts::service::usernames(conn, &authors)?;
    let wanted: Vec<Term> = groups.iter().flatten().cloned().collect();
    let mut by_id: HashMap<i64, HitRow> = rows.into_iter().map(|r| (r.0, r)).collect();
    let hits = ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|r| Hit {
            kind: if r.1 == 1 { "thread" } else { "post" }.to_string(),
            thread_id: r.6.id.0,
            post_number: r.1,
            url: crate::forum::service::post_url(&r.6, r.1),
            snippet: snippet(&r.2, &wanted),
            category: r.7,
            author: names.get(&r.5).cloned().unwrap_or_default(),
            created_at: r.4,
            solved: r.6.accepted_post_id.is_some(),
            official: r.3,
            title: r.6.title,
        })
        .collect::<Vec<_>>();
    let next = offset + PAGE;
    Ok(Results {
        query: q.to_string(),
        next_cursor: (next < total && next <= MAX_OFFSET).then(|| next.to_string()),
        hits,
        total,
        engine: "database".to_string(),
    })
}

/// About 30 words of `raw` around the first word whose stems were searched for, escaped, with
/// every matching word in `<mark>`.
fn snippet(raw: &str, wanted: &[Term]) -> String {
    const AROUND: usize = 30;
    let tokens: Vec<&str> = raw.split_whitespace().collect();
    let matches = |token: &str| {
        words(token)
            .iter()
            .any(|w| stems(w).iter().any(|s| wanted.iter().any(|t| t.matches(s))))
    };
    let first = tokens.iter().position(|t| matches(t)).unwrap_or(0);
    let start = first.saturating_sub(AROUND / 3);
    let end = (start + AROUND).min(tokens.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    for (n, token) in tokens[start..end].iter().enumerate() {
        if n > 0 || start > 0 {
            out.push(' ');
        }
        let escaped = escape(token);
        if matches(token) {
            out.push_str(&format!("<mark>{escaped}</mark>"));
        } else {
            out.push_str(&escaped);
        }
    }
    if end < tokens.len() {
        out.push_str(" …");
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
