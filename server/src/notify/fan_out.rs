//! Who hears about what. Forum posts: a new post's `post_created` event reaches `on_event` in a
//! job of its own; it decides the recipients (the thread's author, people watching it or its
//! category, members mentioned or quoted, participants when the brand posts an official answer),
//! drops the author, muted readers and anyone who may not see the category, writes the in-app
//! notifications and queues e-mails per each member's preferences. Reactions and accepted
//! answers notify one member the same way. Any other domain tells a member about its own
//! subject with `notify_subject`, in its own transaction.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::service::unsubscribe_url;
use crate::accounts::model::{User, UserId};
use crate::context::AppContext;
use crate::db::schema::{
    categories, category_watches, notification_preferences, notifications, posts, reactions,
    thread_watches, threads, users,
};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::events::DomainEvent;
use crate::forum::model::{Category, Post, PostId, Thread, WatchLevel};
use crate::newtypes::Lenient;
use crate::util::now;

pub const JOB_FAN_OUT: &str = "notify";

#[derive(Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Event {
    /// A new post: fan out to everyone concerned.
    Post { post_id: PostId },
    /// One member is told about a post (a reaction, an accepted answer).
    Direct {
        /// The `Kind`'s number (queued jobs keep it; `Kind::from_i16` reads it).
        kind: i16,
        post_id: PostId,
        actor_id: UserId,
        /// The post's author; jobs queued before domain events carry it, newer ones look it up.
        #[serde(default)]
        user_id: Option<UserId>,
    },
}

/// Notify's reaction to the forum's events: a new post fans out to everyone concerned; an
/// accepted answer or a reaction tells the post's author (never themselves).
pub fn on_event(ctx: &AppContext, conn: &mut DbConnection, event: &DomainEvent) -> AppResult<()> {
    let event = match *event {
        DomainEvent::PostCreated { post_id } => Event::Post { post_id },
        DomainEvent::AnswerAccepted { post_id, by } => direct(Kind::Accepted, post_id, by),
        DomainEvent::ReactionAdded { post_id, by } => direct(Kind::Reaction, post_id, by),
        _ => return Ok(()),
    };
    fan_out(ctx, conn, event)
}

/// A notification for the post's author only (`user_id` is filled in by `fan_out`).
fn direct(kind: Kind, post_id: PostId, actor_id: UserId) -> Event {
    Event::Direct {
        kind: kind.as_i16(),
        post_id,
        actor_id,
        user_id: None,
    }
}

pub(super) fn preferences_of(
    conn: &mut DbConnection,
    ids: &[UserId],
) -> AppResult<HashMap<(UserId, Kind), Delivery>> {
    let mut map = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(UserId, Lenient<Kind>, Lenient<Delivery>)> = notification_preferences::table
            .filter(notification_preferences::user_id.eq_any(chunk))
            .select((
                notification_preferences::user_id,
                notification_preferences::kind,
                notification_preferences::delivery,
            ))
            .load(conn)?;
        // A kind or delivery a newer version wrote is left out (its default applies).
        map.extend(
            rows.into_iter()
                .filter_map(|(user, kind, delivery)| Some(((user, kind.0?), delivery.0?))),
        );
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
        } => match Kind::from_i16(kind) {
            Some(kind) => (post_id, Some((kind, actor_id, user_id))),
            None => return Ok(()), // A kind this version does not know: nobody to tell.
        },
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
    // Moderated or held content is announced to nobody (an approved post is announced then).
    if !post.state.is_public() || !thread.state.is_public() {
        return Ok(());
    }
    let category: Category = categories::table
        .find(thread.category_id)
        .select(Category::as_select())
        .first(conn)?;

    let mut wanted: HashMap<UserId, Kind> = HashMap::new();
    let mut offer = |user: UserId, kind: Kind| {
        let entry = wanted.entry(user).or_insert(kind);
        if kind.priority() > entry.priority() {
            *entry = kind;
        }
    };
    let mut reaction = None;
    let actor = match direct {
        Some((kind, actor_id, user_id)) => {
            let user_id = user_id.unwrap_or(post.author_id);
            if user_id == actor_id {
                return Ok(());
            }
            // An accepted answer or a reaction is told once per post and person: toggling it
            // off and on again (or a job run twice) sends nothing new. On PostgreSQL the post
            // row is locked first, so two such jobs at once count one after the other.
            if let DbConnection::Postgresql(pg) = conn {
                use diesel::connection::SimpleConnection as _;
                pg.batch_execute(&format!(
                    "SELECT id FROM posts WHERE id = {} FOR NO KEY UPDATE",
                    post.id
                ))?;
            }
            let told_before: i64 = notifications::table
                .filter(notifications::user_id.eq(user_id))
                .filter(notifications::kind.eq(kind))
                .filter(notifications::post_id.eq(post.id))
                .filter(notifications::actor_id.eq(actor_id))
                .count()
                .get_result(conn)?;
            if told_before > 0 {
                return Ok(());
            }
            offer(user_id, kind);
            if kind == Kind::Reaction {
                // Which reaction: the actor's latest on the post (the notification says it).
                reaction = reactions::table
                    .filter(reactions::post_id.eq(post.id))
                    .filter(reactions::user_id.eq(actor_id))
                    .order(reactions::created_at.desc())
                    .select(reactions::kind)
                    .first::<Lenient<crate::forum::model::ReactionKind>>(conn)
                    .optional()?
                    .and_then(|kind| kind.0);
            }
            actor_id
        }
        None => {
            let watchers: Vec<UserId> = thread_watches::table
                .filter(thread_watches::thread_id.eq(thread.id))
                .filter(thread_watches::level.eq(WatchLevel::Watching))
                .select(thread_watches::user_id)
                .load(conn)?;
            let category_watchers: Vec<UserId> = category_watches::table
                .filter(category_watches::category_id.eq(category.id))
                .filter(category_watches::level.eq(WatchLevel::Watching))
                .select(category_watches::user_id)
                .load(conn)?;
            for user in watchers.into_iter().chain(category_watchers) {
                offer(user, Kind::Watched);
            }
            if post.official.0 {
                let participants: Vec<UserId> = posts::table
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
                let quoted: Option<UserId> = posts::table
                    .filter(posts::thread_id.eq(thread.id))
                    .filter(posts::number.eq(number))
                    .select(posts::author_id)
                    .first(conn)
                    .optional()?;
                if let Some(user) = quoted {
                    offer(user, Kind::Quote);
                }
            }
            // Only the first members mentioned (in the order written) are told: a post naming
            // thousands must not queue thousands of e-mails.
            let names = crate::forum::markdown::mentions(&post.raw);
            if !names.is_empty() {
                let mut mentioned: Vec<(UserId, String)> = users::table
                    .filter(users::username_normalized.eq_any(&names))
                    .select((users::id, users::username_normalized))
                    .load(conn)?;
                mentioned.sort_by_key(|(_, name)| names.iter().position(|n| n == name));
                mentioned.truncate(ctx.config.mentions_notified_per_post);
                for (user, _) in mentioned {
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
    let candidates: Vec<UserId> = wanted.keys().copied().collect();
    let muted: HashSet<UserId> = thread_watches::table
        .filter(thread_watches::thread_id.eq(thread.id))
        .filter(thread_watches::level.eq(WatchLevel::Muted))
        .select(thread_watches::user_id)
        .load::<UserId>(conn)?
        .into_iter()
        .chain(
            category_watches::table
                .filter(category_watches::category_id.eq(category.id))
                .filter(category_watches::level.eq(WatchLevel::Muted))
                .select(category_watches::user_id)
                .load::<UserId>(conn)?,
        )
        .collect();
    let visible = crate::policy::who_can_view(conn, &category, &candidates)?;
    // Watchers who already read this post (they replied after it, say) need no word of it.
    let read_past: HashSet<UserId> = crate::db::schema::thread_reads::table
        .filter(crate::db::schema::thread_reads::thread_id.eq(thread.id))
        .filter(crate::db::schema::thread_reads::last_read_number.ge(post.number))
        .select(crate::db::schema::thread_reads::user_id)
        .load::<UserId>(conn)?
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
        recipients.push((user, kind));
    }
    let mut notice = Notice::post(&thread, &post).by(actor);
    if let Some(reaction) = reaction {
        notice.detail = reaction.as_str().to_string();
    }
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

/// What one notification row adds to its notice.
struct Row<'a> {
    user: UserId,
    kind: Kind,
    digest: i16,
    now: chrono::NaiveDateTime,
    detail: &'a str,
    others: i32,
}

/// Writes one notification; returns its id. One statement per row: diesel offers no multi-row
/// insert over the two-backend connection; inside one transaction this stays fast (5,000 rows
/// well under a second).
fn insert_notification(conn: &mut DbConnection, notice: &Notice, row: &Row) -> AppResult<i64> {
    Ok(diesel::insert_into(notifications::table)
        .values((
            notifications::user_id.eq(row.user),
            notifications::kind.eq(row.kind),
            notifications::subject_kind.eq(notice.subject.kind),
            notifications::subject_id.eq(notice.subject.id),
            notifications::url.eq(&notice.url),
            notifications::title.eq(&notice.title),
            notifications::thread_id.eq(notice.thread),
            notifications::post_id.eq(notice.post),
            notifications::actor_id.eq(notice.actor),
            notifications::created_at.eq(row.now),
            notifications::digest.eq(row.digest),
            notifications::detail.eq(row.detail),
            notifications::others.eq(row.others),
        ))
        .returning(notifications::id)
        .get_result(conn)?)
}

/// Reactions to one post make one notification while it is unread: when unread ones exist,
/// a new notification takes them over (their reactions and count of members, the newest
/// member named) and they leave the list, marked read and pointing to it. Answers whether it
/// grouped (the caller writes a plain notification otherwise).
fn group_reaction(
    conn: &mut DbConnection,
    user: UserId,
    notice: &Notice,
    digest: i16,
    now: chrono::NaiveDateTime,
) -> AppResult<bool> {
    let earlier: Vec<(i64, String, i32)> = notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(notifications::kind.eq(Kind::Reaction))
        .filter(notifications::post_id.eq(notice.post))
        .filter(notifications::read_at.is_null())
        .filter(notifications::grouped_into.is_null())
        .select((
            notifications::id,
            notifications::detail,
            notifications::others,
        ))
        .load(conn)?;
    if earlier.is_empty() {
        return Ok(false);
    }
    let mut detail: Vec<&str> = vec![];
    for kind in earlier
        .iter()
        .flat_map(|(_, d, _)| d.split(','))
        .chain(std::iter::once(notice.detail.as_str()))
        .filter(|k| !k.is_empty())
    {
        if !detail.contains(&kind) {
            detail.push(kind);
        }
    }
    let others: i32 = earlier.iter().map(|(_, _, others)| others + 1).sum();
    let detail = detail.join(",");
    let id = insert_notification(
        conn,
        notice,
        &Row {
            user,
            kind: Kind::Reaction,
            digest,
            now,
            detail: &detail,
            others,
        },
    )?;
    let ids: Vec<i64> = earlier.iter().map(|(id, _, _)| *id).collect();
    diesel::update(notifications::table.filter(notifications::id.eq_any(&ids)))
        .set((
            notifications::grouped_into.eq(id),
            notifications::read_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Writes one notice to each member in their kind by their preferences (see `notify_subject`).
fn deliver(
    ctx: &AppContext,
    conn: &mut DbConnection,
    notice: &Notice,
    recipients: &[(UserId, Kind)],
) -> AppResult<()> {
    let ids: Vec<UserId> = recipients
        .iter()
        .map(|(user, _)| *user)
        .filter(|user| notice.actor != Some(*user))
        .collect();
    let preferences = preferences_of(conn, &ids)?;
    let now = now();
    let mut emails = vec![];
    let mut told = vec![];
    for (user, kind) in recipients {
        if notice.actor == Some(*user) {
            continue;
        }
        let delivery = if kind.is_mandatory() {
            kind.mandatory_delivery()
        } else {
            preferences
                .get(&(*user, *kind))
                .copied()
                .unwrap_or_else(|| kind.default_delivery())
        };
        let digest = match delivery {
            Delivery::Off => continue,
            Delivery::Daily => DIGEST_DAILY,
            Delivery::Weekly => DIGEST_WEEKLY,
            Delivery::InApp | Delivery::Email => DIGEST_NONE,
        };
        if *kind == Kind::Reaction && notice.post.is_some() {
            // A reaction joins the unread ones to the same post (no second e-mail for it).
            if group_reaction(conn, *user, notice, digest, now)? {
                continue;
            }
        }
        if delivery == Delivery::Email {
            emails.push((*user, *kind));
        }
        insert_notification(
            conn,
            notice,
            &Row {
                user: *user,
                kind: *kind,
                digest,
                now,
                detail: &notice.detail,
                others: 0,
            },
        )?;
        told.push(*user);
    }
    // Their header's count changes as this commits.
    crate::live::announce_unread(conn, &told)?;
    if emails.is_empty() {
        return Ok(());
    }
    let actor_name: String = match notice.actor {
        Some(actor) => users::table
            .find(actor)
            .select(users::display_name)
            .first(conn)
            .optional()?
            .unwrap_or_default(),
        None => String::new(),
    };
    let url = format!("{}{}", ctx.config.base_url(), notice.url);
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
                    title => &notice.title,
                    excerpt => &notice.excerpt,
                    url => &url,
                    name => &user.display_name,
                },
                // What the member may not turn off offers no unsubscribe link.
                unsubscribe: (!kind.is_mandatory())
                    .then(|| unsubscribe_url(ctx, user.id, kind.as_str())),
            },
        )?;
    }
    Ok(())
}
