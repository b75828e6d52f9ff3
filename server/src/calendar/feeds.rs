//! Calendar files and subscribable feeds: one event as an `.ics` download, and a member's
//! secret feed URLs (the dates they are going to, or one category's events) that calendar
//! clients poll. A feed is read with its member's permissions at every fetch, so a category
//! they can no longer see drops out; only the token's hash is stored, revoking deletes it.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::ics::{self, Entry};
use super::model::*;
use super::service::{hosts, revealed, runs, visible};
use crate::accounts::model::{CurrentUser, User, UserId};
use crate::context::AppContext;
use crate::db::schema::{calendar_feeds, event_occurrences, event_rsvps, events, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::forum::model::CategoryId;
use crate::policy::Actor;
use crate::util::{new_token, now, token_hash};

/// A member keeps at most this many feeds.
const MAX_FEEDS: i64 = 20;
/// Feeds reach back this far, so a client keeps recent past dates.
const FEED_PAST_DAYS: i64 = 60;
const FEED_LIMIT: i64 = 500;

/// The `.ics` of one event (every date), as `actor` may see it.
pub fn event_file(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
) -> AppResult<String> {
    let (event, _) = visible(conn, actor, id)?;
    let hosts = hosts(conn, id)?;
    let runs = runs(actor, &event, &hosts);
    let dates: Vec<Occurrence> = event_occurrences::table
        .filter(event_occurrences::event_id.eq(id))
        .order(event_occurrences::starts_at.asc())
        .select(Occurrence::as_select())
        .load(conn)?;
    let going = going_to(conn, actor.user_id(), &dates)?;
    let at = now();
    let entries: Vec<Entry<'_>> = dates
        .iter()
        .map(|date| Entry {
            event: &event,
            date,
            link: link(&event, date, at, runs || going.contains(&date.id)),
        })
        .collect();
    Ok(ics::calendar(
        &event.title,
        &ctx.config.base_url(),
        &entries,
    ))
}

fn link<'a>(
    event: &'a Event,
    date: &Occurrence,
    at: NaiveDateTime,
    entitled: bool,
) -> Option<&'a str> {
    revealed(event, date, at, entitled)
        .then_some(event.online_url.as_deref())
        .flatten()
}

/// Of `dates`, those `user` is going to.
fn going_to(
    conn: &mut DbConnection,
    user: Option<UserId>,
    dates: &[Occurrence],
) -> AppResult<Vec<OccurrenceId>> {
    let Some(user) = user else {
        return Ok(vec![]);
    };
    let ids: Vec<OccurrenceId> = dates.iter().map(|d| d.id).collect();
    Ok(event_rsvps::table
        .filter(event_rsvps::user_id.eq(user))
        .filter(event_rsvps::occurrence_id.eq_any(&ids))
        .filter(event_rsvps::status.eq(RsvpStatus::Going))
        .select(event_rsvps::occurrence_id)
        .load(conn)?)
}

/// A new feed: `category` (a slug) for that category's events, or none for the dates you are
/// going to.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct FeedForm {
    #[serde(default)]
    pub category: Option<String>,
}

/// A feed just created: its secret URL, shown this once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NewFeed {
    pub id: i64,
    pub url: String,
}

/// One of your feeds (the URL is not kept, only its hash).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedView {
    pub id: i64,
    /// The category's name, or none for the dates you are going to.
    pub category: Option<String>,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub last_used_at: Option<NaiveDateTime>,
}

pub fn create(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    form: &FeedForm,
) -> AppResult<NewFeed> {
    let user = actor.require_user()?.id;
    let category = match form
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(slug) => Some(
            crate::policy::visible_categories(conn, actor)?
                .into_iter()
                .find(|c| c.slug == slug)
                .ok_or_else(|| AppError::invalid_field("category", "error-event-category"))?
                .id,
        ),
    };
    let kept: i64 = calendar_feeds::table
        .filter(calendar_feeds::user_id.eq(user))
        .count()
        .get_result(conn)?;
    if kept >= MAX_FEEDS {
        return Err(AppError::invalid_field("category", "error-feed-limit"));
    }
    let token = new_token("cal_");
    let id: i64 = diesel::insert_into(calendar_feeds::table)
        .values((
            calendar_feeds::user_id.eq(user),
            calendar_feeds::category_id.eq(category),
            calendar_feeds::token_hash.eq(token_hash(&token)),
            calendar_feeds::created_at.eq(now()),
        ))
        .returning(calendar_feeds::id)
        .get_result(conn)?;
    Ok(NewFeed {
        id,
        url: format!("{}/calendar/{token}.ics", ctx.config.base_url()),
    })
}

pub fn list(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<FeedView>> {
    let user = actor.require_user()?.id;
    let rows: Vec<(
        i64,
        Option<CategoryId>,
        NaiveDateTime,
        Option<NaiveDateTime>,
    )> = calendar_feeds::table
        .filter(calendar_feeds::user_id.eq(user))
        .order(calendar_feeds::id.asc())
        .select((
            calendar_feeds::id,
            calendar_feeds::category_id,
            calendar_feeds::created_at,
            calendar_feeds::last_used_at,
        ))
        .load(conn)?;
    let categories = crate::policy::all_categories(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, category, created_at, last_used_at)| FeedView {
            id,
            category: category
                .and_then(|c| categories.iter().find(|k| k.id == c))
                .map(|c| c.name.clone()),
            created_at,
            last_used_at,
        })
        .collect())
}

/// Revokes one of your feeds: its URL stops working at once.
pub fn revoke(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    let user = actor.require_user()?.id;
    let gone = diesel::delete(
        calendar_feeds::table
            .filter(calendar_feeds::id.eq(id))
            .filter(calendar_feeds::user_id.eq(user)),
    )
    .execute(conn)?;
    if gone == 0 {
        return Err(AppError::new(ErrorKind::NotFound));
    }
    Ok(())
}

/// The feed of secret `token`, read with its member's permissions now.
pub fn feed(conn: &mut DbConnection, ctx: &AppContext, token: &str) -> AppResult<String> {
    let not_found = || AppError::new(ErrorKind::NotFound);
    let (id, user, category): (i64, UserId, Option<CategoryId>) = calendar_feeds::table
        .filter(calendar_feeds::token_hash.eq(token_hash(token)))
        .select((
            calendar_feeds::id,
            calendar_feeds::user_id,
            calendar_feeds::category_id,
        ))
        .first(conn)
        .optional()?
        .ok_or_else(not_found)?;
    let owner: User = users::table
        .find(user)
        .select(User::as_select())
        .first(conn)?;
    let actor = Actor::load(conn, Some(CurrentUser::from_user(&owner)))?;
    let visible = crate::policy::visible_categories(conn, &actor)?;
    let since = now() - Duration::days(FEED_PAST_DAYS);
    let (name, found): (String, Vec<(Occurrence, Event)>) = match category {
        Some(category) => {
            let category = visible
                .iter()
                .find(|c| c.id == category)
                .ok_or_else(not_found)?;
            let found = event_occurrences::table
                .inner_join(events::table)
                .filter(events::category_id.eq(category.id))
                .filter(event_occurrences::ends_at.gt(since))
                .order(event_occurrences::starts_at.asc())
                .limit(FEED_LIMIT)
                .select((Occurrence::as_select(), Event::as_select()))
                .load(conn)?;
            (
                format!("{} · {}", ctx.config.brand_name, category.name),
                found,
            )
        }
        None => {
            let allowed: Vec<CategoryId> = visible.iter().map(|c| c.id).collect();
            let found = event_occurrences::table
                .inner_join(events::table)
                .inner_join(
                    event_rsvps::table.on(event_rsvps::occurrence_id.eq(event_occurrences::id)),
                )
                .filter(event_rsvps::user_id.eq(user))
                .filter(event_rsvps::status.eq(RsvpStatus::Going))
                .filter(events::category_id.eq_any(&allowed))
                .filter(event_occurrences::ends_at.gt(since))
                .order(event_occurrences::starts_at.asc())
                .limit(FEED_LIMIT)
                .select((Occurrence::as_select(), Event::as_select()))
                .load(conn)?;
            (ctx.config.brand_name.clone(), found)
        }
    };
    let going = {
        let dates: Vec<Occurrence> = found.iter().map(|(d, _)| d.clone()).collect();
        going_to(conn, Some(user), &dates)?
    };
    diesel::update(calendar_feeds::table.filter(calendar_feeds::id.eq(id)))
        .set(calendar_feeds::last_used_at.eq(now()))
        .execute(conn)?;
    let at = now();
    let mut hosting = std::collections::HashMap::new();
    for (_, event) in &found {
        if let std::collections::hash_map::Entry::Vacant(entry) = hosting.entry(event.id) {
            let hosts = hosts(conn, event.id)?;
            entry.insert(runs(&actor, event, &hosts));
        }
    }
    let entries: Vec<Entry<'_>> = found
        .iter()
        .map(|(date, event)| Entry {
            event,
            date,
            link: link(
                event,
                date,
                at,
                hosting.get(&event.id).copied().unwrap_or(false) || going.contains(&date.id),
            ),
        })
        .collect();
    Ok(ics::calendar(&name, &ctx.config.base_url(), &entries))
}
