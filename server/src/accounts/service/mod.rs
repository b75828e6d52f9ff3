//! The rules of accounts: who may register with what, how passwords are checked, profiles and
//! lookups. `sessions` issues, finds and revokes login sessions and API tokens; `email_tokens`
//! the single-use links of e-mail verification, password reset and address change. Tokens are
//! random; only their SHA-256 is stored, so a copy of the database does not let anyone sign in.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use diesel::prelude::*;

use super::model::*;
use crate::context::AppContext;
use crate::db::schema::users;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::util::{new_token, now};

pub mod email_tokens;
pub mod sessions;

pub const LOCALES: [&str; 2] = ["en", "es"];
pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 20;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 256;
pub const DISPLAY_NAME_MAX: usize = 60;
pub const TOKEN_NAME_MAX: usize = 60;
/// The longest login (username or e-mail address) worth looking up.
pub const LOGIN_MAX: usize = 254;

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

    /// Checks `password` against the account's hash; the proof is what services that need the
    /// current password (login, e-mail change) take, so the check cannot be skipped.
    pub fn prove(&self, account: &User, password: &str) -> Option<PasswordProof> {
        self.verify(password, &account.password_hash)
            .then_some(PasswordProof { user: account.id })
    }
}

/// Evidence that someone gave the right password for `user` (made only by
/// `PasswordHasher::prove`). Checking happens outside the database pool (see
/// `AppState::hashing`); the proof carries the result into the service.
#[derive(Clone, Copy, Debug)]
pub struct PasswordProof {
    user: UserId,
}

impl PasswordProof {
    pub fn user(&self) -> UserId {
        self.user
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
    if is_plain_address(email) {
        Ok(())
    } else {
        Err("error-email-invalid")
    }
}

/// `local@domain` and nothing else. The local part is a dot-atom (letters, digits and
/// ``!#$%&'*+/=?^_`{|}~-``, single dots between them); the domain is ASCII labels of letters,
/// digits and inner hyphens, at least two, the last not numeric. Display names, angle brackets,
/// comments, quoted local parts and IP literals are refused: the mailer would reduce such an
/// address to a bare one, letting one inbox own any number of accounts.
pub fn is_plain_address(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let atom_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = (1..=64).contains(&local.len())
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(atom_char));
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.len())
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let domain_ok = domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()));
    email.len() <= 254 && local_ok && domain_ok
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
            code: ErrorCode::InvalidInput,
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

/// Checks every field of a registration (before any hashing is spent on it).
pub fn check_registration(form: &RegisterForm) -> AppResult<()> {
    let username = form.username.trim();
    collect_invalid(vec![
        ("username", validate_username(username)),
        ("email", validate_email(form.email.trim())),
        ("password", validate_password(&form.password, username)),
        (
            "display_name",
            validate_display_name(form.display_name.trim()),
        ),
    ])
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
    check_registration(form)?;
    let password_hash = hasher.hash(&form.password)?;
    register_hashed(conn, form, &password_hash, role, locale)
}

/// `register` with the password already hashed (by the caller, outside the database pool).
pub fn register_hashed(
    conn: &mut DbConnection,
    form: &RegisterForm,
    password_hash: &str,
    role: Role,
    locale: Option<&str>,
) -> AppResult<User> {
    check_registration(form)?;
    let username = form.username.trim();
    let email = form.email.trim();
    let display_name = form.display_name.trim();
    let username_normalized = normalize_username(username);
    let email_normalized = normalize_email(email);
    let taken_username: i64 = users::table
        .filter(users::username_normalized.eq(&username_normalized))
        .count()
        .get_result(conn)?;
    if taken_username > 0 {
        return Err(conflict(ErrorCode::UsernameTaken, "username"));
    }
    if email_tokens::address_unavailable(conn, &email_normalized, None)? {
        return Err(conflict(ErrorCode::EmailUnavailable, "email"));
    }
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
        password_hash,
        role,
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
                conflict(ErrorCode::UsernameTaken, "username")
            } else {
                AppError::from(e)
            }
        })
}

#[track_caller]
pub(super) fn conflict(code: ErrorCode, field: &str) -> AppError {
    AppError::new(ErrorKind::Conflict {
        code,
        field: field.to_string(),
    })
}

/// The account a login (username or e-mail address) names, if any. The password is checked by
/// the caller with `PasswordHasher::prove`, outside the database pool; an unknown login must
/// spend the same time (`waste_time`) and get the same `BadCredentials`.
pub fn find_login(conn: &mut DbConnection, login: &str) -> AppResult<Option<User>> {
    let login = login.trim();
    if login.len() > LOGIN_MAX {
        return Err(AppError::invalid_field("login", "error-login-long"));
    }
    Ok(if login.contains('@') {
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
    })
}

/// Registers a member from the sign-up form (password already hashed), queues the mail that
/// confirms their address and opens their first session, in one transaction. Returns the
/// session secret and the account.
pub fn register_member(
    conn: &mut DbConnection,
    ctx: &AppContext,
    form: &RegisterForm,
    password_hash: &str,
    locale: &str,
    client: &sessions::Client,
) -> AppResult<(String, User)> {
    crate::db::write_transaction(conn, |conn| {
        crate::moderation::rules::check_acceptance(conn, form.accept_rules)?;
        let user = register_hashed(conn, form, password_hash, Role::Member, Some(locale))?;
        if form.accept_rules {
            crate::moderation::rules::record_acceptance(conn, user.id)?;
        }
        if let Some(code) = form.invite.as_deref().filter(|c| !c.trim().is_empty()) {
            crate::reputation::invites::redeem(conn, code, user.id)?;
        }
        super::mail::send_verification(conn, ctx, &user)?;
        let (token, _) = sessions::create_session(
            conn,
            user.id,
            &client.agent,
            &client.ip,
            ctx.config.session_days,
        )?;
        Ok((token, user))
    })
}

pub fn user_by_id(conn: &mut DbConnection, user: UserId) -> AppResult<User> {
    Ok(users::table
        .find(user)
        .select(User::as_select())
        .first(conn)?)
}

/// The members named in `text` (usernames separated by commas or spaces, `@` optional, any
/// case), with their usernames, sorted by name. `None` when one is unknown or more than `max`
/// are named; an empty text names nobody.
pub fn members_named(
    conn: &mut DbConnection,
    text: &str,
    max: usize,
) -> AppResult<Option<Vec<(UserId, String)>>> {
    let mut names: Vec<String> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|n| n.trim_start_matches('@').to_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    names.sort();
    names.dedup();
    if names.len() > max {
        return Ok(None);
    }
    let mut found: Vec<(UserId, String)> = users::table
        .filter(users::username_normalized.eq_any(&names))
        .select((users::id, users::username))
        .load(conn)?;
    found.sort_by(|a, b| a.1.cmp(&b.1));
    Ok((found.len() == names.len()).then_some(found))
}

/// The usernames of `ids`, in one query (an id with no account is left out).
pub fn usernames(
    conn: &mut DbConnection,
    ids: &[UserId],
) -> AppResult<std::collections::HashMap<UserId, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::username))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .collect())
}

pub fn user_by_username(conn: &mut DbConnection, username: &str) -> AppResult<User> {
    Ok(users::table
        .filter(users::username_normalized.eq(normalize_username(username)))
        .select(User::as_select())
        .first(conn)?)
}

/// A language from the language switch: one the site speaks, or an error of `locale`.
pub fn check_locale(locale: &str) -> AppResult<&'static str> {
    LOCALES
        .into_iter()
        .find(|l| *l == locale.trim())
        .ok_or_else(|| AppError::invalid_field("locale", "error-locale-invalid"))
}

/// The language switch for a member: their pages follow it from now on.
pub fn set_locale(conn: &mut DbConnection, user: UserId, locale: &str) -> AppResult<()> {
    let locale = check_locale(locale)?;
    diesel::update(users::table.find(user))
        .set(users::locale.eq(locale))
        .execute(conn)?;
    Ok(())
}

/// Changes what a person may edit of their own profile.
pub fn update_profile(
    conn: &mut DbConnection,
    user: UserId,
    display_name: &str,
    locale: Option<&str>,
    time_zone: Option<&str>,
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
    // Absent: kept; empty: cleared; otherwise an IANA name.
    if let Some(zone) = time_zone.map(str::trim) {
        let zone = match zone {
            "" => None,
            name => Some(
                crate::calendar::schedule::zone(name)
                    .ok_or_else(|| AppError::invalid_field("time_zone", "error-event-zone"))?
                    .name()
                    .to_string(),
            ),
        };
        diesel::update(users::table.find(user))
            .set(users::time_zone.eq(zone))
            .execute(conn)?;
    }
    diesel::update(users::table.find(user))
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
    email_tokens::mark_verified(conn, admin.id)?;
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
        assert!(validate_email("Ana.Maria+cafe@Example.co.uk").is_ok());
        assert!(validate_email("o'brien@xn--caf-dma.es").is_ok());
        for decorated in [
            "x<me@evil.com>",
            "me@evil.com(1)",
            "\"me\"@evil.com",
            "Me <me@evil.com>",
            "me@[127.0.0.1]",
            "me@127.0.0.1",
            "me..x@evil.com",
            ".me@evil.com",
            "me@-evil.com",
            "me@evil.com.",
            "me@evil,com",
            "me@évil.com",
        ] {
            assert!(validate_email(decorated).is_err(), "{decorated}");
        }
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
