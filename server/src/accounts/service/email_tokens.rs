//! E-mail verification, password reset and e-mail change: single-use tokens sent by e-mail,
//! and the requests that queue those mails in the caller's transaction. Rate limits are the
//! HTTP layer's; what happens once a request is allowed is here.

use chrono::Duration;
use diesel::prelude::*;

use super::sessions::log_out_everywhere;
use super::{
    collect_invalid, conflict, normalize_email, user_by_id, validate_email, validate_password,
    PasswordProof,
};
use crate::accounts::mail;
use crate::accounts::model::*;
use crate::context::AppContext;
use crate::db::schema::{account_tokens, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::util::{new_token, now, token_hash};

crate::newtypes::small_enum!(
    /// What an account token is for.
    Purpose {
        Verify = 0 => "verify",
        Reset = 1 => "reset",
        ChangeEmail = 2 => "change_email",
        /// Sent to the old address after a change: puts it back (and locks whoever changed it
        /// out).
        UndoEmailChange = 3 => "undo_email_change",
    }
);

impl Purpose {
    /// How long a link works.
    fn lifetime(self) -> Duration {
        match self {
            Purpose::Verify => Duration::days(7),
            Purpose::Reset => Duration::hours(1),
            Purpose::ChangeEmail => Duration::days(1),
            Purpose::UndoEmailChange => Duration::days(7),
        }
    }
}

fn invalid_token() -> AppError {
    AppError::bad_request(ErrorCode::TokenInvalid)
}

/// A new token for `purpose`; earlier unused tokens of the same purpose stop working, except
/// undo links: each previous address keeps its own.
pub fn issue_token(
    conn: &mut DbConnection,
    user: UserId,
    purpose: Purpose,
    new_email: Option<&str>,
) -> AppResult<String> {
    let now = now();
    if purpose != Purpose::UndoEmailChange {
        diesel::update(
            account_tokens::table
                .filter(account_tokens::user_id.eq(user))
                .filter(account_tokens::purpose.eq(purpose))
                .filter(account_tokens::used_at.is_null()),
        )
        .set(account_tokens::used_at.eq(now))
        .execute(conn)?;
    }
    let token = new_token("");
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::user_id.eq(user),
            account_tokens::purpose.eq(purpose),
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
    let found: Option<(UserId, Option<String>)> = account_tokens::table
        .filter(account_tokens::token_hash.eq(token_hash(token)))
        .filter(account_tokens::purpose.eq(purpose))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::expires_at.gt(now()))
        .select((account_tokens::user_id, account_tokens::new_email))
        .first(conn)
        .optional()?;
    let (user_id, new_email) = found.ok_or_else(invalid_token)?;
    Ok((user_by_id(conn, user_id)?, new_email))
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
            .filter(account_tokens::purpose.eq(purpose))
            .filter(account_tokens::used_at.is_null())
            .filter(account_tokens::expires_at.gt(now)),
    )
    .set(account_tokens::used_at.eq(now))
    .execute(conn)?;
    if taken == 0 {
        return Err(invalid_token());
    }
    let (user_id, new_email): (UserId, Option<String>) = account_tokens::table
        .filter(account_tokens::token_hash.eq(token_hash(token)))
        .select((account_tokens::user_id, account_tokens::new_email))
        .first(conn)?;
    Ok((user_by_id(conn, user_id)?, new_email))
}

/// Marks an address as proven (operator-created and demo accounts start verified).
pub fn mark_verified(conn: &mut DbConnection, user: UserId) -> AppResult<()> {
    diesel::update(
        users::table
            .find(user)
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
        mark_verified(conn, user.id)?;
        user_by_id(conn, user.id)
    })
}

/// Checks a reset link and the new password before any hashing is spent on them; returns the
/// account.
pub fn check_reset(conn: &mut DbConnection, token: &str, password: &str) -> AppResult<User> {
    let (user, _) = peek_token(conn, token, Purpose::Reset)?;
    collect_invalid(vec![(
        "password",
        validate_password(password, &user.username),
    )])?;
    Ok(user)
}

/// Sets a new password (hashed by the caller, outside the pool) from a reset link and ends
/// every session of the account.
pub fn reset_password(
    conn: &mut DbConnection,
    token: &str,
    password_hash: &str,
) -> AppResult<User> {
    crate::db::write_transaction(conn, |conn| {
        let (user, _) = take_token(conn, token, Purpose::Reset)?;
        diesel::update(users::table.find(user.id))
            .set((
                users::password_hash.eq(password_hash),
                users::updated_at.eq(now()),
            ))
            .execute(conn)?;
        // Whoever had the old password is out: sessions, API tokens, pending links (such as
        // an address change they asked for). The link also proved the address.
        log_out_everywhere(conn, user.id)?;
        mark_verified(conn, user.id)?;
        user_by_id(conn, user.id)
    })
}

/// Checks a request to change the address (the password was proven by the caller); returns the
/// new address to confirm.
pub fn check_email_change(
    conn: &mut DbConnection,
    proof: PasswordProof,
    new_email: &str,
) -> AppResult<String> {
    let new_email = new_email.trim();
    collect_invalid(vec![("email", validate_email(new_email))])?;
    if address_unavailable(conn, new_email, Some(proof.user()))? {
        return Err(conflict(ErrorCode::EmailUnavailable, "email"));
    }
    Ok(new_email.to_string())
}

/// Switches to the new address behind a confirmation link, and tells the old address, with a
/// link that undoes the change for 7 days.
pub fn confirm_email_change(
    conn: &mut DbConnection,
    ctx: &AppContext,
    token: &str,
) -> AppResult<User> {
    crate::db::write_transaction(conn, |conn| {
        let (user, new_email) = take_token(conn, token, Purpose::ChangeEmail)?;
        let new_email = new_email.ok_or_else(invalid_token)?;
        switch_address(conn, user.id, &new_email)?;
        let changed = user_by_id(conn, user.id)?;
        mail::send_email_changed(conn, ctx, &changed, &user.email)?;
        Ok(changed)
    })
}

/// Whether `email` may not become another account's address: some account uses it, or a live
/// undo link can still give it back to its previous owner (so whoever took an account cannot
/// block the undo by registering the old address).
pub fn address_unavailable(
    conn: &mut DbConnection,
    email: &str,
    except: Option<UserId>,
) -> AppResult<bool> {
    let normalized = normalize_email(email);
    let mut used = users::table
        .filter(users::email_normalized.eq(&normalized))
        .into_boxed();
    if let Some(user) = except {
        used = used.filter(users::id.ne(user));
    }
    let used: i64 = used.count().get_result(conn)?;
    let mut reserved = account_tokens::table
        .filter(account_tokens::purpose.eq(Purpose::UndoEmailChange))
        .filter(account_tokens::new_email.eq(&normalized))
        .filter(account_tokens::used_at.is_null())
        .filter(account_tokens::expires_at.gt(now()))
        .into_boxed();
    if let Some(user) = except {
        reserved = reserved.filter(account_tokens::user_id.ne(user));
    }
    let reserved: i64 = reserved.count().get_result(conn)?;
    Ok(used + reserved > 0)
}

/// Sets the account's address (confirmed) unless another account uses or holds it.
fn switch_address(conn: &mut DbConnection, user: UserId, email: &str) -> AppResult<()> {
    if address_unavailable(conn, email, Some(user))? {
        return Err(conflict(ErrorCode::EmailUnavailable, "email"));
    }
    diesel::update(users::table.find(user))
        .set((
            users::email.eq(email),
            users::email_normalized.eq(normalize_email(email)),
            users::email_verified_at.eq(now()),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The old address's "this wasn't me" link: puts the old address back, logs out everywhere
/// (sessions, API tokens, pending links), makes the password unusable (whoever changed the
/// address knew it) and mails a password reset link to the old address, the only way back in.
pub fn undo_email_change(
    conn: &mut DbConnection,
    ctx: &AppContext,
    token: &str,
) -> AppResult<User> {
    crate::db::write_transaction(conn, |conn| {
        let (user, old_email) = take_token(conn, token, Purpose::UndoEmailChange)?;
        let old_email = old_email.ok_or_else(invalid_token)?;
        // After several changes (a → b → c) the oldest address is the owner's: while its undo
        // link works, a later one (sent to an address the taker chose) does not, and using it
        // voids the later ones.
        let issued: chrono::NaiveDateTime = account_tokens::table
            .filter(account_tokens::token_hash.eq(token_hash(token)))
            .select(account_tokens::created_at)
            .first(conn)?;
        let live_undo = account_tokens::table
            .filter(account_tokens::user_id.eq(user.id))
            .filter(account_tokens::purpose.eq(Purpose::UndoEmailChange))
            .filter(account_tokens::used_at.is_null())
            .filter(account_tokens::expires_at.gt(now()));
        let older: i64 = live_undo
            .filter(account_tokens::created_at.lt(issued))
            .count()
            .get_result(conn)?;
        if older > 0 {
            return Err(invalid_token());
        }
        diesel::update(live_undo.filter(account_tokens::created_at.ge(issued)))
            .set(account_tokens::used_at.eq(now()))
            .execute(conn)?;
        switch_address(conn, user.id, &old_email)?;
        log_out_everywhere(conn, user.id)?;
        // Not a PHC string: no password verifies against it.
        diesel::update(users::table.find(user.id))
            .set(users::password_hash.eq("!locked-after-undo"))
            .execute(conn)?;
        mail::send_password_reset(conn, ctx, &old_email)?;
        user_by_id(conn, user.id)
    })
}

/// Sends the confirmation link again, unless the address is already confirmed.
pub fn resend_verification(
    conn: &mut DbConnection,
    ctx: &AppContext,
    user: UserId,
) -> AppResult<()> {
    crate::db::write_transaction(conn, |conn| {
        let account = user_by_id(conn, user)?;
        if account.email_verified_at.is_none() {
            mail::send_verification(conn, ctx, &account)?;
        }
        Ok(())
    })
}

/// Sends a reset link if an account uses the address; the caller answers the same either way.
pub fn request_password_reset(
    conn: &mut DbConnection,
    ctx: &AppContext,
    email: &str,
) -> AppResult<()> {
    crate::db::write_transaction(conn, |conn| mail::send_password_reset(conn, ctx, email))
}

/// Checks the new address, then sends the confirmation link to it. The password was checked
/// by the caller (outside the pool): the proof says so, or there is no request.
pub fn request_email_change(
    conn: &mut DbConnection,
    ctx: &AppContext,
    proof: PasswordProof,
    new_email: &str,
) -> AppResult<()> {
    let new_email = check_email_change(conn, proof, new_email)?;
    crate::db::write_transaction(conn, |conn| {
        let account = user_by_id(conn, proof.user())?;
        mail::send_email_change(conn, ctx, &account, &new_email)
    })
}
