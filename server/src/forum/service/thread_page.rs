//! A thread as its reader sees it: one page of posts with the question's accepted and official
//! answers, the reader's marks (how far they read, how they watch it, their unsent reply) and
//! the read marker moved; the replies that arrived after a given post (the live bar); a single
//! post drawn as on its page. The cost is checked by `tests/page_cost.rs`: four statements for
//! a visitor, five for a member (a sixth when the marker moves).

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use serde::Serialize;

use super::categories::category_view;
use super::listing::{people_of_thread, post_views_of, reaction_marks, summaries_of};
use super::{
    authors, can_moderate_threads, can_post_official, can_reply, may_read_post_text, may_see_post,
    may_see_thread, not_found, page_start_for, visible_thread, POSTS_PER_PAGE,
};
use crate::accounts::model::UserId;
use crate::db::schema::{
    bookmarks, category_watches, drafts, posts, thread_reads, thread_watches, threads,
};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::forum::model::*;
use crate::forum::views::ViewCounter;
use crate::newtypes::Lenient;
use crate::policy::Actor;

/// A thread page as a reader sees it, counting the view (pages and API alike).
pub fn read_thread(
    conn: &mut DbConnection,
    actor: &Actor,
    views: &ViewCounter,
    id: ThreadId,
    after: i32,
) -> AppResult<ThreadPage> {
    let page = thread_page(conn, actor, id, after)?;
    if let Some(batch) = views.record(id) {
        crate::forum::views::flush(conn, batch)?;
    }
    Ok(page)
}

/// The cursor of a thread's last page.
pub fn last_page_start(conn: &mut DbConnection, actor: &Actor, id: ThreadId) -> AppResult<i32> {
    let (thread, _) = visible_thread(conn, actor, id)?;
    Ok(page_start_for(thread.last_post_number))
}

/// How much of an accepted or official answer shows under the question.
const ANSWER_EXCERPT_CHARS: usize = 280;

/// One page of a thread: posts with numbers after `after`, plus the question's accepted and
/// official answers. Moves the reader's marker (views are counted by `views::ViewCounter`).
pub fn thread_page(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ThreadId,
    after: i32,
) -> AppResult<ThreadPage> {
    // The thread with what the reader keeps on it, in one statement (a visitor is nobody, id 0:
    // the subqueries find nothing).
    let me = actor.user_id().unwrap_or(UserId(0));
    let (thread, mine) = threads::table
        .find(id)
        .select((Thread::as_select(), reader_marks(me, id)))
        .first::<(Thread, MarksRow)>(conn)
        .optional()?
        .filter(|(t, _)| may_see_thread(actor, t))
        .ok_or_else(not_found)?;
    let catalog = crate::policy::catalog(conn, actor)?;
    let visible = crate::policy::visible_in(&catalog, actor);
    let category = visible
        .iter()
        .find(|c| c.id == thread.category_id)
        .cloned()
        .ok_or_else(not_found)?;
    let after = after.max(0);
    // The page's posts, each with whether the reader bookmarked it.
    let loaded: Vec<(Post, Option<PostId>)> = posts::table
        .left_join(
            bookmarks::table.on(bookmarks::post_id
                .eq(posts::id)
                .and(bookmarks::user_id.eq(me))),
        )
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::number.gt(after))
        .order(posts::number.asc())
        .limit(POSTS_PER_PAGE)
        .select((Post::as_select(), bookmarks::post_id.nullable()))
        .load(conn)?;
    // Held and rejected posts are left out for everyone but their author and moderators (the
    // page's cursor still moves past them).
    let last_loaded = loaded.last().map(|(p, _)| p.number);
    let bookmarked: HashSet<PostId> = loaded.iter().filter_map(|(_, b)| *b).collect();
    let rows: Vec<Post> = loaded
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| may_see_post(actor, p))
        .collect();
    let specials: Vec<PostId> = [thread.accepted_post_id, thread.official_post_id]
        .into_iter()
        .flatten()
        .collect();
    let special_rows: Vec<Post> = if specials.is_empty() {
        vec![]
    } else {
        posts::table
            .filter(crate::db::among(posts::id, specials.iter().map(|p| p.0)))
            .select(Post::as_select())
            .load::<Post>(conn)?
            .into_iter()
            .filter(|p| may_read_post_text(actor, p))
            .collect()
    };
    // Everyone the page names, in one statement: the posts' authors, the thread's author and
    // its last poster.
    let people_ids: Vec<UserId> = rows
        .iter()
        .chain(&special_rows)
        .map(|p| p.author_id)
        .chain(people_of_thread(&thread))
        .collect();
    let people = authors(conn, &people_ids)?;
    let post_ids: Vec<PostId> = rows.iter().chain(&special_rows).map(|p| p.id).collect();
    let mut marks = reaction_marks(conn, actor, &post_ids)?;
    marks.bookmarked = bookmarked;
    let mut views = post_views_of(actor, &thread, &rows, &people, &marks);
    let mut special_views = post_views_of(actor, &thread, &special_rows, &people, &marks);
    for (view, row) in special_views.iter_mut().zip(&special_rows) {
        view.excerpt = Some(crate::forum::markdown::excerpt(
            &row.raw,
            ANSWER_EXCERPT_CHARS,
        ));
    }
    let accepted = special_views
        .iter()
        .find(|p| Some(p.id) == thread.accepted_post_id)
        .cloned();
    let official = special_views
        .iter()
        .find(|p| Some(p.id) == thread.official_post_id)
        .cloned();
    let mut first_unread = None;
    let mut watch = WatchLevel::Normal;
    let mut reads = HashMap::new();
    let mut watches = HashMap::new();
    let mut draft = None;
    if let Some(user) = actor.user_id() {
        let (read, thread_watch, category_watch, saved) = mine;
        let read = read.unwrap_or(0);
        if read < thread.last_post_number {
            first_unread = Some(read + 1);
        }
        // The marker only moves forward: no write when this page was read already.
        if let Some(last) = last_loaded.filter(|last| *last > read) {
            super::engagement::upsert_thread_read(conn, user, thread.id, last)?;
        }
        // The line at the top counts what is left unread after this page.
        reads.insert(thread.id, read.max(last_loaded.unwrap_or(0)));
        watch = thread_watch.and_then(|l| l.0).unwrap_or(WatchLevel::Normal);
        if let Some(level) = category_watch.and_then(|l| l.0) {
            watches.insert(category.id, level);
        }
        draft = saved;
    }
    let last_shown = last_loaded.unwrap_or(after);
    let next_after =
        (last_shown < thread.last_post_number && last_loaded.is_some()).then_some(last_shown);
    let previous_after = (after > 0).then(|| (after - POSTS_PER_PAGE as i32).max(0));
    // The question itself shows its accepted/official answer; avoid repeating the flags twice.
    for post in &mut views {
        post.accepted = thread.accepted_post_id == Some(post.id);
    }
    let summary = summaries_of(
        actor,
        std::slice::from_ref(&thread),
        &visible,
        &people,
        &reads,
    )
    .into_iter()
    .next()
    .ok_or_else(not_found)?;
    let names = &catalog.groups;
    let category_allows_reply = super::may_post_in(
        actor,
        &category,
        super::PostingAct::Reply,
        &names.posting_ids(category.id),
    );
    Ok(ThreadPage {
        thread: summary,
        category: category_view(actor, &category, &visible, names, &watches),
        accepted,
        official,
        posts: views,
        previous_after,
        next_after,
        can_reply: can_reply(actor, &thread) && category_allows_reply,
        can_moderate: can_moderate_threads(actor),
        can_arrange: super::can_arrange_threads(actor),
        can_post_official: can_post_official(actor),
        watch,
        first_unread,
        draft,
    })
}

/// What the reader keeps on one thread: the last post number read, their watch level of the
/// thread and of its category, their unsent reply.
type MarksRow = (
    Option<i32>,
    Option<Lenient<WatchLevel>>,
    Option<Lenient<WatchLevel>>,
    Option<String>,
);

/// `MarksRow` as four subqueries, to select with the thread.
#[diesel::dsl::auto_type]
fn reader_marks(user: UserId, thread: ThreadId) -> _ {
    let user_key: i64 = user.0;
    let thread_key: i64 = thread.0;
    (
        thread_reads::table
            .filter(thread_reads::user_id.eq(user))
            .filter(thread_reads::thread_id.eq(thread))
            .select(thread_reads::last_read_number)
            .single_value(),
        thread_watches::table
            .filter(thread_watches::user_id.eq(user))
            .filter(thread_watches::thread_id.eq(thread))
            .select(thread_watches::level)
            .single_value(),
        category_watches::table
            .filter(category_watches::user_id.eq(user))
            // The thread's own category, from the enclosing query's row.
            .filter(category_watches::category_id.eq(threads::category_id))
            .select(category_watches::level)
            .single_value(),
        drafts::table
            .filter(drafts::user_id.eq(user_key))
            .filter(drafts::thread_id.eq(thread_key))
            .select(drafts::body)
            .single_value(),
    )
}

/// Replies a thread's reader has not been shown yet: the posts after number `after` they may
/// see (at most `NEW_POSTS_MAX`), for the live "new replies" bar.
#[derive(Serialize)]
pub struct NewPosts {
    /// Id and number of each, in order.
    pub posts: Vec<NewPost>,
    /// The highest number read (visible or not): where the next read starts.
    pub after: i32,
    /// Replies the thread has now (the page's count).
    pub replies: i32,
}

#[derive(Serialize)]
pub struct NewPost {
    pub id: PostId,
    pub number: i32,
}

const NEW_POSTS_MAX: i64 = 100;

pub fn posts_after(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ThreadId,
    after: i32,
) -> AppResult<NewPosts> {
    // The posts first: the thread read after them is at least as new (its reply count).
    let rows: Vec<Post> = posts::table
        .filter(posts::thread_id.eq(id))
        .filter(posts::number.gt(after.max(0)))
        .order(posts::number.asc())
        .limit(NEW_POSTS_MAX)
        .select(Post::as_select())
        .load(conn)?;
    let (thread, _) = visible_thread(conn, actor, id)?;
    let last = rows.last().map_or(after, |p| p.number);
    Ok(NewPosts {
        posts: rows
            .iter()
            .filter(|p| may_see_post(actor, p))
            .map(|p| NewPost {
                id: p.id,
                number: p.number,
            })
            .collect(),
        after: last,
        replies: (thread.posts_count - 1).max(0),
    })
}

/// The thread page that starts at post `id` and holds only it (for the page's script to insert
/// a reply sent without reload, drawn like the rest).
pub fn post_in_page(conn: &mut DbConnection, actor: &Actor, id: PostId) -> AppResult<ThreadPage> {
    let (post, thread, _) = super::visible_post(conn, actor, id)?;
    let mut page = thread_page(conn, actor, thread.id, post.number - 1)?;
    page.posts.retain(|p| p.id == post.id);
    if page.posts.is_empty() {
        return Err(not_found());
    }
    Ok(page)
}
