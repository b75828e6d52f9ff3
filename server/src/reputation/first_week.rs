//! The first-week path: five steps a new member is shown on their home page until done (read
//! the rules, complete the profile, introduce yourself with a thread, a first reply, a first
//! reaction). Steps are bits of `users.first_week`, which comes with the member's row, so the
//! checklist costs the home page no query; completing the path grants the `first_week` badge.

use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::model::{CurrentUser, UserId};
use crate::context::AppContext;
use crate::db::schema::{posts, users};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::events::DomainEvent;

pub const RULES_READ: i16 = 1;
pub const PROFILE: i16 = 2;
pub const INTRODUCED: i16 = 4;
pub const REPLIED: i16 = 8;
pub const REACTED: i16 = 16;
pub const ALL: i16 = 31;

/// The steps in order: bit, name (message `first-week-<name>`), where to do it.
pub const STEPS: &[(i16, &str, &str)] = &[
    (RULES_READ, "rules", "/rules"),
    (PROFILE, "profile", "/u/"),
    (INTRODUCED, "introduce", "/new"),
    (REPLIED, "reply", "/latest"),
    (REACTED, "react", "/latest"),
];

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub name: &'static str,
    pub done: bool,
    pub url: String,
}

/// The checklist a member sees on their home page, or `None` once done.
pub fn checklist(user: &CurrentUser) -> Option<Vec<Step>> {
    (user.first_week & ALL != ALL).then(|| {
        STEPS
            .iter()
            .map(|(bit, name, url)| Step {
                name,
                done: user.first_week & bit != 0,
                // The profile is the member's own page.
                url: if *bit == PROFILE {
                    format!("{url}{}", user.username)
                } else {
                    url.to_string()
                },
            })
            .collect()
    })
}

/// Records a step; returns whether the path became complete with it.
fn record(conn: &mut DbConnection, user: UserId, step: i16) -> AppResult<bool> {
    let before: i16 = users::table
        .find(user)
        .select(users::first_week)
        .first(conn)?;
    if before & step != 0 {
        return Ok(false);
    }
    let after = before | step;
    diesel::update(users::table.find(user))
        .set(users::first_week.eq(after))
        .execute(conn)?;
    Ok(after & ALL == ALL)
}

/// A step done outside the forum's events (the rules read, the profile saved): recorded, and
/// the badge granted if it completes the path. Cheap to call again: the caller checks the
/// member's bits first.
pub fn mark(ctx: &AppContext, conn: &mut DbConnection, user: UserId, step: i16) -> AppResult<()> {
    crate::db::write_transaction(conn, |conn| {
        if record(conn, user, step)? {
            super::badges::evaluate_slugs(ctx, conn, &[super::rules::FIRST_WEEK], &[user])?;
        }
        Ok(())
    })
}

/// Whether `user` still has `step` to do (from the request's own row: no query).
pub fn pending(user: Option<&CurrentUser>, step: i16) -> Option<UserId> {
    user.filter(|u| u.first_week & step == 0).map(|u| u.id)
}

/// The steps a forum event completes (before the badges' rules run).
pub fn on_event(conn: &mut DbConnection, event: &DomainEvent) -> AppResult<()> {
    match *event {
        DomainEvent::PostCreated { post_id } => {
            let post: Option<(UserId, i32)> = posts::table
                .find(post_id)
                .select((posts::author_id, posts::number))
                .first(conn)
                .optional()?;
            if let Some((author, number)) = post {
                record(conn, author, if number == 1 { INTRODUCED } else { REPLIED })?;
            }
        }
        DomainEvent::ReactionAdded { by, .. } => {
            record(conn, by, REACTED)?;
        }
        _ => {}
    }
    Ok(())
}
