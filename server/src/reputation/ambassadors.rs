//! The ambassador programme. From the leaders report the community manager nominates a member
//! with a reason; the member is told and accepts or declines (`/me/ambassador`). Accepting
//! joins the *Ambassadors* group (made on first use, with the flair "Ambassador" shown by its
//! members' names on their posts) and gives trust level 4, locked: ambassadors may pin and
//! move threads (`forum::service::can_arrange_threads`). A group's flair is kept on its
//! members' rows (`users.flair`), so a thread page reads it with its authors.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::model::{Role, UserId};
use crate::context::AppContext;
use crate::db::schema::{ambassador_nominations as n, group_members, user_groups, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::events::DomainEvent;
use crate::forum::model::GroupId;
use crate::newtypes::small_enum;
use crate::newtypes::Flag;
use crate::notify::model::{Kind, Notice, Subject, SubjectKind};
use crate::policy::{require, Actor};
use crate::util::now;

/// The ambassadors' group and its flair.
pub const GROUP: &str = "Ambassadors";
pub const FLAIR: &str = "Ambassador";
/// The trust level ambassadors hold (leader).
pub const LEVEL: i16 = 4;

small_enum!(
    NominationState {
        Pending = 0 => "pending",
        Accepted = 1 => "accepted",
        Declined = 2 => "declined",
    }
);

/// Who nominates: the community manager and admins.
pub fn can_nominate(actor: &Actor) -> bool {
    super::leaders::can_read(actor)
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct NominationForm {
    pub username: String,
    /// Why: the member reads it.
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct AnswerForm {
    #[serde(deserialize_with = "crate::forum::model::checkbox")]
    pub accept: bool,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Nomination {
    pub id: i64,
    pub username: String,
    pub nominated_by: String,
    pub reason: String,
    pub state: NominationState,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

/// Members among `ids` with a pending or accepted nomination.
pub fn nominated_among(conn: &mut DbConnection, ids: &[UserId]) -> AppResult<Vec<UserId>> {
    Ok(n::table
        .filter(n::user_id.eq_any(ids))
        .filter(n::state.ne(NominationState::Declined))
        .select(n::user_id)
        .load(conn)?)
}

pub fn nominate(
    ctx: &AppContext,
    conn: &mut DbConnection,
    actor: &Actor,
    form: &NominationForm,
) -> AppResult<Nomination> {
    require(can_nominate(actor))?;
    let by = actor.require_user()?;
    let reason = form.reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(AppError::invalid_field("reason", "error-badge-reason"));
    }
    let member: Option<(UserId, String, Role, Option<String>)> = users::table
        .filter(users::username_normalized.eq(form.username.trim().to_lowercase()))
        .select((users::id, users::username, users::role, users::department))
        .first(conn)
        .optional()?;
    let Some((user, username, role, department)) = member else {
        return Err(AppError::invalid_field("username", "error-badge-member"));
    };
    if role != Role::Member || department.is_some() {
        return Err(AppError::invalid_field("username", "error-nominate-staff"));
    }
    crate::db::write_transaction(conn, |conn| {
        if !nominated_among(conn, &[user])?.is_empty() {
            return Err(AppError::invalid_field("username", "error-nominate-twice"));
        }
        let at = now();
        let id: i64 = diesel::insert_into(n::table)
            .values((
                n::user_id.eq(user),
                n::nominated_by.eq(by.id),
                n::reason.eq(reason),
                n::created_at.eq(at),
            ))
            .returning(n::id)
            .get_result(conn)?;
        let title = ctx.i18n().message("en", "ambassador-notice-title", &[]);
        let notice = Notice::new(
            Subject::new(SubjectKind::Nomination, id),
            "/me/ambassador",
            title,
        )
        .by(by.id)
        .excerpt(reason);
        crate::notify::fan_out::notify_subject(
            ctx,
            conn,
            user,
            Kind::AmbassadorNomination,
            &notice,
        )?;
        Ok(Nomination {
            id,
            username,
            nominated_by: by.username.clone(),
            reason: reason.to_string(),
            state: NominationState::Pending,
            created_at: at,
        })
    })
}

/// The actor's latest nomination, if any.
pub fn mine(conn: &mut DbConnection, actor: &Actor) -> AppResult<Option<Nomination>> {
    let user = actor.require_user()?;
    let row: Option<(i64, String, NominationState, NaiveDateTime, String)> = n::table
        .inner_join(users::table.on(users::id.eq(n::nominated_by)))
        .filter(n::user_id.eq(user.id))
        .order(n::id.desc())
        .select((n::id, n::reason, n::state, n::created_at, users::username))
        .first(conn)
        .optional()?;
    Ok(
        row.map(|(id, reason, state, created_at, nominated_by)| Nomination {
            id,
            username: user.username.clone(),
            nominated_by,
            reason,
            state,
            created_at,
        }),
    )
}

/// The ambassadors' group, made on first use.
fn group(conn: &mut DbConnection) -> AppResult<GroupId> {
    let found: Option<GroupId> = user_groups::table
        .filter(user_groups::name.eq(GROUP))
        .select(user_groups::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => Ok(diesel::insert_into(user_groups::table)
            .values((
                user_groups::name.eq(GROUP),
                user_groups::description.eq("Members nominated by the community manager"),
                user_groups::created_at.eq(now()),
                user_groups::flair.eq(Some(FLAIR)),
            ))
            .returning(user_groups::id)
            .get_result(conn)?),
    }
}

/// The member accepts or declines their pending nomination.
pub fn answer(conn: &mut DbConnection, actor: &Actor, accept: bool) -> AppResult<NominationState> {
    let user = actor.require_user()?.id;
    crate::db::write_transaction(conn, |conn| {
        let pending: Option<i64> = n::table
            .filter(n::user_id.eq(user))
            .filter(n::state.eq(NominationState::Pending))
            .select(n::id)
            .first(conn)
            .optional()?;
        let Some(id) = pending else {
            return Err(AppError::new(ErrorKind::NotFound));
        };
        let state = if accept {
            NominationState::Accepted
        } else {
            NominationState::Declined
        };
        diesel::update(n::table.find(id))
            .set((n::state.eq(state), n::decided_at.eq(Some(now()))))
            .execute(conn)?;
        if accept {
            let group = group(conn)?;
            match conn {
                DbConnection::Sqlite(c) => diesel::insert_or_ignore_into(group_members::table)
                    .values((
                        group_members::group_id.eq(group),
                        group_members::user_id.eq(user),
                    ))
                    .execute(c)?,
                DbConnection::Postgresql(c) => diesel::insert_into(group_members::table)
                    .values((
                        group_members::group_id.eq(group),
                        group_members::user_id.eq(user),
                    ))
                    .on_conflict_do_nothing()
                    .execute(c)?,
            };
            diesel::update(users::table.find(user))
                .set((
                    users::trust_level.eq(LEVEL),
                    users::trust_level_locked.eq(Flag(true)),
                    users::trust_level_since.eq(Some(now())),
                ))
                .execute(conn)?;
            crate::events::publish(
                conn,
                &DomainEvent::TrustLevelChanged {
                    user_id: user,
                    level: LEVEL,
                },
            )?;
            refresh_flair(conn, user)?;
        }
        Ok(state)
    })
}

/// Keeps a member's row showing the flair of their groups (the first, by name).
pub fn refresh_flair(conn: &mut DbConnection, user: UserId) -> AppResult<()> {
    let flair: Option<Option<String>> = user_groups::table
        .inner_join(group_members::table)
        .filter(group_members::user_id.eq(user))
        .filter(user_groups::flair.is_not_null())
        .order(user_groups::name.asc())
        .select(user_groups::flair)
        .first(conn)
        .optional()?;
    diesel::update(users::table.find(user))
        .set(users::flair.eq(flair.flatten()))
        .execute(conn)?;
    Ok(())
}
