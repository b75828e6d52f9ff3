//! Login sessions (cookie) and API tokens (Bearer): issued, found (sliding expiry, last use)
//! and revoked.

use chrono::Duration;
use diesel::prelude::*;

use super::TOKEN_NAME_MAX;
use crate::accounts::model::*;
use crate::db::schema::{account_tokens, api_tokens, sessions, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::forum::model::GroupId;
use crate::util::{new_token, now, token_hash};

/// Where a session is opened from (shown in the list of sessions).
pub struct Client {
    pub agent: String,
    pub ip: String,
}

/// Opens a login session; returns the secret for the cookie (never stored) and the row.
pub fn create_session(
    conn: &mut DbConnection,
    user: UserId,
    user_agent: &str,
    ip: &str,
    days: i64,
) -> AppResult<(String, Session)> {
    let token = new_token("tts_");
    let hash = token_hash(&token);
    let now = now();
    let user_agent: String = user_agent.chars().take(200).collect();
    let session = diesel::insert_into(sessions::table)
        .values(NewSessionRow {
            user_id: user,
            token_hash: &hash,
            user_agent: &user_agent,
            ip,
            created_at: now,
            last_seen_at: now,
            expires_at: now + Duration::days(days),
        })
        .returning(sessions::all_columns)
        .get_result::<Session>(conn)?;
    diesel::update(users::table.find(user))
        .set(users::last_seen_at.eq(now))
        .execute(conn)?;
    Ok((token, session))
}

/// The user behind a session secret, if the session exists and has not expired. A session in use
/// is extended (sliding expiry), at most once every ten minutes to spare the database.
pub fn user_for_session(
    conn: &mut DbConnection,
    token: &str,
    days: i64,
) -> AppResult<Option<CurrentUser>> {
    Ok(member_for_session(conn, token, days, false)?.map(|(user, _)| user))
}

/// The member a session cookie names, with their groups, in one statement; with `header`, also
/// their unread notifications (the bell on pages) in the same statement.
pub fn member_for_session(
    conn: &mut DbConnection,
    token: &str,
    days: i64,
    header: bool,
) -> AppResult<Option<(CurrentUser, Vec<GroupId>)>> {
    let now = now();
    let (unread, groups) = member_extras(conn, header);
    let found: Option<(Session, User, i64, Option<String>)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash(token)))
        .filter(sessions::expires_at.gt(now))
        .select((Session::as_select(), User::as_select(), unread, groups))
        .first(conn)
        .optional()?;
    let Some((session, user, unread, groups)) = found else {
        return Ok(None);
    };
    let groups = group_ids(groups);
    let mut current = CurrentUser::from_user(&user);
    if now - session.last_seen_at > Duration::minutes(10) {
        diesel::update(sessions::table.find(session.id))
            .set((
                sessions::last_seen_at.eq(now),
                sessions::expires_at.eq(now + Duration::days(days)),
            ))
            .execute(conn)?;
        // After an hour away a new visit starts: what came since the last one is "new".
        let new_visit = user
            .last_seen_at
            .is_none_or(|seen| now - seen > Duration::hours(1));
        if new_visit {
            diesel::update(users::table.find(user.id))
                .set((
                    users::previous_visit_at.eq(user.last_seen_at),
                    users::last_seen_at.eq(now),
                ))
                .execute(conn)?;
            current.previous_visit_at = user.last_seen_at;
        } else {
            diesel::update(users::table.find(user.id))
                .set(users::last_seen_at.eq(now))
                .execute(conn)?;
        }
    }
    current.session_id = Some(session.id);
    current.unread_notifications = unread;
    Ok(Some((current, groups)))
}

pub fn list_sessions(
    conn: &mut DbConnection,
    user: UserId,
    current: Option<SessionId>,
) -> AppResult<Vec<SessionView>> {
    let rows: Vec<Session> = sessions::table
        .filter(sessions::user_id.eq(user))
        .filter(sessions::expires_at.gt(now()))
        .order(sessions::last_seen_at.desc())
        .select(Session::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|s| SessionView {
            id: s.id,
            current: current == Some(s.id),
            user_agent: s.user_agent,
            ip: s.ip,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
        })
        .collect())
}

/// Ends one of the user's own sessions; another person's session is "not found".
pub fn revoke_session(conn: &mut DbConnection, user: UserId, session: SessionId) -> AppResult<()> {
    let deleted = diesel::delete(
        sessions::table
            .filter(sessions::id.eq(session))
            .filter(sessions::user_id.eq(user)),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Err(AppError::new(ErrorKind::NotFound));
    }
    Ok(())
}

/// What "log out everywhere" ended.
#[derive(Debug, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Revoked {
    /// Login sessions ended.
    pub revoked: usize,
    /// API tokens revoked.
    pub tokens: usize,
}

/// "Log out everywhere", also what a password reset and an undone address change do: ends
/// every session, revokes every API token, and voids every unused e-mailed link (a pending
/// address change, a reset link, a verification link), so whoever held the account is out.
/// The links that undo an address change stay: they belong to the previous owner of the
/// address, and whoever took the account must not be able to void them.
pub fn log_out_everywhere(conn: &mut DbConnection, user: UserId) -> AppResult<Revoked> {
    let revoked =
        diesel::delete(sessions::table.filter(sessions::user_id.eq(user))).execute(conn)?;
    let tokens =
        diesel::delete(api_tokens::table.filter(api_tokens::user_id.eq(user))).execute(conn)?;
    diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(user))
            .filter(account_tokens::purpose.ne(super::email_tokens::Purpose::UndoEmailChange))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(now()))
    .execute(conn)?;
    Ok(Revoked { revoked, tokens })
}

/// The longest life a token can be given, in days.
pub const TOKEN_DAYS_MAX: u32 = 365;

/// A new API token for the signed-in `creator`. A request that came with an API token cannot
/// make another one (a stolen token must not outlive its revocation); `expires_in_days`
/// (1 to 365) limits its life, absent: until revoked.
pub fn create_api_token(
    conn: &mut DbConnection,
    creator: &CurrentUser,
    name: &str,
    expires_in_days: Option<u32>,
) -> AppResult<(String, ApiToken)> {
    if creator.api_token_id.is_some() {
        return Err(AppError::new(ErrorKind::Refused {
            code: ErrorCode::TokenCannotMint,
        }));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > TOKEN_NAME_MAX {
        return Err(AppError::invalid_field("name", "error-token-name"));
    }
    if expires_in_days.is_some_and(|days| !(1..=TOKEN_DAYS_MAX).contains(&days)) {
        return Err(AppError::invalid_field(
            "expires_in_days",
            "error-token-expiry",
        ));
    }
    let token = new_token("tta_");
    let hash = token_hash(&token);
    let now = now();
    let row = diesel::insert_into(api_tokens::table)
        .values(NewApiTokenRow {
            user_id: creator.id,
            name,
            token_hash: &hash,
            created_at: now,
            expires_at: expires_in_days.map(|days| now + Duration::days(i64::from(days))),
        })
        .returning(api_tokens::all_columns)
        .get_result::<ApiToken>(conn)?;
    Ok((token, row))
}

pub fn list_api_tokens(conn: &mut DbConnection, user: UserId) -> AppResult<Vec<ApiTokenView>> {
    let rows: Vec<ApiToken> = api_tokens::table
        .filter(api_tokens::user_id.eq(user))
        .filter(
            api_tokens::expires_at
                .is_null()
                .or(api_tokens::expires_at.gt(now())),
        )
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(conn)?;
    Ok(rows.iter().map(ApiTokenView::from).collect())
}

pub fn revoke_api_token(conn: &mut DbConnection, user: UserId, token: ApiTokenId) -> AppResult<()> {
    let deleted = diesel::delete(
        api_tokens::table
            .filter(api_tokens::id.eq(token))
            .filter(api_tokens::user_id.eq(user)),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Err(AppError::new(ErrorKind::NotFound));
    }
    Ok(())
}

/// The user behind an API token (`Authorization: Bearer tta_…`) that has not expired.
pub fn user_for_api_token(conn: &mut DbConnection, token: &str) -> AppResult<Option<CurrentUser>> {
    Ok(member_for_api_token(conn, token, false)?.map(|(user, _)| user))
}

/// The member an API token names, with their groups (and, with `header`, their unread count)
/// in one statement, like `member_for_session`.
pub fn member_for_api_token(
    conn: &mut DbConnection,
    token: &str,
    header: bool,
) -> AppResult<Option<(CurrentUser, Vec<GroupId>)>> {
    let (unread, groups) = member_extras(conn, header);
    let found: Option<(ApiToken, User, i64, Option<String>)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash(token)))
        .filter(
            api_tokens::expires_at
                .is_null()
                .or(api_tokens::expires_at.gt(now())),
        )
        .select((ApiToken::as_select(), User::as_select(), unread, groups))
        .first(conn)
        .optional()?;
    let Some((api_token, user, unread, groups)) = found else {
        return Ok(None);
    };
    let now = now();
    if api_token
        .last_used_at
        .is_none_or(|used| now - used > Duration::minutes(10))
    {
        diesel::update(api_tokens::table.find(api_token.id))
            .set(api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    let mut current = CurrentUser::from_user(&user);
    current.api_token_id = Some(api_token.id);
    current.unread_notifications = unread;
    Ok(Some((current, group_ids(groups))))
}

type Extra<T> = diesel::expression::SqlLiteral<T>;

/// What a request's member comes with, as columns of the query that finds them (`users` is in
/// it): their unread notifications (counted for pages only, `header`) and their groups.
fn member_extras(
    conn: &DbConnection,
    header: bool,
) -> (
    Extra<diesel::sql_types::BigInt>,
    Extra<diesel::sql_types::Nullable<diesel::sql_types::Text>>,
) {
    use diesel::dsl::sql;
    let unread = if header {
        "(SELECT COUNT(*) FROM notifications \
         WHERE notifications.user_id = users.id AND notifications.read_at IS NULL)"
    } else {
        "CAST(0 AS BIGINT)"
    };
    (
        sql(unread),
        sql(crate::db::groups_of_user_sql(crate::db::backend_of(conn))),
    )
}

/// The group ids `groups_of_user_sql` joins with commas.
fn group_ids(joined: Option<String>) -> Vec<GroupId> {
    joined
        .unwrap_or_default()
        .split(',')
        .filter_map(|id| id.trim().parse::<i64>().ok())
        .map(GroupId)
        .collect()
}

/// Logs out the session a request came with; one already revoked is not an error.
pub fn end_session(conn: &mut DbConnection, user: UserId, session: SessionId) -> AppResult<()> {
    match revoke_session(conn, user, session) {
        Err(e) if e.kind == ErrorKind::NotFound => Ok(()),
        other => other,
    }
}
