//! The `tertulia` command: serve, migrate and administer a Tertulia community.

use std::io::Read;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

use actix_web::web;
use clap::{Parser, Subcommand};
use tertulia::accounts::model::{RegisterForm, Role};
use tertulia::accounts::service;
use tertulia::config::Config;

#[derive(Parser)]
#[command(
    name = "tertulia",
    version,
    about = "A self-hosted community platform for a brand and its customers"
)]
struct Cli {
    /// Configuration file (default: ./tertulia.toml when it exists). Every setting can also be
    /// given as a TERTULIA_* environment variable, which wins over the file.
    #[arg(long, global = true, env = "TERTULIA_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the forum.
    ///
    /// Main settings (file key / environment variable):
    ///   database_url  TERTULIA_DATABASE_URL  sqlite://data/tertulia.db (default) or postgres://user:pass@host/db
    ///   listen        TERTULIA_LISTEN        address:port to bind, default 127.0.0.1:8080
    ///   data_dir      TERTULIA_DATA_DIR      folder for the SQLite file and generated keys, default ./data
    ///   base_url      TERTULIA_BASE_URL      public URL used in links and e-mails, default http://<listen>
    ///   brand_name    TERTULIA_BRAND_NAME    name shown in the header
    ///   theme         TERTULIA_THEME         folder under themes/, default "default"
    /// On a fresh database an `admin` account is created and its password printed once.
    #[command(verbatim_doc_comment)]
    Serve {
        /// Overrides the `listen` setting.
        #[arg(long)]
        listen: Option<String>,
        /// Seed the demo brand community first if the forum has no categories yet.
        #[arg(long)]
        demo: bool,
    },
    /// Seed the demo brand community (a coffee-equipment maker) into an empty forum.
    Demo,
    /// Generate benchmark data and measure the server on it.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage accounts from the operator's shell.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Check the moderation audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Manage the search index.
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Index every post again in the database's index, and in Meilisearch when `search_url` is
    /// set (idempotent; safe while the forum is serving).
    Reindex,
    /// Only send the search outbox to Meilisearch, until stopped (a dedicated indexer beside
    /// instances that run no jobs worker; `tertulia bench` uses it).
    Worker,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the audit log's hash chain; exits non-zero naming the first broken entry.
    Verify,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Write a seeded, deterministic forum (tiny, S: 50k posts, M: 1M posts) into an empty database.
    Generate {
        /// tiny, S or M.
        #[arg(long, default_value = "S")]
        size: String,
        /// Default: sqlite://bench/data/bench-<size>.db
        #[arg(long)]
        database: Option<String>,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Start this binary as a server in bench mode on the database and measure each operation.
    Run {
        /// Default: sqlite://bench/data/bench-<size>.db
        #[arg(long)]
        database: Option<String>,
        /// Used for the default database path.
        #[arg(long, default_value = "S")]
        size: String,
        /// Measured seconds per operation.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Warm-up seconds per operation (not measured).
        #[arg(long, default_value_t = 3)]
        warmup: u64,
        /// Connections kept busy at once.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Where the JSON and Markdown results go.
        #[arg(long, default_value = "bench/results")]
        out: PathBuf,
        /// A few seconds on whatever data there is, nothing written (keeps the driver working).
        #[arg(long)]
        smoke: bool,
        /// Search with Meilisearch at this address (its index is filled first, and a second
        /// instance drains the search outbox); default: the database's own index.
        #[arg(long)]
        search_url: Option<String>,
        /// Meilisearch's key.
        #[arg(long)]
        search_key: Option<String>,
        /// Run the server on the first CPU and the load driver on the others (with `taskset`),
        /// so that the two do not share a core.
        #[arg(long)]
        pin: bool,
        /// Measure only these operations (names as in the results, comma-separated), for
        /// quick comparisons while working; nothing is written to `--out`.
        #[arg(long, value_delimiter = ',')]
        only: Vec<String>,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an account. The password is read from standard input with --password-stdin,
    /// otherwise generated and printed once.
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// member, moderator, community_manager or admin.
        #[arg(long, default_value = "member")]
        role: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change the role of an existing account.
    SetRole {
        #[arg(long)]
        username: String,
        /// member, moderator, community_manager or admin.
        #[arg(long)]
        role: String,
    },
}

/// glibc's malloc, after the first large block is freed, raises the size under which it serves
/// big blocks from its heaps (up to 32 MB) and the size of free memory it keeps at their top
/// (twice that), and a server that once built a big page keeps that memory for good. Fixing the
/// trim threshold at its default of 128 kB also stops that growth, so big blocks go back to the
/// system when freed: bench S peak RSS 96 -> 75 MB at the same throughput (capping arenas instead
/// cost 30% of it). The threshold can only be fixed from the environment before the process
/// starts (`mallopt` is `unsafe`, which the workspace forbids), so the process starts itself
/// again once with it set. An operator's own `MALLOC_TRIM_THRESHOLD_` is left alone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fix_malloc_trim_threshold() {
    use std::os::unix::process::CommandExt;
    const VARIABLE: &str = "MALLOC_TRIM_THRESHOLD_";
    if std::env::var_os(VARIABLE).is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    // `exec` returns only when it failed; then this process carries on as it is.
    let error = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(VARIABLE, "131072")
        .exec();
    eprintln!("tertulia: could not restart with {VARIABLE} set ({error}); going on without it");
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fix_malloc_trim_threshold() {}

fn main() -> ExitCode {
    fix_malloc_trim_threshold();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tertulia: {message}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(cli: &Cli) -> Result<Config, String> {
    Config::load(cli.config.as_deref(), std::env::vars()).map_err(|e| e.to_string())
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| {
        format!("unknown role {text:?}; use member, moderator, community_manager or admin")
    })
}

fn run(cli: Cli) -> Result<(), String> {
    let mut config = load_config(&cli)?;
    match cli.command {
        Command::Serve { listen, demo } => {
            if let Some(listen) = listen {
                config.listen = listen;
            }
            config.demo |= demo;
            serve(config)
        }
        Command::Demo => {
            let ctx = tertulia::build_context(config)?;
            seed_demo(&ctx)
        }
        Command::Migrate => {
            std::fs::create_dir_all(&config.data_dir).map_err(|e| e.to_string())?;
            let applied = tertulia::migrate(&config)?;
            println!(
                "{} migration(s) applied to {}",
                applied.len(),
                config.database_url().redacted()
            );
            Ok(())
        }
        Command::Admin { command } => admin(config, command),
        Command::Bench { command } => bench(config, command),
        Command::Search {
            command: SearchCommand::Reindex,
        } => {
            let ctx = tertulia::build_context(config)?;
            let mut conn = ctx.pool.get().map_err(|e| e.to_string())?;
            use diesel::prelude::*;
            let total: i64 = tertulia::db::schema::posts::table
                .count()
                .get_result(&mut **conn)
                .map_err(|e| e.to_string())?;
            let bar = indicatif::ProgressBar::new(u64::try_from(total).unwrap_or(0));
            let done = tertulia::search::index::reindex(&mut conn, |n| {
                bar.set_position(u64::try_from(n).unwrap_or(0));
            })
            .map_err(|e| describe(&ctx, &e))?;
            bar.finish_and_clear();
            let events =
                tertulia::search::events::reindex(&mut conn).map_err(|e| describe(&ctx, &e))?;
            println!("database search index rebuilt: {done} posts, {events} events");
            if let Some(meili) = &ctx.search.meili {
                meili.configure()?;
                let bar = indicatif::ProgressBar::new(u64::try_from(total).unwrap_or(0));
                let done = tertulia::search::outbox::fill(&mut conn, meili, |n| {
                    bar.set_position(u64::try_from(n).unwrap_or(0));
                })
                .map_err(|e| describe(&ctx, &e))?;
                bar.finish_and_clear();
                let events = tertulia::search::outbox::fill_events(&mut conn, meili)
                    .map_err(|e| describe(&ctx, &e))?;
                println!(
                    "Meilisearch indexes {} and {} rebuilt: {done} posts, {events} events",
                    meili.index_name(),
                    meili.events_index_name()
                );
            }
            Ok(())
        }
        Command::Search {
            command: SearchCommand::Worker,
        } => {
            let ctx = tertulia::build_context(config)?;
            if ctx.search.meili.is_none() {
                return Err("search worker: set search_url (TERTULIA_SEARCH_URL) first".into());
            }
            let poll = std::time::Duration::from_millis(ctx.config.worker_poll_ms.max(10));
            loop {
                if !tertulia::search::outbox::drain(&ctx) {
                    std::thread::sleep(poll);
                }
            }
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let ctx = tertulia::build_context(config)?;
            let mut conn = ctx.pool.get().map_err(|e| e.to_string())?;
            let found = tertulia::audit::verify(&mut conn).map_err(|e| describe(&ctx, &e))?;
            match found.broken_at {
                None => {
                    println!(
                        "audit log verified: {} entries, head {}",
                        found.entries, found.head
                    );
                    Ok(())
                }
                Some(id) => Err(format!(
                    "audit log broken at entry {id} ({}): it was changed or removed after it was written; {} entries checked",
                    found.broken.as_deref().unwrap_or("hash"),
                    found.entries
                )),
            }
        }
    }
}

fn serve(mut config: Config) -> Result<(), String> {
    tertulia::init_logging(&config);
    let listener = TcpListener::bind(&config.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    if config.base_url.is_none() {
        // With port 0 the real port is only known now.
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        config.base_url = Some(format!("http://{address}"));
    }
    let ctx = std::sync::Arc::new(tertulia::build_context(config)?);
    let state = web::Data::new(tertulia::http::state::AppState::new(ctx.clone()));
    let created = state
        .pool
        .get()
        .map_err(|e| e.to_string())
        .and_then(|mut conn| {
            service::bootstrap_admin(&mut conn, &state.hasher).map_err(|e| format!("{e:?}"))
        })?;
    if state.config.demo {
        seed_demo(&state)?;
    }
    let url = state.config.base_url();
    // The job worker (mail, notifications, digests) runs beside the HTTP workers.
    let worker = state
        .config
        .jobs_worker
        .then(|| tertulia::jobs::spawn(ctx.clone()));
    let after_shutdown = state.clone();
    let result = actix_web::rt::System::new()
        .block_on(async move {
            let server = tertulia::server(state, listener)?;
            println!("Tertulia is running at {url}");
            if let Some((username, password)) = created {
                println!("First run: an admin account was created.");
                println!("  username: {username}");
                println!("  password: {password}   (shown only now; keep it safe)");
            } else {
                println!("Log in with an existing account, or create one: tertulia admin create-user --help");
            }
            server.await
        })
        .map_err(|e| format!("server error: {e}"));
    drop(worker);
    // Views counted since the last batch are written before the process ends.
    let pending = after_shutdown.views.take();
    if let Ok(mut conn) = after_shutdown.pool.get() {
        if let Err(error) = tertulia::forum::views::flush(&mut conn, pending) {
            eprintln!("tertulia: could not save the last view counts: {error:?}");
        }
    }
    result
}

fn bench_database(database: Option<String>, size: &str) -> Result<String, String> {
    if let Some(url) = database {
        return Ok(url);
    }
    std::fs::create_dir_all("bench/data").map_err(|e| format!("bench/data: {e}"))?;
    Ok(format!(
        "sqlite://bench/data/bench-{}.db",
        size.to_ascii_lowercase()
    ))
}

fn bench(mut config: Config, command: BenchCommand) -> Result<(), String> {
    match command {
        BenchCommand::Generate {
            size,
            database,
            seed,
        } => {
            let size = tertulia::bench::generate::Size::parse(&size)
                .ok_or_else(|| format!("unknown size {size:?}; use tiny, S or M"))?;
            config.database_url = Some(tertulia::config::DatabaseUrl::new(bench_database(
                database, size.name,
            )?));
            tertulia::migrate(&config)?;
            let manager = tertulia::db::Manager::new(&config.database_url())?;
            let mut conn = manager.connect_once().map_err(|e| e.to_string())?;
            let summary = tertulia::bench::generate::generate(&mut conn, size, seed, false)?;
            println!(
                "Generated size {} (seed {}) in {:.1} s:",
                size.name, seed, summary.seconds
            );
            for (table, rows) in &summary.rows {
                println!("  {table:<16} {rows:>10}");
            }
            if let Some(bytes) = summary.database_bytes {
                println!("  database size    {:>7.1} MB", bytes as f64 / 1_048_576.0);
            }
            println!("  sample checksum  {}", summary.sample_checksum);
            Ok(())
        }
        BenchCommand::Run {
            database,
            size,
            seconds,
            warmup,
            concurrency,
            out,
            smoke,
            search_url,
            search_key,
            pin,
            only,
        } => {
            let partial = !only.is_empty();
            let options = tertulia::bench::run::Options {
                search_url,
                search_key,
                pin,
                only,
                database_url: bench_database(database, &size)?,
                seconds: if smoke { 1 } else { seconds },
                warmup_seconds: if smoke { 0 } else { warmup },
                concurrency: if smoke { 2 } else { concurrency.max(1) },
                out_dir: (!smoke && !partial).then_some(out),
            };
            let report = tertulia::bench::run::run(options)?;
            print!("{}", tertulia::bench::run::markdown(&report));
            let errors: u64 = report
                .operations
                .iter()
                .chain(&report.at_half_rate)
                .map(|o| o.errors)
                .sum();
            if errors > 0 {
                return Err(format!(
                    "{errors} requests failed (wrong status or empty body)"
                ));
            }
            Ok(())
        }
    }
}

/// Seeds the demo community and prints its accounts.
fn seed_demo(state: &tertulia::context::AppContext) -> Result<(), String> {
    let mut conn = state.pool.get().map_err(|e| e.to_string())?;
    let seeded = tertulia::demo::seed(&mut conn, state)
        .map_err(|e| format!("demo: {}", describe(state, &e)))?;
    match seeded {
        None => println!("Demo: the forum already has categories; nothing seeded."),
        Some(summary) => {
            println!(
                "Demo community seeded: {} threads, {} posts. Every demo account's password: {}",
                summary.threads,
                summary.posts,
                tertulia::demo::DEMO_PASSWORD
            );
            for (username, role, department) in summary.accounts {
                match department {
                    Some(department) => println!("  {username:<16} {role} · {department}"),
                    None => println!("  {username:<16} {role}"),
                }
            }
        }
    }
    Ok(())
}

fn admin(config: Config, command: AdminCommand) -> Result<(), String> {
    let state = tertulia::build_context(config)?;
    let mut conn = state.pool.get().map_err(|e| e.to_string())?;
    match command {
        AdminCommand::CreateUser {
            username,
            email,
            role,
            password_stdin,
        } => {
            let role = parse_role(&role)?;
            let (password, generated) = if password_stdin {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
                (text.trim_end_matches(['\r', '\n']).to_string(), false)
            } else {
                (tertulia::util::new_token("")[..20].to_string(), true)
            };
            let form = RegisterForm::new(&username, &email, &password);
            let user = service::register(&mut conn, &state.hasher, &form, role, None)
                .map_err(|e| describe(&state, &e))?;
            // The operator vouches for the address.
            service::email_tokens::mark_verified(&mut conn, user.id)
                .map_err(|e| describe(&state, &e))?;
            println!(
                "created {} ({}) as {}",
                user.username,
                user.email,
                role.as_str()
            );
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
        AdminCommand::SetRole { username, role } => {
            let role = parse_role(&role)?;
            let user = service::user_by_username(&mut conn, &username)
                .map_err(|_| format!("no user named {username:?}"))?;
            tertulia::admin::service::set_role(&mut conn, user.id, role)
                .map_err(|e| describe(&state, &e))?;
            println!("{} is now {}", user.username, role.as_str());
            Ok(())
        }
    }
}

/// An error as one line in English, with the fields it concerns.
fn describe(state: &tertulia::context::AppContext, error: &tertulia::error::AppError) -> String {
    let i18n = state.i18n();
    let mut line = i18n.message("en", &error.message_key(), &[]);
    for (field, key) in error.fields() {
        line.push_str(&format!("; {field}: {}", i18n.field_message("en", &key)));
    }
    line
}
