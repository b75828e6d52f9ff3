#![allow(clippy::unwrap_used, clippy::expect_used)] // a test kit: failing loudly is its job
//! The end-to-end test kit: `TestApp` starts the real Tertulia app on a loopback port, on SQLite
//! or PostgreSQL, and `Client` drives it over HTTP like a browser without JavaScript (cookies,
//! CSRF tokens read from the page's forms, redirects observed one at a time).
//!
//! PostgreSQL comes from `TEST_PG_URL` (an admin URL; `scripts/test` starts a throwaway cluster
//! and sets it). Each test gets its own database, dropped afterwards. Without the variable the
//! PostgreSQL half is skipped visibly (see `skip`), and fails in CI.

pub mod browser;
pub mod fixtures;
pub mod ical;
pub mod proxy;
pub mod roles;
pub use tertulia_test_kit::{pg, skip};
pub mod smtp;

use std::sync::atomic::{AtomicUsize, Ordering};

use tertulia::accounts::model::{RegisterForm, Role};
use tertulia::accounts::service::{self, PasswordHasher};
use tertulia::config::{Config, DatabaseUrl};
use tertulia::db::{BackendKind, Manager};
use tertulia::RunningServer;

pub use serde_json::{json, Value};

/// Generates one `#[test]` per backend for each function:
/// `both_backends! { fn name(app) { ... } }` gives `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($(fn $name:ident($app:ident) $body:block)*) => {
        $(
            fn $name($app: $crate::TestApp) $body
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name($crate::TestApp::start($crate::Backend::Sqlite));
                }
                #[test]
                fn postgres() {
                    if let Some(app) = $crate::TestApp::try_start($crate::Backend::Postgres) {
                        super::$name(app);
                    }
                }
            }
        )*
    };
}

/// For tests that start their own app (`fn name(backend: Backend)`, e.g. with a changed
/// configuration): `on_both! { test_name => function }` runs each on both databases.
#[macro_export]
macro_rules! on_both {
    ($($name:ident => $function:ident),* $(,)?) => {
        $(mod $name {
            #[test]
            fn sqlite() { super::$function($crate::Backend::Sqlite); }
            #[test]
            fn postgres() { super::$function($crate::Backend::Postgres); }
        })*
    };
}

/// The search contract suite: `search_engines! { fn name(app) { ... } }` runs each function on
/// the database engine on both databases (`name::sqlite`, `name::postgres`) and on Meilisearch
/// (`name::meilisearch`, on SQLite) where `TERTULIA_TEST_MEILI_URL` names a server; without it
/// that test says loudly that it is skipped (CI has no Meilisearch, so it does not fail there).
#[macro_export]
macro_rules! search_engines {
    ($(fn $name:ident($app:ident) $body:block)*) => {
        $(
            fn $name($app: $crate::TestApp) $body
            mod $name {
                #[test]
                fn sqlite() {
                    super::$name($crate::TestApp::start($crate::Backend::Sqlite));
                }
                #[test]
                fn postgres() {
                    if let Some(app) = $crate::TestApp::try_start($crate::Backend::Postgres) {
                        super::$name(app);
                    }
                }
                #[test]
                fn meilisearch() {
                    if let Some(app) = $crate::TestApp::start_meili($crate::Backend::Sqlite, |_| {}) {
                        super::$name(app);
                    }
                }
            }
        )*
    };
}

/// The Meilisearch server for tests (`TERTULIA_TEST_MEILI_URL`) and its key
/// (`TERTULIA_TEST_MEILI_KEY`), when set.
pub fn meili_server() -> Option<(String, Option<String>)> {
    let url = std::env::var("TERTULIA_TEST_MEILI_URL")
        .ok()
        .filter(|u| !u.is_empty())?;
    let key = std::env::var("TERTULIA_TEST_MEILI_KEY")
        .ok()
        .filter(|k| !k.is_empty());
    Some((url, key))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const PASSWORD: &str = "correct horse battery";

/// A running app with its own database and data folder.
pub struct TestApp {
    // Field order matters: the server (and its pool) goes before the database is dropped.
    server: RunningServer,
    pub backend: Backend,
    pub database_url: DatabaseUrl,
    pub config: Config,
    _database: Option<pg::TestDatabase>,
    _data_dir: tempfile::TempDir,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Settings every test app shares: a free port, cheap password hashing, quiet logs.
pub fn test_config(data_dir: &std::path::Path) -> Config {
    Config {
        listen: "127.0.0.1:0".into(),
        data_dir: data_dir.to_path_buf(),
        argon2_memory_kib: 64,
        argon2_iterations: 1,
        themes_dir: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes"),
        worker_poll_ms: 20,
        retry_base_seconds: 1,
        // A misspelt or missing template variable fails the test instead of rendering blank.
        strict_templates: true,
        // Tests write fast; the posting limit has its own test (security.rs).
        posting_limits: false,
        ..Config::default()
    }
}

impl TestApp {
    /// Starts an app; panics when the backend is not available.
    pub fn start(backend: Backend) -> TestApp {
        Self::start_with(backend, |_| {}).unwrap_or_else(|| panic!("{backend:?} is not available"))
    }

    /// Starts an app, or `None` (a recorded skip) when PostgreSQL is not configured outside CI.
    pub fn try_start(backend: Backend) -> Option<TestApp> {
        Self::start_with(backend, |_| {})
    }

    /// Starts an app after `adjust` changes the configuration.
    pub fn start_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut config = test_config(data_dir.path());
        let database = match backend {
            Backend::Sqlite => {
                config.database_url = Some(DatabaseUrl::new(format!(
                    "sqlite://{}",
                    data_dir.path().join("test.db").display()
                )));
                None
            }
            Backend::Postgres => {
                let n = COUNTER.fetch_add(1, Ordering::SeqCst);
                let database = pg::TestDatabase::create(&format!("e2e{n}"))?;
                config.database_url = Some(DatabaseUrl::new(database.url.clone()));
                Some(database)
            }
        };
        adjust(&mut config);
        // Failures show the server's warnings and errors (the harness captures test output).
        tertulia::init_test_logging("warn");
        let database_url = config.database_url();
        let server = tertulia::start(config.clone()).expect("server starts");
        Some(TestApp {
            server,
            backend,
            database_url,
            config,
            _database: database,
            _data_dir: data_dir,
        })
    }

    /// An app searching with Meilisearch (an index of its own), or `None` with a loud skip when
    /// no test server is configured.
    pub fn start_meili(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let Some((url, key)) = meili_server() else {
            skip::optional(
                "TERTULIA_TEST_MEILI_URL is not set, so the Meilisearch engine is not tested",
            );
            return None;
        };
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let index = format!(
            "test_{}_{}_{n}",
            std::process::id(),
            chrono::Utc::now().timestamp_micros()
        );
        Self::start_with(backend, |config| {
            config.search_url = Some(url);
            config.search_key = key.map(tertulia::config::Secret::new);
            config.search_index = index;
            adjust(config);
        })
    }

    /// Waits (up to 30 s) until the search outbox is empty: every change is in the index
    /// (Meilisearch has applied it; the database engine indexes in the write itself).
    pub fn wait_for_search_index(&self) {
        use diesel::prelude::*;
        use tertulia::db::schema::search_outbox;
        let mut conn = self.db();
        let started = std::time::Instant::now();
        loop {
            let pending: i64 = search_outbox::table
                .count()
                .get_result(&mut conn)
                .expect("reading the search outbox");
            if pending == 0 {
                return;
            }
            assert!(
                started.elapsed().as_secs() < 30,
                "{pending} search changes still waiting after 30 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// The folder where the default file transport writes e-mails (`.eml`).
    pub fn mail_dir(&self) -> std::path::PathBuf {
        self.config.data_dir.join("mail")
    }

    /// Waits (up to 10 s) for an e-mail to `to` whose text contains `needle`; returns it decoded.
    pub fn wait_for_mail(&self, to: &str, needle: &str) -> String {
        let started = std::time::Instant::now();
        loop {
            if let Ok(entries) = std::fs::read_dir(self.mail_dir()) {
                for entry in entries.flatten() {
                    let raw = std::fs::read_to_string(entry.path()).unwrap_or_default();
                    let text = decode_mail(&raw);
                    if text.contains(&format!("To: {to}")) && text.contains(needle) {
                        return text;
                    }
                }
            }
            assert!(
                started.elapsed().as_secs() < 10,
                "no e-mail to {to} containing {needle:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// The first link in `mail` that starts with this app's URL and `path_prefix`.
    pub fn link_in(&self, mail: &str, path_prefix: &str) -> String {
        let start = self.url(path_prefix);
        let at = mail
            .find(&start)
            .unwrap_or_else(|| panic!("no {start} link in {mail}"));
        mail[at..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<')
            .collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.url(), path)
    }

    /// Moves the app's time forward by `by`: its requests and its jobs worker see the later
    /// time from now on (stored times are left as they are), so a deadline passes for real.
    pub fn advance_clock(&self, by: chrono::Duration) {
        self.server.clock.advance(by);
    }

    /// The app's clock, for a test that calls a service directly at the app's time
    /// (`let _at = app.clock().enter();`).
    pub fn clock(&self) -> &tertulia::util::Clock {
        &self.server.clock
    }

    /// A second app server on the same database (PostgreSQL: what another instance behind a
    /// load balancer sees), without a jobs worker.
    pub fn another_app_server(&self) -> RunningServer {
        let mut config = self.config.clone();
        config.listen = "127.0.0.1:0".into();
        config.base_url = None;
        config.jobs_worker = false;
        tertulia::start(config).expect("a second app server")
    }

    /// A new browser: its own cookie jar.
    pub fn client(&self) -> Client {
        Client {
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            base: self.server.url(),
        }
    }

    /// A direct database connection, for fixtures and for checking what was stored.
    pub fn db(&self) -> tertulia::db::DbConnection {
        Manager::new(&self.database_url)
            .and_then(|m| m.connect_once().map_err(|e| e.to_string()))
            .expect("test database connection")
    }

    /// Waits (up to 15 s) until the background worker has nothing due: every job whose time has
    /// come is done or failed. What follows from a request (notifications, e-mails) is then
    /// final, so "nothing more arrived" can be checked without a sleep a slow machine outruns.
    /// Jobs scheduled for later (retries after a failure, digests) do not count.
    pub fn wait_for_jobs_idle(&self) {
        use diesel::prelude::*;
        use tertulia::db::schema::jobs;
        let mut conn = self.db();
        let started = std::time::Instant::now();
        loop {
            // Due by the app's clock, which a test may have moved forward.
            let now = {
                let _at = self.clock().enter();
                tertulia::util::now()
            };
            let due: Vec<(i64, String)> = jobs::table
                .filter(jobs::done_at.is_null())
                .filter(jobs::failed_at.is_null())
                .filter(jobs::run_at.le(now))
                .select((jobs::id, jobs::kind))
                .load(&mut conn)
                .expect("reading jobs");
            if due.is_empty() {
                return;
            }
            assert!(
                started.elapsed().as_secs() < 15,
                "jobs still due after 15 s: {due:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Every job of `kind` as it stands: what the worker really did with it.
    pub fn jobs_of(&self, kind: &str) -> Vec<JobState> {
        use diesel::prelude::*;
        use tertulia::db::schema::jobs;
        jobs::table
            .filter(jobs::kind.eq(kind))
            .order(jobs::id.asc())
            .select((
                jobs::id,
                jobs::attempts,
                jobs::done_at.is_not_null(),
                jobs::failed_at.is_not_null(),
                jobs::last_error,
            ))
            .load::<(i64, i32, bool, bool, Option<String>)>(&mut self.db())
            .expect("reading jobs")
            .into_iter()
            .map(|(id, attempts, done, failed, last_error)| JobState {
                id,
                attempts,
                done,
                failed,
                last_error,
            })
            .collect()
    }

    /// The subjects of the e-mails stored for `to` (sent or not), oldest first.
    pub fn mails_to(&self, to: &str) -> Vec<String> {
        use diesel::prelude::*;
        use tertulia::db::schema::mails;
        mails::table
            .filter(mails::to_address.eq(to))
            .order(mails::id.asc())
            .select(mails::subject)
            .load(&mut self.db())
            .expect("reading mails")
    }

    /// PostgreSQL only: drops this app's database under the running server.
    pub fn drop_postgres_database(&self) {
        let database = self
            ._database
            .as_ref()
            .expect("only a PostgreSQL app has a database to drop");
        database.drop_now().expect("dropping the test database");
    }

    pub fn backend_kind(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite => BackendKind::Sqlite,
            Backend::Postgres => BackendKind::Postgres,
        }
    }

    /// Creates an account with `PASSWORD` and the given role, straight through the service.
    pub fn create_user(&self, username: &str, role: Role) {
        let hasher = PasswordHasher::new(64, 1, 1).expect("hasher");
        let form = RegisterForm::new(username, &format!("{username}@example.com"), PASSWORD);
        let mut conn = self.db();
        let user = service::register(&mut conn, &hasher, &form, role, None).expect("fixture user");
        service::email_tokens::mark_verified(&mut conn, user.id).expect("verified fixture");
    }

    /// A client logged in as a new user of the given role.
    pub fn logged_in(&self, username: &str, role: Role) -> Client {
        self.create_user(username, role);
        let client = self.client();
        let response = client.submit_form(
            "/login",
            "/login",
            &[("login", username), ("password", PASSWORD)],
        );
        assert_eq!(
            response.status, 303,
            "login of {username}: {}",
            response.body
        );
        client
    }
}

/// A background job as the `jobs` table records it.
#[derive(Debug, Clone)]
pub struct JobState {
    pub id: i64,
    /// Times a worker claimed it.
    pub attempts: i32,
    pub done: bool,
    /// Gave up after its attempts.
    pub failed: bool,
    pub last_error: Option<String>,
}

/// What came back from the server.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn location(&self) -> Option<&str> {
        self.header("Location")
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The stable error code of a JSON error body.
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

fn collect(result: Result<ureq::Response, ureq::Error>) -> Response {
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = response.status();
    let url = response.get_url().to_string();
    let headers: Vec<(String, String)> = response
        .headers_names()
        .into_iter()
        .flat_map(|name| {
            response
                .all(&name)
                .into_iter()
                .map(|v| (name.clone(), v.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    let body = response.into_string().unwrap_or_default();
    assert_translated(&url, &headers, &body);
    Response {
        status,
        headers,
        body,
    }
}

/// Every page any test renders is checked for a Fluent placeholder left unresolved (a message
/// formatted without one of its arguments shows as `{$name}`).
fn assert_translated(url: &str, headers: &[(String, String)], body: &str) {
    let html = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("content-type") && value.starts_with("text/html")
    });
    if !html {
        return;
    }
    if let Some(at) = unresolved_placeholder(body) {
        let end = body[at..]
            .char_indices()
            .nth(40)
            .map_or(body.len(), |(i, _)| at + i);
        panic!("{url} shows an unresolved placeholder: {}", &body[at..end]);
    }
}

/// Where `{$name}` or `{ $name }` first appears in a text.
pub fn unresolved_placeholder(text: &str) -> Option<usize> {
    text.match_indices('{').map(|(i, _)| i).find(|&i| {
        let rest = text[i + 1..].trim_start_matches(' ');
        rest.strip_prefix('$')
            .is_some_and(|name| name.starts_with(|c: char| c.is_ascii_alphabetic()))
    })
}

/// Undoes quoted-printable soft line breaks and escapes, so links and text can be searched.
pub fn decode_mail(raw: &str) -> String {
    // Headers are not quoted-printable (and `=08` in a URL there must stay as it is).
    let split = raw
        .find("\r\n\r\n")
        .or_else(|| raw.find("\n\n"))
        .unwrap_or(0);
    let (head, body) = raw.split_at(split);
    let joined = body.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let Ok(value) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    format!("{head}{}", String::from_utf8_lossy(&out))
}

/// The value of the hidden `csrf_token` field of a page.
pub fn csrf_token_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// One server-sent event.
#[derive(Debug, Default)]
pub struct SseEvent {
    pub name: String,
    pub id: Option<String>,
    pub data: Value,
}

/// The next event of `stream` that satisfies `wanted`, within `limit` (panics otherwise).
pub fn next_event(
    stream: &std::sync::mpsc::Receiver<SseEvent>,
    limit: std::time::Duration,
    wanted: impl Fn(&SseEvent) -> bool,
) -> SseEvent {
    let until = std::time::Instant::now() + limit;
    loop {
        let left = until.saturating_duration_since(std::time::Instant::now());
        let event = stream
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no matching event within {limit:?}"));
        if wanted(&event) {
            return event;
        }
    }
}

/// A browser-like HTTP client with its own cookies.
pub struct Client {
    agent: ureq::Agent,
    base: String,
}

impl Client {
    /// A client of the server at `base` (another app server of the same test, say).
    pub fn for_base(base: &str) -> Client {
        Client {
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            base: base.trim_end_matches('/').to_string(),
        }
    }

    fn request(&self, method: &str, path: &str) -> ureq::Request {
        self.agent
            .request(method, &format!("{}{}", self.base, path))
    }

    pub fn get(&self, path: &str) -> Response {
        collect(self.request("GET", path).call())
    }

    pub fn get_with(&self, path: &str, header: (&str, &str)) -> Response {
        collect(self.request("GET", path).set(header.0, header.1).call())
    }

    /// Posts a form as is (the caller decides about `csrf_token`).
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        collect(self.request("POST", path).send_form(fields))
    }

    /// Posts a form with one extra request header (e.g. the browser's Accept-Language).
    pub fn post_form_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        header: (&str, &str),
    ) -> Response {
        collect(
            self.request("POST", path)
                .set(header.0, header.1)
                .send_form(fields),
        )
    }

    /// Opens `page`, takes the CSRF token from its form and posts `fields` to `action`, as a
    /// person filling in the form would.
    pub fn submit_form(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Response {
        let page = self.get(page);
        assert_eq!(page.status, 200, "form page: {}", page.body);
        let token = csrf_token_in(&page.body).expect("the page has a CSRF token");
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all)
    }

    /// A JSON API call with this client's cookies. A write without a body sends `{}` as a
    /// browser script would (cookie-authenticated API writes must be JSON).
    pub fn api(&self, method: &str, path: &str, body: Option<Value>) -> Response {
        let request = self.request(method, path).set("Accept", "application/json");
        collect(match body {
            Some(body) => request.send_json(body),
            None if !matches!(method, "GET" | "HEAD") => request.send_json(json!({})),
            None => request.call(),
        })
    }

    pub fn api_with_token(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Response {
        let request = self
            .request(method, path)
            .set("Authorization", &format!("Bearer {token}"));
        collect(match body {
            Some(body) => request.send_json(body),
            None => request.call(),
        })
    }

    /// Sends raw bytes with a chosen content type.
    pub fn send_raw(&self, method: &str, path: &str, content_type: &str, body: &str) -> Response {
        collect(
            self.request(method, path)
                .set("Content-Type", content_type)
                .send_string(body),
        )
    }

    /// `send_raw` with one extra request header.
    pub fn send_raw_with(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: &str,
        header: (&str, &str),
    ) -> Response {
        collect(
            self.request(method, path)
                .set("Content-Type", content_type)
                .set(header.0, header.1)
                .send_string(body),
        )
    }

    /// Opens a server-sent event stream with this client's cookies and `headers`: each event
    /// arrives on the receiver (a reader thread parses the stream). A refusal comes back as the
    /// response.
    pub fn stream(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Result<std::sync::mpsc::Receiver<SseEvent>, Response> {
        let mut request = self.request("GET", path);
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let response = match request.call() {
            Ok(r) if r.content_type() == "text/event-stream" => r,
            other => return Err(collect(other)),
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            let reader = std::io::BufReader::new(response.into_reader());
            let mut event = SseEvent::default();
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if line.is_empty() {
                    if !event.name.is_empty() && sender.send(std::mem::take(&mut event)).is_err() {
                        return;
                    }
                } else if let Some(name) = line.strip_prefix("event: ") {
                    event.name = name.to_string();
                } else if let Some(id) = line.strip_prefix("id: ") {
                    event.id = Some(id.to_string());
                } else if let Some(data) = line.strip_prefix("data: ") {
                    event.data = serde_json::from_str(data).expect("JSON data");
                }
            }
        });
        Ok(receiver)
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let store = self.agent.cookie_store();
        let found = store
            .iter_any()
            .find(|c| c.name() == name)
            .map(|c| c.value().to_string());
        found
    }
}
