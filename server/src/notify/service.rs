//! Notifications as a member reads them: the list (re-checked against what the member may still
//! see), opening one, marking read, delivery preferences and signed one-click unsubscribe links.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, SmallInt};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use super::fan_out::preferences_of;
use super::model::*;
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{events, notifications, threads, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::forum::model::{CategoryId, ThreadId};
use crate::util::now;

// ---------------------------------------------------------------------------------------------
// Unsubscribe links: signed, so they work without logging in and cannot be forged.

fn signature(ctx: &AppContext, user: UserId, topic: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(ctx.secret_key.expose().as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(format!("unsubscribe:{user}:{topic}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The one-click unsubscribe URL for a kind of notification (or `digest`).
pub fn unsubscribe_url(ctx: &AppContext, user: UserId, topic: &str) -> String {
    format!(
        "{}/unsubscribe?u={user}&k={topic}&s={}",
        ctx.config.base_url(),
        signature(ctx, user, topic)
    )
}

/// Checks an unsubscribe link and stops those e-mails (the in-app notifications stay).
pub fn unsubscribe(
    conn: &mut DbConnection,
    ctx: &AppContext,
    user: UserId,
    topic: &str,
    sig: &str,
) -> AppResult<()> {
    let expected = signature(ctx, user, topic);
    if !crate::util::constant_time_eq(expected.as_bytes(), sig.as_bytes()) {
        return Err(AppError::bad_request(ErrorCode::InvalidUnsubscribeLink));
    }
    let kinds: Vec<Kind> = if topic == "digest" {
        Kind::ALL
            .iter()
            .copied()
            .filter(|k| !k.is_mandatory())
            .collect()
    } else {
        vec![Kind::parse(topic)
            .ok_or_else(|| AppError::bad_request(ErrorCode::InvalidUnsubscribeLink))?]
    };
    let current = preferences(conn, user)?;
    for kind in kinds {
        let delivery = current
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, d)| *d)
            .unwrap_or(kind.default_delivery());
        let wants_mail = matches!(
            delivery,
            Delivery::Email | Delivery::Daily | Delivery::Weekly
        );
        let relevant = if topic == "digest" {
            matches!(delivery, Delivery::Daily | Delivery::Weekly)
        } else {
            wants_mail
        };
        if relevant {
            upsert_notification_preference(conn, user, kind, Delivery::InApp)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading and preferences

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationView {
    pub id: NotificationId,
    pub kind: Kind,
    /// What it is about.
    pub subject: Subject,
    pub actor: Option<String>,
    /// The subject's title (a post's: its thread's title).
    pub title: String,
    /// The thread's title when the subject is in the forum, otherwise null.
    pub thread_title: Option<String>,
    /// The path to open.
    pub url: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    pub read: bool,
    /// For reactions: which were given (`like`, `love`…), newest last.
    pub reactions: Vec<String>,
    /// For reactions: how many members besides `actor` reacted (they are one notification
    /// while it is unread).
    pub others: i32,
}

pub const PAGE_SIZE: i64 = 30;

/// A post subject always has its thread; one without it is never shown (whatever wrote it).
pub(super) fn shown_without_forum(subject_kind: i16) -> bool {
    subject_kind != SubjectKind::Post.as_i16()
}

/// The member's notifications, newest first, only where they may still look (keyset by id).
pub fn list(
    conn: &mut DbConnection,
    actor: &crate::policy::Actor,
    before: Option<i64>,
) -> AppResult<Vec<NotificationView>> {
    let Some(user) = actor.user_id() else {
        return Err(AppError::new(ErrorKind::Unauthenticated));
    };
    let visible: Vec<CategoryId> = crate::policy::visible_categories(conn, actor)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let visible_events = visible.clone();
    // Kinds as stored numbers: a kind a newer app server wrote (during a rolling upgrade) is
    // left out of the list, not an error for all of it.
    type Row = (
        i64,
        i16,
        i16,
        i64,
        Option<UserId>,
        String,
        String,
        Option<i64>,
        NaiveDateTime,
        Option<NaiveDateTime>,
        String,
        i32,
    );
    let rows: Vec<Row> = notifications::table
        .left_join(threads::table)
        .filter(notifications::user_id.eq(user))
        // Reactions taken over by a newer notification of the same post are shown there.
        .filter(notifications::grouped_into.is_null())
        .filter(notifications::id.lt(before.unwrap_or(i64::MAX)))
        // Forum subjects only where the category is still visible; the others as they are.
        .filter(
            threads::category_id
                .eq_any(visible)
                .or(notifications::thread_id
                    .is_null()
                    .and(notifications::subject_kind.ne(SubjectKind::Post))),
        )
        // …and while moderation has not hidden the thread.
        .filter(
            threads::state
                .eq(crate::forum::model::ContentState::Visible)
                .or(notifications::thread_id.is_null()),
        )
        // Events only while their category is visible.
        .filter(
            notifications::subject_kind
                .ne(SubjectKind::Event)
                .or(notifications::subject_id.eq_any(
                    events::table
                        .filter(events::category_id.eq_any(&visible_events))
                        .select(events::id),
                )),
        )
        .order(notifications::id.desc())
        .limit(PAGE_SIZE)
        .select((
            notifications::id,
            notifications::kind,
            notifications::subject_kind,
            notifications::subject_id,
            notifications::actor_id,
            notifications::url,
            notifications::title,
            notifications::thread_id,
            notifications::created_at,
            notifications::read_at,
            notifications::detail,
            notifications::others,
        ))
        .load(conn)?;
    let actor_ids: Vec<UserId> = rows.iter().filter_map(|r| r.4).collect();
    let names: HashMap<UserId, String> = users::table
        .filter(users::id.eq_any(&actor_ids))
        .select((users::id, users::display_name))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(
            |(
                id,
                kind,
                subject_kind,
                subject_id,
                actor,
                url,
                title,
                thread,
                created_at,
                read_at,
                detail,
                others,
            )| {
                Some(NotificationView {
                    id: NotificationId(id),
                    kind: Kind::from_i16(kind)?,
                    subject: Subject::new(SubjectKind::from_i16(subject_kind)?, subject_id),
                    actor: actor.and_then(|a| names.get(&a).cloned()),
                    thread_title: thread.map(|_| title.clone()),
                    title,
                    url,
                    created_at,
                    read: read_at.is_some(),
                    reactions: detail
                        .split(',')
                        .filter(|k| !k.is_empty())
                        .map(str::to_string)
                        .collect(),
                    others,
                })
            },
        )
        .collect())
}

pub fn unread_count(conn: &mut DbConnection, user: UserId) -> AppResult<i64> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Marks one notification read and returns where it points (a forum subject only while its
/// thread is visible to the member).
pub fn open(conn: &mut DbConnection, actor: &crate::policy::Actor, id: i64) -> AppResult<String> {
    let user = actor
        .user_id()
        .ok_or_else(|| AppError::new(ErrorKind::Unauthenticated))?;
    let updated = diesel::update(
        notifications::table
            .filter(notifications::id.eq(id))
            .filter(notifications::user_id.eq(user)),
    )
    .set(notifications::read_at.eq(now()))
    .execute(conn)?;
    if updated == 0 {
        return Err(AppError::new(ErrorKind::NotFound));
    }
    crate::live::announce_unread(conn, &[user])?;
    let (subject_kind, thread_id, url): (i16, Option<ThreadId>, String) = notifications::table
        .find(id)
        .select((
            notifications::subject_kind,
            notifications::thread_id,
            notifications::url,
        ))
        .first(conn)?;
    match thread_id {
        Some(thread) => {
            crate::forum::service::visible_thread(conn, actor, thread)?;
        }
        // An event, while its category is visible.
        None if subject_kind == SubjectKind::Event.as_i16() => {
            let subject: i64 = notifications::table
                .find(id)
                .select(notifications::subject_id)
                .first(conn)?;
            crate::calendar::service::visible(
                conn,
                actor,
                crate::calendar::model::EventId(subject),
            )?;
        }
        None if !shown_without_forum(subject_kind) => {
            return Err(AppError::new(ErrorKind::NotFound));
        }
        None => {}
    }
    Ok(url)
}

pub fn mark_all_read(conn: &mut DbConnection, user: UserId) -> AppResult<usize> {
    let marked = diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(now()))
    .execute(conn)?;
    if marked > 0 {
        crate::live::announce_unread(conn, &[user])?;
    }
    Ok(marked)
}

/// Every kind with the member's delivery (or its default).
pub fn preferences(conn: &mut DbConnection, user: UserId) -> AppResult<Vec<(Kind, Delivery)>> {
    let stored = preferences_of(conn, &[user])?;
    Ok(Kind::ALL
        .iter()
        .filter(|kind| !kind.is_mandatory())
        .map(|&kind| {
            let delivery = stored
                .get(&(user, kind))
                .copied()
                .unwrap_or_else(|| kind.default_delivery());
            (kind, delivery)
        })
        .collect())
}

/// The preferences form (page and API): `kind → delivery` pairs, all saved or, when one is
/// unknown, none.
pub fn set_preferences(
    conn: &mut DbConnection,
    user: UserId,
    pairs: &BTreeMap<String, String>,
) -> AppResult<()> {
    let choices = pairs
        .iter()
        .filter(|(key, _)| key.as_str() != "csrf_token")
        .map(|(key, value)| {
            let kind = Kind::parse(key)
                .filter(|kind| !kind.is_mandatory())
                .ok_or_else(|| AppError::invalid_field(key, "error-preference-invalid"))?;
            let delivery = Delivery::parse(value)
                .ok_or_else(|| AppError::invalid_field(key, "error-preference-invalid"))?;
            Ok((kind, delivery))
        })
        .collect::<AppResult<Vec<_>>>()?;
    crate::db::write_transaction(conn, |conn| {
        for (kind, delivery) in choices {
            upsert_notification_preference(conn, user, kind, delivery)?;
        }
        Ok(())
    })
}

/// Sets how one kind of notification reaches a member. The same `INSERT … ON CONFLICT` text
/// works on both backends.
pub(super) fn upsert_notification_preference(
    conn: &mut DbConnection,
    user: UserId,
    kind: Kind,
    delivery: Delivery,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO notification_preferences (user_id, kind, delivery) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery",
    )
    .bind::<BigInt, _>(user)
    .bind::<SmallInt, _>(kind)
    .bind::<SmallInt, _>(delivery)
    .execute(conn)
}
