//! Administration: the user list, roles and departments (with the last-admin rule), the groups
//! that private categories are shared with, and the background jobs overview. Every function
//! here is for admins (`policy::can_administer`).

use diesel::prelude::*;

use serde::{Deserialize, Serialize};

use crate::accounts::model::{Role, User, UserId};
use crate::accounts::service::{user_by_id, user_by_username};
use crate::db::schema::{group_members, user_groups, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::forum::model::{Group, GroupForm, GroupId};
use crate::newtypes::Choice;
use crate::policy::{self, Actor};
use crate::util::now;

pub const PAGE_SIZE: i64 = 50;

fn require_admin(actor: &Actor) -> AppResult<()> {
    policy::require(policy::can_administer(actor))
}

/// What the admin's jobs page shows: queue figures, the mail outbox and the failed jobs.
#[derive(Serialize, utoipa::ToSchema)]
pub struct JobsOverview {
    pub jobs: crate::jobs::JobStats,
    pub mail: crate::notify::mail::OutboxStats,
    #[schema(value_type = Vec<Object>)]
    pub failed: Vec<crate::jobs::Job>,
    /// How far the search index is behind the posts.
    pub search: crate::search::outbox::Lag,
}

pub fn jobs_overview(
    conn: &mut DbConnection,
    ctx: &crate::context::AppContext,
    actor: &Actor,
) -> AppResult<JobsOverview> {
    require_admin(actor)?;
    Ok(JobsOverview {
        jobs: crate::jobs::stats(conn)?,
        mail: crate::notify::mail::outbox_stats(conn)?,
        failed: crate::jobs::failed(conn)?,
        search: crate::search::outbox::lag(conn, ctx)?,
    })
}

/// The retry button: a failed job gets a fresh set of attempts now.
pub fn retry_job(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    require_admin(actor)?;
    crate::jobs::retry(conn, id)
}

/// One page of the user list and the cursor of the next page, if there is one.
pub struct UserListPage {
    pub users: Vec<User>,
    pub next_after: Option<UserId>,
}

/// One page of users in id order; `after` is the last id of the previous page (keyset).
pub fn list_users(
    conn: &mut DbConnection,
    actor: &Actor,
    after: Option<UserId>,
) -> AppResult<UserListPage> {
    require_admin(actor)?;
    let mut users: Vec<User> = users::table
        .filter(users::id.gt(after.unwrap_or(UserId(0))))
        .order(users::id.asc())
        .limit(PAGE_SIZE + 1)
        .select(User::as_select())
        .load(conn)?;
    let more = users.len() as i64 > PAGE_SIZE;
    users.truncate(PAGE_SIZE as usize);
    let next_after = more.then(|| users.last().map(|u| u.id)).flatten();
    Ok(UserListPage { users, next_after })
}

/// Changes a role on an admin's request.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct RoleForm {
    /// `member`, `moderator`, `community_manager` or `admin`.
    #[schema(value_type = Role)]
    pub role: Choice<Role>,
    /// Brand staff's department (empty clears it); absent leaves it unchanged.
    #[serde(default)]
    pub department: Option<String>,
}

/// The role form (page and API): the department first when given, then the role, in one
/// transaction.
pub fn change_role(
    conn: &mut DbConnection,
    actor: &Actor,
    target: UserId,
    form: &RoleForm,
) -> AppResult<User> {
    require_admin(actor)?;
    let role = form
        .role
        .known()
        .ok_or_else(|| AppError::invalid_field("role", "error-role-invalid"))?;
    crate::db::write_transaction(conn, |conn| {
        lock_admin_rows(conn)?;
        if let Some(department) = &form.department {
            set_department_as(conn, actor, target, Some(department))?;
        }
        set_role_as(conn, actor, target, role)
    })
}

pub fn set_role_as(
    conn: &mut DbConnection,
    actor: &Actor,
    target: UserId,
    role: Role,
) -> AppResult<User> {
    require_admin(actor)?;
    set_role(conn, target, role)
}

/// Locks every admin row (PostgreSQL) before the admins are counted: a concurrent role change
/// waits for this one and then counts again, so two demotions cannot both see "two admins
/// left". Taken first in every transaction that changes roles, in id order, so two of them
/// cannot deadlock. (SQLite's write transaction already runs one writer at a time.)
fn lock_admin_rows(conn: &mut DbConnection) -> AppResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        use diesel::connection::SimpleConnection as _;
        pg.batch_execute(&format!(
            "SELECT id FROM users WHERE role = {} ORDER BY id FOR NO KEY UPDATE",
            Role::Admin.as_i16()
        ))?;
    }
    Ok(())
}

/// Changes a role (the operator's CLI calls this directly). The last admin cannot be demoted,
/// so an instance always keeps someone who can manage it.
pub fn set_role(conn: &mut DbConnection, target: UserId, role: Role) -> AppResult<User> {
    crate::db::write_transaction(conn, |conn| {
        lock_admin_rows(conn)?;
        let user = user_by_id(conn, target)?;
        if user.role == Role::Admin && role != Role::Admin {
            let admins: i64 = users::table
                .filter(users::role.eq(Role::Admin))
                .count()
                .get_result(conn)?;
            if admins <= 1 {
                return Err(AppError::bad_request(ErrorCode::LastAdmin));
            }
        }
        diesel::update(users::table.find(target.0))
            .set((users::role.eq(role), users::updated_at.eq(now())))
            .execute(conn)?;
        user_by_id(conn, target)
    })
}

/// Marks a member as brand staff of a department (or clears it with `None`).
pub fn set_department(
    conn: &mut DbConnection,
    target: UserId,
    department: Option<&str>,
) -> AppResult<User> {
    let department = department.map(str::trim).filter(|d| !d.is_empty());
    if department.is_some_and(|d| d.chars().count() > 60) {
        return Err(AppError::invalid_field(
            "department",
            "error-department-long",
        ));
    }
    let updated = diesel::update(users::table.find(target.0))
        .set((
            users::department.eq(department),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(AppError::new(ErrorKind::NotFound));
    }
    user_by_id(conn, target)
}

/// Changes a department on an admin's request.
pub fn set_department_as(
    conn: &mut DbConnection,
    actor: &Actor,
    target: UserId,
    department: Option<&str>,
) -> AppResult<User> {
    require_admin(actor)?;
    set_department(conn, target, department)
}

// ---------------------------------------------------------------------------------------------
// Groups: the members who may see a private category.

pub fn list_groups(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<(Group, Vec<String>)>> {
    require_admin(actor)?;
    let groups: Vec<Group> = user_groups::table
        .order(user_groups::name.asc())
        .select(Group::as_select())
        .load(conn)?;
    let members: Vec<(GroupId, String)> = group_members::table
        .inner_join(users::table)
        .order(users::username.asc())
        .select((group_members::group_id, users::username))
        .load(conn)?;
    Ok(groups
        .into_iter()
        .map(|g| {
            let names = members
                .iter()
                .filter(|(id, _)| *id == g.id)
                .map(|(_, n)| n.clone())
                .collect();
            (g, names)
        })
        .collect())
}

pub fn create_group(conn: &mut DbConnection, actor: &Actor, form: &GroupForm) -> AppResult<Group> {
    require_admin(actor)?;
    let name = form.name.trim();
    let valid = (2..=40).contains(&name.chars().count()) && !name.contains(',');
    if !valid {
        return Err(AppError::invalid_field("name", "error-group-name"));
    }
    let flair = form
        .flair
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty());
    if flair.is_some_and(|f| f.chars().count() > 24) {
        return Err(AppError::invalid_field("flair", "error-group-flair"));
    }
    let taken: i64 = user_groups::table
        .filter(user_groups::name.eq(name))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::new(ErrorKind::Conflict {
            code: ErrorCode::GroupTaken,
            field: "name".into(),
        }));
    }
    Ok(diesel::insert_into(user_groups::table)
        .values((
            user_groups::name.eq(name),
            user_groups::description.eq(form.description.trim()),
            user_groups::flair.eq(flair),
            user_groups::created_at.eq(now()),
        ))
        .returning(user_groups::all_columns)
        .get_result(conn)?)
}

/// Adds (`add = true`) or removes a member of a group, by username.
/// The groups page's form: `action` is `add` or `remove`.
pub fn group_member_form(
    conn: &mut DbConnection,
    actor: &Actor,
    group: GroupId,
    username: &str,
    action: &str,
) -> AppResult<()> {
    require_admin(actor)?;
    let add = match action {
        "add" => true,
        "remove" => false,
        _ => return Err(AppError::invalid_field("action", "error-action-invalid")),
    };
    set_group_member(conn, actor, group, username, add)
}

pub fn set_group_member(
    conn: &mut DbConnection,
    actor: &Actor,
    group: GroupId,
    username: &str,
    add: bool,
) -> AppResult<()> {
    require_admin(actor)?;
    let exists: i64 = user_groups::table.find(group.0).count().get_result(conn)?;
    if exists == 0 {
        return Err(AppError::new(ErrorKind::NotFound));
    }
    let user = user_by_username(conn, username)
        .map_err(|_| AppError::invalid_field("username", "error-user-unknown"))?;
    crate::db::write_transaction(conn, |conn| {
        diesel::delete(
            group_members::table
                .filter(group_members::group_id.eq(group.0))
                .filter(group_members::user_id.eq(user.id)),
        )
        .execute(conn)?;
        if add {
            diesel::insert_into(group_members::table)
                .values((
                    group_members::group_id.eq(group.0),
                    group_members::user_id.eq(user.id),
                ))
                .execute(conn)?;
        }
        // A group may carry a flair shown by its members' names.
        crate::reputation::ambassadors::refresh_flair(conn, user.id)
    })
}
