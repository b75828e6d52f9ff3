//! Notifications: who hears about what, and how. A new post queues one fan-out job in the
//! post's own transaction; the worker then decides the recipients (the thread's author, people
//! watching it or its category, members mentioned or quoted, participants when the brand posts
//! an official answer), drops the author, muted readers and anyone who may not see the category,
//! writes the in-app notifications and queues e-mails per each member's preferences. Reactions
//! and accepted answers notify one member the same way. Digests gather the day's (or week's)
//! notifications into one e-mail.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use minijinja::context;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::accounts::model::User;
use crate::context::AppContext;
use crate::db::schema::{
    categories, category_watches, notification_preferences, notifications, posts, thread_watches,
    threads, users,
};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::forum::model::{Category, Post, Thread, WatchLevel};
use crate::util::now;

pub const JOB_FAN_OUT: &str = "notify";
pub const JOB_DIGEST: &str = "digest";

/// What happened, from the recipient's point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Someone replied to your thread.
    Reply,
    /// A new post in a thread or category you watch.
    Watched,
    /// Someone mentioned you.
    Mention,
    /// Someone quoted or answered your post.
    Quote,
    /// Someone reacted to your post.
    Reaction,
    /// Your answer was accepted.
    Accepted,
    /// The brand posted an official answer where you took part.
    Official,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Reply,
        Kind::Watched,
        Kind::Mention,
        Kind::Quote,
        Kind::Reaction,
        Kind::Accepted,
        Kind::Official,
    ];

    pub fn as_i16(self) -> i16 {
        match self {
            Kind::Reply => 0,
            Kind::Watched => 1,
            Kind::Mention => 2,
            Kind::Quote => 3,
            Kind::Reaction => 4,
            Kind::Accepted => 5,
            Kind::Official => 6,
        }
    }

    pub fn from_i16(value: i16) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_i16() == value)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Reply => "reply",
            Kind::Watched => "watched",
            Kind::Mention => "mention",
            Kind::Quote => "quote",
            Kind::Reaction => "reaction",
            Kind::Accepted => "accepted",
            Kind::Official => "official",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// When one post concerns a member in several ways, the most personal one wins.
    fn priority(self) -> u8 {
        match self {
            Kind::Mention => 6,
            Kind::Quote => 5,
            Kind::Reply => 4,
            Kind::Official => 3,
            Kind::Accepted => 2,
            Kind::Reaction => 1,
            Kind::Watched => 0,
        }
    }

    /// What a member gets until they choose.
    pub fn default_delivery(self) -> Delivery {
        match self {
            Kind::Reply | Kind::Mention | Kind::Accepted | Kind::Official => Delivery::Email,
            Kind::Watched | Kind::Quote | Kind::Reaction => Delivery::InApp,
        }
    }
}

/// How a kind of notification reaches a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Off,
    InApp,
    Email,
    Daily,
    Weekly,
}

impl Delivery {
    pub const ALL: [Delivery; 5] = [
        Delivery::Off,
        Delivery::InApp,
        Delivery::Email,
        Delivery::Daily,
        Delivery::Weekly,
    ];

    pub fn as_i16(self) -> i16 {
        match self {
            Delivery::Off => 0,
            Delivery::InApp => 1,
            Delivery::Email => 2,
            Delivery::Daily => 3,
            Delivery::Weekly => 4,
        }
    }

    pub fn from_i16(value: i16) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.as_i16() == value)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Off => "off",
            Delivery::InApp => "in_app",
            Delivery::Email => "email",
            Delivery::Daily => "daily",
            Delivery::Weekly => "weekly",
        }
    }

    pub fn parse(text: &str) -> Option<Delivery> {
        Delivery::ALL.into_iter().find(|d| d.as_str() == text)
    }
}

const DIGEST_NONE: i16 = 0;
pub(super) const DIGEST_DAILY: i16 = 1;
pub(super) const DIGEST_WEEKLY: i16 = 2;

#[derive(Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Event {
    /// A new post: fan out to everyone concerned.
    Post { post_id: i64 },
    /// One member is told about a post (a reaction, an accepted answer).
    Direct {
        kind: i16,
        post_id: i64,
        actor_id: i64,
        user_id: i64,
    },
}

/// Queues the fan-out of a new post (inside the post's transaction).
pub fn queue_post(conn: &mut DbConnection, post_id: i64) -> AppResult<()> {
    crate::jobs::enqueue(conn, JOB_FAN_OUT, &Event::Post { post_id }, None, 5)?;
    Ok(())
}

/// Queues a notification for one member (a reaction, an accepted answer).
pub fn queue_direct(
    conn: &mut DbConnection,
    kind: Kind,
    post_id: i64,
    actor_id: i64,
    user_id: i64,
) -> AppResult<()> {
    if actor_id == user_id {
        return Ok(());
    }
    let event = Event::Direct {
        kind: kind.as_i16(),
        post_id,
        actor_id,
        user_id,
    };
    crate::jobs::enqueue(conn, JOB_FAN_OUT, &event, None, 5)?;
    Ok(())
}

fn preferences_of(
    conn: &mut DbConnection,
    ids: &[i64],
) -> AppResult<HashMap<(i64, i16), Delivery>> {
    let mut map = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(i64, i16, i16)> = notification_preferences::table
            .filter(notification_preferences::user_id.eq_any(chunk))
            .select((
                notification_preferences::user_id,
                notification_preferences::kind,
                notification_preferences::delivery,
            ))
            .load(conn)?;
        for (user, kind, delivery) in rows {
            if let Some(delivery) = Delivery::from_i16(delivery) {
                map.insert((user, kind), delivery);
            }
        }
    }
    Ok(map)
}

/// Runs a fan-out job: writes the notifications and queues the e-mails, in one transaction.
pub fn run_fan_out(ctx: &AppContext, conn: &mut DbConnection, payload: &str) -> Result<(), String> {
    let event: Event = serde_json::from_str(payload).map_err(|e| e.to_string())?;
    crate::db::write_transaction(conn, |conn| fan_out(ctx, conn, event))
        .map_err(|e: AppError| format!("{e:?}"))
}

fn fan_out(ctx: &AppContext, conn: &mut DbConnection, event: Event) -> AppResult<()> {
    let (post_id, direct) = match event {
        Event::Post { post_id } => (post_id, None),
        Event::Direct {
            kind,
            post_id,
            actor_id,
            user_id,
        } => (post_id, Some((kind, actor_id, user_id))),
    };
    let Some(post) = posts::table
        .find(post_id)
        .select(Post::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(()); // The post is gone: nothing to say.
    };
    let thread: Thread = threads::table
        .find(post.thread_id)
        .select(Thread::as_select())
        .first(conn)?;
    let category: Category = categories::table
        .find(thread.category_id)
        .select(Category::as_select())
        .first(conn)?;

    let mut wanted: HashMap<i64, Kind> = HashMap::new();
    let mut offer = |user: i64, kind: Kind| {
        let entry = wanted.entry(user).or_insert(kind);
        if kind.priority() > entry.priority() {
            *entry = kind;
        }
    };
    let actor = match direct {
        Some((kind, actor_id, user_id)) => {
            if let Some(kind) = Kind::from_i16(kind) {
                offer(user_id, kind);
            }
            actor_id
        }
        None => {
            let watchers: Vec<i64> = thread_watches::table
                .filter(thread_watches::thread_id.eq(thread.id))
                .filter(thread_watches::level.eq(WatchLevel::Watching.as_i16()))
                .select(thread_watches::user_id)
                .load(conn)?;
            let category_watchers: Vec<i64> = category_watches::table
                .filter(category_watches::category_id.eq(category.id))
                .filter(category_watches::level.eq(WatchLevel::Watching.as_i16()))
                .select(category_watches::user_id)
                .load(conn)?;
            for user in watchers.into_iter().chain(category_watchers) {
                offer(user, Kind::Watched);
            }
            if post.official != 0 {
                let participants: Vec<i64> = posts::table
                    .filter(posts::thread_id.eq(thread.id))
                    .select(posts::author_id)
                    .distinct()
                    .load(conn)?;
                for user in participants {
                    offer(user, Kind::Official);
                }
            }
            if post.number > 1 {
                offer(thread.author_id, Kind::Reply);
            }
            if let Some(number) = post.reply_to_number {
                let quoted: Option<i64> = posts::table
                    .filter(posts::thread_id.eq(thread.id))
                    .filter(posts::number.eq(number))
                    .select(posts::author_id)
                    .first(conn)
                    .optional()?;
                if let Some(user) = quoted {
                    offer(user, Kind::Quote);
                }
            }
            let names = crate::forum::markdown::mentions(&post.raw);
            if !names.is_empty() {
                let mentioned: Vec<i64> = users::table
                    .filter(users::username_normalized.eq_any(&names))
                    .select(users::id)
                    .load(conn)?;
                for user in mentioned {
                    offer(user, Kind::Mention);
                }
            }
            post.author_id
        }
    };
    wanted.remove(&actor);
    if wanted.is_empty() {
        return Ok(());
    }
    // Muted threads and categories silence everything; the category must be visible to them.
    let candidates: Vec<i64> = wanted.keys().copied().collect();
    let muted: HashSet<i64> = thread_watches::table
        .filter(thread_watches::thread_id.eq(thread.id))
        .filter(thread_watches::level.eq(WatchLevel::Muted.as_i16()))
        .select(thread_watches::user_id)
        .load::<i64>(conn)?
        .into_iter()
        .chain(
            category_watches::table
                .filter(category_watches::category_id.eq(category.id))
                .filter(category_watches::level.eq(WatchLevel::Muted.as_i16()))
                .select(category_watches::user_id)
                .load::<i64>(conn)?,
        )
        .collect();
    let visible = crate::policy::who_can_view(conn, &category, &candidates)?;
    // Watchers who already read this post (they replied after it, say) need no word of it.
    let read_past: HashSet<i64> = crate::db::schema::thread_reads::table
        .filter(crate::db::schema::thread_reads::thread_id.eq(thread.id))
        .filter(crate::db::schema::thread_reads::last_read_number.ge(post.number))
        .select(crate::db::schema::thread_reads::user_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let preferences = preferences_of(conn, &candidates)?;
    let now = now();
    let mut rows = vec![];
    let mut emails = vec![];
    for (user, kind) in &wanted {
        if muted.contains(user) || !visible.contains(user) {
            continue;
        }
        if *kind == Kind::Watched && read_past.contains(user) {
            continue;
        }
        let delivery = preferences
            .get(&(*user, kind.as_i16()))
            .copied()
            .unwrap_or_else(|| kind.default_delivery());
        let digest = match delivery {
            Delivery::Off => continue,
            Delivery::Daily => DIGEST_DAILY,
            Delivery::Weekly => DIGEST_WEEKLY,
            Delivery::InApp | Delivery::Email => DIGEST_NONE,
        };
        if delivery == Delivery::Email {
            emails.push((*user, *kind));
        }
        rows.push((
            notifications::user_id.eq(*user),
            notifications::kind.eq(kind.as_i16()),
            notifications::thread_id.eq(thread.id),
            notifications::post_id.eq(Some(post.id)),
            notifications::actor_id.eq(Some(actor)),
            notifications::created_at.eq(now),
            notifications::digest.eq(digest),
        ));
    }
    // One statement per row: diesel offers no multi-row insert over the two-backend connection;
    // inside one transaction this stays fast (5,000 rows well under a second on either).
    for row in rows {
        diesel::insert_into(notifications::table)
            .values(row)
            .execute(conn)?;
    }
    if emails.is_empty() {
        return Ok(());
    }
    let actor_name: String = users::table
        .find(actor)
        .select(users::display_name)
        .first(conn)
        .optional()?
        .unwrap_or_default();
    let url = format!(
        "{}{}",
        ctx.config.base_url(),
        crate::forum::service::post_url(&thread, post.number)
    );
    let excerpt: String = post.raw.chars().take(400).collect();
    for (user_id, kind) in emails {
        let user: User = users::table
            .find(user_id)
            .select(User::as_select())
            .first(conn)?;
        let locale = user.locale.as_deref().unwrap_or("en");
        crate::notify::mail::enqueue(
            conn,
            ctx,
            crate::notify::mail::Outgoing {
                user_id: Some(user.id),
                to: &user.email,
                locale,
                template: "notification",
                context: context! {
                    kind => kind.as_str(),
                    actor => &actor_name,
                    title => &thread.title,
                    excerpt => &excerpt,
                    url => &url,
                    name => &user.display_name,
                },
                unsubscribe: Some(unsubscribe_url(ctx, user.id, kind.as_str())),
            },
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Unsubscribe links: signed, so they work without logging in and cannot be forged.

fn signature(ctx: &AppContext, user: i64, topic: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(ctx.secret_key.expose().as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(format!("unsubscribe:{user}:{topic}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The one-click unsubscribe URL for a kind of notification (or `digest`).
pub fn unsubscribe_url(ctx: &AppContext, user: i64, topic: &str) -> String {
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
    user: i64,
    topic: &str,
    sig: &str,
) -> AppResult<()> {
    let expected = signature(ctx, user, topic);
    let matches = expected.len() == sig.len()
        && expected
            .bytes()
            .zip(sig.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !matches || expected.is_empty() {
        return Err(AppError::bad_request("invalid_unsubscribe_link"));
    }
    let kinds: Vec<Kind> = if topic == "digest" {
        Kind::ALL.to_vec()
    } else {
        vec![Kind::parse(topic).ok_or_else(|| AppError::bad_request("invalid_unsubscribe_link"))?]
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
            crate::db::upsert_notification_preference(
                conn,
                user,
                kind.as_i16(),
                Delivery::InApp.as_i16(),
            )?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading and preferences

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub kind: Kind,
    pub actor: Option<String>,
    pub thread_title: String,
    pub url: String,
    pub created_at: NaiveDateTime,
    pub read: bool,
}

pub const PAGE_SIZE: i64 = 30;

/// The member's notifications, newest first, only where they may still look (keyset by id).
pub fn list(
    conn: &mut DbConnection,
    viewer: &crate::policy::Actor,
    before: Option<i64>,
) -> AppResult<Vec<NotificationView>> {
    let Some(user) = viewer.user_id() else {
        return Err(AppError::new(ErrorKind::Unauthenticated));
    };
    let visible: Vec<i64> = crate::policy::visible_categories(conn, viewer)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    type Row = (
        i64,
        i16,
        Option<i64>,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Thread,
        Option<i32>,
    );
    let rows: Vec<Row> = notifications::table
        .inner_join(threads::table)
        .left_join(posts::table.on(notifications::post_id.eq(posts::id.nullable())))
        .filter(notifications::user_id.eq(user))
        .filter(notifications::id.lt(before.unwrap_or(i64::MAX)))
        .filter(threads::category_id.eq_any(visible))
        .order(notifications::id.desc())
        .limit(PAGE_SIZE)
        .select((
            notifications::id,
            notifications::kind,
            notifications::actor_id,
            notifications::created_at,
            notifications::read_at,
            Thread::as_select(),
            posts::number.nullable(),
        ))
        .load(conn)?;
    let actor_ids: Vec<i64> = rows.iter().filter_map(|r| r.2).collect();
    let names: HashMap<i64, String> = users::table
        .filter(users::id.eq_any(&actor_ids))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind, actor, created_at, read_at, thread, number)| {
            Some(NotificationView {
                id,
                kind: Kind::from_i16(kind)?,
                actor: actor.and_then(|a| names.get(&a).cloned()),
                url: crate::forum::service::post_url(&thread, number.unwrap_or(1)),
                thread_title: thread.title,
                created_at,
                read: read_at.is_some(),
            })
        })
        .collect())
}

pub fn unread_count(conn: &mut DbConnection, user: i64) -> AppResult<i64> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Marks one notification read and returns where it points.
pub fn open(conn: &mut DbConnection, viewer: &crate::policy::Actor, id: i64) -> AppResult<String> {
    let user = viewer
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
    let (thread_id, post_id): (i64, Option<i64>) = notifications::table
        .find(id)
        .select((notifications::thread_id, notifications::post_id))
        .first(conn)?;
    let (thread, _) = crate::forum::service::visible_thread(
        conn,
        viewer,
        crate::forum::model::ThreadId(thread_id),
    )?;
    let number: i32 = match post_id {
        Some(post) => posts::table
            .find(post)
            .select(posts::number)
            .first(conn)
            .optional()?
            .unwrap_or(1),
        None => 1,
    };
    Ok(crate::forum::service::post_url(&thread, number))
}

pub fn mark_all_read(conn: &mut DbConnection, user: i64) -> AppResult<usize> {
    Ok(diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(now()))
    .execute(conn)?)
}

/// Every kind with the member's delivery (or its default).
pub fn preferences(conn: &mut DbConnection, user: i64) -> AppResult<Vec<(Kind, Delivery)>> {
    let stored = preferences_of(conn, &[user])?;
    Ok(Kind::ALL
        .into_iter()
        .map(|kind| {
            let delivery = stored
                .get(&(user, kind.as_i16()))
                .copied()
                .unwrap_or_else(|| kind.default_delivery());
            (kind, delivery)
        })
        .collect())
}

pub fn set_preference(
    conn: &mut DbConnection,
    user: i64,
    kind: Kind,
    delivery: Delivery,
) -> AppResult<()> {
    crate::db::upsert_notification_preference(conn, user, kind.as_i16(), delivery.as_i16())?;
    Ok(())
}
