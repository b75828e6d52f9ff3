//! The account e-mails (verification, password reset, address change), queued through the
//! mail outbox in the caller's transaction.

use minijinja::context;

use super::model::User;
use super::service::email_tokens::{issue_token, Purpose};
use super::service::user_by_email;
use crate::context::AppContext;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::notify::mail::{enqueue, Outgoing};

fn send(
    conn: &mut DbConnection,
    ctx: &AppContext,
    user: &User,
    to: &str,
    template: &str,
    url: String,
) -> AppResult<()> {
    enqueue(
        conn,
        ctx,
        Outgoing {
            user_id: Some(user.id),
            to,
            locale: user.locale.as_deref().unwrap_or("en"),
            template,
            context: context! { name => &user.display_name, url => url },
            unsubscribe: None,
        },
    )?;
    Ok(())
}

/// Sends (again) the link that confirms the account's address.
pub fn send_verification(conn: &mut DbConnection, ctx: &AppContext, user: &User) -> AppResult<()> {
    let token = issue_token(conn, user.id, Purpose::Verify, None)?;
    let url = format!("{}/verify/{token}", ctx.config.base_url());
    send(conn, ctx, user, &user.email, "verify", url)
}

/// Sends a reset link if an account uses the address; otherwise nothing (and the caller
/// answers the same either way).
pub fn send_password_reset(
    conn: &mut DbConnection,
    ctx: &AppContext,
    email: &str,
) -> AppResult<()> {
    let Some(user) = user_by_email(conn, email)? else {
        return Ok(());
    };
    let token = issue_token(conn, user.id, Purpose::Reset, None)?;
    let url = format!("{}/password/reset/{token}", ctx.config.base_url());
    send(conn, ctx, &user, &user.email, "reset", url)
}

/// Sends the confirmation link to the new address.
pub fn send_email_change(
    conn: &mut DbConnection,
    ctx: &AppContext,
    user: &User,
    new_email: &str,
) -> AppResult<()> {
    let token = issue_token(conn, user.id, Purpose::ChangeEmail, Some(new_email))?;
    let url = format!("{}/email/confirm/{token}", ctx.config.base_url());
    send(conn, ctx, user, new_email, "change_email", url)
}

/// Tells the old address that the account's address changed, with a link that undoes it (and
/// locks out whoever made the change) for 7 days.
pub fn send_email_changed(
    conn: &mut DbConnection,
    ctx: &AppContext,
    user: &User,
    old_email: &str,
) -> AppResult<()> {
    // The normalized address: it also reserves the address while the link works.
    let reserved = super::service::normalize_email(old_email);
    let token = issue_token(conn, user.id, Purpose::UndoEmailChange, Some(&reserved))?;
    let url = format!("{}/email/undo/{token}", ctx.config.base_url());
    enqueue(
        conn,
        ctx,
        Outgoing {
            user_id: Some(user.id),
            to: old_email,
            locale: user.locale.as_deref().unwrap_or("en"),
            template: "email_changed",
            context: context! { name => &user.display_name, url => url, new_email => &user.email },
            unsubscribe: None,
        },
    )?;
    Ok(())
}
