//! Notifications: who hears about what, and how. Every notification points at a subject (a
//! `SubjectKind` and an id) and stores the path to open and the title to show, so listing,
//! opening, e-mails and digests need no join per kind; subjects inside the forum also keep their
//! thread (and post) so that reading re-checks the category's visibility. Any domain tells a
//! member about its own subject with `notify_subject`, in its own transaction.
//!
//! Forum posts: a new post queues one fan-out job in the post's own transaction; the worker then
//! decides the recipients (the thread's author, people watching it or its category, members
//! mentioned or quoted, participants when the brand posts an official answer), drops the author,
//! muted readers and anyone who may not see the category, writes the in-app notifications and
//! queues e-mails per each member's preferences. Reactions and accepted answers notify one member
//! the same way. Digests gather the day's (or week's) notifications into one e-mail.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDateTime};
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use minijinja::context;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::accounts::model::{User, UserId};
use crate::context::AppContext;
use crate::db::schema::{
    categories, category_watches, jobs, notification_preferences, notifications, posts,
    thread_watches, threads, users,
};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::events::DomainEvent;
use crate::forum::model::{Category, Post, PostId, Thread, ThreadId, WatchLevel};
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

/// What a notification is about. A domain that notifies adds its variant here with the next free
/// number (sanction, appeal, case, event, badge…); numbers are stored, so never reuse or change
/// one. Reading needs nothing more per kind, unless the new kind can become hidden from its
/// member later: then give its rows a re-check like the forum's in `list`, `open` and digests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// A forum post: who may still see it follows its thread's category.
    Post,
    /// Only in test builds (feature `test-support`): a subject outside the forum, so the
    /// end-to-end tests prove the generic path before a real domain uses it.
    #[cfg(feature = "test-support")]
    Probe,
}

impl SubjectKind {
    pub fn as_i16(self) -> i16 {
        match self {
            SubjectKind::Post => 0,
            #[cfg(feature = "test-support")]
            SubjectKind::Probe => i16::MAX,
        }
    }

    pub fn from_i16(value: i16) -> Option<SubjectKind> {
        match value {
            0 => Some(SubjectKind::Post),
            #[cfg(feature = "test-support")]
            i16::MAX => Some(SubjectKind::Probe),
            _ => None,
        }
    }
}

/// The thing a notification is about: `{"kind": "post", "id": 42}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Subject {
    pub kind: SubjectKind,
    /// The subject's id in its own table (for a post, the post's id).
    pub id: i64,
}

impl Subject {
    pub fn new(kind: SubjectKind, id: i64) -> Subject {
        Subject { kind, id }
    }

    pub fn post(id: PostId) -> Subject {
        Subject::new(SubjectKind::Post, id.0)
    }
}

/// What one notification says and where it leads, the same for every member it reaches: the
/// required parts in `new`, the optional ones by method.
#[derive(Clone, Debug)]
pub struct Notice {
    subject: Subject,
    url: String,
    title: String,
    excerpt: String,
    actor: Option<UserId>,
    thread: Option<ThreadId>,
    post: Option<PostId>,
}

/// How much of a text an e-mail quotes.
const EXCERPT_CHARS: usize = 400;

impl Notice {
    /// `url` is the path to open inside the site (`/cases/7`), `title` what the member sees of
    /// the subject (the messages `notification-<kind>` and `mail-<kind>-*` receive it).
    pub fn new(subject: Subject, url: impl Into<String>, title: impl Into<String>) -> Notice {
        Notice {
            subject,
            url: url.into(),
            title: title.into(),
            excerpt: String::new(),
            actor: None,
            thread: None,
            post: None,
        }
    }

    /// A post: its permalink, its thread's title, its text as the excerpt, and the thread that
    /// decides at reading time who may still see it.
    pub fn post(thread: &Thread, post: &Post) -> Notice {
        Notice {
            thread: Some(ThreadId(thread.id)),
            post: Some(PostId(post.id)),
            ..Notice::new(
                Subject::post(PostId(post.id)),
                crate::forum::service::post_url(thread, post.number),
                &thread.title,
            )
            .excerpt(&post.raw)
        }
    }

    /// The member who caused it (never notified of their own doing).
    pub fn by(mut self, actor: UserId) -> Notice {
        self.actor = Some(actor);
        self
    }

    /// A few lines an e-mail quotes (cut to 400 characters).
    pub fn excerpt(mut self, text: &str) -> Notice {
        self.excerpt = text.chars().take(EXCERPT_CHARS).collect();
        self
    }
}

const DIGEST_NONE: i16 = 0;
const DIGEST_DAILY: i16 = 1;
const DIGEST_WEEKLY: i16 = 2;

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
        /// The post's author; jobs queued before domain events carry it, newer ones look it up.
        #[serde(default)]
        user_id: Option<i64>,
    },
}

/// Notify's reaction to the forum's events: a new post fans out to everyone concerned; an
/// accepted answer or a reaction tells the post's author (never themselves).
pub fn on_event(ctx: &AppContext, conn: &mut DbConnection, event: &DomainEvent) -> AppResult<()> {
    let event = match *event {
        DomainEvent::PostCreated { post_id } => Event::Post { post_id },
        DomainEvent::AnswerAccepted { post_id, by } => direct(Kind::Accepted, post_id, by),
        DomainEvent::ReactionAdded { post_id, by } => direct(Kind::Reaction, post_id, by),
        DomainEvent::PostEdited { .. } | DomainEvent::ThreadMoved { .. } => return Ok(()),
    };
    fan_out(ctx, conn, event)
}

/// A notification for the post's author only (`user_id` is filled in by `fan_out`).
fn direct(kind: Kind, post_id: i64, actor_id: i64) -> Event {
    Event::Direct {
        kind: kind.as_i16(),
        post_id,
        actor_id,
        user_id: None,
    }
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

/// Runs a fan-out job queued before domain events existed (job kind `notify`): writes the
/// notifications and queues the e-mails, in one transaction.
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
            let user_id = user_id.unwrap_or(post.author_id);
            if user_id == actor_id {
                return Ok(());
            }
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
    let mut recipients = vec![];
    for (user, kind) in wanted {
        if muted.contains(&user) || !visible.contains(&user) {
            continue;
        }
        if kind == Kind::Watched && read_past.contains(&user) {
            continue;
        }
        recipients.push((UserId(user), kind));
    }
    let notice = Notice::post(&thread, &post).by(UserId(actor));
    deliver(ctx, conn, &notice, &recipients)
}

/// Tells one member about a subject of any domain, by their delivery preference for `kind`:
/// nothing when it is off (or when they are the notice's actor), the in-app notification, kept
/// for their digest when daily or weekly, and an e-mail now when they chose e-mail. Call it in
/// the transaction of what happened: the e-mail goes through the mail outbox of that same
/// transaction. The caller has decided that the member may see the subject.
pub fn notify_subject(
    ctx: &AppContext,
    conn: &mut DbConnection,
    user: UserId,
    kind: Kind,
    notice: &Notice,
) -> AppResult<()> {
    deliver(ctx, conn, notice, &[(user, kind)])
}

/// Writes one notice to each member in their kind by their preferences (see `notify_subject`).
fn deliver(
    ctx: &AppContext,
    conn: &mut DbConnection,
    notice: &Notice,
    recipients: &[(UserId, Kind)],
) -> AppResult<()> {
    let ids: Vec<i64> = recipients
        .iter()
        .map(|(user, _)| user.0)
        .filter(|user| notice.actor.map(|a| a.0) != Some(*user))
        .collect();
    let preferences = preferences_of(conn, &ids)?;
    let now = now();
    let mut emails = vec![];
    for (user, kind) in recipients {
        if notice.actor == Some(*user) {
            continue;
        }
        let delivery = preferences
            .get(&(user.0, kind.as_i16()))
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
        // One statement per row: diesel offers no multi-row insert over the two-backend
        // connection; inside one transaction this stays fast (5,000 rows well under a second).
        diesel::insert_into(notifications::table)
            .values((
                notifications::user_id.eq(user.0),
                notifications::kind.eq(kind.as_i16()),
                notifications::subject_kind.eq(notice.subject.kind.as_i16()),
                notifications::subject_id.eq(notice.subject.id),
                notifications::url.eq(&notice.url),
                notifications::title.eq(&notice.title),
                notifications::thread_id.eq(notice.thread.map(|t| t.0)),
                notifications::post_id.eq(notice.post.map(|p| p.0)),
                notifications::actor_id.eq(notice.actor.map(|a| a.0)),
                notifications::created_at.eq(now),
                notifications::digest.eq(digest),
            ))
            .execute(conn)?;
    }
    if emails.is_empty() {
        return Ok(());
    }
    let actor_name: String = match notice.actor {
        Some(actor) => users::table
            .find(actor.0)
            .select(users::display_name)
            .first(conn)
            .optional()?
            .unwrap_or_default(),
        None => String::new(),
    };
    let url = format!("{}{}", ctx.config.base_url(), notice.url);
    for (user_id, kind) in emails {
        let user: User = users::table
            .find(user_id.0)
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
                    title => &notice.title,
                    excerpt => &notice.excerpt,
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
    /// What it is about.
    pub subject: Subject,
    pub actor: Option<String>,
    /// The subject's title (a post's: its thread's title).
    pub title: String,
    /// The thread's title when the subject is in the forum, otherwise null.
    pub thread_title: Option<String>,
    /// The path to open.
    pub url: String,
    pub created_at: NaiveDateTime,
    pub read: bool,
}

pub const PAGE_SIZE: i64 = 30;

/// A post subject always has its thread; one without it is never shown (whatever wrote it).
fn shown_without_forum(subject_kind: i16) -> bool {
    subject_kind != SubjectKind::Post.as_i16()
}

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
        i16,
        i64,
        Option<i64>,
        String,
        String,
        Option<i64>,
        NaiveDateTime,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = notifications::table
        .left_join(threads::table)
        .filter(notifications::user_id.eq(user))
        .filter(notifications::id.lt(before.unwrap_or(i64::MAX)))
        // Forum subjects only where the category is still visible; the others as they are.
        .filter(
            threads::category_id
                .eq_any(visible)
                .or(notifications::thread_id
                    .is_null()
                    .and(notifications::subject_kind.ne(SubjectKind::Post.as_i16()))),
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
        ))
        .load(conn)?;
    let actor_ids: Vec<i64> = rows.iter().filter_map(|r| r.4).collect();
    let names: HashMap<i64, String> = users::table
        .filter(users::id.eq_any(&actor_ids))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
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
            )| {
                Some(NotificationView {
                    id,
                    kind: Kind::from_i16(kind)?,
                    subject: Subject::new(SubjectKind::from_i16(subject_kind)?, subject_id),
                    actor: actor.and_then(|a| names.get(&a).cloned()),
                    thread_title: thread.map(|_| title.clone()),
                    title,
                    url,
                    created_at,
                    read: read_at.is_some(),
                })
            },
        )
        .collect())
}

pub fn unread_count(conn: &mut DbConnection, user: i64) -> AppResult<i64> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Marks one notification read and returns where it points (a forum subject only while its
/// thread is visible to the member).
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
    let (subject_kind, thread_id, url): (i16, Option<i64>, String) = notifications::table
        .find(id)
        .select((
            notifications::subject_kind,
            notifications::thread_id,
            notifications::url,
        ))
        .first(conn)?;
    match thread_id {
        Some(thread) => {
            crate::forum::service::visible_thread(conn, viewer, ThreadId(thread))?;
        }
        None if !shown_without_forum(subject_kind) => {
            return Err(AppError::new(ErrorKind::NotFound));
        }
        None => {}
    }
    Ok(url)
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

// ---------------------------------------------------------------------------------------------
// Digests

#[derive(Serialize, Deserialize)]
struct DigestPayload {
    weekly: bool,
}

/// The next digest time after `after` (at `digest_hour_utc`).
fn next_digest_at(ctx: &AppContext, after: NaiveDateTime) -> NaiveDateTime {
    let hour = ctx.config.digest_hour_utc.min(23);
    let today = after.date().and_hms_opt(hour, 0, 0).unwrap_or(after);
    if today > after {
        today
    } else {
        today + Duration::days(1)
    }
}

/// Digest runs still ahead (a run that is due or running now does not count).
fn future_digest_jobs(conn: &mut DbConnection, after: NaiveDateTime) -> AppResult<i64> {
    Ok(jobs::table
        .filter(jobs::kind.eq(JOB_DIGEST))
        .filter(jobs::done_at.is_null())
        .filter(jobs::failed_at.is_null())
        .filter(jobs::run_at.gt(after))
        .count()
        .get_result(conn)?)
}

fn schedule_next(ctx: &AppContext, conn: &mut DbConnection, after: NaiveDateTime) -> AppResult<()> {
    if future_digest_jobs(conn, after)? > 0 {
        return Ok(());
    }
    let at = next_digest_at(ctx, after);
    let payload = DigestPayload {
        weekly: at.weekday() == chrono::Weekday::Mon,
    };
    crate::jobs::enqueue(conn, JOB_DIGEST, &payload, Some(at), 3)?;
    Ok(())
}

/// Makes sure a digest run is scheduled (called when a worker starts).
pub fn schedule_digests(ctx: &AppContext) {
    let result = ctx
        .pool
        .get()
        .map_err(AppError::from)
        .and_then(|mut conn| schedule_next(ctx, &mut conn, now()));
    if let Err(error) = result {
        tracing::error!(?error, "could not schedule digests");
    }
}

/// Sends each member one e-mail with their pending daily (and, on weekly runs, weekly)
/// notifications, marks them digested, and schedules the next run.
pub fn run_digest(ctx: &AppContext, conn: &mut DbConnection, payload: &str) -> Result<(), String> {
    let payload: DigestPayload = serde_json::from_str(payload).map_err(|e| e.to_string())?;
    let result: AppResult<()> = crate::db::write_transaction(conn, |conn| {
        let mut levels = vec![DIGEST_DAILY];
        if payload.weekly {
            levels.push(DIGEST_WEEKLY);
        }
        type Pending = (i64, i64, i16, i16, Option<i64>, String, String);
        let pending: Vec<Pending> = notifications::table
            .filter(notifications::digest.eq_any(&levels))
            .filter(notifications::digested_at.is_null())
            .order((notifications::user_id.asc(), notifications::id.asc()))
            .select((
                notifications::id,
                notifications::user_id,
                notifications::kind,
                notifications::subject_kind,
                notifications::thread_id,
                notifications::url,
                notifications::title,
            ))
            .load(conn)?;
        let mut by_user: HashMap<i64, Vec<&Pending>> = HashMap::new();
        let mut weekly_users: HashSet<i64> = HashSet::new();
        for item in &pending {
            by_user.entry(item.1).or_default().push(item);
        }
        let weekly_rows: Vec<i64> = notifications::table
            .filter(notifications::digest.eq(DIGEST_WEEKLY))
            .filter(notifications::digested_at.is_null())
            .select(notifications::user_id)
            .load(conn)?;
        if payload.weekly {
            weekly_users.extend(weekly_rows);
        }
        for (user_id, items) in by_user {
            let user: User = users::table
                .find(user_id)
                .select(User::as_select())
                .first(conn)?;
            let viewer = crate::policy::Actor::load(
                conn,
                Some(crate::accounts::model::CurrentUser::from_user(&user)),
            )?;
            let visible: HashSet<i64> = crate::policy::visible_categories(conn, &viewer)?
                .into_iter()
                .map(|c| c.id)
                .collect();
            let mut lines = vec![];
            for (_, _, kind, subject_kind, thread_id, url, title) in items {
                // Forum subjects: while the category is visible, and linked to their thread
                // (one digest line per post would often repeat the same thread).
                let path = match thread_id {
                    Some(thread_id) => {
                        let thread: Thread = threads::table
                            .find(thread_id)
                            .select(Thread::as_select())
                            .first(conn)?;
                        if !visible.contains(&thread.category_id) {
                            continue;
                        }
                        crate::forum::service::thread_url(&thread)
                    }
                    None if !shown_without_forum(*subject_kind) => continue,
                    None => url.clone(),
                };
                lines.push(context! {
                    kind => Kind::from_i16(*kind).map_or("watched", Kind::as_str),
                    title => title,
                    url => format!("{}{}", ctx.config.base_url(), path),
                });
            }
            if lines.is_empty() {
                continue;
            }
            let locale = user.locale.as_deref().unwrap_or("en");
            crate::notify::mail::enqueue(
                conn,
                ctx,
                crate::notify::mail::Outgoing {
                    user_id: Some(user.id),
                    to: &user.email,
                    locale,
                    template: "digest",
                    context: context! { name => &user.display_name, items => lines, weekly => weekly_users.contains(&user_id) },
                    unsubscribe: Some(unsubscribe_url(ctx, user.id, "digest")),
                },
            )?;
        }
        let ids: Vec<i64> = pending.iter().map(|p| p.0).collect();
        let now = now();
        for chunk in ids.chunks(1000) {
            diesel::update(notifications::table.filter(notifications::id.eq_any(chunk)))
                .set(notifications::digested_at.eq(now))
                .execute(conn)?;
        }
        Ok(())
    });
    result.map_err(|e| format!("{e:?}"))?;
    schedule_next(ctx, conn, now()).map_err(|e| format!("{e:?}"))
}
