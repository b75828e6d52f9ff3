//! The one `Config` of a Tertulia instance: defaults, then `tertulia.toml`, then `TERTULIA_*`
//! environment variables. Unknown keys are an error that names the key, so a typo never silently
//! falls back to a default. Secrets never appear in `Debug` output or logs.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

mod smtp;
pub use smtp::{SmtpSettings, Tls};

/// A value that must never be printed: `Debug` and `Display` show `[redacted]`.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Which database a URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    /// Picks the backend from the URL scheme; the message names the bad scheme.
    pub fn from_url(url: &str) -> Result<BackendKind, String> {
        if url.starts_with("sqlite://") {
            Ok(BackendKind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(BackendKind::Postgres)
        } else {
            let scheme = url.split("://").next().unwrap_or(url);
            Err(format!(
                "database_url: unsupported scheme {scheme:?}; use sqlite://path/to/file.db or postgres://user:password@host/database"
            ))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Sqlite => "sqlite",
            BackendKind::Postgres => "postgres",
        }
    }
}

/// A database URL whose password part is hidden when printed.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(value: impl Into<String>) -> Self {
        DatabaseUrl(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    /// The URL with any `user:password@` password replaced, safe for logs.
    pub fn redacted(&self) -> String {
        let url = &self.0;
        let Some(scheme_end) = url.find("://") else {
            return url.clone();
        };
        let rest = &url[scheme_end + 3..];
        let authority_end = rest.find('/').unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        match (authority.rfind('@'), authority.find(':')) {
            (Some(at), Some(colon)) if colon < at => format!(
                "{}{}:[redacted]{}",
                &url[..scheme_end + 3],
                &authority[..colon],
                &rest[at..]
            ),
            _ => url.clone(),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.redacted())
    }
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines (the default).
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Every setting of a Tertulia instance. Each field documents its default; the environment
/// variable is `TERTULIA_` followed by the field name in capitals.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the database lives: `sqlite://path/to/file.db` (the default,
    /// `sqlite://<data_dir>/tertulia.db`) or `postgres://user:password@host/db`.
    /// Any other scheme is refused.
    pub database_url: Option<DatabaseUrl>,
    /// Connections kept in the pool. Default: 8 on SQLite (writes serialise anyway), 16 on
    /// PostgreSQL. Blocking database work runs on a thread pool at least this large.
    pub database_pool_size: Option<u32>,
    /// Address and port the HTTP server binds. Default `127.0.0.1:8080`.
    pub listen: String,
    /// Folder for the SQLite database, the generated secret key and, later, uploads and mail
    /// files. Created if missing. Default `./data`.
    pub data_dir: PathBuf,
    /// Public URL of the forum, used in links and e-mails. Default `http://<listen>`.
    /// An `https://` URL makes cookies `Secure`.
    pub base_url: Option<String>,
    /// The brand's name, shown in the header and page titles. Default `Tertulia`.
    pub brand_name: String,
    /// URL of the brand's logo shown in the header. Default: none (the name is shown).
    pub brand_logo_url: Option<String>,
    /// Theme folder under `themes/`. Default `default`.
    pub theme: String,
    /// Folder holding the `themes/` directories. Default `./themes`.
    pub themes_dir: PathBuf,
    /// Key for signing values. Default: generated once and kept in `<data_dir>/secret_key`.
    pub secret_key: Option<Secret>,
    /// Argon2id memory cost in KiB. Default 19456 (OWASP's recommendation).
    pub argon2_memory_kib: u32,
    /// Argon2id iterations. Default 2.
    pub argon2_iterations: u32,
    /// Argon2id parallelism. Default 1.
    pub argon2_parallelism: u32,
    /// How long a login session lasts without use, in days. Default 30.
    pub session_days: i64,
    /// Failed logins allowed per client address in `login_window_seconds`. Default 20.
    pub login_limit_per_ip: u32,
    /// Failed logins allowed per account name in `login_window_seconds`. Default 5.
    pub login_limit_per_account: u32,
    /// The window of the two login limits, in seconds. Default 900.
    pub login_window_seconds: u64,
    /// Registrations allowed per client address per hour. Default 10.
    pub registrations_per_ip_per_hour: u32,
    /// Enforces the posting limits per trust level that the community manager sets at
    /// `/admin/moderation` (off: nobody is limited, for tests and imports). Default true.
    pub posting_limits: bool,
    /// Members a post's @mentions notify at most (the first ones, in the order written; the
    /// rest are still linked). Default 10.
    pub mentions_notified_per_post: usize,
    /// Read templates from this folder on every request instead of the embedded copies
    /// (for template work). Default: none.
    pub dev_templates_dir: Option<PathBuf>,
    /// A template that prints, loops over, tests or looks into an undefined variable fails the
    /// page instead of rendering it blank. The test suite turns it on so a misspelt or missing
    /// variable fails a test; production keeps the lenient default. Default false.
    pub strict_templates: bool,
    /// `pretty` or `json`. Default `pretty`.
    pub log_format: LogFormat,
    /// Log filter in `tracing` syntax. Default `info`.
    pub log_filter: String,
    /// Hosts whose images posts may show inline (comma-separated in the environment); images
    /// from elsewhere become links. Default: none.
    pub allowed_image_hosts: Vec<String>,
    /// `tertulia serve` seeds the demo community when the database has no categories.
    /// Default false.
    pub demo: bool,
    /// Outgoing mail server, e.g. `smtp://user:password@host:587?tls=starttls`
    /// (`tls=starttls` (default), `tls=required` for implicit TLS as with `smtps://`, or
    /// `tls=none` for a server on loopback). Default: none, and mail is written as `.eml` files
    /// under `<data_dir>/mail`.
    pub smtp_url: Option<Secret>,
    /// The sender of every e-mail. Default `Tertulia <noreply@localhost>`.
    pub mail_from: String,
    /// Members must confirm their e-mail address before they post. Default true.
    pub require_verified_email: bool,
    /// Run the background job worker (mail, notifications, digests) in this process.
    /// Turn it off on instances that should only answer HTTP. Default true.
    pub jobs_worker: bool,
    /// How often an idle job worker looks for due jobs, in milliseconds. Default 250.
    pub worker_poll_ms: u64,
    /// The first retry of a failed job waits this long; each next one twice as long (at most
    /// an hour). Default 5 seconds.
    /// How long a claimed job stays reserved for its worker, in seconds; a running job renews
    /// it (on PostgreSQL) every third of that. Default 120.
    pub job_lease_seconds: i64,
    pub retry_base_seconds: i64,
    /// Attempts before an e-mail is marked failed. Default 10 (about two hours of retries).
    pub mail_max_attempts: i32,
    /// Hour of the day (UTC) when daily and weekly digests go out. Default 7.
    pub digest_hour_utc: u32,
    /// Bench mode: serves `/bench/plaintext`, `/bench/fortunes` and `/bench/stats` and counts
    /// SQL statements. Only for `tertulia bench run`. Default false.
    pub bench: bool,
    /// Meilisearch's address (`http://127.0.0.1:7700`): searching uses it when set, and falls
    /// back to the database's own index while it cannot be reached. Unset: the database engine.
    pub search_url: Option<String>,
    /// Meilisearch's API key (its master key or a key allowed to manage the index).
    pub search_key: Option<Secret>,
    /// The Meilisearch index holding the posts. Default `tertulia_posts`; instances sharing a
    /// Meilisearch need one each.
    pub search_index: String,
    /// A TOML file of synonyms for Meilisearch (`cafetera = ["maquina de cafe", "espresso
    /// machine"]`); without it, the built-in list. Read at start.
    pub search_synonyms: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: None,
            database_pool_size: None,
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            base_url: None,
            brand_name: "Tertulia".into(),
            brand_logo_url: None,
            theme: "default".into(),
            themes_dir: PathBuf::from("themes"),
            secret_key: None,
            argon2_memory_kib: 19456,
            argon2_iterations: 2,
            argon2_parallelism: 1,
            session_days: 30,
            login_limit_per_ip: 20,
            login_limit_per_account: 5,
            login_window_seconds: 900,
            registrations_per_ip_per_hour: 10,
            posting_limits: true,
            mentions_notified_per_post: 10,
            dev_templates_dir: None,
            strict_templates: false,
            log_format: LogFormat::Pretty,
            log_filter: "info".into(),
            allowed_image_hosts: vec![],
            demo: false,
            smtp_url: None,
            mail_from: "Tertulia <noreply@localhost>".into(),
            require_verified_email: true,
            jobs_worker: true,
            worker_poll_ms: 250,
            retry_base_seconds: 5,
            job_lease_seconds: 120,
            mail_max_attempts: 10,
            digest_hour_utc: 7,
            bench: false,
            search_url: None,
            search_key: None,
            search_index: "tertulia_posts".into(),
            search_synonyms: None,
        }
    }
}

/// Environment variables with the `TERTULIA_` prefix that are not settings.
const NOT_SETTINGS: &[&str] = &["TERTULIA_CONFIG"];

/// Why a configuration could not be loaded.
#[derive(Debug)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Loads defaults, then the file (when given, or `tertulia.toml` when it exists), then the
    /// `TERTULIA_*` variables of `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut table = toml::Table::new();
        let file = match file {
            Some(path) => Some(path.to_path_buf()),
            None => Some(PathBuf::from("tertulia.toml")).filter(|p| p.exists()),
        };
        if let Some(path) = file {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                ConfigError(format!("cannot read config file {}: {e}", path.display()))
            })?;
            table = text
                .parse::<toml::Table>()
                .map_err(|e| ConfigError(format!("config file {}: {e}", path.display())))?;
        }
        let env: BTreeMap<String, String> = env.into_iter().collect();
        for (name, value) in env {
            let Some(key) = name.strip_prefix("TERTULIA_") else {
                continue;
            };
            if NOT_SETTINGS.contains(&name.as_str()) {
                continue;
            }
            let key = key.to_ascii_lowercase();
            table.insert(key.clone(), env_value(&key, value));
        }
        let config: Config = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
            ConfigError(format!(
                "invalid configuration: {} (settings come from tertulia.toml and TERTULIA_* variables)",
                e.message()
            ))
        })?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(ConfigError(format!(
                "listen: {:?} is not an address:port such as 127.0.0.1:8080",
                self.listen
            )));
        }
        if let Some(url) = &self.database_url {
            BackendKind::from_url(url.expose()).map_err(ConfigError)?;
        }
        if let Some(base) = &self.base_url {
            if !(base.starts_with("http://") || base.starts_with("https://")) {
                return Err(ConfigError(format!(
                    "base_url: {base:?} must start with http:// or https://"
                )));
            }
        }
        if let Some(smtp) = &self.smtp_url {
            SmtpSettings::parse(smtp.expose()).map_err(ConfigError)?;
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError(format!(
                "mail_from: {:?} is not an address such as \"Brand <noreply@example.com>\"",
                self.mail_from
            )));
        }
        if let Some(url) = &self.search_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConfigError(format!(
                    "search_url: {url:?} must start with http:// or https://"
                )));
            }
        }
        if self.search_index.is_empty()
            || !self
                .search_index
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(ConfigError(
                "search_index: use letters, digits, '-' and '_' only".into(),
            ));
        }
        if self.digest_hour_utc > 23 {
            return Err(ConfigError(
                "digest_hour_utc: use an hour from 0 to 23".into(),
            ));
        }
        if self.argon2_memory_kib < 8 || self.argon2_iterations < 1 || self.argon2_parallelism < 1 {
            return Err(ConfigError(
                "argon2 settings: memory must be at least 8 KiB, iterations and parallelism at least 1"
                    .into(),
            ));
        }
        Ok(())
    }

    /// The database URL in force: the configured one or the SQLite file in the data folder.
    pub fn database_url(&self) -> DatabaseUrl {
        self.database_url.clone().unwrap_or_else(|| {
            DatabaseUrl::new(format!(
                "sqlite://{}",
                self.data_dir.join("tertulia.db").display()
            ))
        })
    }

    /// The public URL without a trailing slash.
    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_string()
    }

    pub fn secure_cookies(&self) -> bool {
        self.base_url().starts_with("https://")
    }
}

/// Environment values are strings; numbers and booleans are typed where the text says so, so
/// `TERTULIA_SESSION_DAYS=7` reaches a numeric field as a number.
fn env_value(key: &str, value: String) -> toml::Value {
    const TEXT_KEYS: &[&str] = &[
        "listen",
        "brand_name",
        "secret_key",
        "theme",
        "log_filter",
        "smtp_url",
        "mail_from",
        "search_url",
        "search_key",
        "search_index",
        "search_synonyms",
    ];
    const LIST_KEYS: &[&str] = &["allowed_image_hosts"];
    if LIST_KEYS.contains(&key) {
        return toml::Value::Array(
            value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| toml::Value::String(v.to_string()))
                .collect(),
        );
    }
    if TEXT_KEYS.contains(&key) {
        return toml::Value::String(value);
    }
    if let Ok(number) = value.parse::<i64>() {
        return toml::Value::Integer(number);
    }
    match value.as_str() {
        "true" => toml::Value::Boolean(true),
        "false" => toml::Value::Boolean(false),
        _ => toml::Value::String(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn unknown_environment_key_is_named() {
        let err = Config::load(None, env(&[("TERTULIA_LISTN", "1")])).unwrap_err();
        assert!(err.0.contains("listn"), "{}", err.0);
    }

    #[test]
    fn environment_overrides_defaults() {
        let config = Config::load(
            None,
            env(&[
                ("TERTULIA_SESSION_DAYS", "7"),
                ("TERTULIA_LISTEN", "0.0.0.0:9000"),
            ]),
        )
        .unwrap();
        assert_eq!(config.session_days, 7);
        assert_eq!(config.listen, "0.0.0.0:9000");
        assert_eq!(config.base_url(), "http://0.0.0.0:9000");
    }

    #[test]
    fn file_then_environment() {
        let dir = std::env::temp_dir().join(format!("tertulia-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tertulia.toml");
        std::fs::write(&path, "brand_name = \"Cafetera\"\nsession_days = 3\n").unwrap();
        let config = Config::load(Some(&path), env(&[("TERTULIA_SESSION_DAYS", "9")])).unwrap();
        assert_eq!(config.brand_name, "Cafetera");
        assert_eq!(config.session_days, 9);
        std::fs::write(&path, "brand = \"x\"\n").unwrap();
        let err = Config::load(Some(&path), env(&[])).unwrap_err();
        assert!(err.0.contains("brand"), "{}", err.0);
    }

    #[test]
    fn secrets_are_redacted() {
        let config = Config::load(
            None,
            env(&[
                (
                    "TERTULIA_DATABASE_URL",
                    "postgres://app:hunter2@db:5432/tertulia",
                ),
                ("TERTULIA_SECRET_KEY", "very-secret-value"),
            ]),
        )
        .unwrap();
        let printed = format!("{config:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("very-secret-value"), "{printed}");
        assert!(printed.contains("postgres://app:[redacted]@db:5432/tertulia"));
    }

    #[test]
    fn bad_database_scheme_is_refused() {
        let err =
            Config::load(None, env(&[("TERTULIA_DATABASE_URL", "sqlte://x.db")])).unwrap_err();
        assert!(err.0.contains("sqlte"), "{}", err.0);
    }
}
