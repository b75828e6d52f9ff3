//! E-mail through a durable outbox. `enqueue` renders a message (subject, text and HTML from
//! `web/templates/email/<name>.{subject,txt,html}` in the member's language) into a `mails` row
//! and queues a `send_mail` job in the caller's transaction. The worker sends it over SMTP (or
//! into `.eml` files on a first run) and records `sent_at`.
//!
//! Guarantee: every queued message is delivered at least once; it is sent twice only if the
//! process dies after the SMTP server accepted it and before `sent_at` was written, and both
//! copies then carry the same `Message-ID`, so mail clients show one. A message already marked
//! sent is never sent again, whatever happens to its job.

use diesel::prelude::*;
use lettre::message::{header, Mailbox, MultiPart};
use lettre::Message;
use minijinja::Value;
use serde::{Deserialize, Serialize};

use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::mails;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::newtypes::typed_id;
use crate::util::now;

pub const JOB_SEND_MAIL: &str = "send_mail";

typed_id!(
    /// A row of `mails` (the outbox of e-mail).
    MailId
);

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = mails)]
pub struct Mail {
    pub id: MailId,
    pub message_id: String,
    pub user_id: Option<UserId>,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub list_unsubscribe: Option<String>,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: chrono::NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub sent_at: Option<chrono::NaiveDateTime>,
}

#[derive(Serialize, Deserialize)]
struct SendPayload {
    mail_id: i64,
}

/// Where a message goes and how it reads.
pub struct Outgoing<'a> {
    pub user_id: Option<crate::accounts::model::UserId>,
    pub to: &'a str,
    pub locale: &'a str,
    /// Template name under `email/`: `<name>.subject`, `<name>.txt`, `<name>.html`.
    pub template: &'a str,
    pub context: Value,
    /// The one-click unsubscribe URL, if this is a notification.
    pub unsubscribe: Option<String>,
}

fn render(ctx: &AppContext, name: &str, context: &Value) -> AppResult<String> {
    ctx.templates
        .render(name, context)
        .map_err(|e| AppError::internal(format!("e-mail template {name}: {e:#}")))
}

/// Renders the message and queues it; call inside the transaction of what causes it.
pub fn enqueue(
    conn: &mut DbConnection,
    ctx: &AppContext,
    outgoing: Outgoing<'_>,
) -> AppResult<i64> {
    let context = minijinja::context! {
        locale => outgoing.locale,
        brand_name => &ctx.config.brand_name,
        base_url => ctx.config.base_url(),
        unsubscribe_url => &outgoing.unsubscribe,
        ..outgoing.context
    };
    let subject = render(
        ctx,
        &format!("email/{}.subject", outgoing.template),
        &context,
    )?
    .trim()
    .replace(['\r', '\n'], " ");
    let text_body = render(ctx, &format!("email/{}.txt", outgoing.template), &context)?;
    let html_body = render(ctx, &format!("email/{}.html", outgoing.template), &context)?;
    let domain = ctx
        .config
        .mail_from
        .rsplit('@')
        .next()
        .unwrap_or("localhost")
        .trim_end_matches('>')
        .to_string();
    let message_id = format!("<{}@{}>", crate::util::new_token("m"), domain);
    let mail_id: i64 = diesel::insert_into(mails::table)
        .values((
            mails::message_id.eq(&message_id),
            mails::user_id.eq(outgoing.user_id),
            mails::to_address.eq(outgoing.to),
            mails::subject.eq(&subject),
            mails::text_body.eq(&text_body),
            mails::html_body.eq(&html_body),
            mails::list_unsubscribe.eq(&outgoing.unsubscribe),
            mails::created_at.eq(now()),
        ))
        .returning(mails::id)
        .get_result(conn)?;
    crate::jobs::enqueue(
        conn,
        JOB_SEND_MAIL,
        &SendPayload { mail_id },
        None,
        ctx.config.mail_max_attempts,
    )?;
    Ok(mail_id)
}

fn build(ctx: &AppContext, mail: &Mail) -> Result<Message, String> {
    let from: Mailbox = ctx
        .config
        .mail_from
        .parse()
        .map_err(|e| format!("mail_from: {e}"))?;
    let to: Mailbox = mail
        .to_address
        .parse()
        .map_err(|e| format!("recipient {:?}: {e}", mail.to_address))?;
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()));
    if let Some(url) = &mail.list_unsubscribe {
        builder = builder
            .header(ListUnsubscribe(format!("<{url}>")))
            .header(ListUnsubscribePost("List-Unsubscribe=One-Click".into()));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            mail.text_body.clone(),
            mail.html_body.clone(),
        ))
        .map_err(|e| e.to_string())
}

/// Sends one mail by id unless it was already sent; then records it.
pub fn run_send(ctx: &AppContext, conn: &mut DbConnection, payload: &str) -> Result<(), String> {
    let payload: SendPayload = serde_json::from_str(payload).map_err(|e| e.to_string())?;
    let mail: Mail = mails::table
        .find(payload.mail_id)
        .select(Mail::as_select())
        .first(conn)
        .map_err(|e| e.to_string())?;
    if mail.sent_at.is_some() {
        return Ok(());
    }
    deliver(ctx, &mail)?;
    diesel::update(mails::table.find(mail.id))
        .set(mails::sent_at.eq(now()))
        .execute(conn)
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Hands one message to the configured transport (no bookkeeping: see `run_send`).
pub fn deliver(ctx: &AppContext, mail: &Mail) -> Result<(), String> {
    ctx.mailer.send(&build(ctx, mail)?)
}

/// Queue figures for the admin page.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OutboxStats {
    pub queued: i64,
    pub sent: i64,
}

pub fn outbox_stats(conn: &mut DbConnection) -> AppResult<OutboxStats> {
    Ok(OutboxStats {
        queued: mails::table
            .filter(mails::sent_at.is_null())
            .count()
            .get_result(conn)?,
        sent: mails::table
            .filter(mails::sent_at.is_not_null())
            .count()
            .get_result(conn)?,
    })
}

#[derive(Clone)]
struct ListUnsubscribe(String);

impl header::Header for ListUnsubscribe {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(text.to_string()))
    }
    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[derive(Clone)]
struct ListUnsubscribePost(String);

impl header::Header for ListUnsubscribePost {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost(text.to_string()))
    }
    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), self.0.clone())
    }
}
