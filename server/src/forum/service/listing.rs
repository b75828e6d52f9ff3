//! Reading: keyset-paginated thread lists (latest, a category, an author), post views (with
//! their reactions and the reader's marks), bookmarks and what is new since the last visit;
//! thread pages live in `thread_page` (re-exported here). Every query filters by the categories
//! the actor may see.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::categories::category_by_slug;
pub use super::thread_page::{
    last_page_start, post_in_page, posts_after, read_thread, thread_page, NewPost, NewPosts,
};
use super::{
    authors, can_accept_answer, can_edit_post, may_read_post_text, may_see_post, may_see_thread,
    not_found, post_url, thread_url, unknown_author, visible_ids, THREADS_PER_PAGE,
};
use crate::accounts::model::{User, UserId};
use crate::db::schema::{
    bookmarks, category_watches, posts, reactions, thread_reads, thread_watches, threads,
};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::forum::model::*;
use crate::newtypes::Lenient;
use crate::policy::{visible_categories, Actor};

/// Where a listing comes from.
pub enum ListScope {
    /// Every visible category, minus what the actor muted.
    Latest,
    Category(CategoryId),
    /// Threads started by one member (their profile's activity).
    Author(UserId),
}

fn encode_cursor(bumped_at: NaiveDateTime, id: ThreadId) -> String {
    format!("{}_{}", bumped_at.and_utc().timestamp_micros(), id)
}

fn decode_cursor(text: &str) -> AppResult<(NaiveDateTime, ThreadId)> {
    let bad = || AppError::bad_request(ErrorCode::InvalidCursor);
    let (micros, id) = text.split_once('_').ok_or_else(bad)?;
    let micros: i64 = micros.parse().map_err(|_| bad())?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    let at = chrono::DateTime::from_timestamp_micros(micros)
        .ok_or_else(bad)?
        .naive_utc();
    Ok((at, ThreadId(id)))
}

/// A "top" list's cursor: the last thread's reactions and id.
fn decode_top_cursor(text: &str) -> AppResult<(i32, ThreadId)> {
    let bad = || AppError::bad_request(ErrorCode::InvalidCursor);
    let (likes, id) = text.split_once('_').ok_or_else(bad)?;
    Ok((
        likes.parse().map_err(|_| bad())?,
        ThreadId(id.parse().map_err(|_| bad())?),
    ))
}

/// One page of threads, latest activity first (pinned first on a category's first page).
pub fn list_threads(
    conn: &mut DbConnection,
    actor: &Actor,
    scope: ListScope,
    filter: ListFilter,
    after: Option<&str>,
) -> AppResult<ThreadList> {
    let catalog = crate::policy::catalog(conn, actor)?;
    let visible = crate::policy::visible_in(&catalog, actor);
    let visible_ids: Vec<CategoryId> = visible.iter().map(|c| c.id).collect();
    // Listings filter by the categories the actor may NOT see: the list is short, and a
    // NOT IN lets the database walk the (bumped_at, id) index in order instead of sorting every
    // visible thread.
    let hidden: Vec<CategoryId> = catalog
        .categories
        .iter()
        .map(|c| c.id)
        .filter(|id| !visible_ids.contains(id))
        .collect();
    // Held, hidden and deleted threads are listed nowhere (moderators find them in the queue).
    let mut query = threads::table
        .filter(threads::state.eq(ContentState::Visible))
        .into_boxed();
    let mut pinned_first = false;
    let mut globally_pinned_first = false;
    let mut only_category = None;
    match scope {
        ListScope::Latest => {
            if let Some(user) = actor.user_id() {
                // Muted categories and threads are left out by subqueries (no statement).
                let muted_categories = category_watches::table
                    .filter(category_watches::user_id.eq(user))
                    .filter(category_watches::level.eq(WatchLevel::Muted))
                    .select(category_watches::category_id);
                query = query.filter(threads::category_id.ne_all(muted_categories));
                let muted_threads = thread_watches::table
                    .filter(thread_watches::user_id.eq(user))
                    .filter(thread_watches::level.eq(WatchLevel::Muted))
                    .select(thread_watches::thread_id);
                query = query.filter(threads::id.ne_all(muted_threads));
            }
            globally_pinned_first = true;
        }
        ListScope::Category(id) => {
            if !visible_ids.contains(&id) {
                return Err(not_found());
            }
            only_category = Some(id);
            pinned_first = true;
        }
        ListScope::Author(user) => {
            query = query.filter(threads::author_id.eq(user));
        }
    }
    query = filtered(query, actor, filter)?;
    if filter != ListFilter::All {
        // A filtered list is one list: pinned threads take their place in it.
        pinned_first = false;
        globally_pinned_first = false;
    }
    match only_category {
        Some(category) => query = query.filter(threads::category_id.eq(category)),
        None if !hidden.is_empty() => {
            query = query.filter(threads::category_id.ne_all(hidden.clone()))
        }
        None => {}
    }
    let mut rows: Vec<Thread> = vec![];
    if pinned_first {
        query = query.filter(threads::pinned.eq(Pinned::Unpinned));
        if after.is_none() {
            rows = threads::table
                .filter(crate::db::among(
                    threads::category_id,
                    only_category.map(|c| c.0),
                ))
                // `>= 1`, not `<> 0`: a range the (category, pinned, bumped_at) index can seek.
                .filter(threads::pinned.ge(Pinned::InCategory))
                .filter(threads::state.eq(ContentState::Visible))
                .order((threads::bumped_at.desc(), threads::id.desc()))
                .select(Thread::as_select())
                .load(conn)?;
        }
    }
    if globally_pinned_first {
        // Threads pinned globally open the first page of Latest (and the home page), in the
        // categories the reader sees; the other pages leave them out.
        query = query.filter(threads::pinned.lt(Pinned::Global));
        if after.is_none() {
            let mut pins = threads::table
                .filter(threads::pinned.eq(Pinned::Global))
                .filter(threads::state.eq(ContentState::Visible))
                .into_boxed();
            if !hidden.is_empty() {
                pins = pins.filter(threads::category_id.ne_all(hidden.clone()));
            }
            rows = pins
                .order((threads::bumped_at.desc(), threads::id.desc()))
                .select(Thread::as_select())
                .load(conn)?;
        }
    }
    let top = filter.top_period();
    if let Some(cursor) = after {
        if top.is_some() {
            let (likes, id) = decode_top_cursor(cursor)?;
            query = query.filter(
                threads::likes
                    .lt(likes)
                    .or(threads::likes.eq(likes).and(threads::id.lt(id))),
            );
        } else {
            let (at, id) = decode_cursor(cursor)?;
            query = query.filter(
                threads::bumped_at
                    .lt(at)
                    .or(threads::bumped_at.eq(at).and(threads::id.lt(id))),
            );
        }
    }
    query = match top {
        // Top: the most reactions among the threads started in the period.
        Some(period) => {
            if let Some(period) = period {
                query = query.filter(threads::created_at.ge(crate::util::now() - period));
            }
            query.order((threads::likes.desc(), threads::id.desc()))
        }
        None => query.order((threads::bumped_at.desc(), threads::id.desc())),
    };
    let mut page: Vec<Thread> = query
        .limit(THREADS_PER_PAGE + 1)
        .select(Thread::as_select())
        .load(conn)?;
    let more = page.len() as i64 > THREADS_PER_PAGE;
    page.truncate(THREADS_PER_PAGE as usize);
    let next_after = match page.last() {
        Some(t) if more && top.is_some() => Some(format!("{}_{}", t.likes, t.id.0)),
        Some(t) if more => Some(encode_cursor(t.bumped_at, t.id)),
        _ => None,
    };
    rows.extend(page);
    Ok(ThreadList {
        threads: summaries(conn, actor, &rows, &visible)?,
        next_after,
    })
}

/// A list filter from `?filter=` (none is every thread); an unknown one is an error of the
/// field.
pub fn parse_filter(text: Option<&str>) -> AppResult<ListFilter> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(ListFilter::All),
        Some(text) => ListFilter::parse(text)
            .ok_or_else(|| AppError::invalid_field("filter", "error-list-filter")),
    }
}

type ThreadQuery<'a> = threads::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// Narrows a thread list to a filter; `mine` needs a member, `needs_staff` staff.
fn filtered<'a>(
    query: ThreadQuery<'a>,
    actor: &Actor,
    filter: ListFilter,
) -> AppResult<ThreadQuery<'a>> {
    use crate::accounts::model::Role;
    use crate::db::schema::users;
    Ok(match filter {
        ListFilter::All
        | ListFilter::TopWeek
        | ListFilter::TopMonth
        | ListFilter::TopYear
        | ListFilter::TopAll => query,
        ListFilter::Unanswered => query.filter(threads::posts_count.le(1)),
        ListFilter::Unsolved => query
            .filter(threads::kind.eq(ThreadKind::Question))
            .filter(threads::accepted_post_id.is_null()),
        ListFilter::Solved => query.filter(threads::accepted_post_id.is_not_null()),
        ListFilter::Questions => query.filter(threads::kind.eq(ThreadKind::Question)),
        ListFilter::Mine => query.filter(threads::author_id.eq(actor.require_user()?.id)),
        ListFilter::NeedsStaff => {
            crate::policy::require(super::can_see_staff_backlog(actor))?;
            let answered_by_staff = posts::table
                .inner_join(users::table)
                .filter(posts::number.gt(1))
                .filter(posts::state.eq(ContentState::Visible))
                .filter(
                    users::role
                        .ge(Role::Moderator)
                        .or(users::department.is_not_null()),
                )
                .select(posts::thread_id);
            query
                .filter(threads::kind.eq(ThreadKind::Question))
                .filter(threads::id.ne_all(answered_by_staff))
        }
    })
}

fn summaries(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &[Thread],
    visible: &[Category],
) -> AppResult<Vec<ThreadSummary>> {
    let author_ids: Vec<UserId> = rows.iter().flat_map(people_of_thread).collect();
    let people = authors(conn, &author_ids)?;
    let thread_ids: Vec<ThreadId> = rows.iter().map(|t| t.id).collect();
    let reads: HashMap<ThreadId, i32> = match actor.user_id() {
        Some(user) => thread_reads::table
            .filter(thread_reads::user_id.eq(user))
            .filter(crate::db::among(
                thread_reads::thread_id,
                thread_ids.iter().map(|t| t.0),
            ))
            .select((thread_reads::thread_id, thread_reads::last_read_number))
            .load::<(ThreadId, i32)>(conn)?
            .into_iter()
            .collect(),
        None => HashMap::new(),
    };
    Ok(summaries_of(actor, rows, visible, &people, &reads))
}

/// The people a thread's line names: its author and its last poster.
pub(super) fn people_of_thread(thread: &Thread) -> impl Iterator<Item = UserId> {
    [Some(thread.author_id), thread.last_poster_id]
        .into_iter()
        .flatten()
}

/// `summaries` from people and reading positions already read.
pub(super) fn summaries_of(
    actor: &Actor,
    rows: &[Thread],
    visible: &[Category],
    people: &HashMap<UserId, AuthorView>,
    reads: &HashMap<ThreadId, i32>,
) -> Vec<ThreadSummary> {
    rows.iter()
        .map(|t| {
            let category = visible.iter().find(|c| c.id == t.category_id);
            ThreadSummary {
                id: t.id,
                slug: t.slug.clone(),
                title: t.title.clone(),
                lang: t.lang.clone(),
                kind: t.kind,
                category_slug: category.map(|c| c.slug.clone()).unwrap_or_default(),
                category_name: category.map(|c| c.name.clone()).unwrap_or_default(),
                author: people
                    .get(&t.author_id)
                    .cloned()
                    .unwrap_or_else(|| unknown_author(t.author_id)),
                last_poster: people
                    .get(&t.last_poster_id.unwrap_or(t.author_id))
                    .cloned()
                    .unwrap_or_else(|| unknown_author(t.author_id)),
                created_at: t.created_at,
                bumped_at: t.bumped_at,
                posts_count: t.posts_count,
                last_post_number: t.last_post_number,
                replies: (t.posts_count - 1).max(0),
                views: t.views,
                likes: t.likes,
                pinned: t.pinned != Pinned::Unpinned,
                pinned_globally: t.pinned == Pinned::Global,
                locked: t.is_locked(),
                solved: t.accepted_post_id.is_some(),
                has_official_answer: t.official_post_id.is_some(),
                unread: actor
                    .user_id()
                    .map(|_| (t.last_post_number - reads.get(&t.id).copied().unwrap_or(0)).max(0)),
                first_unread: actor
                    .user_id()
                    .map(|_| reads.get(&t.id).copied().unwrap_or(0) + 1)
                    .filter(|first| *first <= t.last_post_number),
                url: thread_url(t),
            }
        })
        .collect()
}

/// What readers did to a page's posts: per post and reaction kind, how many reacted and
/// whether the reader did (one statement), and which of them the reader bookmarked.
#[derive(Default)]
pub(super) struct Marks {
    /// (post, kind) → (count, the reader's own).
    pub(super) reactions: HashMap<(PostId, ReactionKind), (i64, bool)>,
    pub(super) bookmarked: HashSet<PostId>,
}

/// Reaction counts with the reader's own in one statement (no statement for no posts).
pub(super) fn reaction_marks(
    conn: &mut DbConnection,
    actor: &Actor,
    ids: &[PostId],
) -> AppResult<Marks> {
    if ids.is_empty() {
        return Ok(Marks::default());
    }
    use diesel::dsl::{case_when, count_star, sum};
    // A visitor's own count is 0: user id 0 is nobody.
    let me = actor.user_id().unwrap_or(UserId(0));
    // A reaction kind a newer version wrote is left out, not an error for the page.
    let rows: Vec<(PostId, Lenient<ReactionKind>, i64, Option<i64>)> = reactions::table
        .filter(crate::db::among(
            reactions::post_id,
            ids.iter().map(|id| id.0),
        ))
        .group_by((reactions::post_id, reactions::kind))
        .select((
            reactions::post_id,
            reactions::kind,
            count_star(),
            sum(case_when(
                reactions::user_id.eq(me),
                1i32.into_sql::<diesel::sql_types::Integer>(),
            )
            .otherwise(0i32.into_sql::<diesel::sql_types::Integer>())),
        ))
        .load(conn)?;
    Ok(Marks {
        reactions: rows
            .into_iter()
            .filter_map(|(post, kind, count, mine)| {
                Some(((post, kind.0?), (count, mine.unwrap_or(0) > 0)))
            })
            .collect(),
        bookmarked: HashSet::new(),
    })
}

/// The reader's bookmarks among `ids` (no statement for a visitor or no posts).
fn bookmarks_among(
    conn: &mut DbConnection,
    actor: &Actor,
    ids: &[PostId],
) -> AppResult<HashSet<PostId>> {
    match actor.user_id() {
        Some(user) if !ids.is_empty() => Ok(bookmarks::table
            .filter(crate::db::among(
                bookmarks::post_id,
                ids.iter().map(|id| id.0),
            ))
            .filter(bookmarks::user_id.eq(user))
            .select(bookmarks::post_id)
            .load::<PostId>(conn)?
            .into_iter()
            .collect()),
        _ => Ok(HashSet::new()),
    }
}

fn post_views(
    conn: &mut DbConnection,
    actor: &Actor,
    thread: &Thread,
    rows: &[Post],
) -> AppResult<Vec<PostView>> {
    // No posts (a question without an accepted or official answer): no statements.
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<PostId> = rows.iter().map(|p| p.id).collect();
    let author_ids: Vec<UserId> = rows.iter().map(|p| p.author_id).collect();
    let people = authors(conn, &author_ids)?;
    let mut marks = reaction_marks(conn, actor, &ids)?;
    marks.bookmarked = bookmarks_among(conn, actor, &ids)?;
    Ok(post_views_of(actor, thread, rows, &people, &marks))
}

/// `post_views` from people and marks already read.
pub(super) fn post_views_of(
    actor: &Actor,
    thread: &Thread,
    rows: &[Post],
    people: &HashMap<UserId, AuthorView>,
    marks: &Marks,
) -> Vec<PostView> {
    let accept = can_accept_answer(actor, thread);
    rows.iter()
        .map(|p| {
            let readable = may_read_post_text(actor, p);
            PostView {
                id: p.id,
                number: p.number,
                author: people
                    .get(&p.author_id)
                    .cloned()
                    .unwrap_or_else(|| unknown_author(p.author_id)),
                cooked: if readable {
                    p.cooked.clone()
                } else {
                    String::new()
                },
                state: p.state,
                moderation_label: p.moderation_label.clone(),
                lang: p.lang.clone(),
                created_at: p.created_at,
                edited_at: p.edited_at,
                version: p.version,
                reply_to: p.reply_to_number,
                official: p.official.0,
                department: p.department.clone(),
                accepted: thread.accepted_post_id == Some(p.id),
                reactions: ReactionKind::ALL
                    .iter()
                    .map(|kind| {
                        let (count, mine) = marks
                            .reactions
                            .get(&(p.id, *kind))
                            .copied()
                            .unwrap_or((0, false));
                        ReactionCount {
                            kind: *kind,
                            emoji: kind.emoji().to_string(),
                            count,
                            mine,
                        }
                    })
                    .collect(),
                bookmarked: marks.bookmarked.contains(&p.id),
                can_edit: can_edit_post(actor, p),
                can_accept: accept && p.number > 1 && p.state.is_public(),
                url: post_url(thread, p.number),
                excerpt: None,
            }
        })
        .collect()
}

/// A category and one page of its threads.
pub fn category_threads(
    conn: &mut DbConnection,
    actor: &Actor,
    slug: &str,
    filter: ListFilter,
    after: Option<&str>,
) -> AppResult<(CategoryView, ThreadList)> {
    let category = category_by_slug(conn, actor, slug)?;
    let list = list_threads(conn, actor, ListScope::Category(category.id), filter, after)?;
    Ok((category, list))
}

/// A member and one page of the threads they started (only those the actor may see).
pub fn author_threads(
    conn: &mut DbConnection,
    actor: &Actor,
    username: &str,
    after: Option<&str>,
) -> AppResult<(User, ThreadList)> {
    let author = crate::accounts::service::user_by_username(conn, username)?;
    let list = list_threads(
        conn,
        actor,
        ListScope::Author(author.id),
        ListFilter::All,
        after,
    )?;
    Ok((author, list))
}

/// A single post as the actor sees it (for the API and post-without-reload).
pub fn post_view(
    conn: &mut DbConnection,
    actor: &Actor,
    post: &Post,
    thread: &Thread,
) -> AppResult<PostView> {
    post_views(conn, actor, thread, std::slice::from_ref(post))?
        .into_iter()
        .next()
        .ok_or_else(not_found)
}

/// A post its author has just written, as they see it: nobody can have reacted to it or
/// bookmarked it yet, so only its author is read (one statement where `post_view` needs three).
pub fn new_post_view(
    conn: &mut DbConnection,
    actor: &Actor,
    post: &Post,
    thread: &Thread,
) -> AppResult<PostView> {
    let people = authors(conn, &[post.author_id])?;
    post_views_of(
        actor,
        thread,
        std::slice::from_ref(post),
        &people,
        &Marks::default(),
    )
    .into_iter()
    .next()
    .ok_or_else(not_found)
}

/// The actor's bookmarks, newest first, only where they may still look.
pub fn list_bookmarks(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<BookmarkView>> {
    let user = actor.require_user()?.id;
    let visible = visible_categories(conn, actor)?;
    let ids: Vec<CategoryId> = visible.iter().map(|c| c.id).collect();
    let rows: Vec<(Post, Thread)> = bookmarks::table
        .inner_join(posts::table.inner_join(threads::table))
        .filter(bookmarks::user_id.eq(user))
        .filter(threads::category_id.eq_any(ids))
        .order(bookmarks::created_at.desc())
        .limit(100)
        .select((Post::as_select(), Thread::as_select()))
        .load(conn)?;
    let mut result = vec![];
    for (post, thread) in rows {
        if !may_see_thread(actor, &thread) || !may_see_post(actor, &post) {
            continue;
        }
        let summary = summaries(conn, actor, std::slice::from_ref(&thread), &visible)?;
        let view = post_view(conn, actor, &post, &thread)?;
        if let Some(summary) = summary.into_iter().next() {
            result.push(BookmarkView {
                thread: summary,
                post: view,
            });
        }
    }
    Ok(result)
}

/// How many visible threads have activity since the actor's previous visit.
pub fn new_since_last_visit(conn: &mut DbConnection, actor: &Actor) -> AppResult<Option<i64>> {
    // Read with the session (`CurrentUser::previous_visit_at`).
    let Some(previous) = actor.user.as_ref().and_then(|u| u.previous_visit_at) else {
        return Ok(None);
    };
    let ids = visible_ids(conn, actor)?;
    let count: i64 = threads::table
        .filter(threads::category_id.eq_any(ids))
        .filter(threads::bumped_at.gt(previous))
        .count()
        .get_result(conn)?;
    Ok(Some(count))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::now;

    #[test]
    fn cursors_round_trip() {
        let at = now();
        let (decoded, id) = decode_cursor(&encode_cursor(at, ThreadId(42))).unwrap();
        assert_eq!((decoded, id), (at, ThreadId(42)));
        assert!(decode_cursor("garbage").is_err());
    }
}
