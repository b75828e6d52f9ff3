//! Reading badges (the list, one badge with its recent holders, a member's badges) and the
//! community manager's own badges: creating, granting and revoking by hand with a reason (each
//! grant and revocation notified and written to the audit log), turning a badge on or off.

use std::collections::HashMap;

use diesel::prelude::*;

use super::badges::{self, grant, name, revoke, url};
use super::model::*;
use super::rules::Earned;
use crate::accounts::model::{Role, UserId};
use crate::context::AppContext;
use crate::db::schema::{badges as b, posts, threads, user_badges, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::forum::model::{Post, PostId, Thread};
use crate::newtypes::Flag;
use crate::policy::{require, Actor};
use crate::util::now;

/// Who creates, grants and revokes badges: the community manager (and admins).
pub fn can_manage_badges(actor: &Actor) -> bool {
    actor.role().is_some_and(|r| r >= Role::CommunityManager)
}

fn view(ctx: &AppContext, badge: &Badge, holders: i32, locale: &str) -> BadgeView {
    let how = if badge.builtin.0 {
        let key = format!("badge-{}-how", badge.slug.replace('_', "-"));
        ctx.i18n().message(locale, &key, &[])
    } else {
        ctx.i18n().message(locale, "badge-custom-how", &[])
    };
    BadgeView {
        id: badge.id,
        slug: badge.slug.clone(),
        name: name(badge, locale).to_string(),
        description: if locale == "es" {
            badge.description_es.clone()
        } else {
            badge.description_en.clone()
        },
        how,
        tier: badge.tier,
        icon: badge.icon.clone(),
        builtin: badge.builtin.0,
        multiple: badge.multiple.0,
        revocable: badge.revocable.0,
        enabled: badge.enabled.0,
        holders,
        url: url(badge.id),
    }
}

/// Members holding each badge.
fn holders(conn: &mut DbConnection, ids: &[BadgeId]) -> AppResult<HashMap<BadgeId, i32>> {
    let counts: Vec<(BadgeId, i64)> = user_badges::table
        .filter(user_badges::badge_id.eq_any(ids))
        .group_by(user_badges::badge_id)
        .select((
            user_badges::badge_id,
            diesel::dsl::count(user_badges::user_id).aggregate_distinct(),
        ))
        .load(conn)?;
    Ok(counts
        .into_iter()
        .map(|(id, n)| (id, i32::try_from(n).unwrap_or(i32::MAX)))
        .collect())
}

/// Every badge (disabled ones for the community manager only), gold first.
pub fn list(
    ctx: &AppContext,
    conn: &mut DbConnection,
    actor: &Actor,
    locale: &str,
) -> AppResult<Vec<BadgeView>> {
    let mut query = b::table.into_boxed();
    if !can_manage_badges(actor) {
        query = query.filter(b::enabled.eq(1));
    }
    let rows: Vec<Badge> = query
        .order((b::tier.asc(), b::builtin.desc(), b::id.asc()))
        .select(Badge::as_select())
        .load(conn)?;
    let ids: Vec<BadgeId> = rows.iter().map(|b| b.id).collect();
    let counts = holders(conn, &ids)?;
    Ok(rows
        .iter()
        .map(|badge| {
            view(
                ctx,
                badge,
                counts.get(&badge.id).copied().unwrap_or(0),
                locale,
            )
        })
        .collect())
}

/// The permalinks of the posts that earned badges, for those the reader may see.
fn post_links(
    conn: &mut DbConnection,
    actor: &Actor,
    ids: &[PostId],
) -> AppResult<HashMap<PostId, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let visible = crate::policy::visible_categories(conn, actor)?;
    let rows: Vec<(Post, Thread)> = posts::table
        .inner_join(threads::table)
        .filter(posts::id.eq_any(ids))
        .select((Post::as_select(), Thread::as_select()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(p, t)| {
            visible.iter().any(|c| c.id == t.category_id)
                && crate::forum::service::may_see_thread(actor, t)
                && crate::forum::service::may_see_post(actor, p)
        })
        .map(|(p, t)| (p.id, crate::forum::service::post_url(&t, p.number)))
        .collect())
}

type GrantRow = (UserBadge, Badge, String, String, Option<String>);

fn grant_views(
    ctx: &AppContext,
    conn: &mut DbConnection,
    actor: &Actor,
    rows: Vec<GrantRow>,
    locale: &str,
) -> AppResult<Vec<GrantView>> {
    let post_ids: Vec<PostId> = rows.iter().filter_map(|r| r.0.post_id).collect();
    let links = post_links(conn, actor, &post_ids)?;
    let ids: Vec<BadgeId> = rows.iter().map(|r| r.1.id).collect();
    let counts = holders(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(grant, badge, username, display_name, featured)| {
            let featured = super::featured::parse(featured.as_deref())
                .iter()
                .any(|f| f.id == badge.id);
            GrantView {
                id: grant.id,
                badge: view(
                    ctx,
                    &badge,
                    counts.get(&badge.id).copied().unwrap_or(0),
                    locale,
                ),
                username,
                display_name,
                granted_at: grant.granted_at,
                post_url: grant.post_id.and_then(|p| links.get(&p).cloned()),
                reason: grant.reason,
                featured,
            }
        })
        .collect())
}

/// One badge with the 30 members who earned it most recently.
pub fn page(
    ctx: &AppContext,
    conn: &mut DbConnection,
    actor: &Actor,
    id: BadgeId,
    locale: &str,
) -> AppResult<BadgePage> {
    let badge = badges::load(conn, id)?;
    if !badge.enabled.0 && !can_manage_badges(actor) {
        return Err(AppError::new(ErrorKind::NotFound));
    }
    let rows: Vec<GrantRow> = user_badges::table
        .inner_join(b::table)
        .inner_join(users::table)
        .filter(user_badges::badge_id.eq(id))
        .order((user_badges::granted_at.desc(), user_badges::id.desc()))
        .limit(30)
        .select((
            UserBadge::as_select(),
            Badge::as_select(),
            users::username,
            users::display_name,
            users::featured_badges,
        ))
        .load(conn)?;
    let recent = grant_views(ctx, conn, actor, rows, locale)?;
    let counts = holders(conn, &[id])?;
    Ok(BadgePage {
        badge: view(ctx, &badge, counts.get(&id).copied().unwrap_or(0), locale),
        recent,
    })
}

/// Every badge a member holds, newest first.
pub fn of_member(
    ctx: &AppContext,
    conn: &mut DbConnection,
    actor: &Actor,
    username: &str,
    locale: &str,
) -> AppResult<Vec<GrantView>> {
    let user = crate::accounts::service::user_by_username(conn, username)?;
    let rows: Vec<GrantRow> = user_badges::table
        .inner_join(b::table)
        .inner_join(users::table)
        .filter(user_badges::user_id.eq(user.id))
        .order((user_badges::granted_at.desc(), user_badges::id.desc()))
        .select((
            UserBadge::as_select(),
            Badge::as_select(),
            users::username,
            users::display_name,
            users::featured_badges,
        ))
        .load(conn)?;
    grant_views(ctx, conn, actor, rows, locale)
}

fn tier(text: &str) -> AppResult<Tier> {
    Tier::parse(text.trim()).ok_or_else(|| AppError::invalid_field("tier", "error-badge-tier"))
}

/// A slug from a name: lower-case letters and digits joined by `-`.
fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().to_lowercase().chars() {
        let c = match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' | 'ë' => 'e',
            'í' | 'ï' => 'i',
            'ó' | 'ö' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            other => other,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(60).collect()
}

/// A custom badge (community manager): names in both languages, tier, one of the icons.
pub fn create(
    ctx: &AppContext,
    conn: &mut DbConnection,
    actor: &Actor,
    form: &BadgeForm,
    locale: &str,
) -> AppResult<BadgeView> {
    require(can_manage_badges(actor))?;
    let by = actor.require_user()?.id;
    let text = |field: &'static str, value: &str, max: usize, required: bool| {
        let value = value.trim();
        if (required && value.is_empty()) || value.chars().count() > max {
            Err(AppError::invalid_field(field, "error-badge-text"))
        } else {
            Ok(value.to_string())
        }
    };
    let name_en = text("name_en", &form.name_en, 60, true)?;
    let name_es = text("name_es", &form.name_es, 60, true)?;
    let description_en = text("description_en", &form.description_en, 500, false)?;
    let description_es = text("description_es", &form.description_es, 500, false)?;
    let tier = tier(&form.tier)?;
    if !ICONS.contains(&form.icon.trim()) {
        return Err(AppError::invalid_field("icon", "error-badge-icon"));
    }
    let slug = slug_of(&name_en);
    if slug.is_empty() {
        return Err(AppError::invalid_field("name_en", "error-badge-text"));
    }
    let taken: i64 = b::table
        .filter(b::slug.eq(&slug))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::invalid_field("name_en", "error-badge-taken"));
    }
    let id: BadgeId = diesel::insert_into(b::table)
        .values((
            b::slug.eq(&slug),
            b::tier.eq(tier),
            b::icon.eq(form.icon.trim()),
            b::name_en.eq(&name_en),
            b::name_es.eq(&name_es),
            b::description_en.eq(&description_en),
            b::description_es.eq(&description_es),
            b::multiple.eq(Flag(form.multiple)),
            b::created_by.eq(Some(by.0)),
            b::created_at.eq(now()),
        ))
        .returning(b::id)
        .get_result(conn)?;
    let badge = badges::load(conn, id)?;
    Ok(view(ctx, &badge, 0, locale))
}

fn reason_of(form: &GrantForm) -> AppResult<String> {
    let reason = form.reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(AppError::invalid_field("reason", "error-badge-reason"));
    }
    Ok(reason.to_string())
}

fn member(conn: &mut DbConnection, username: &str) -> AppResult<UserId> {
    users::table
        .filter(users::username_normalized.eq(username.trim().to_lowercase()))
        .select(users::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::invalid_field("username", "error-badge-member"))
}

/// Grants a badge by hand with a reason (community manager). A built-in badge is granted by
/// its rule only; a badge earned once cannot be granted twice.
pub fn grant_by_hand(
    ctx: &AppContext,
    conn: &mut DbConnection,
    actor: &Actor,
    id: BadgeId,
    form: &GrantForm,
) -> AppResult<()> {
    require(can_manage_badges(actor))?;
    let by = actor.require_user()?.id;
    let badge = badges::load(conn, id)?;
    if badge.builtin.0 {
        return Err(AppError::invalid_field("badge", "error-badge-builtin"));
    }
    let reason = reason_of(form)?;
    let user = member(conn, &form.username)?;
    crate::db::write_transaction(conn, |conn| {
        let item = if badge.multiple.0 {
            user_badges::table
                .filter(user_badges::badge_id.eq(id))
                .filter(user_badges::user_id.eq(user))
                .select(diesel::dsl::max(user_badges::item))
                .first::<Option<i64>>(conn)?
                .map_or(0, |n| n + 1)
        } else {
            0
        };
        let earned = Earned {
            user,
            item,
            post: None,
            at: now(),
        };
        if !grant(ctx, conn, &badge, &earned, Some(by), &reason)? {
            return Err(AppError::invalid_field("username", "error-badge-held"));
        }
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(by),
                action: "badge.grant",
                target_kind: "user",
                target_id: user.0,
                reason: &format!("{}: {reason}", badge.slug),
                ..Default::default()
            },
        )
    })
}

/// Revokes a member's badge with a reason (community manager): every grant of it they hold.
pub fn revoke_by_hand(
    ctx: &AppContext,
    conn: &mut DbConnection,
    actor: &Actor,
    id: BadgeId,
    form: &GrantForm,
) -> AppResult<()> {
    require(can_manage_badges(actor))?;
    let by = actor.require_user()?.id;
    let badge = badges::load(conn, id)?;
    let reason = reason_of(form)?;
    let user = member(conn, &form.username)?;
    crate::db::write_transaction(conn, |conn| {
        let grants: Vec<UserBadgeId> = user_badges::table
            .filter(user_badges::badge_id.eq(id))
            .filter(user_badges::user_id.eq(user))
            .select(user_badges::id)
            .load(conn)?;
        if grants.is_empty() {
            return Err(AppError::invalid_field("username", "error-badge-not-held"));
        }
        for grant in grants {
            revoke(ctx, conn, &badge, grant, user, &reason)?;
        }
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(by),
                action: "badge.revoke",
                target_kind: "user",
                target_id: user.0,
                reason: &format!("{}: {reason}", badge.slug),
                ..Default::default()
            },
        )
    })
}

/// Turns a badge on or off (community manager). A built-in badge turned on is backfilled over
/// the whole forum; turned off, it is granted no more (grants made stay).
pub fn set_enabled(
    conn: &mut DbConnection,
    actor: &Actor,
    id: BadgeId,
    enabled: bool,
) -> AppResult<()> {
    require(can_manage_badges(actor))?;
    let badge = badges::load(conn, id)?;
    crate::db::write_transaction(conn, |conn| {
        diesel::update(b::table.find(id))
            .set(b::enabled.eq(Flag(enabled)))
            .execute(conn)?;
        if enabled && !badge.enabled.0 && badge.builtin.0 {
            badges::start_backfill(conn, id)?;
        }
        AppResult::Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        assert_eq!(slug_of("Barista del Año!"), "barista-del-ano");
        assert_eq!(slug_of("  Café & más "), "cafe-mas");
        assert_eq!(slug_of("!!!"), "");
    }
}
