//! Who may see and do what, decided in one place.
//!
//! `Actor` is the requester (or the member a job acts for): user, role, department, groups and
//! trust level, built once per request by its extractor (`http::auth`). Rules that several
//! domains share live here: the visibility of a category (and its set form, "which of these
//! members may see it", used by notification fan-out and later by search and events), what the
//! moderator role grants, who speaks for the brand, who administers. Rules that belong to one
//! domain (`forum::service::can_reply`…) live in that domain's service and are built from these.
//!
//! Roles are ordered: member < moderator < community manager < admin. Brand staff are members
//! (or any role) with a department: they speak for the brand (official answers, marked as the
//! brand) but a department grants no moderation power; that comes with the moderator role.
//! A member's active restrictions (a silence or a suspension, set by moderation's sanctions)
//! come with the user row, so checking them costs no query.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::model::{CurrentUser, Role, UserId};
use crate::db::schema::{categories, category_groups, group_members, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::forum::model::{Category, CategoryId, GroupId, Visibility};
pub use catalog::{Catalog, CatalogCache};

pub mod catalog;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

/// Who is asking, with the groups they belong to (for private categories).
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub user: Option<CurrentUser>,
    pub group_ids: Vec<GroupId>,
    /// The app's kept catalog, for actors built by a request (`None`: read it each time).
    pub catalog: Option<Arc<CatalogCache>>,
}

impl Actor {
    pub fn anonymous() -> Actor {
        Actor::default()
    }

    /// The actor for `user`, with their groups read from the database.
    pub fn load(conn: &mut DbConnection, user: Option<CurrentUser>) -> AppResult<Actor> {
        let group_ids = match &user {
            Some(u) => group_members::table
                .filter(group_members::user_id.eq(u.id))
                .select(group_members::group_id)
                .load(conn)?,
            None => vec![],
        };
        Ok(Actor {
            user,
            group_ids,
            catalog: None,
        })
    }

    pub fn user_id(&self) -> Option<UserId> {
        self.user.as_ref().map(|u| u.id)
    }

    /// The signed-in user, or `Unauthenticated` (which sends a browser to the login page).
    pub fn require_user(&self) -> AppResult<&CurrentUser> {
        self.user
            .as_ref()
            .ok_or_else(|| AppError::new(ErrorKind::Unauthenticated))
    }

    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.role)
    }

    pub fn trust_level(&self) -> i16 {
        self.user.as_ref().map_or(0, |u| u.trust_level)
    }

    pub fn department(&self) -> Option<&str> {
        self.user.as_ref().and_then(|u| u.department.as_deref())
    }

    fn has_role(&self, at_least: Role) -> bool {
        self.role().is_some_and(|r| r >= at_least)
    }

    /// The restriction in force at `at`, the stronger first (a suspension also silences).
    pub fn restriction(&self, at: NaiveDateTime) -> Option<Restriction> {
        let user = self.user.as_ref()?;
        match (user.suspended_until, user.silenced_until) {
            (Some(until), _) if until > at => Some(Restriction::Suspended(until)),
            (_, Some(until)) if until > at => Some(Restriction::Silenced(until)),
            _ => None,
        }
    }
}

/// A sanction in force on a member, with its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restriction {
    /// May read, not write.
    Silenced(NaiveDateTime),
    /// May only read their statements of reasons (and, later, appeal).
    Suspended(NaiveDateTime),
}

/// Whether the actor may write (post, reply, react, report as a member): not while silenced or
/// suspended. The refusal names the restriction; its statement of reasons is at /me/statements.
pub fn may_write(actor: &Actor, at: NaiveDateTime) -> AppResult<()> {
    match actor.restriction(at) {
        None => Ok(()),
        Some(Restriction::Silenced(_)) => Err(AppError::new(ErrorKind::Refused {
            code: ErrorCode::Silenced,
        })),
        Some(Restriction::Suspended(_)) => Err(AppError::new(ErrorKind::Refused {
            code: ErrorCode::Suspended,
        })),
    }
}

/// Turns a rule's answer into `Forbidden`.
pub fn require(allowed: bool) -> AppResult<()> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::new(ErrorKind::Forbidden))
    }
}

// ---------------------------------------------------------------------------------------------
// Role rules

/// Moderation powers (pin, lock, move, announce, accept any question's answer, reply to a
/// locked thread, edit anyone's post, see private categories): moderators and above.
pub fn can_moderate(actor: &Actor) -> bool {
    actor.has_role(Role::Moderator)
}

/// Speaking for the brand (official answers): brand staff (a department), community managers
/// and admins.
pub fn speaks_for_brand(actor: &Actor) -> bool {
    actor.department().is_some() || actor.has_role(Role::CommunityManager)
}

/// Hosting events (creating them, running any event's check-in and questions): community
/// managers and admins.
pub fn can_host_events(actor: &Actor) -> bool {
    actor.has_role(Role::CommunityManager)
}

/// Instance administration (users, categories, groups, jobs): admins only.
pub fn can_administer(actor: &Actor) -> bool {
    actor.role().is_some_and(administers)
}

/// The role form of `can_administer`, for views built from a user alone (the admin menu).
pub fn administers(role: Role) -> bool {
    role == Role::Admin
}

// ---------------------------------------------------------------------------------------------
// Visibility: one rule, in an actor form and a set form.

/// The visibility rule for one category, from what it takes: the requester's role and groups,
/// the category and its groups. Public: everyone. Members: anyone signed in. Private: moderators
/// and above, and members of one of the category's groups.
fn may_view(
    role: Option<Role>,
    member_of: &dyn Fn(GroupId) -> bool,
    category: &Category,
    category_groups: &[GroupId],
) -> bool {
    match category.visibility {
        Visibility::Public => true,
        Visibility::Members => role.is_some(),
        Visibility::Private => {
            role.is_some_and(|r| r >= Role::Moderator)
                || category_groups.iter().any(|g| member_of(*g))
        }
    }
}

/// Whether `actor` may see `category` on its own (its parent is checked by the callers below).
pub fn can_view_category(actor: &Actor, category: &Category, category_groups: &[GroupId]) -> bool {
    may_view(
        actor.role(),
        &|g| actor.group_ids.contains(&g),
        category,
        category_groups,
    )
}

pub fn all_categories(conn: &mut DbConnection) -> AppResult<Vec<Category>> {
    Ok(categories::table
        .order((categories::position.asc(), categories::id.asc()))
        .select(Category::as_select())
        .load(conn)?)
}

/// The catalog (categories and their groups) for the actor's request: the app's kept copy when
/// the actor comes from a request, else a read of its own (jobs, commands).
pub fn catalog(conn: &mut DbConnection, actor: &Actor) -> AppResult<Arc<Catalog>> {
    match &actor.catalog {
        Some(cache) => cache.get(conn),
        None => Ok(Arc::new(Catalog::load(conn)?)),
    }
}

/// The categories `actor` may see, in display order (a subcategory also needs its parent).
pub fn visible_categories(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<Category>> {
    let catalog = catalog(conn, actor)?;
    Ok(visible_in(&catalog, actor))
}

/// `visible_categories` of a catalog already at hand.
pub fn visible_in(catalog: &Catalog, actor: &Actor) -> Vec<Category> {
    let directly: HashSet<CategoryId> = catalog
        .categories
        .iter()
        .filter(|c| can_view_category(actor, c, &catalog.groups.seeing_ids(c.id)))
        .map(|c| c.id)
        .collect();
    catalog
        .categories
        .iter()
        .filter(|c| directly.contains(&c.id) && c.parent_id.is_none_or(|p| directly.contains(&p)))
        .cloned()
        .collect()
}

/// The set form of the same rule: which of `candidates` (user ids) may see `category` and its
/// parent. Loads the candidates' roles and the groups that matter, then applies `may_view`.
pub fn who_can_view(
    conn: &mut DbConnection,
    category: &Category,
    candidates: &[UserId],
) -> AppResult<HashSet<UserId>> {
    let mut chain = vec![category.clone()];
    if let Some(parent) = category.parent_id {
        chain.push(
            categories::table
                .find(parent)
                .select(Category::as_select())
                .first(conn)?,
        );
    }
    let mut allowed: HashSet<UserId> = candidates.iter().copied().collect();
    if chain.iter().all(|c| c.visibility == Visibility::Public) {
        return Ok(allowed);
    }
    let chain_ids: Vec<CategoryId> = chain.iter().map(|c| c.id).collect();
    let groups_of_chain: Vec<(CategoryId, GroupId)> = category_groups::table
        .filter(category_groups::category_id.eq_any(&chain_ids))
        .select((category_groups::category_id, category_groups::group_id))
        .load(conn)?;
    let chain_group_ids: Vec<GroupId> = groups_of_chain.iter().map(|(_, g)| *g).collect();
    let mut roles: HashMap<UserId, Role> = HashMap::new();
    let mut memberships: HashSet<(UserId, GroupId)> = HashSet::new();
    for chunk in candidates.chunks(1000) {
        let rows: Vec<(UserId, Role)> = users::table
            .filter(users::id.eq_any(chunk))
            .select((users::id, users::role))
            .load(conn)?;
        roles.extend(rows);
        if !chain_group_ids.is_empty() {
            let pairs: Vec<(UserId, GroupId)> = group_members::table
                .filter(group_members::user_id.eq_any(chunk))
                .filter(group_members::group_id.eq_any(&chain_group_ids))
                .select((group_members::user_id, group_members::group_id))
                .load(conn)?;
            memberships.extend(pairs);
        }
    }
    for category in &chain {
        let groups: Vec<GroupId> = groups_of_chain
            .iter()
            .filter(|(c, _)| *c == category.id)
            .map(|(_, g)| *g)
            .collect();
        allowed.retain(|user| {
            may_view(
                roles.get(user).copied(),
                &|g| memberships.contains(&(*user, g)),
                category,
                &groups,
            )
        });
    }
    Ok(allowed)
}
