//! The rules of accounts: who may register with what, how passwords are checked, and how
//! sessions and API tokens are issued, found and revoked. Tokens are random; only their SHA-256
//! is stored, so a copy of the database does not let anyone sign in.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::Duration;
use diesel::prelude::*;

use super::model::*;
use crate::db::schema::{account_tokens, api_tokens, sessions, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::util::{new_token, now, token_hash};

pub const LOCALES: [&str; 2] = ["en", "es"];
pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 20;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 256;
pub const DISPLAY_NAME_MAX: usize = 60;
pub const TOKEN_NAME_MAX: usize = 60;

/// Argon2id with the instance's parameters.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
}

impl PasswordHasher {
    pub fn new(memory_kib: u32, iterations: u32, parallelism: u32) -> Result<Self, String> {
        let params = Params::new(memory_kib, iterations, parallelism, None)
            .map_err(|e| format!("argon2 parameters: {e}"))?;
        Ok(PasswordHasher { params })
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    pub fn hash(&self, password: &str) -> AppResult<String> {
        let salt = SaltString::generate(&mut OsRng);
        self.argon()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    }

    /// Checks a password against a stored hash (whatever parameters it was made with).
    pub fn verify(&self, password: &str, hash: &str) -> bool {
        match PasswordHash::new(hash) {
            Ok(parsed) => self
                .argon()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    }

    /// Spends the time a real check would, so an unknown login answers as slowly as a known one.
    pub fn waste_time(&self, password: &str) {
        let _ = self.hash(password);
    }
}

pub fn normalize_username(username: &str) -> String {
    username.trim().to_lowercase()
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn validate_username(username: &str) -> Result<(), &'static str> {
    let length = username.chars().count();
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&length) {
        return Err("error-username-length");
    }
    let valid_chars = username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    let starts_well = username
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !valid_chars || !starts_well {
        return Err("error-username-chars");
    }
    Ok(())
}

fn validate_email(email: &str) -> Result<(), &'static str> {
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(())
    } else {
        Err("error-email-invalid")
    }
}

fn validate_password(password: &str, username: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        return Err("error-password-short");
    }
    if length > PASSWORD_MAX {
        return Err("error-password-long");
    }
    if password.eq_ignore_ascii_case(username) {
        return Err("error-password-is-username");
    }
    Ok(())
}

fn validate_display_name(name: &str) -> Result<(), &'static str> {
    if name.chars().count() > DISPLAY_NAME_MAX || name.chars().any(char::is_control) {
        return Err("error-display-name-invalid");
    }
    Ok(())
}

fn collect_invalid(checks: Vec<(&str, Result<(), &'static str>)>) -> AppResult<()> {
    let fields: std::collections::BTreeMap<String, String> = checks
        .into_iter()
        .filter_map(|(field, result)| result.err().map(|key| (field.to_string(), key.to_string())))
        .collect();
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::new(ErrorKind::Invalid {
            code: "invalid_input",
            fields,
        }))
    }
}

fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Creates an account after checking every field. A taken username is reported as such
/// (usernames are public); a taken e-mail gets one neutral message.
pub fn register(
    conn: &mut DbConnection,
    hasher: &PasswordHasher,
    form: &RegisterForm,
    role: Role,
    locale: Option<&str>,
) -> AppResult<User> {
    let username = form.username.trim();
    let email = form.email.trim();
    let display_name = form.display_name.trim();
    collect_invalid(vec![
        ("username", validate_username(username)),
        ("email", validate_email(email)),
        ("password", validate_password(&form.password, username)),
        ("display_name", validate_display_name(display_name)),
    ])?;
    let username_normalized = normalize_username(username);
    let email_normalized = normalize_email(email);
    let taken_username: i64 = users::table
        .filter(users::username_normalized.eq(&username_normalized))
        .count()
        .get_result(conn)?;
    if taken_username > 0 {
        return Err(conflict("username_taken", "username"));
    }
    let taken_email: i64 = users::table
        .filter(users::email_normalized.eq(&email_normalized))
        .count()
        .get_result(conn)?;
    if taken_email > 0 {
        return Err(conflict("email_unavailable", "email"));
    }
    let password_hash = hasher.hash(&form.password)?;
    let now = now();
    let display_name = if display_name.is_empty() {
        username
    } else {
        display_name
    };
    let locale = locale.filter(|l| LOCALES.contains(l));
    let row = NewUserRow {
        username,
        username_normalized: &username_normalized,
        email,
        email_normalized: &email_normalized,
        display_name,
        password_hash: &password_hash,
        role: role.as_i16(),
        trust_level: 0,
        locale,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(users::table)
        .values(&row)
        .returning(users::all_columns)
        .get_result::<User>(conn)
        .map_err(|e| {
            // Two registrations racing for the same name: the database decides.
            if is_unique_violation(&e) {
                conflict("username_taken", "username")
            } else {
                AppError::from(e)
            }
        })
}

#[track_caller]
fn conflict(code: &'static str, field: &str) -> AppError {
    AppError::new(ErrorKind::Conflict {
        code,
        field: field.to_string(),
    })
}

/// Finds the account a login (username or e-mail) names and checks the password. Any failure is
/// the same `BadCredentials`, and takes the same time.
pub fn authenticate(
    conn: &mut DbConnection,
    hasher: &PasswordHasher,
    login: &str,
    password: &str,
) -> AppResult<User> {
    let login = login.trim();
    let user: Option<User> = if login.contains('@') {
        users::table
            .filter(users::email_normalized.eq(normalize_email(login)))
            .select(User::as_select())
            .first(conn)
            .optional()?
    } else {
        users::table
            .filter(users::username_normalized.eq(normalize_username(login)))
            .select(User::as_select())
            .first(conn)
            .optional()?
    };
    match user {
        Some(user) if hasher.verify(password, &user.password_hash) => Ok(user),
        Some(_) => Err(AppError::new(ErrorKind::BadCredentials)),
        None => {
            hasher.waste_time(password);
            Err(AppError::new(ErrorKind::BadCredentials))
        }
    }
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
            user_id: user.0,
            token_hash: &hash,
            user_agent: &user_agent,
            ip,
            created_at: now,
            last_seen_at: now,
            expires_at: now + Duration::days(days),
        })
        .returning(sessions::all_columns)
        .get_result::<Session>(conn)?;
    diesel::update(users::table.find(user.0))
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
    let now = now();
    let found: Option<(Session, User)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash(token)))
        .filter(sessions::expires_at.gt(now))
        .select((Session::as_select(), User::as_select()))
        .first(conn)
        .optional()?;
    let Some((session, user)) = found else {
        return Ok(None);
    };
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
        } else {
            diesel::update(users::table.find(user.id))
                .set(users::last_seen_at.eq(now))
                .execute(conn)?;
        }
    }
    let mut current = CurrentUser::from_user(&user);
    current.session_id = Some(SessionId(session.id));
    Ok(Some(current))
}

pub fn list_sessions(
    conn: &mut DbConnection,
    user: UserId,
    current: Option<SessionId>,
) -> AppResult<Vec<SessionView>> {
    let rows: Vec<Session> = sessions::table
        .filter(sessions::user_id.eq(user.0))
        .filter(sessions::expires_at.gt(now()))
        .order(sessions::last_seen_at.desc())
        .select(Session::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|s| SessionView {
            id: SessionId(s.id),
            current: current == Some(SessionId(s.id)),
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
            .filter(sessions::id.eq(session.0))
            .filter(sessions::user_id.eq(user.0)),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Err(AppError::new(ErrorKind::NotFound));
    }
    Ok(())
}

/// "Log out everywhere": ends every session of the user; returns how many.
pub fn revoke_all_sessions(conn: &mut DbConnection, user: UserId) -> AppResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user.0))).execute(conn)?)
}

pub fn create_api_token(
    conn: &mut DbConnection,
    user: UserId,
    name: &str,
) -> AppResult<(String, ApiToken)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > TOKEN_NAME_MAX {
        return Err(AppError::invalid_field("name", "error-token-name"));
    }
    let token = new_token("tta_");
    let hash = token_hash(&token);
    let row = diesel::insert_into(api_tokens::table)
        .values(NewApiTokenRow {
            user_id: user.0,
            name,
            token_hash: &hash,
            created_at: now(),
        })
        .returning(api_tokens::all_columns)
        .get_result::<ApiToken>(conn)?;
    Ok((token, row))
}

pub fn list_api_tokens(conn: &mut DbConnection, user: UserId) -> AppResult<Vec<ApiTokenView>> {
    let rows: Vec<ApiToken> = api_tokens::table
        .filter(api_tokens::user_id.eq(user.0))
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(conn)?;
    Ok(rows.iter().map(ApiTokenView::from).collect())
}

pub fn revoke_api_token(conn: &mut DbConnection, user: UserId, token: ApiTokenId) -> AppResult<()> {
    let deleted = diesel::delete(
        api_tokens::table
            .filter(api_tokens::id.eq(token.0))
            .filter(api_tokens::user_id.eq(user.0)),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Err(AppError::new(ErrorKind::NotFound));
    }
    Ok(())
}

/// The user behind an API token (`Authorization: Bearer tta_…`).
pub fn user_for_api_token(conn: &mut DbConnection, token: &str) -> AppResult<Option<CurrentUser>> {
    let found: Option<(ApiToken, User)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash(token)))
        .select((ApiToken::as_select(), User::as_select()))
        .first(conn)
        .optional()?;
    let Some((api_token, user)) = found else {
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
    current.api_token_id = Some(ApiTokenId(api_token.id));
    Ok(Some(current))
}

pub fn user_by_id(conn: &mut DbConnection, user: UserId) -> AppResult<User> {
    Ok(users::table
        .find(user.0)
        .select(User::as_select())
        .first(conn)?)
}

pub fn user_by_username(conn: &mut DbConnection, username: &str) -> AppResult<User> {
    Ok(users::table
        .filter(users::username_normalized.eq(normalize_username(username)))
        .select(User::as_select())
        .first(conn)?)
}

/// Changes what a person may edit of their own profile.
pub fn update_profile(
    conn: &mut DbConnection,
    user: UserId,
    display_name: &str,
    locale: Option<&str>,
) -> AppResult<User> {
    let display_name = display_name.trim();
    collect_invalid(vec![("display_name", validate_display_name(display_name))])?;
    if display_name.is_empty() {
        return Err(AppError::invalid_field(
            "display_name",
            "error-display-name-invalid",
        ));
    }
    let locale = match locale.map(str::trim).filter(|l| !l.is_empty()) {
        Some(l) if LOCALES.contains(&l) => Some(l),
        Some(_) => return Err(AppError::invalid_field("locale", "error-locale-invalid")),
        None => None,
    };
    diesel::update(users::table.find(user.0))
        .set((
            users::display_name.eq(display_name),
            users::locale.eq(locale),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    user_by_id(conn, user)
}

pub fn count_users(conn: &mut DbConnection) -> AppResult<i64> {
    Ok(users::table.count().get_result(conn)?)
}

// ---------------------------------------------------------------------------------------------
// E-mail verification, password reset and e-mail change: single-use tokens sent by e-mail.

/// What an account token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Verify,
    Reset,
    ChangeEmail,
}

impl Purpose {
    fn as_i16(self) -> i16 {
        match self {
            Purpose::Verify => 0,
            Purpose::Reset => 1,
            Purpose::ChangeEmail => 2,
        }
    }

    /// How long a link works.
    fn lifetime(self) -> Duration {
        match self {
            Purpose::Verify => Duration::days(7),
            Purpose::Reset => Duration::hours(1),
            Purpose::ChangeEmail => Duration::days(1),
        }
    }
}

fn invalid_token() -> AppError {
    AppError::bad_request("token_invalid")
}

/// A new token for `purpose`; earlier unused tokens of the same purpose stop working.
pub fn issue_token(
    conn: &mut DbConnection,
    user: UserId,
    purpose: Purpose,
    new_email: Option<&str>,
) -> AppResult<String> {
    let now = now();
    diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(user.0))
            .filter(account_tokens::purpose.eq(purpose.as_i16()))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(now))
    .execute(conn)?;
    let token = new_token("");
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::user_id.eq(user.0),
            account_tokens::purpose.eq(purpose.as_i16()),
            account_tokens::token_hash.eq(token_hash(&token)),
            account_tokens::new_email.eq(new_email),
            account_tokens::created_at.eq(now),
            account_tokens::expires_at.eq(now + purpose.lifetime()),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The user and pending new address of a token that still works (without using it).
pub fn peek_token(
    conn: &mut DbConnection,
    token: &str,
    purpose: Purpose,
) -> AppResult<(User, Option<String>)> {
    let found: Option<(i64, Option<String>)> = account_tokens::table
        .filter(account_tokens::token_hash.eq(token_hash(token)))
        .filter(account_tokens::purpose.eq(purpose.as_i16()))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::expires_at.gt(now()))
        .select((account_tokens::user_id, account_tokens::new_email))
        .first(conn)
        .optional()?;
    let (user_id, new_email) = found.ok_or_else(invalid_token)?;
    Ok((user_by_id(conn, UserId(user_id))?, new_email))
}

/// Uses a token once: the first statement marks it used, so two clicks cannot both succeed.
fn take_token(
    conn: &mut DbConnection,
    token: &str,
    purpose: Purpose,
) -> AppResult<(User, Option<String>)> {
    let now = now();
    let taken = diesel::update(
        account_tokens::table
            .filter(account_tokens::token_hash.eq(token_hash(token)))
            .filter(account_tokens::purpose.eq(purpose.as_i16()))
            .filter(account_tokens::used_at.is_null())
            .filter(account_tokens::expires_at.gt(now)),
    )
    .set(account_tokens::used_at.eq(now))
    .execute(conn)?;
    if taken == 0 {
        return Err(invalid_token());
    }
    let (user_id, new_email): (i64, Option<String>) = account_tokens::table
        .filter(account_tokens::token_hash.eq(token_hash(token)))
        .select((account_tokens::user_id, account_tokens::new_email))
        .first(conn)?;
    Ok((user_by_id(conn, UserId(user_id))?, new_email))
}

/// Marks an address as proven (operator-created and demo accounts start verified).
pub fn mark_verified(conn: &mut DbConnection, user: UserId) -> AppResult<()> {
    diesel::update(
        users::table
            .find(user.0)
            .filter(users::email_verified_at.is_null()),
    )
    .set(users::email_verified_at.eq(now()))
    .execute(conn)?;
    Ok(())
}

/// Confirms the address behind a verification link.
pub fn verify_email(conn: &mut DbConnection, token: &str) -> AppResult<User> {
    crate::db::write_transaction(conn, |conn| {
        let (user, _) = take_token(conn, token, Purpose::Verify)?;
        mark_verified(conn, user.user_id())?;
        user_by_id(conn, user.user_id())
    })
}

/// Sets a new password from a reset link and ends every session of the account.
pub fn reset_password(
    conn: &mut DbConnection,
    hasher: &PasswordHasher,
    token: &str,
    password: &str,
) -> AppResult<User> {
    let (user, _) = peek_token(conn, token, Purpose::Reset)?;
    collect_invalid(vec![(
        "password",
        validate_password(password, &user.username),
    )])?;
    let hash = hasher.hash(password)?;
    crate::db::write_transaction(conn, |conn| {
        let (user, _) = take_token(conn, token, Purpose::Reset)?;
        diesel::update(users::table.find(user.id))
            .set((users::password_hash.eq(&hash), users::updated_at.eq(now())))
            .execute(conn)?;
        // Whoever had the old password is logged out; the link also proved the address.
        revoke_all_sessions(conn, user.user_id())?;
        mark_verified(conn, user.user_id())?;
        user_by_id(conn, user.user_id())
    })
}

/// Checks a request to change the address; returns the new address to confirm.
pub fn check_email_change(
    conn: &mut DbConnection,
    hasher: &PasswordHasher,
    user: UserId,
    new_email: &str,
    password: &str,
) -> AppResult<String> {
    let account = user_by_id(conn, user)?;
    if !hasher.verify(password, &account.password_hash) {
        return Err(AppError::invalid_field("password", "error-bad-credentials"));
    }
    let new_email = new_email.trim();
    collect_invalid(vec![("email", validate_email(new_email))])?;
    let taken: i64 = users::table
        .filter(users::email_normalized.eq(normalize_email(new_email)))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(conflict("email_unavailable", "email"));
    }
    Ok(new_email.to_string())
}

/// Switches to the new address behind a confirmation link.
pub fn confirm_email_change(conn: &mut DbConnection, token: &str) -> AppResult<User> {
    crate::db::write_transaction(conn, |conn| {
        let (user, new_email) = take_token(conn, token, Purpose::ChangeEmail)?;
        let new_email = new_email.ok_or_else(invalid_token)?;
        let taken: i64 = users::table
            .filter(users::email_normalized.eq(normalize_email(&new_email)))
            .filter(users::id.ne(user.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(conflict("email_unavailable", "email"));
        }
        diesel::update(users::table.find(user.id))
            .set((
                users::email.eq(&new_email),
                users::email_normalized.eq(normalize_email(&new_email)),
                users::email_verified_at.eq(now()),
                users::updated_at.eq(now()),
            ))
            .execute(conn)?;
        user_by_id(conn, user.user_id())
    })
}

pub fn user_by_email(conn: &mut DbConnection, email: &str) -> AppResult<Option<User>> {
    Ok(users::table
        .filter(users::email_normalized.eq(normalize_email(email)))
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// On a fresh install, creates the `admin` account with a generated password (returned once).
pub fn bootstrap_admin(
    conn: &mut DbConnection,
    hasher: &PasswordHasher,
) -> AppResult<Option<(String, String)>> {
    if count_users(conn)? > 0 {
        return Ok(None);
    }
    let password = new_token("")[..20].to_string();
    let form = RegisterForm::new("admin", "admin@localhost.localdomain", &password);
    let admin = register(conn, hasher, &form, Role::Admin, None)?;
    mark_verified(conn, admin.user_id())?;
    Ok(Some(("admin".to_string(), password)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_and_emails_are_checked() {
        assert!(validate_username("ana").is_ok());
        assert!(validate_username("an").is_err());
        assert!(validate_username("_ana").is_err());
        assert!(validate_username("ana maría").is_err());
        assert!(validate_email("ana@example.com").is_ok());
        assert!(validate_email("ana@example").is_err());
        assert!(validate_email("ana@@example.com").is_err());
        assert!(validate_password("short", "ana").is_err());
        assert!(validate_password("correct horse", "ana").is_ok());
    }

    #[test]
    fn hashing_round_trips() {
        let hasher = PasswordHasher::new(64, 1, 1).unwrap();
        let hash = hasher.hash("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(hasher.verify("correct horse", &hash));
        assert!(!hasher.verify("wrong horse", &hash));
        assert!(!hasher.verify("x", "not a hash"));
    }
}
