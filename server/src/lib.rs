//! Tertulia's server library: builds the application state and the actix-web App. Everything
//! else lives in the domain modules (see docs/ARCHITECTURE.md).

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod bench;
pub mod calendar;
pub mod config;
pub mod context;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod events;
pub mod forum;
pub mod http;
pub mod jobs;
pub mod live;
pub mod mailer;
pub mod moderation;
pub mod newtypes;
pub mod notify;
pub mod ombudsman;
pub mod policy;
pub mod reputation;
pub mod screening;
pub mod search;
pub mod util;
pub mod view;

/// Every domain, listed once: the router, the OpenAPI document and the jobs worker read it.
pub static DOMAINS: &[&domain::Domain] = &[
    &accounts::DOMAIN,
    &admin::DOMAIN,
    &audit::DOMAIN,
    &calendar::DOMAIN,
    &forum::DOMAIN,
    &moderation::DOMAIN,
    &notify::DOMAIN,
    &ombudsman::DOMAIN,
    &reputation::DOMAIN,
    &search::DOMAIN,
];

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::ServerHandle;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};
use actix_web::{web, App, HttpServer};

use accounts::service::PasswordHasher;
use config::{Config, LogFormat, Secret};
use context::AppContext;
use http::state::AppState;
use view::i18n::I18n;
use view::templates::Templates;

/// Content Security Policy: no inline script, nothing from other origins but images, and only
/// this site may frame the pages.
const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; \
                   object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

/// Sets up logging to standard error as configured (call once, from the binary).
pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log_filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// Logging for tests: through the test harness's capture, so a failing test shows the server's
/// complaints next to its own.
pub fn init_test_logging(filter: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_test_writer()
        .try_init();
}

/// Reads the instance's signing key from the config, else from `<data_dir>/secret_key`, creating
/// it (readable by its owner only) when, and only when, the file does not exist. A key file that
/// cannot be read or is empty stops the start: a new key would log everyone out and break every
/// link already mailed.
fn secret_key(config: &Config) -> Result<Secret, String> {
    if let Some(key) = &config.secret_key {
        return Ok(key.clone());
    }
    let path = config.data_dir.join("secret_key");
    match std::fs::read_to_string(&path) {
        Ok(text) if !text.trim().is_empty() => Ok(Secret::new(text.trim())),
        Ok(_) => Err(format!(
            "the key file {} is empty; restore it, or delete it to make a new key \
             (this logs everyone out)",
            path.display()
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            use std::io::Write as _;
            #[cfg(unix)]
            use std::os::unix::fs::OpenOptionsExt as _;
            let key = crate::util::new_token("");
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            options.mode(0o600);
            let mut file = options
                .open(&path)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            file.write_all(key.as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            Ok(Secret::new(key))
        }
        Err(e) => Err(format!(
            "cannot read the key file {}: {e}; refusing to start with a new key",
            path.display()
        )),
    }
}

/// Applies pending migrations of the configured database; returns the versions applied.
pub fn migrate(config: &Config) -> Result<Vec<String>, String> {
    let url = config.database_url();
    let manager = db::Manager::new(&url)?;
    let mut conn = manager
        .connect_once()
        .map_err(|e| format!("cannot connect to the database {}: {e}", url.redacted()))?;
    db::run_migrations(&mut conn).map_err(|e| format!("migration failed: {e}"))
}

/// Prepares everything a server, the worker or a command needs: data folder, migrations, pool,
/// templates, translations, the mail transport.
pub fn build_context(config: Config) -> Result<AppContext, String> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        format!(
            "cannot create data folder {}: {e}",
            config.data_dir.display()
        )
    })?;
    let applied = migrate(&config)?;
    if !applied.is_empty() {
        tracing::info!(?applied, "database migrated");
    }
    let url = config.database_url();
    if config.bench {
        bench::count_queries();
    }
    let pool = db::pool(&url, config.database_pool_size)?;
    let backend = db::BackendKind::from_url(url.expose())?;
    let i18n = Arc::new(I18n::load()?);
    let theme = view::theme::load(&config.themes_dir, &config.theme);
    let templates = Templates::new(
        i18n,
        theme.template_dirs.clone(),
        config.dev_templates_dir.clone(),
        config.strict_templates,
    );
    let hasher = PasswordHasher::new(
        config.argon2_memory_kib,
        config.argon2_iterations,
        config.argon2_parallelism,
    )?;
    let secret_key = secret_key(&config)?;
    let mailer = mailer::Mailer::from_config(&config)?;
    let search = search::engine::Engines::new(&config)?;
    let ctx = AppContext {
        config,
        pool,
        backend,
        templates,
        hasher,
        theme,
        views: Default::default(),
        secret_key,
        mailer,
        search,
        live: Default::default(),
        catalog: Default::default(),
        clock: Default::default(),
    };
    reputation::badges::sync_builtins(&ctx).map_err(|e| format!("badges: {e:?}"))?;
    Ok(ctx)
}

/// The HTTP server over a bound listener; the caller awaits or spawns it.
pub fn server(
    state: web::Data<AppState>,
    listener: TcpListener,
) -> std::io::Result<actix_web::dev::Server> {
    let bench = state.config.bench;
    live::listen(&state);
    // Served over https (by `base_url`): browsers are told to keep to https for a year.
    let hsts = state.config.secure_cookies();
    let server = HttpServer::new(move || {
        let mut headers = DefaultHeaders::new()
            .add(("Content-Security-Policy", CSP))
            .add(("X-Content-Type-Options", "nosniff"))
            .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
            .add(("X-Frame-Options", "SAMEORIGIN"));
        if hsts {
            headers = headers.add(("Strict-Transport-Security", "max-age=31536000"));
        }
        App::new()
            .app_data(state.clone())
            .configure(|cfg| {
                if bench {
                    bench::routes(cfg);
                }
            })
            .wrap(from_fn(http::csrf::middleware))
            .wrap(from_fn(http::middleware::refuse_nul))
            .wrap(from_fn(http::middleware::catch_panic))
            .wrap(from_fn(http::middleware::render_errors))
            .wrap(Compress::default())
            .wrap(headers)
            .wrap(from_fn(http::middleware::request_log))
            .wrap(actix_web::middleware::Condition::new(
                bench,
                from_fn(bench::count_request),
            ))
            .configure(http::routes)
    })
    .shutdown_timeout(10)
    .listen(listener)?
    .run();
    Ok(server)
}

/// A server running on its own thread (tests and embedding).
pub struct RunningServer {
    pub addr: SocketAddr,
    /// The app's clock (tests move it forward).
    pub clock: util::Clock,
    handle: ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    worker: Option<jobs::WorkerHandle>,
}

impl RunningServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        drop(self.worker.take());
        let handle = self.handle.clone();
        actix_web::rt::System::new().block_on(handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Builds the state and starts serving on `config.listen` (port 0 picks a free port).
pub fn start(mut config: Config) -> Result<RunningServer, String> {
    let listener = TcpListener::bind(&config.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    if config.base_url.is_none() {
        // With port 0 the real port is only known now; links in e-mails need it.
        config.base_url = Some(format!("http://{addr}"));
    }
    let ctx = Arc::new(build_context(config)?);
    let clock = ctx.clock.clone();
    let worker = ctx.config.jobs_worker.then(|| jobs::spawn(ctx.clone()));
    let state = web::Data::new(AppState::new(ctx));
    let (sender, receiver) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let system = actix_web::rt::System::new();
        system.block_on(async move {
            match server(state, listener) {
                Ok(server) => {
                    let _ = sender.send(Ok(server.handle()));
                    if let Err(error) = server.await {
                        tracing::error!(%error, "server stopped with an error");
                    }
                }
                Err(error) => {
                    let _ = sender.send(Err(error.to_string()));
                }
            }
        });
    });
    let handle = receiver.recv().map_err(|e| e.to_string())??;
    Ok(RunningServer {
        addr,
        clock,
        handle,
        thread: Some(thread),
        worker,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_in(dir: &std::path::Path) -> Config {
        Config {
            data_dir: dir.to_path_buf(),
            ..Config::default()
        }
    }

    #[test]
    fn the_key_file_is_made_once_private_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let config = config_in(dir.path());
        let first = secret_key(&config).unwrap();
        let path = dir.path().join("secret_key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(secret_key(&config).unwrap().expose(), first.expose());

        // Unreadable (here: not UTF-8) or empty: refuse, and leave the file as it was.
        std::fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
        assert!(secret_key(&config).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), vec![0xff, 0xfe, 0x00]);
        std::fs::write(&path, "  \n").unwrap();
        assert!(secret_key(&config).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "  \n");
        // A folder where the file should be cannot be read either.
        let other = tempfile::tempdir().unwrap();
        std::fs::create_dir(other.path().join("secret_key")).unwrap();
        assert!(secret_key(&config_in(other.path())).is_err());
    }
}
