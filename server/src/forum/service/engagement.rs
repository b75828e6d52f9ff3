//! What readers do with threads and posts: reactions (with the like counters), bookmarks, and
//! watching or muting threads and categories.

use diesel::prelude::*;

use super::categories::category_by_slug;
use super::{visible_post, visible_thread};
use crate::db::schema::{bookmarks, posts, reactions, threads};
use crate::db::{self, DbConnection};
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
    let kind = ReactionKind::parse(form.kind.trim())
        .ok_or_else(|| AppError::invalid_field("kind", "error-reaction-invalid"))?;
    let user = actor.require_user()?.clone();
    let (post, thread, _) = visible_post(conn, actor, post)?;
    if post.author_id == user.id {
        return Err(AppError::bad_request(ErrorCode::OwnPost));
    }
    crate::db::write_transaction(conn, |conn| {
        let removed = diesel::delete(
            reactions::table
                .filter(reactions::post_id.eq(post.id))
                .filter(reactions::user_id.eq(user.id))
                .filter(reactions::kind.eq(kind.as_i16())),
        )
        .execute(conn)?;
        let delta: i32 = if removed > 0 {
            -1
        } else {
            diesel::insert_into(reactions::table)
                .values((
                    reactions::post_id.eq(post.id),
                    reactions::user_id.eq(user.id),
                    reactions::kind.eq(kind.as_i16()),
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
    WatchLevel::parse(form.level.trim())
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
    db::upsert_thread_watch(conn, user.id, thread.id, level.as_i16())?;
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
    db::upsert_category_watch(conn, user.id, category.id, level.as_i16())?;
    category_by_slug(conn, actor, slug)
}
