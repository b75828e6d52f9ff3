//! Granting and revoking badges. Built-in badges are rows kept in step with `rules::RULES` at
//! start (`sync_builtins`, names from the translations); a rule is evaluated for the members a
//! domain event concerns (the `reputation.badges` subscriber) and for everyone by the backfill
//! (`JOB_BACKFILL`, 500 members per job, its progress in `badges.backfill_after`), which the
//! nightly job starts for every enabled built-in badge. A grant is unique per badge, member and
//! item, so evaluating twice grants once; a revocable badge is removed when its rule stops
//! holding. Every grant and revocation notifies its member.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::rules::{self, Earned, Rule};
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{badges, posts, user_badges, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::events::DomainEvent;
use crate::forum::model::PostId;
use crate::newtypes::Flag;
use crate::notify::model::{Kind, Notice, Subject, SubjectKind};
use crate::util::now;

pub const JOB_BACKFILL: &str = "reputation.backfill";
pub const JOB_NIGHTLY: &str = "reputation.nightly";

/// Members per backfill job.
pub const BATCH: i64 = 500;

/// The badge's name in `locale`.
pub fn name<'a>(badge: &'a Badge, locale: &str) -> &'a str {
    if locale == "es" {
        &badge.name_es
    } else {
        &badge.name_en
    }
}

pub fn url(id: BadgeId) -> String {
    format!("/badges/{}", id.0)
}

/// Inserts the built-in badges the database lacks and refreshes their texts; a badge new to a
/// forum that has members is backfilled at once.
pub fn sync_builtins(ctx: &AppContext) -> AppResult<()> {
    let mut conn = ctx.pool.get()?;
    let conn: &mut DbConnection = &mut conn;
    let i18n = ctx.i18n();
    let text = |locale: &str, slug: &str, part: &str| {
        i18n.message(
            locale,
            &format!("badge-{}-{part}", slug.replace('_', "-")),
            &[],
        )
    };
    let existing: Vec<(BadgeId, String, String, String)> = badges::table
        .filter(badges::builtin.eq(1))
        .select((badges::id, badges::slug, badges::name_en, badges::name_es))
        .load(conn)?;
    let members: i64 = users::table.count().get_result(conn)?;
    for rule in rules::RULES {
        let (name_en, name_es) = (text("en", rule.slug, "name"), text("es", rule.slug, "name"));
        let (description_en, description_es) = (
            text("en", rule.slug, "description"),
            text("es", rule.slug, "description"),
        );
        match existing.iter().find(|(_, slug, _, _)| slug == rule.slug) {
            Some((id, _, en, es)) if *en == name_en && *es == name_es => {
                let _ = id;
            }
            Some((id, ..)) => {
                diesel::update(badges::table.find(*id))
                    .set((
                        badges::name_en.eq(&name_en),
                        badges::name_es.eq(&name_es),
                        badges::description_en.eq(&description_en),
                        badges::description_es.eq(&description_es),
                        badges::tier.eq(rule.tier),
                        badges::icon.eq(rule.icon),
                        badges::multiple.eq(Flag(rule.multiple)),
                        badges::revocable.eq(Flag(rule.revocable)),
                    ))
                    .execute(conn)?;
            }
            None => {
                let added = crate::db::write_transaction(conn, |conn| {
                    let id: BadgeId = diesel::insert_into(badges::table)
                        .values((
                            badges::slug.eq(rule.slug),
                            badges::builtin.eq(1),
                            badges::tier.eq(rule.tier),
                            badges::icon.eq(rule.icon),
                            badges::name_en.eq(&name_en),
                            badges::name_es.eq(&name_es),
                            badges::description_en.eq(&description_en),
                            badges::description_es.eq(&description_es),
                            badges::multiple.eq(Flag(rule.multiple)),
                            badges::revocable.eq(Flag(rule.revocable)),
                            badges::created_at.eq(now()),
                        ))
                        .returning(badges::id)
                        .get_result(conn)?;
                    if members > 0 {
                        start_backfill(conn, id)?;
                    }
                    AppResult::Ok(())
                });
                // Another process starting at the same time (a second app server, the search
                // worker) may have added it first, and started its backfill with it.
                if let Err(error) = added {
                    let there: i64 = badges::table
                        .filter(badges::slug.eq(rule.slug))
                        .count()
                        .get_result(conn)?;
                    if there == 0 {
                        return Err(error);
                    }
                }
            }
        }
    }
    Ok(())
}

pub fn load(conn: &mut DbConnection, id: BadgeId) -> AppResult<Badge> {
    badges::table
        .find(id)
        .select(Badge::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::new(crate::error::ErrorKind::NotFound))
}

/// Grants `badge` for `earned` unless the member already holds it (for that item); returns
/// whether it was granted now.
pub fn grant(
    ctx: &AppContext,
    conn: &mut DbConnection,
    badge: &Badge,
    earned: &Earned,
    by: Option<UserId>,
    reason: &str,
) -> AppResult<bool> {
    let row = (
        user_badges::badge_id.eq(badge.id),
        user_badges::user_id.eq(earned.user),
        user_badges::item.eq(earned.item),
        user_badges::post_id.eq(earned.post),
        user_badges::granted_at.eq(earned.at),
        user_badges::granted_by.eq(by.map(|u| u.0)),
        user_badges::reason.eq(reason),
    );
    let written = match conn {
        DbConnection::Sqlite(c) => diesel::insert_or_ignore_into(user_badges::table)
            .values(row)
            .execute(c)?,
        DbConnection::Postgresql(c) => diesel::insert_into(user_badges::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    if written == 0 {
        return Ok(false);
    }
    diesel::update(badges::table.find(badge.id))
        .set(badges::grant_count.eq(badges::grant_count + 1))
        .execute(conn)?;
    let url = match earned.post {
        Some(post) => post_url(conn, post)?.unwrap_or_else(|| url(badge.id)),
        None => url(badge.id),
    };
    let notice = Notice::new(
        Subject::new(SubjectKind::Badge, badge.id.0),
        url,
        name(badge, &locale_of(conn, earned.user)?),
    )
    .excerpt(reason);
    crate::notify::fan_out::notify_subject(ctx, conn, earned.user, Kind::BadgeGranted, &notice)?;
    Ok(true)
}

/// Takes a grant back, telling its member why (and what they no longer show by their name).
pub fn revoke(
    ctx: &AppContext,
    conn: &mut DbConnection,
    badge: &Badge,
    grant: UserBadgeId,
    user: UserId,
    reason: &str,
) -> AppResult<()> {
    let removed = diesel::delete(user_badges::table.find(grant)).execute(conn)?;
    if removed == 0 {
        return Ok(());
    }
    diesel::update(badges::table.find(badge.id))
        .set(badges::grant_count.eq(badges::grant_count - 1))
        .execute(conn)?;
    super::featured::drop_unheld(conn, user)?;
    let notice = Notice::new(
        Subject::new(SubjectKind::Badge, badge.id.0),
        url(badge.id),
        name(badge, &locale_of(conn, user)?),
    )
    .excerpt(reason);
    crate::notify::fan_out::notify_subject(ctx, conn, user, Kind::BadgeRevoked, &notice)
}

fn locale_of(conn: &mut DbConnection, user: UserId) -> AppResult<String> {
    let locale: Option<String> = users::table.find(user).select(users::locale).first(conn)?;
    Ok(locale.unwrap_or_else(|| "en".into()))
}

/// A post's permalink, when it still exists.
fn post_url(conn: &mut DbConnection, post: PostId) -> AppResult<Option<String>> {
    let found: Option<(crate::forum::model::Post, crate::forum::model::Thread)> = posts::table
        .inner_join(crate::db::schema::threads::table)
        .filter(posts::id.eq(post))
        .select((
            crate::forum::model::Post::as_select(),
            crate::forum::model::Thread::as_select(),
        ))
        .first(conn)
        .optional()?;
    Ok(found.map(|(p, t)| crate::forum::service::post_url(&t, p.number)))
}

/// What a rule earns `users` now, granted; for a revocable badge, what no longer holds is
/// revoked. Returns (granted, revoked).
pub fn evaluate(
    ctx: &AppContext,
    conn: &mut DbConnection,
    badge: &Badge,
    rule: &Rule,
    users: &[UserId],
) -> AppResult<(usize, usize)> {
    if !badge.enabled.0 || users.is_empty() {
        return Ok((0, 0));
    }
    let earned = (rule.earned)(conn, users)?;
    let held: Vec<(UserBadgeId, UserId, i64)> = user_badges::table
        .filter(user_badges::badge_id.eq(badge.id))
        .filter(user_badges::user_id.eq_any(users))
        .select((user_badges::id, user_badges::user_id, user_badges::item))
        .load(conn)?;
    let mut granted = 0;
    for e in &earned {
        let e = Earned {
            item: if rule.multiple { e.item } else { 0 },
            ..e.clone()
        };
        if held.iter().any(|(_, u, i)| *u == e.user && *i == e.item) {
            continue;
        }
        if grant(ctx, conn, badge, &e, None, "")? {
            granted += 1;
        }
    }
    let mut revoked = 0;
    if rule.revocable {
        let reason = ctx.i18n().message("en", "badge-revoked-rule", &[]);
        for (id, user, item) in held {
            let holds = earned
                .iter()
                .any(|e| e.user == user && (!rule.multiple || e.item == item));
            if !holds {
                revoke(ctx, conn, badge, id, user, &reason)?;
                revoked += 1;
            }
        }
    }
    Ok((granted, revoked))
}

/// The badges whose rules `slugs` name, enabled, with their rules.
fn built_in(conn: &mut DbConnection, wanted: &[&str]) -> AppResult<Vec<(Badge, &'static Rule)>> {
    if wanted.is_empty() {
        return Ok(vec![]);
    }
    let rows: Vec<Badge> = badges::table
        .filter(badges::builtin.eq(1))
        .filter(badges::enabled.eq(1))
        .filter(badges::slug.eq_any(wanted))
        .select(Badge::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|b| rules::find(&b.slug).map(|r| (b, r)))
        .collect())
}

/// Evaluates, for `users`, the built-in badges named in `slugs`.
pub fn evaluate_slugs(
    ctx: &AppContext,
    conn: &mut DbConnection,
    slugs: &[&str],
    users: &[UserId],
) -> AppResult<()> {
    for (badge, rule) in built_in(conn, slugs)? {
        evaluate(ctx, conn, &badge, rule, users)?;
    }
    Ok(())
}

/// The members an event concerns.
fn concerned(conn: &mut DbConnection, event: &DomainEvent) -> AppResult<Vec<UserId>> {
    let author = |conn: &mut DbConnection, post: PostId| -> AppResult<Option<UserId>> {
        Ok(posts::table
            .find(post)
            .select(posts::author_id)
            .first(conn)
            .optional()?)
    };
    Ok(match *event {
        DomainEvent::PostCreated { post_id }
        | DomainEvent::PostChanged { post_id }
        | DomainEvent::AnswerAccepted { post_id, .. } => {
            author(conn, post_id)?.into_iter().collect()
        }
        DomainEvent::ReactionAdded { post_id, by } => author(conn, post_id)?
            .into_iter()
            .chain(std::iter::once(by))
            .collect(),
        DomainEvent::TrustLevelChanged { user_id, .. } => vec![user_id],
        DomainEvent::AttendanceMarked {
            occurrence_id,
            user_id,
        } => {
            use crate::db::schema::{event_hosts, event_occurrences, events};
            let event: i64 = event_occurrences::table
                .find(occurrence_id)
                .select(event_occurrences::event_id)
                .first(conn)?;
            let mut people: Vec<UserId> = event_hosts::table
                .filter(event_hosts::event_id.eq(event))
                .select(event_hosts::user_id)
                .load(conn)?;
            people.push(
                events::table
                    .find(event)
                    .select(events::author_id)
                    .first(conn)?,
            );
            people.push(user_id);
            people.sort();
            people.dedup();
            people
        }
        DomainEvent::PostEdited { .. } | DomainEvent::ThreadMoved { .. } => vec![],
    })
}

/// Subscriber: the first-week steps an event completes, then every rule it can change, for
/// the members it concerns.
pub fn on_event(ctx: &AppContext, conn: &mut DbConnection, event: &DomainEvent) -> AppResult<()> {
    super::first_week::on_event(conn, event)?;
    let users = concerned(conn, event)?;
    let slugs: Vec<&str> = rules::RULES
        .iter()
        .filter(|r| r.triggers.contains(&event.name()))
        .map(|r| r.slug)
        .collect();
    evaluate_slugs(ctx, conn, &slugs, &users)
}

/// A backfill job's payload: the badge and the last member id done.
#[derive(Debug, Serialize, Deserialize)]
pub struct Backfill {
    pub badge: BadgeId,
    pub after: i64,
}

/// Starts (or restarts) a badge's backfill from the first member.
pub fn start_backfill(conn: &mut DbConnection, badge: BadgeId) -> AppResult<()> {
    diesel::update(badges::table.find(badge))
        .set(badges::backfill_after.eq(Some(0i64)))
        .execute(conn)?;
    crate::jobs::enqueue(conn, JOB_BACKFILL, &Backfill { badge, after: 0 }, None, 5)?;
    Ok(())
}

/// One batch of a backfill: the next `BATCH` members after `after`, with the badge's progress
/// recorded; returns the cursor of the next batch, or `None` once every member is done.
pub fn backfill_step(
    ctx: &AppContext,
    conn: &mut DbConnection,
    badge: BadgeId,
    after: i64,
) -> AppResult<Option<i64>> {
    let badge = load(conn, badge)?;
    let Some(rule) = rules::find(&badge.slug).filter(|_| badge.builtin.0) else {
        return Ok(None);
    };
    let ids: Vec<UserId> = users::table
        .filter(users::id.gt(after))
        .order(users::id.asc())
        .limit(BATCH)
        .select(users::id)
        .load(conn)?;
    evaluate(ctx, conn, &badge, rule, &ids)?;
    let next = ids
        .last()
        .map(|last| last.0)
        .filter(|_| ids.len() as i64 == BATCH);
    diesel::update(badges::table.find(badge.id))
        .set(badges::backfill_after.eq(next))
        .execute(conn)?;
    if next.is_none() {
        diesel::update(badges::table.find(badge.id))
            .set(badges::backfilled_at.eq(Some(now())))
            .execute(conn)?;
    }
    Ok(next)
}

/// The backfill job.
pub fn run_backfill(
    ctx: &AppContext,
    conn: &mut DbConnection,
    payload: &str,
) -> Result<(), String> {
    let job: Backfill = serde_json::from_str(payload).map_err(|e| e.to_string())?;
    let step = |conn: &mut DbConnection| -> AppResult<()> {
        if let Some(after) = backfill_step(ctx, conn, job.badge, job.after)? {
            let next = Backfill {
                badge: job.badge,
                after,
            };
            crate::jobs::enqueue(conn, JOB_BACKFILL, &next, None, 5)?;
        }
        Ok(())
    };
    step(conn).map_err(|e| format!("{e:?}"))
}

/// The nightly job: every enabled built-in badge is backfilled (anniversaries, hosts, and
/// anything an event missed); then the next run in a day.
pub fn run_nightly(
    _ctx: &AppContext,
    conn: &mut DbConnection,
    _payload: &str,
) -> Result<(), String> {
    let run = |conn: &mut DbConnection| -> AppResult<()> {
        let ids: Vec<BadgeId> = badges::table
            .filter(badges::builtin.eq(1))
            .filter(badges::enabled.eq(1))
            .filter(badges::backfill_after.is_null())
            .select(badges::id)
            .load(conn)?;
        for id in ids {
            start_backfill(conn, id)?;
        }
        crate::jobs::schedule_once(conn, JOB_NIGHTLY, now() + Duration::days(1), true)
    };
    run(conn).map_err(|e| format!("{e:?}"))
}

/// Makes sure the nightly run is scheduled (a worker starting).
pub fn schedule_nightly(ctx: &AppContext) {
    let result = ctx.pool.get().map_err(AppError::from).and_then(|mut conn| {
        let at: NaiveDateTime = now() + Duration::hours(1);
        crate::jobs::schedule_once(&mut conn, JOB_NIGHTLY, at, false)
    });
    if let Err(error) = result {
        tracing::error!(?error, "could not schedule the badges' nightly run");
    }
}
