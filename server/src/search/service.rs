//! Searching: a query (words, optionally within one thread or one member's posts) answered
//! with ranked hits the reader may see, each with its thread, category, author, date, marks and
//! a snippet of the post with the matching words highlighted; paged by a cursor.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::analyzer::{query_groups, stems, words, Term};
use super::engine::Engines;
use super::index::{Filter, Sort};
use crate::accounts::model::UserId;
use crate::db::schema::{categories, posts, threads, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::forum::model::{Thread, ThreadKind};
use crate::policy::Actor;

/// Hits per page.
pub const PAGE: i64 = 20;
/// The longest query accepted, in characters.
pub const MAX_QUERY: usize = 200;
/// How deep the cursor may page (results past it are not worth reading).
const MAX_OFFSET: i64 = 1_000;

/// A search: `q` (words), optionally `thread` (within one thread) or `author` (a username);
/// filters `category` (a slug), `kind` (`question`, `discussion`, `announcement`, or `event`
/// for events only), `solved`
/// (`true` or `false`), `official` (has an official answer), `from` and `to` (dates,
/// `YYYY-MM-DD`, both included); `sort` `relevance` (the default), `newest` or `reactions`;
/// `cursor` continues from a previous page.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub thread: Option<i64>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub solved: Option<String>,
    #[serde(default, deserialize_with = "crate::forum::model::checkbox")]
    pub official: bool,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Counts of what matches, for narrowing it down.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Facets {
    /// By category slug.
    pub category: std::collections::BTreeMap<String, i64>,
    /// By thread kind.
    pub kind: std::collections::BTreeMap<String, i64>,
    /// `solved` and `unsolved`.
    pub solved: std::collections::BTreeMap<String, i64>,
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

/// An event whose title or description matched.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EventHit {
    pub id: i64,
    pub title: String,
    pub url: String,
    /// The description around the first matching word, HTML-escaped, matches in `<mark>`.
    pub snippet: String,
    pub category: String,
    /// Its next date (UTC), or its last one when all are past.
    #[serde(serialize_with = "crate::util::utc::option")]
    pub starts_at: Option<NaiveDateTime>,
    pub cancelled: bool,
}

/// A page of results.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Results {
    pub query: String,
    pub hits: Vec<Hit>,
    /// Events that match, on the first page of a search not narrowed to posts (thread, author,
    /// solved, official answer, dates): the best three, or up to 20 with `kind=event` (then
    /// `hits` is empty).
    pub events: Vec<EventHit>,
    /// How many posts match in all (that the reader may see); with `capped`, how many of the
    /// newest 2,000 matches.
    pub total: i64,
    /// On the database engine, more posts match than it ranks and counts: only the newest
    /// 2,000 were (add words to narrow the search).
    pub capped: bool,
    pub next_cursor: Option<String>,
    pub facets: Facets,
    /// Which engine answered: `database` or `meilisearch`.
    pub engine: String,
    /// Meilisearch is configured but could not answer, so the database did (shown to staff).
    pub fallback: bool,
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

/// Searches what `actor` may see, with the engine `engines` picks.
pub fn search(
    conn: &mut DbConnection,
    engines: &Engines,
    actor: &Actor,
    query: &SearchQuery,
) -> AppResult<Results> {
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
    let visible = crate::policy::visible_categories(conn, actor)?;
    let category = match query
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        // A category the reader may not see is as unknown as one that does not exist.
        Some(slug) => Some(
            visible
                .iter()
                .find(|c| c.slug == slug)
                .ok_or_else(|| AppError::invalid_field("category", "error-search-category"))?
                .id
                .0,
        ),
    };
    let kind_text = query.kind.as_deref().map(str::trim).unwrap_or_default();
    let events_only = kind_text == "event";
    let kind = match Some(kind_text).filter(|k| !k.is_empty() && !events_only) {
        None => None,
        Some(k) => Some(
            ThreadKind::parse(k)
                .ok_or_else(|| AppError::invalid_field("kind", "error-search-kind"))?
                .as_i16(),
        ),
    };
    let solved = match query
        .solved
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        None => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => return Err(AppError::invalid_field("solved", "error-search-solved")),
    };
    let day = |field: &str, value: Option<&str>| -> AppResult<Option<chrono::NaiveDate>> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            // Four-digit years only: both databases store those.
            Some(v) => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .ok()
                .filter(|d| (1..=9998).contains(&chrono::Datelike::year(d)))
                .map(Some)
                .ok_or_else(|| AppError::invalid_field(field, "error-search-date")),
        }
    };
    let from = day("from", query.from.as_deref())?;
    let to = day("to", query.to.as_deref())?;
    if from.zip(to).is_some_and(|(f, t)| f > t) {
        return Err(AppError::invalid_field("to", "error-search-date"));
    }
    let sort = match query.sort.as_deref().map(str::trim) {
        None | Some("") | Some("relevance") => Sort::Relevance,
        Some("newest") => Sort::Newest,
        Some("reactions") => Sort::Reactions,
        Some(_) => return Err(AppError::invalid_field("sort", "error-search-sort")),
    };
    let groups = query_groups(q);
    let filter = Filter {
        categories: visible.iter().map(|c| c.id.0).collect(),
        thread: query.thread,
        author,
        category,
        kind,
        solved,
        official: query.official,
        from: from.and_then(|d| d.and_hms_opt(0, 0, 0)),
        to: to
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0)),
        sort,
    };
    // Events match on the first page of a search not narrowed to what only posts have.
    let narrowed = filter.thread.is_some()
        || filter.author.is_some()
        || filter.solved.is_some()
        || filter.official
        || filter.from.is_some()
        || filter.to.is_some();
    let want_events = offset == 0 && !narrowed && (kind.is_none() || events_only);
    let event_categories = match filter.category {
        Some(c) => vec![c],
        None => filter.categories.clone(),
    };
    // Posts and events from the same engine, so a fallback covers both.
    let ((found, event_ids), engine, fallback) = engines.run(conn, |engine, conn| {
        let event_ids = if want_events {
            engine.events(conn, &groups, &event_categories, EVENTS_COUNTED)?
        } else {
            vec![]
        };
        let found = if events_only {
            Default::default()
        } else {
            engine.matching(conn, &groups, &filter, PAGE, offset)?
        };
        Ok((found, event_ids))
    })?;
    let (ids, mut total, capped) = (found.ids, found.total, found.capped);
    // Checked again against the live tables too (a Meilisearch document may lag behind an
    // event moved to a category the reader may not see).
    let event_ids = events_still_visible(conn, &event_ids, &event_categories)?;
    let shown = if events_only { PAGE } else { EVENTS_SHOWN };
    let events = event_hits(
        conn,
        &event_ids[..event_ids.len().min(shown as usize)],
        &groups,
    )?;
    if events_only {
        total = event_ids.len() as i64;
    }
    let facets = Facets {
        category: found
            .by_category
            .iter()
            .filter_map(|(id, n)| {
                visible
                    .iter()
                    .find(|c| c.id.0 == *id)
                    .map(|c| (c.slug.clone(), *n))
            })
            .collect(),
        kind: found
            .by_kind
            .iter()
            .filter_map(|(k, n)| {
                i16::try_from(*k)
                    .ok()
                    .and_then(ThreadKind::from_i16)
                    .map(|k| (k.as_str().to_string(), *n))
            })
            .chain((!event_ids.is_empty()).then(|| ("event".to_string(), event_ids.len() as i64)))
            .collect(),
        solved: found
            .by_solved
            .iter()
            .map(|(k, n)| (if *k == 1 { "solved" } else { "unsolved" }.to_string(), *n))
            .collect(),
    };
    // The hits as the database holds them now, checked again (a Meilisearch document may lag
    // behind a post hidden a moment ago: such a hit is left out, never shown).
    let rows: Vec<HitRow> = posts::table
        .inner_join(threads::table.inner_join(categories::table))
        .filter(posts::id.eq_any(&ids))
        .filter(posts::state.eq(0))
        .filter(threads::state.eq(0))
        .filter(threads::category_id.eq_any(&filter.categories))
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
        events,
        total,
        capped,
        facets,
        engine: engine.to_string(),
        fallback: fallback.is_some(),
    })
}

/// Events counted for the facet (at most), and shown beside posts.
const EVENTS_COUNTED: i64 = 50;
const EVENTS_SHOWN: i64 = 3;

/// Those of `ids` whose event is in `categories` now, in `ids`' order.
fn events_still_visible(
    conn: &mut DbConnection,
    ids: &[i64],
    categories: &[i64],
) -> AppResult<Vec<i64>> {
    use crate::calendar::model::EventId;
    use crate::db::schema::events;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let wanted: Vec<EventId> = ids.iter().map(|id| EventId(*id)).collect();
    let found: std::collections::HashSet<i64> = events::table
        .filter(events::id.eq_any(&wanted))
        .filter(events::category_id.eq_any(categories))
        .select(events::id)
        .load::<EventId>(conn)?
        .into_iter()
        .map(|id| id.0)
        .collect();
    Ok(ids
        .iter()
        .copied()
        .filter(|id| found.contains(id))
        .collect())
}

/// The matched events as the reader sees them, in `ids`' order, with their next date.
fn event_hits(
    conn: &mut DbConnection,
    ids: &[i64],
    groups: &[Vec<Term>],
) -> AppResult<Vec<EventHit>> {
    use crate::calendar::model::{EventId, EventState};
    use crate::db::schema::{event_occurrences as o, events};
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<EventId> = ids.iter().map(|id| EventId(*id)).collect();
    let rows: Vec<(EventId, String, String, EventState, String)> = events::table
        .inner_join(categories::table)
        .filter(events::id.eq_any(&ids))
        .select((
            events::id,
            events::title,
            events::raw,
            events::state,
            categories::name,
        ))
        .load(conn)?;
    let dates: Vec<(EventId, NaiveDateTime)> = o::table
        .filter(o::event_id.eq_any(&ids))
        .order(o::starts_at.asc())
        .select((o::event_id, o::starts_at))
        .load(conn)?;
    let now = crate::util::now();
    let wanted: Vec<Term> = groups.iter().flatten().cloned().collect();
    let mut by_id: HashMap<EventId, _> = rows.into_iter().map(|r| (r.0, r)).collect();
    Ok(ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|(id, title, raw, state, category)| {
            let mut mine = dates.iter().filter(|(e, _)| *e == id).map(|(_, at)| *at);
            let starts_at = mine
                .clone()
                .find(|at| *at >= now)
                .or_else(|| mine.next_back());
            EventHit {
                id: id.0,
                url: crate::calendar::service::url(id),
                snippet: snippet(&raw, &wanted),
                title,
                category,
                starts_at,
                cancelled: state == EventState::Cancelled,
            }
        })
        .collect())
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

/// A thread like the one being written.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Similar {
    pub title: String,
    pub url: String,
    pub solved: bool,
    pub replies: i32,
}

/// Up to five threads the reader may see whose titles share words with `title`, solved ones
/// first: "did you already ask this?". Nothing for a title of stop words or over 200 characters.
pub fn similar(
    conn: &mut DbConnection,
    engines: &Engines,
    actor: &Actor,
    title: &str,
) -> AppResult<Vec<Similar>> {
    let title = title.trim();
    if title.chars().count() > MAX_QUERY {
        return Err(query_error(ErrorCode::QueryTooLong, "error-search-long"));
    }
    let groups = query_groups(title);
    let categories: Vec<i64> = crate::policy::visible_categories(conn, actor)?
        .into_iter()
        .map(|c| c.id.0)
        .collect();
    let (ids, _, _) = engines.run(conn, |engine, conn| {
        engine.similar(conn, &groups, &categories, 5)
    })?;
    let rows: Vec<(i64, Thread)> = posts::table
        .inner_join(threads::table)
        .filter(posts::id.eq_any(&ids))
        .filter(posts::state.eq(0))
        .filter(threads::state.eq(0))
        .filter(threads::category_id.eq_any(&categories))
        .select((posts::id, Thread::as_select()))
        .load(conn)?;
    let mut by_id: HashMap<i64, Thread> = rows.into_iter().collect();
    Ok(ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|t| Similar {
            url: crate::forum::service::thread_url(&t),
            solved: t.accepted_post_id.is_some(),
            replies: (t.posts_count - 1).max(0),
            title: t.title,
        })
        .collect())
}
