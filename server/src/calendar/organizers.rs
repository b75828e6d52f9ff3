//! Who may create events: community managers and admins anywhere they can see, and members the
//! community manager allows in one category (`event_organizers`), there only.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{event_organizers, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::{Category, CategoryId};
use crate::policy::Actor;

/// The categories `actor` may create events in.
pub fn hostable(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<Category>> {
    let Some(user) = actor.user_id() else {
        return Ok(vec![]);
    };
    let visible = crate::policy::visible_categories(conn, actor)?;
    if super::service::can_host(actor) {
        return Ok(visible);
    }
    let allowed: Vec<CategoryId> = event_organizers::table
        .filter(event_organizers::user_id.eq(user))
        .select(event_organizers::category_id)
        .load(conn)?;
    Ok(visible
        .into_iter()
        .filter(|c| allowed.contains(&c.id))
        .collect())
}

/// One category's organizers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Organizers {
    pub category: String,
    pub name: String,
    pub usernames: Vec<String>,
}

/// Every category with the members allowed to create events in it (community managers).
pub fn list(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<Organizers>> {
    crate::policy::require(super::service::can_host(actor))?;
    let pairs: Vec<(CategoryId, String)> = event_organizers::table
        .inner_join(users::table)
        .order(users::username.asc())
        .select((event_organizers::category_id, users::username))
        .load(conn)?;
    Ok(crate::policy::visible_categories(conn, actor)?
        .into_iter()
        .map(|c| Organizers {
            usernames: pairs
                .iter()
                .filter(|(id, _)| *id == c.id)
                .map(|(_, name)| name.clone())
                .collect(),
            category: c.slug,
            name: c.name,
        })
        .collect())
}

/// A category's organizers, replacing its list: usernames separated by commas or spaces.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct OrganizersForm {
    pub category: String,
    #[serde(default)]
    pub usernames: String,
}

pub fn set(conn: &mut DbConnection, actor: &Actor, form: &OrganizersForm) -> AppResult<Organizers> {
    crate::policy::require(super::service::can_host(actor))?;
    let category = crate::policy::visible_categories(conn, actor)?
        .into_iter()
        .find(|c| c.slug == form.category.trim())
        .ok_or_else(|| AppError::invalid_field("category", "error-event-category"))?;
    let found = crate::accounts::service::members_named(conn, &form.usernames, 50)?
        .ok_or_else(|| AppError::invalid_field("usernames", "error-organizers"))?;

    crate::db::write_transaction(conn, |conn| {
        diesel::delete(
            event_organizers::table.filter(event_organizers::category_id.eq(category.id)),
        )
        .execute(conn)?;
        for (user, _) in &found {
            diesel::insert_into(event_organizers::table)
                .values((
                    event_organizers::category_id.eq(category.id),
                    event_organizers::user_id.eq(user),
                ))
                .execute(conn)?;
        }
        AppResult::Ok(())
    })?;
    let usernames: Vec<String> = found.into_iter().map(|(_, n)| n).collect();
    Ok(Organizers {
        category: category.slug,
        name: category.name,
        usernames,
    })
}
