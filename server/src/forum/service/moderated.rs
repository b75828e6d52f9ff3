//! What moderation does to forum content. The moderation domain decides, checks the rules and
//! records the decision; these functions only apply it, inside its transaction: a post's or
//! thread's state with the label the public sees, and a moderator's edit. Nothing is deleted:
//! hidden and deleted content stays in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::posting::{record_revision, validate_body};
use super::{post_url, thread_url, ForumSettings};
use crate::accounts::model::UserId;
use crate::db::schema::{posts, threads};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::forum::model::{ContentState, Post, PostId, Thread, ThreadId};

/// What a decision needs to know of its target: its author, title and link.
#[derive(Clone, Debug)]
pub struct Target {
    pub author: UserId,
    pub title: String,
    pub url: String,
    pub state: ContentState,
    /// The post's current version (posts only).
    pub version: Option<i32>,
}

fn gone() -> AppError {
    AppError::new(ErrorKind::NotFound)
}

pub fn post_target(conn: &mut DbConnection, id: PostId) -> AppResult<(Post, Thread, Target)> {
    let post: Post = posts::table
        .find(id)
        .select(Post::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(gone)?;
    let thread: Thread = threads::table
        .find(post.thread_id)
        .select(Thread::as_select())
        .first(conn)?;
    let target = Target {
        author: post.author_id,
        title: format!("{} #{}", thread.title, post.number),
        url: post_url(&thread, post.number),
        state: post.state,
        version: Some(post.version),
    };
    Ok((post, thread, target))
}

pub fn thread_target(conn: &mut DbConnection, id: ThreadId) -> AppResult<(Thread, Target)> {
    let thread: Thread = threads::table
        .find(id)
        .select(Thread::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(gone)?;
    let target = Target {
        author: thread.author_id,
        title: thread.title.clone(),
        url: thread_url(&thread),
        state: thread.state,
        version: None,
    };
    Ok((thread, target))
}

/// Puts a post in `state`. A moderated post shows `label` to the public, and its history up to
/// now is for staff and its author only. The first post carries its thread along (a held or
/// hidden opening post holds or hides the thread).
pub fn set_post_state(
    conn: &mut DbConnection,
    post: &Post,
    state: ContentState,
    label: Option<&str>,
) -> AppResult<()> {
    let history = if label.is_some() {
        post.version
    } else {
        post.history_hidden_through
    };
    diesel::update(posts::table.find(post.id))
        .set((
            posts::state.eq(state),
            posts::moderation_label.eq(label),
            posts::history_hidden_through.eq(history),
        ))
        .execute(conn)?;
    if post.number == 1 {
        set_thread_state(conn, post.thread_id, state)?;
    }
    if state != post.state {
        // The list line names the last poster readers can see.
        let last_visible = posts::table
            .filter(posts::thread_id.eq(post.thread_id))
            .filter(posts::state.eq(ContentState::Visible))
            .order(posts::number.desc())
            .select(posts::author_id.nullable())
            .limit(1)
            .single_value();
        diesel::update(threads::table.find(post.thread_id))
            .set(threads::last_poster_id.eq(last_visible))
            .execute(conn)?;
        crate::events::publish(
            conn,
            &crate::events::DomainEvent::PostChanged { post_id: post.id },
        )?;
    }
    Ok(())
}

/// Puts a thread in `state` (listed and readable by everyone only while visible).
pub fn set_thread_state(
    conn: &mut DbConnection,
    thread: ThreadId,
    state: ContentState,
) -> AppResult<()> {
    let state = match state {
        ContentState::Resubmitted => ContentState::Hidden,
        other => other,
    };
    diesel::update(threads::table.find(thread))
        .set(threads::state.eq(state))
        .execute(conn)?;
    Ok(())
}

/// A moderator's edit under a rule: a new revision with the reason, the label shown with the
/// post, and the earlier text kept from the public.
#[allow(clippy::too_many_arguments)]
pub fn moderator_edit(
    conn: &mut DbConnection,
    post: &Post,
    editor: UserId,
    body: &str,
    reason: &str,
    label: &str,
    settings: &ForumSettings,
    at: NaiveDateTime,
) -> AppResult<()> {
    validate_body(body)?;
    let version = post.version + 1;
    // Conditional on the version read: an edit by the author in between makes this one stale.
    let bumped = diesel::update(
        posts::table
            .find(post.id)
            .filter(posts::version.eq(post.version)),
    )
    .set((
        posts::version.eq(version),
        posts::moderation_label.eq(Some(label)),
        posts::history_hidden_through.eq(post.version),
    ))
    .execute(conn)?;
    if bumped == 0 {
        return Err(AppError::new(ErrorKind::Conflict {
            code: crate::error::ErrorCode::StaleVersion,
            field: "version".into(),
        }));
    }
    let reason: String = reason.chars().take(200).collect();
    record_revision(
        conn, post, version, body, editor, &reason, settings, true, at,
    )
}

/// Puts back a post's text after a moderator's edit was overturned on appeal: a new revision
/// with the text kept as evidence, shown without a moderation label.
#[allow(clippy::too_many_arguments)]
pub fn restore_text(
    conn: &mut DbConnection,
    post: &Post,
    editor: UserId,
    body: &str,
    reason: &str,
    settings: &ForumSettings,
    at: NaiveDateTime,
) -> AppResult<()> {
    let version = post.version + 1;
    diesel::update(posts::table.find(post.id))
        .set((
            posts::version.eq(version),
            posts::moderation_label.eq(None::<String>),
        ))
        .execute(conn)?;
    let reason: String = reason.chars().take(200).collect();
    record_revision(
        conn, post, version, body, editor, &reason, settings, true, at,
    )
}

/// Publishes a held post a moderator approved: it counts and bumps its thread now (a held
/// opening post also counts its thread in the category).
pub fn publish_held(conn: &mut DbConnection, post: &Post) -> AppResult<()> {
    set_post_state(conn, post, ContentState::Visible, None)?;
    let at = crate::util::now();
    diesel::update(threads::table.find(post.thread_id))
        .set((
            threads::posts_count.eq(threads::posts_count + 1),
            threads::bumped_at.eq(at),
            threads::last_poster_id.eq(post.author_id),
        ))
        .execute(conn)?;
    let category: crate::forum::model::CategoryId = threads::table
        .find(post.thread_id)
        .select(threads::category_id)
        .first(conn)?;
    super::categories::count_in_category(conn, category, i32::from(post.number == 1), 1)
}
