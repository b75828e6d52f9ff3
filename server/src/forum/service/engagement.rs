//! What readers do with threads and posts: reactions (with the like counters), bookmarks, and
//! watching or muting threads and categories.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, SmallInt};

use super::categories::category_by_slug;
use super::{visible_post, visible_thread};
use crate::accounts::model::UserId;
use crate::db::schema::{bookmarks, posts, reactions, threads};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::events::{self, DomainEvent};
use crate::forum::model::*;
use crate::policy::Actor;
use crate::util::now;

/// Adds the reaction, or takes it back if it was there. One's own posts cannot be reacted to.
pub fn toggle_reaction(
    conn: &mut DbConnection,
    actor: &Actor,
    post: PostId,
    form: &ReactForm,
) -> AppResult<(Post, Thread)> {
    let kind = form
        .kind
        .known()
        .ok_or_else(|| AppError::invalid_field("kind", "error-reaction-invalid"))?;
    let user = actor.require_user()?.clone();
    crate::policy::may_write(actor, crate::util::now())?;
    let (post, thread, _) = visible_post(conn, actor, post)?;
    if post.author_id == user.id {
        return Err(AppError::bad_request(ErrorCode::OwnPost));
    }
    crate::db::write_transaction(conn, |conn| {
        let removed = diesel::delete(
            reactions::table
                .filter(reactions::post_id.eq(post.id))
                .filter(reactions::user_id.eq(user.id))
                .filter(reactions::kind.eq(kind)),
        )
        .execute(conn)?;
        let delta: i32 = if removed > 0 {
            events::publish(conn, &DomainEvent::PostChanged { post_id: post.id })?;
            -1
        } else {
            diesel::insert_into(reactions::table)
                .values((
                    reactions::post_id.eq(post.id),
                    reactions::user_id.eq(user.id),
                    reactions::kind.eq(kind),
                    reactions::created_at.eq(now()),
                ))
                .execute(conn)?;
            events::publish(
                conn,
                &DomainEvent::ReactionAdded {
                    post_id: post.id,
                    by: user.id,
                },
            )?;
            1
        };
        if kind == ReactionKind::Like {
            diesel::update(posts::table.find(post.id))
                .set(posts::likes.eq(posts::likes + delta))
                .execute(conn)?;
            diesel::update(threads::table.find(thread.id))
                .set(threads::likes.eq(threads::likes + delta))
                .execute(conn)?;
        }
        let post = posts::table
            .find(post.id)
            .select(Post::as_select())
            .first(conn)?;
        Ok((post, thread.clone()))
    })
}

/// Bookmarks a post, or removes the bookmark. Returns whether it is now bookmarked.
pub fn toggle_bookmark(
    conn: &mut DbConnection,
    actor: &Actor,
    post: PostId,
) -> AppResult<(bool, Post, Thread)> {
    let user = actor.require_user()?.clone();
    let (post, thread, _) = visible_post(conn, actor, post)?;
    let removed = diesel::delete(
        bookmarks::table
            .filter(bookmarks::post_id.eq(post.id))
            .filter(bookmarks::user_id.eq(user.id)),
    )
    .execute(conn)?;
    if removed == 0 {
        diesel::insert_into(bookmarks::table)
            .values((
                bookmarks::user_id.eq(user.id),
                bookmarks::post_id.eq(post.id),
                bookmarks::created_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok((removed == 0, post, thread))
}

fn parse_level(form: &LevelForm) -> AppResult<WatchLevel> {
    form.level
        .known()
        .ok_or_else(|| AppError::invalid_field("level", "error-level-invalid"))
}

/// Watches, mutes or returns a thread to normal.
pub fn set_thread_watch(
    conn: &mut DbConnection,
    actor: &Actor,
    thread: ThreadId,
    form: &LevelForm,
) -> AppResult<Thread> {
    let level = parse_level(form)?;
    let user = actor.require_user()?.clone();
    let (thread, _) = visible_thread(conn, actor, thread)?;
    upsert_watch(
        conn,
        user.id,
        Watched::Thread(thread.id),
        level,
        Existing::Replace,
    )?;
    Ok(thread)
}

/// Watches, mutes or returns a category to normal.
pub fn set_category_watch(
    conn: &mut DbConnection,
    actor: &Actor,
    slug: &str,
    form: &LevelForm,
) -> AppResult<CategoryView> {
    let level = parse_level(form)?;
    let user = actor.require_user()?.clone();
    let category = category_by_slug(conn, actor, slug)?;
    upsert_watch(
        conn,
        user.id,
        Watched::Category(category.id),
        level,
        Existing::Replace,
    )?;
    category_by_slug(conn, actor, slug)
}

// ---------------------------------------------------------------------------------------------
// Upserts of read markers and watches. Both backends accept the same text (`INSERT … ON
// CONFLICT … DO UPDATE` with `$n` parameters, which SQLite binds in order); diesel's builder
// offers no upsert over the two-backend connection, so they are written out.

/// Moves a reader's marker forward (never back).
pub(crate) fn upsert_thread_read(
    conn: &mut DbConnection,
    user: UserId,
    thread: ThreadId,
    number: i32,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO thread_reads (user_id, thread_id, last_read_number) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, thread_id) DO UPDATE SET last_read_number = \
         CASE WHEN excluded.last_read_number > thread_reads.last_read_number \
         THEN excluded.last_read_number ELSE thread_reads.last_read_number END",
    )
    .bind::<BigInt, _>(user)
    .bind::<BigInt, _>(thread)
    .bind::<Integer, _>(number)
    .execute(conn)
}

/// What a watch level is set on.
#[derive(Clone, Copy)]
pub(crate) enum Watched {
    Thread(ThreadId),
    Category(CategoryId),
}

/// When the member already chose a level for it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Existing {
    /// The new level replaces it.
    Replace,
    /// It stays (a member who muted a thread is not made to watch it by replying).
    Keep,
}

/// Sets how much a member hears of a thread or a category.
pub(crate) fn upsert_watch(
    conn: &mut DbConnection,
    user: UserId,
    watched: Watched,
    level: WatchLevel,
    existing: Existing,
) -> QueryResult<usize> {
    let (sql, id) = match (watched, existing) {
        (Watched::Thread(id), Existing::Replace) => (
            "INSERT INTO thread_watches (user_id, thread_id, level) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, thread_id) DO UPDATE SET level = excluded.level",
            id.0,
        ),
        (Watched::Thread(id), Existing::Keep) => (
            "INSERT INTO thread_watches (user_id, thread_id, level) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, thread_id) DO NOTHING",
            id.0,
        ),
        (Watched::Category(id), Existing::Replace) => (
            "INSERT INTO category_watches (user_id, category_id, level) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, category_id) DO UPDATE SET level = excluded.level",
            id.0,
        ),
        (Watched::Category(id), Existing::Keep) => (
            "INSERT INTO category_watches (user_id, category_id, level) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, category_id) DO NOTHING",
            id.0,
        ),
    };
    diesel::sql_query(sql)
        .bind::<BigInt, _>(user)
        .bind::<BigInt, _>(id)
        .bind::<SmallInt, _>(level)
        .execute(conn)
}
