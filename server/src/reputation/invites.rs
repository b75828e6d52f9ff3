//! Invitations with a campaign/source tag (`packaging-insert`, `support-email`, `instagram`…),
//! an expiry and a maximum number of uses. The community manager makes them for any source;
//! members from trust level 2 make a few of their own (source `member`). Signing up through
//! one records it on the new member's row, and the dashboard of sources counts, per source,
//! sign-ups, members who posted, and members still active 30 and 90 days after joining.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::model::{Role, UserId};
use crate::context::AppContext;
use crate::db::schema::{invites, posts, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Actor};
use crate::util::now;

/// The source of members' own invitations.
pub const MEMBER_SOURCE: &str = "member";
/// Members' limits: trust level needed, invitations a week, uses and days each.
pub const MEMBER_LEVEL: i16 = 2;
pub const MEMBER_PER_WEEK: i64 = 5;
pub const MEMBER_MAX_USES: i32 = 5;
pub const MEMBER_MAX_DAYS: i32 = 30;

/// Who invites for any source: the community manager and admins.
pub fn can_invite_for_campaigns(actor: &Actor) -> bool {
    actor.role().is_some_and(|r| r >= Role::CommunityManager)
}

/// Who may invite at all: campaigns' owners, and members from trust level 2.
pub fn can_invite(actor: &Actor) -> bool {
    can_invite_for_campaigns(actor) || (actor.user.is_some() && actor.trust_level() >= MEMBER_LEVEL)
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct InviteForm {
    /// The campaign or channel: lower-case letters, digits and `-` (members' own: ignored).
    #[serde(default)]
    pub source: String,
    #[serde(deserialize_with = "crate::forum::model::optional_number", default)]
    pub max_uses: Option<i32>,
    #[serde(deserialize_with = "crate::forum::model::optional_number", default)]
    pub expires_in_days: Option<i32>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Invitation {
    pub id: i64,
    pub source: String,
    /// The sign-up link to share.
    pub url: String,
    pub max_uses: i32,
    pub uses: i32,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub expires_at: NaiveDateTime,
    pub revoked: bool,
}

fn link(ctx: &AppContext, code: &str) -> String {
    format!("{}/register?invite={code}", ctx.config.base_url())
}

/// A source tag: 1–40 of `a-z`, `0-9`, `-`.
fn source_of(text: &str) -> AppResult<String> {
    let source = text.trim().to_lowercase();
    let fine = !source.is_empty()
        && source.len() <= 40
        && source
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if fine {
        Ok(source)
    } else {
        Err(AppError::invalid_field("source", "error-invite-source"))
    }
}

/// Makes an invitation and returns its link.
pub fn create(
    ctx: &AppContext,
    conn: &mut DbConnection,
    actor: &Actor,
    form: &InviteForm,
) -> AppResult<Invitation> {
    let by = actor.require_user()?.id;
    crate::policy::may_write(actor, now())?;
    require(can_invite(actor))?;
    let campaign = can_invite_for_campaigns(actor);
    let (source, most_uses, most_days) = if campaign {
        (source_of(&form.source)?, 100_000, 365)
    } else {
        (MEMBER_SOURCE.to_string(), MEMBER_MAX_USES, MEMBER_MAX_DAYS)
    };
    let max_uses = form.max_uses.unwrap_or(1);
    if !(1..=most_uses).contains(&max_uses) {
        return Err(AppError::invalid_field("max_uses", "error-invite-uses"));
    }
    let days = form
        .expires_in_days
        .unwrap_or(if campaign { 90 } else { 14 });
    if !(1..=most_days).contains(&days) {
        return Err(AppError::invalid_field(
            "expires_in_days",
            "error-invite-days",
        ));
    }
    if !campaign {
        let this_week: i64 = invites::table
            .filter(invites::created_by.eq(by))
            .filter(invites::created_at.gt(now() - Duration::days(7)))
            .count()
            .get_result(conn)?;
        if this_week >= MEMBER_PER_WEEK {
            return Err(AppError::invalid_field("source", "error-invite-limit"));
        }
    }
    // Short enough to print on a packaging insert (72 random bits).
    let code: String = crate::util::new_token("").chars().take(12).collect();
    let at = now();
    let expires_at = at + Duration::days(i64::from(days));
    let id: i64 = diesel::insert_into(invites::table)
        .values((
            invites::code.eq(&code),
            invites::source.eq(&source),
            invites::created_by.eq(by),
            invites::max_uses.eq(max_uses),
            invites::expires_at.eq(expires_at),
            invites::created_at.eq(at),
        ))
        .returning(invites::id)
        .get_result(conn)?;
    Ok(Invitation {
        id,
        source,
        url: link(ctx, &code),
        max_uses,
        uses: 0,
        expires_at,
        revoked: false,
    })
}

/// The invitations `actor` made (all of them for the community manager), newest first.
pub fn list(
    ctx: &AppContext,
    conn: &mut DbConnection,
    actor: &Actor,
) -> AppResult<Vec<Invitation>> {
    let by = actor.require_user()?.id;
    let mut query = invites::table.into_boxed();
    if !can_invite_for_campaigns(actor) {
        query = query.filter(invites::created_by.eq(by));
    }
    type Row = (
        i64,
        String,
        String,
        i32,
        i32,
        NaiveDateTime,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = query
        .order(invites::id.desc())
        .limit(200)
        .select((
            invites::id,
            invites::code,
            invites::source,
            invites::max_uses,
            invites::uses,
            invites::expires_at,
            invites::revoked_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, code, source, max_uses, uses, expires_at, revoked_at)| Invitation {
                id,
                source,
                url: link(ctx, &code),
                max_uses,
                uses,
                expires_at,
                revoked: revoked_at.is_some(),
            },
        )
        .collect())
}

/// Stops an invitation (its maker or the community manager).
pub fn revoke(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    let by = actor.require_user()?.id;
    let maker: Option<UserId> = invites::table
        .find(id)
        .select(invites::created_by)
        .first(conn)
        .optional()?;
    let Some(maker) = maker else {
        return Err(AppError::new(crate::error::ErrorKind::NotFound));
    };
    require(maker == by || can_invite_for_campaigns(actor))?;
    diesel::update(invites::table.find(id))
        .set(invites::revoked_at.eq(Some(now())))
        .execute(conn)?;
    Ok(())
}

/// Whether a code can still sign someone up (the sign-up page checks before showing the form).
pub fn usable(conn: &mut DbConnection, code: &str) -> AppResult<Option<i64>> {
    let at = now();
    Ok(invites::table
        .filter(invites::code.eq(code.trim()))
        .filter(invites::revoked_at.is_null())
        .filter(invites::expires_at.gt(at))
        .filter(invites::uses.lt(invites::max_uses))
        .select(invites::id)
        .first(conn)
        .optional()?)
}

/// Records a sign-up through `code`, in the registering transaction: one use, under the
/// invitation's own row (the UPDATE re-checks the limit, so two sign-ups cannot both take the
/// last use).
pub fn redeem(conn: &mut DbConnection, code: &str, user: UserId) -> AppResult<()> {
    let Some(id) = usable(conn, code)? else {
        return Err(AppError::invalid_field("invite", "error-invite-invalid"));
    };
    let taken = diesel::update(
        invites::table
            .find(id)
            .filter(invites::uses.lt(invites::max_uses)),
    )
    .set(invites::uses.eq(invites::uses + 1))
    .execute(conn)?;
    if taken == 0 {
        return Err(AppError::invalid_field("invite", "error-invite-invalid"));
    }
    diesel::update(users::table.find(user))
        .set(users::invite_id.eq(Some(id)))
        .execute(conn)?;
    Ok(())
}

/// One source's figures.
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct SourceFigures {
    pub source: String,
    pub invitations: i64,
    pub sign_ups: i64,
    /// Members who signed up through it and wrote at least one post.
    pub posted: i64,
    /// Of those who joined at least 30 (90) days ago, how many were seen or posted from then on.
    pub joined_30_days_ago: i64,
    pub active_after_30: i64,
    pub joined_90_days_ago: i64,
    pub active_after_90: i64,
}

/// The dashboard of invitation sources (the community manager).
pub fn sources(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<SourceFigures>> {
    require(can_invite_for_campaigns(actor))?;
    let made: Vec<(String, i64)> = invites::table
        .group_by(invites::source)
        .select((invites::source, diesel::dsl::count_star()))
        .order(invites::source.asc())
        .load(conn)?;
    let joined: Vec<(UserId, String, NaiveDateTime, Option<NaiveDateTime>)> = users::table
        .inner_join(invites::table.on(users::invite_id.eq(invites::id.nullable())))
        .select((
            users::id,
            invites::source,
            users::created_at,
            users::last_seen_at,
        ))
        .load(conn)?;
    let ids: Vec<UserId> = joined.iter().map(|j| j.0).collect();
    let mut last_post: std::collections::HashMap<UserId, NaiveDateTime> = Default::default();
    for chunk in ids.chunks(500) {
        let rows: Vec<(UserId, Option<NaiveDateTime>)> = posts::table
            .filter(posts::author_id.eq_any(chunk))
            .group_by(posts::author_id)
            .select((posts::author_id, diesel::dsl::max(posts::created_at)))
            .load(conn)?;
        last_post.extend(rows.into_iter().filter_map(|(u, at)| at.map(|at| (u, at))));
    }
    let at = now();
    Ok(made
        .into_iter()
        .map(|(source, invitations)| {
            let mut figures = SourceFigures {
                source: source.clone(),
                invitations,
                ..Default::default()
            };
            for (user, _, created, seen) in joined.iter().filter(|j| j.1 == source) {
                figures.sign_ups += 1;
                let posted = last_post.get(user).copied();
                figures.posted += i64::from(posted.is_some());
                let latest = (*seen).max(posted).unwrap_or(*created);
                for (days, eligible, active) in [
                    (
                        30,
                        &mut figures.joined_30_days_ago,
                        &mut figures.active_after_30,
                    ),
                    (
                        90,
                        &mut figures.joined_90_days_ago,
                        &mut figures.active_after_90,
                    ),
                ] {
                    let mark = *created + Duration::days(days);
                    if mark <= at {
                        *eligible += 1;
                        *active += i64::from(latest >= mark);
                    }
                }
            }
            figures
        })
        .collect())
}
