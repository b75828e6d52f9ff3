//! Administration rules: who may see the user list and change roles.

use diesel::prelude::*;

use crate::accounts::model::{CurrentUser, Role, User, UserId};
use crate::accounts::service::{now, user_by_id};
use crate::db::schema::users;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};

pub const PAGE_SIZE: i64 = 50;

/// Only admins manage accounts and roles.
pub fn can_manage_users(actor: &CurrentUser) -> bool {
    actor.role == Role::Admin
}

fn require_manage_users(actor: &CurrentUser) -> AppResult<()> {
    if can_manage_users(actor) {
        Ok(())
    } else {
        Err(AppError::new(ErrorKind::Forbidden))
    }
}

/// One page of the user list and the cursor of the next page, if there is one.
pub struct UserListPage {
    pub users: Vec<User>,
    pub next_after: Option<i64>,
}

/// One page of users in id order; `after` is the last id of the previous page (keyset).
pub fn list_users(
    conn: &mut DbConnection,
    actor: &CurrentUser,
    after: Option<UserId>,
) -> AppResult<UserListPage> {
    require_manage_users(actor)?;
    let mut users: Vec<User> = users::table
        .filter(users::id.gt(after.map_or(0, |id| id.0)))
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
pub fn set_role_as(
    conn: &mut DbConnection,
    actor: &CurrentUser,
    target: UserId,
    role: Role,
) -> AppResult<User> {
    require_manage_users(actor)?;
    set_role(conn, target, role)
}

/// Changes a role (the operator's CLI calls this directly). The last admin cannot be demoted,
/// so an instance always keeps someone who can manage it.
pub fn set_role(conn: &mut DbConnection, target: UserId, role: Role) -> AppResult<User> {
    crate::db::write_transaction(conn, |conn| {
        let user = user_by_id(conn, target)?;
        if user.role() == Role::Admin && role != Role::Admin {
            let admins: i64 = users::table
                .filter(users::role.eq(Role::Admin.as_i16()))
                .count()
                .get_result(conn)?;
            if admins <= 1 {
                return Err(AppError::bad_request("last_admin"));
            }
        }
        diesel::update(users::table.find(target.0))
            .set((users::role.eq(role.as_i16()), users::updated_at.eq(now())))
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
    actor: &CurrentUser,
    target: UserId,
    department: Option<&str>,
) -> AppResult<User> {
    require_manage_users(actor)?;
    set_department(conn, target, department)
}
