//! The badges a member shows by their name (at most three of their own). The choice is stored
//! on the member's row as it is shown (`users.featured_badges`, JSON of `Featured`), so the
//! forum reads it with a page's authors at no extra query.

use diesel::prelude::*;

use super::model::*;
use crate::accounts::model::UserId;
use crate::db::schema::{badges, user_badges, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::policy::Actor;

pub const MAX: usize = 3;

/// What a stored choice shows (nothing for a missing or unreadable value).
pub fn parse(stored: Option<&str>) -> Vec<Featured> {
    stored
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}

fn store(conn: &mut DbConnection, user: UserId, chosen: &[Featured]) -> AppResult<()> {
    let text = (!chosen.is_empty())
        .then(|| serde_json::to_string(chosen).map_err(AppError::internal))
        .transpose()?;
    diesel::update(users::table.find(user))
        .set(users::featured_badges.eq(text))
        .execute(conn)?;
    Ok(())
}

fn shown(badge: &Badge) -> Featured {
    Featured {
        id: badge.id,
        slug: badge.slug.clone(),
        tier: badge.tier,
        icon: badge.icon.clone(),
        name_en: badge.name_en.clone(),
        name_es: badge.name_es.clone(),
    }
}

/// Sets the actor's featured badges: their own, at most three, in the order given.
pub fn set(conn: &mut DbConnection, actor: &Actor, ids: &[BadgeId]) -> AppResult<Vec<Featured>> {
    let user = actor.require_user()?.id;
    let mut wanted: Vec<BadgeId> = vec![];
    for id in ids {
        if !wanted.contains(id) {
            wanted.push(*id);
        }
    }
    if wanted.len() > MAX {
        return Err(AppError::invalid_field("badges", "error-featured-too-many"));
    }
    let held: Vec<Badge> = badges::table
        .inner_join(user_badges::table)
        .filter(user_badges::user_id.eq(user))
        .filter(badges::id.eq_any(&wanted))
        .select(Badge::as_select())
        .distinct()
        .load(conn)?;
    let chosen: Vec<Featured> = wanted
        .iter()
        .map(|id| {
            held.iter()
                .find(|b| b.id == *id)
                .map(shown)
                .ok_or_else(|| AppError::invalid_field("badges", "error-featured-not-held"))
        })
        .collect::<AppResult<_>>()?;
    store(conn, user, &chosen)?;
    Ok(chosen)
}

/// After a revocation: drops from the member's choice what they no longer hold.
pub fn drop_unheld(conn: &mut DbConnection, user: UserId) -> AppResult<()> {
    let stored: Option<String> = users::table
        .find(user)
        .select(users::featured_badges)
        .first(conn)?;
    let chosen = parse(stored.as_deref());
    if chosen.is_empty() {
        return Ok(());
    }
    let held: Vec<BadgeId> = user_badges::table
        .filter(user_badges::user_id.eq(user))
        .select(user_badges::badge_id)
        .load(conn)?;
    let kept: Vec<Featured> = chosen
        .iter()
        .filter(|f| held.contains(&f.id))
        .cloned()
        .collect();
    if kept.len() != chosen.len() {
        store(conn, user, &kept)?;
    }
    Ok(())
}
