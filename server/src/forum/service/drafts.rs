//! Drafts: a member's unsent reply to a thread, or their unsent new thread, kept on the server
//! as they type (the composer's script saves it; without JavaScript its "Save draft" button
//! does), shown again in the composer on any device, and removed in the transaction that sends
//! the post.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use serde::{Deserialize, Serialize};

use super::{visible_thread, TITLE_MAX};
use crate::accounts::model::UserId;
use crate::db::schema::drafts;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::markdown;
use crate::forum::model::ThreadId;
use crate::policy::Actor;
use crate::util::now;

/// What a draft belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftOf {
    /// The member's new thread (one at a time).
    NewThread,
    /// Their reply to this thread.
    Reply(ThreadId),
}

impl DraftOf {
    fn key(self) -> i64 {
        match self {
            DraftOf::NewThread => 0,
            DraftOf::Reply(thread) => thread.0,
        }
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Draft {
    /// A new thread's title (empty for a reply).
    pub title: String,
    pub body: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub updated_at: NaiveDateTime,
}

/// What the composer sends.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct DraftForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
}

/// The thread must be one the actor may see (a draft says nothing of others').
fn check(conn: &mut DbConnection, actor: &Actor, of: DraftOf) -> AppResult<UserId> {
    let user = actor.require_user()?.id;
    if let DraftOf::Reply(thread) = of {
        visible_thread(conn, actor, thread)?;
    }
    Ok(user)
}

/// The actor's draft of `of`, if any.
pub fn get(conn: &mut DbConnection, actor: &Actor, of: DraftOf) -> AppResult<Option<Draft>> {
    let user = check(conn, actor, of)?;
    load(conn, user, of)
}

/// The draft without checks (the thread page has checked the thread already): one statement.
pub(crate) fn load(conn: &mut DbConnection, user: UserId, of: DraftOf) -> AppResult<Option<Draft>> {
    Ok(drafts::table
        .find((user.0, of.key()))
        .select((drafts::title, drafts::body, drafts::updated_at))
        .first::<(String, String, NaiveDateTime)>(conn)
        .optional()?
        .map(|(title, body, updated_at)| Draft {
            title,
            body,
            updated_at,
        }))
}

/// Keeps the text typed so far; an empty draft is discarded instead. Returns what is kept.
pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    of: DraftOf,
    form: &DraftForm,
) -> AppResult<Option<Draft>> {
    let user = check(conn, actor, of)?;
    if form.body.chars().count() > markdown::MAX_LENGTH {
        return Err(AppError::invalid_field("body", "error-body-long"));
    }
    if form.title.chars().count() > TITLE_MAX {
        return Err(AppError::invalid_field("title", "error-title-length"));
    }
    if form.body.trim().is_empty() && form.title.trim().is_empty() {
        clear(conn, user, of)?;
        return Ok(None);
    }
    let updated_at = now();
    diesel::sql_query(
        "INSERT INTO drafts (user_id, thread_id, title, body, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, thread_id) DO UPDATE SET title = excluded.title, \
         body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind::<BigInt, _>(user.0)
    .bind::<BigInt, _>(of.key())
    .bind::<Text, _>(&form.title)
    .bind::<Text, _>(&form.body)
    .bind::<Timestamp, _>(updated_at)
    .execute(conn)?;
    Ok(Some(Draft {
        title: form.title.clone(),
        body: form.body.clone(),
        updated_at,
    }))
}

/// Throws the actor's draft of `of` away.
pub fn discard(conn: &mut DbConnection, actor: &Actor, of: DraftOf) -> AppResult<()> {
    let user = check(conn, actor, of)?;
    clear(conn, user, of)
}

/// Removes the draft (in the transaction that sends the post).
pub(crate) fn clear(conn: &mut DbConnection, user: UserId, of: DraftOf) -> AppResult<()> {
    diesel::delete(drafts::table.find((user.0, of.key()))).execute(conn)?;
    Ok(())
}
