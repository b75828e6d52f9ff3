//! E-mail through a durable outbox. `enqueue` renders a message (subject, text and HTML from
//! `web/templates/email/<name>.{subject,txt,html}` in the member's language) into a `mails` row
//! and queues a `send_mail` job in the caller's transaction. The worker sends it over SMTP (or
//! into `.eml` files on a first run) and records `sent_at`.
//!
//! Guarantee: every queued message is delivered at least once; it is sent twice only if the
//! process dies after the SMTP server accepted it and before `sent_at` was written, and both
//! copies then carry the same `Message-ID`, so mail clients show one. A message already marked
//! sent is never sent again, whatever happens to its job.

use std::time::Duration;

use diesel::prelude::*;
use lettre::message::{header, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{FileTransport, Message, SmtpTransport, Transport};
use minijinja::Value;
use serde::{Deserialize, Serialize};

use crate::accounts::service::now;
use crate::db::schema::mails;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::http::state::AppState;

pub const JOB_SEND_MAIL: &str = "send_mail";

/// How to reach the SMTP server, parsed from `smtp_url`.
#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub credentials: Option<(String, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    /// Plain connection upgraded with STARTTLS (required).
    StartTls,
    /// TLS from the first byte (`smtps://`, usually port 465).
    Required,
    /// No encryption: only for a server on the same machine or network.
    None,
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(value) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl SmtpSettings {
    /// Parses `smtp://[user:password@]host[:port][?tls=starttls|required|none]` (or `smtps://`).
    pub fn parse(url: &str) -> Result<SmtpSettings, String> {
        let bad = |why: &str| {
            format!("smtp_url: {why} (expected smtp://user:password@host:587?tls=starttls)")
        };
        let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("missing scheme"))?;
        let mut tls = match scheme {
            "smtp" => Tls::StartTls,
            "smtps" => Tls::Required,
            _ => return Err(bad(&format!("unsupported scheme {scheme:?}"))),
        };
        let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = authority.trim_end_matches('/');
        let (credentials, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host)) => {
                let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                (Some((percent_decode(user), percent_decode(password))), host)
            }
            None => (None, authority),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) => (host, port.parse::<u16>().map_err(|_| bad("bad port"))?),
            None => (host_port, if tls == Tls::Required { 465 } else { 587 }),
        };
        if host.is_empty() {
            return Err(bad("missing host"));
        }
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("tls", "starttls")) => tls = Tls::StartTls,
                Some(("tls", "required")) => tls = Tls::Required,
                Some(("tls", "none")) => tls = Tls::None,
                _ => return Err(bad(&format!("unknown option {pair:?}"))),
            }
        }
        Ok(SmtpSettings {
            host: host.to_string(),
            port,
            tls,
            credentials,
        })
    }

    fn transport(&self) -> Result<SmtpTransport, String> {
        let builder = match self.tls {
            Tls::StartTls => {
                SmtpTransport::starttls_relay(&self.host).map_err(|e| e.to_string())?
            }
            Tls::Required => SmtpTransport::relay(&self.host).map_err(|e| e.to_string())?,
            Tls::None => SmtpTransport::builder_dangerous(&self.host),
        };
        let mut builder = builder
            .port(self.port)
            .timeout(Some(Duration::from_secs(15)));
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.build())
    }
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = mails)]
pub struct Mail {
    pub id: i64,
    pub message_id: String,
    pub user_id: Option<i64>,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub list_unsubscribe: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub sent_at: Option<chrono::NaiveDateTime>,
}

#[derive(Serialize, Deserialize)]
struct SendPayload {
    mail_id: i64,
}

/// Where a message goes and how it reads.
pub struct Outgoing<'a> {
    pub user_id: Option<i64>,
    pub to: &'a str,
    pub locale: &'a str,
    /// Template name under `email/`: `<name>.subject`, `<name>.txt`, `<name>.html`.
    pub template: &'a str,
    pub context: Value,
    /// The one-click unsubscribe URL, if this is a notification.
    pub unsubscribe: Option<String>,
}

fn render(state: &AppState, name: &str, context: &Value) -> AppResult<String> {
    state
        .templates
        .render(name, context)
        .map_err(|e| AppError::internal(format!("e-mail template {name}: {e:#}")))
}

/// Renders the message and queues it; call inside the transaction of what causes it.
pub fn enqueue(
    conn: &mut DbConnection,
    state: &AppState,
    outgoing: Outgoing<'_>,
) -> AppResult<i64> {
    let context = minijinja::context! {
        locale => outgoing.locale,
        brand_name => &state.config.brand_name,
        base_url => state.config.base_url(),
        unsubscribe_url => &outgoing.unsubscribe,
        ..outgoing.context
    };
    let subject = render(
        state,
        &format!("email/{}.subject", outgoing.template),
        &context,
    )?
    .trim()
    .replace(['\r', '\n'], " ");
    let text_body = render(state, &format!("email/{}.txt", outgoing.template), &context)?;
    let html_body = render(
        state,
        &format!("email/{}.html", outgoing.template),
        &context,
    )?;
    let domain = state
        .config
        .mail_from
        .rsplit('@')
        .next()
        .unwrap_or("localhost")
        .trim_end_matches('>')
        .to_string();
    let message_id = format!("<{}@{}>", crate::accounts::service::new_token("m"), domain);
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
        state.config.mail_max_attempts,
    )?;
    Ok(mail_id)
}

fn build(state: &AppState, mail: &Mail) -> Result<Message, String> {
    let from: Mailbox = state
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
pub fn run_send(state: &AppState, conn: &mut DbConnection, payload: &str) -> Result<(), String> {
    let payload: SendPayload = serde_json::from_str(payload).map_err(|e| e.to_string())?;
    let mail: Mail = mails::table
        .find(payload.mail_id)
        .select(Mail::as_select())
        .first(conn)
        .map_err(|e| e.to_string())?;
    if mail.sent_at.is_some() {
        return Ok(());
    }
    deliver(state, &mail)?;
    diesel::update(mails::table.find(mail.id))
        .set(mails::sent_at.eq(now()))
        .execute(conn)
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Hands one message to the configured transport (no bookkeeping: see `run_send`).
pub fn deliver(state: &AppState, mail: &Mail) -> Result<(), String> {
    let message = build(state, mail)?;
    match &state.config.smtp_url {
        Some(url) => {
            let settings = SmtpSettings::parse(url.expose())?;
            settings
                .transport()?
                .send(&message)
                .map(|_| ())
                .map_err(|e| format!("SMTP: {e}"))
        }
        None => {
            let folder = state.config.data_dir.join("mail");
            std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
            FileTransport::new(&folder)
                .send(&message)
                .map(|_| ())
                .map_err(|e| format!("mail folder {}: {e}", folder.display()))
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_parse() {
        let s = SmtpSettings::parse("smtp://ana%40x.com:p%3Ass@mail.example.com:2525?tls=none")
            .unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.tls),
            ("mail.example.com", 2525, Tls::None)
        );
        assert_eq!(s.credentials, Some(("ana@x.com".into(), "p:ss".into())));
        let s = SmtpSettings::parse("smtps://mail.example.com").unwrap();
        assert_eq!((s.port, s.tls), (465, Tls::Required));
        assert_eq!(SmtpSettings::parse("smtp://h").unwrap().port, 587);
        assert!(SmtpSettings::parse("http://h").is_err());
        assert!(SmtpSettings::parse("smtp://h?tls=maybe").is_err());
        assert!(SmtpSettings::parse("smtp://:25").is_err());
    }
}
