//! The mail transport: SMTP when `smtp_url` is set, else `.eml` files in `<data_dir>/mail`.
//! Built once from the configuration; the outbox (`notify::mail`) decides what to send.

use std::path::PathBuf;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::{FileTransport, Message, SmtpTransport, Transport};

use crate::config::{Config, SmtpSettings, Tls};

pub enum Mailer {
    Smtp(SmtpSettings),
    Files(PathBuf),
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, String> {
        Ok(match &config.smtp_url {
            Some(url) => Mailer::Smtp(SmtpSettings::parse(url.expose())?),
            None => Mailer::Files(config.data_dir.join("mail")),
        })
    }

    /// Hands one message to the transport. A new SMTP connection per message: an SMTP server
    /// that restarted never meets a stale pooled connection.
    pub fn send(&self, message: &Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(settings) => smtp_transport(settings)?
                .send(message)
                .map(|_| ())
                .map_err(|e| format!("SMTP: {e}")),
            Mailer::Files(folder) => {
                std::fs::create_dir_all(folder)
                    .map_err(|e| format!("{}: {e}", folder.display()))?;
                FileTransport::new(folder)
                    .send(message)
                    .map(|_| ())
                    .map_err(|e| format!("mail folder {}: {e}", folder.display()))
            }
        }
    }
}

fn smtp_transport(settings: &SmtpSettings) -> Result<SmtpTransport, String> {
    let builder = match settings.tls {
        Tls::StartTls => {
            SmtpTransport::starttls_relay(&settings.host).map_err(|e| e.to_string())?
        }
        Tls::Required => SmtpTransport::relay(&settings.host).map_err(|e| e.to_string())?,
        Tls::None => SmtpTransport::builder_dangerous(&settings.host),
    };
    let mut builder = builder
        .port(settings.port)
        .timeout(Some(Duration::from_secs(15)));
    if let Some((user, password)) = &settings.credentials {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}
