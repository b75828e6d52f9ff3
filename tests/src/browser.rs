//! A real browser for the few tests that must prove the pages work with JavaScript, CSS and
//! real form handling, not only over raw HTTP as `Client` does.
//!
//! It speaks the W3C WebDriver protocol to a `chromedriver` it starts itself, with plain JSON
//! over `ureq`: a handful of commands is all the journeys need, and a full WebDriver crate would
//! bring an async runtime and many dependencies for nothing. Chromium runs headless with a
//! throwaway profile, so each `Browser` starts with no cookies, cache or history.
//!
//! Without Chromium or chromedriver installed the journeys are skipped visibly (see `skip`), so
//! a developer's machine still runs the rest of the suite; in CI that is a failure.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

/// How long element look-ups and text checks wait for a page that is still loading or still
/// running its scripts.
const WAIT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(100);
/// How long a navigation (a link, a form sent, `goto`) may take to load its page.
const PAGE_LOAD: Duration = Duration::from_secs(20);

/// A WebDriver error: its code (`no such element`, ...) and message.
#[derive(Debug)]
struct Failure {
    error: String,
    message: String,
}

impl Failure {
    /// Errors that go away once the page has finished loading or re-rendering.
    fn is_transient(&self) -> bool {
        matches!(
            self.error.as_str(),
            "no such element"
                | "stale element reference"
                | "element not interactable"
                | "element click intercepted"
        )
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The first line only: chromedriver appends a long native stack trace.
        let first = self.message.lines().next().unwrap_or_default();
        write!(f, "{}: {first}", self.error)
    }
}

/// The chromedriver process; killed when dropped, even if the session never started.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A headless Chromium driven through chromedriver. Dropping it ends the session and the driver.
pub struct Browser {
    agent: ureq::Agent,
    /// `http://127.0.0.1:PORT/session/ID`, the prefix of every session command.
    session: String,
    // Field order matters: the driver stops before the profile folder is removed.
    _driver: Driver,
    _profile: tempfile::TempDir,
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn executable(fixed: &str, name: &str) -> Option<PathBuf> {
    let fixed = Path::new(fixed);
    if fixed.is_file() {
        Some(fixed.to_path_buf())
    } else {
        on_path(name)
    }
}

/// Sends one WebDriver command and returns its `value`, or the error the driver reported.
fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    body: Option<Value>,
) -> Result<Value, Failure> {
    let request = agent.request(method, url);
    let result = match body {
        Some(body) => request.send_json(body),
        None => request.call(),
    };
    let (ok, response) = match result {
        Ok(response) => (true, response),
        Err(ureq::Error::Status(_, response)) => (false, response),
        Err(e) => {
            return Err(Failure {
                error: "transport".into(),
                message: format!("{method} {url}: {e}"),
            })
        }
    };
    let json: Value = response.into_json().map_err(|e| Failure {
        error: "bad response".into(),
        message: format!("{method} {url}: {e}"),
    })?;
    let value = json.get("value").cloned().unwrap_or(Value::Null);
    if ok {
        return Ok(value);
    }
    match value.get("error").and_then(Value::as_str) {
        Some(error) => Err(Failure {
            error: error.to_string(),
            message: value["message"].as_str().unwrap_or_default().to_string(),
        }),
        None => Err(Failure {
            error: "unknown error".into(),
            message: format!("{method} {url}: {json}"),
        }),
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium, or returns `None` (a recorded skip) when
    /// they are not installed outside CI.
    pub fn start() -> Option<Browser> {
        let driver = executable("/usr/bin/chromedriver", "chromedriver");
        let chromium = executable("/usr/bin/chromium", "chromium");
        let (Some(driver), Some(chromium)) = (driver, chromium) else {
            crate::skip::skip("Chromium/chromedriver not found (scripts/setup installs them)");
            return None;
        };

        // A free port: the operating system picks one, and it is released for chromedriver.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .unwrap_or_else(|e| panic!("no free port for chromedriver: {e}"));
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
        let driver = Driver(child);
        // Generous: the first page load of a cold Chromium can be slow on a busy machine.
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(90))
            .build();
        let base = format!("http://127.0.0.1:{port}");

        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let status = send(&agent, "GET", &format!("{base}/status"), None);
            if matches!(&status, Ok(value) if value["ready"] == json!(true)) {
                break;
            }
            if Instant::now() > deadline {
                panic!("chromedriver on port {port} not ready after 20 s: {status:?}");
            }
            sleep(POLL);
        }

        let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("profile folder: {e}"));
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--window-size=1200,1600",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
        }}});
        let created = send(
            &agent,
            "POST",
            &format!("{base}/session"),
            Some(capabilities),
        )
        .unwrap_or_else(|e| panic!("WebDriver session not created: {e}"));
        let id = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no sessionId in {created}"));
        let browser = Browser {
            session: format!("{base}/session/{id}"),
            agent,
            _driver: driver,
            _profile: profile,
        };
        // A page that takes longer than this to load fails the journey at the step that loaded
        // it, instead of the step waiting quietly for minutes (WebDriver's default is 300 s).
        // Generous for a cold Chromium on a busy machine, far below what a stalled request
        // costs: a browser that has run out of connections to the server waits about a minute.
        browser.must(
            "setting the page load timeout",
            "POST",
            "/timeouts",
            Some(json!({"pageLoad": PAGE_LOAD.as_millis() as u64})),
        );
        Some(browser)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, Failure> {
        send(
            &self.agent,
            method,
            &format!("{}{path}", self.session),
            body,
        )
    }

    /// Runs a session command that must succeed.
    fn must(&self, what: &str, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver: {what} failed: {e}"))
    }

    /// Repeats `attempt` while it fails in a way a still-loading page explains, up to `WAIT`.
    fn retry<T>(&self, what: &str, mut attempt: impl FnMut() -> Result<T, Failure>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            match attempt() {
                Ok(value) => return value,
                Err(e) if e.is_transient() && Instant::now() < deadline => sleep(POLL),
                Err(e) => {
                    let url = self.call("GET", "/url", None).unwrap_or_default();
                    panic!("WebDriver: {what} failed on {url}: {e}");
                }
            }
        }
    }

    fn try_find(&self, css: &str) -> Result<String, Failure> {
        let found = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        )?;
        // The W3C element reference is the only entry of the returned object.
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Failure {
                error: "bad response".into(),
                message: format!("no element reference in {found}"),
            })
    }

    pub fn goto(&self, url: &str) {
        self.must(
            &format!("going to {url}"),
            "POST",
            "/url",
            Some(json!({"url": url})),
        );
    }

    /// The WebDriver id of the first element matching `css`, waiting for it to appear.
    pub fn find(&self, css: &str) -> String {
        self.retry(&format!("finding {css}"), || self.try_find(css))
    }

    pub fn click(&self, css: &str) {
        self.retry(&format!("clicking {css}"), || {
            let id = self.try_find(css)?;
            self.call("POST", &format!("/element/{id}/click"), Some(json!({})))
        });
    }

    /// Replaces the content of a text field by typing `text` into it.
    pub fn fill(&self, css: &str, text: &str) {
        self.retry(&format!("filling {css}"), || {
            let id = self.try_find(css)?;
            self.call("POST", &format!("/element/{id}/clear"), Some(json!({})))?;
            self.call(
                "POST",
                &format!("/element/{id}/value"),
                Some(json!({"text": text})),
            )
        });
    }

    /// The rendered (visible) text of the first element matching `css`.
    pub fn text(&self, css: &str) -> String {
        let value = self.retry(&format!("reading {css}"), || {
            let id = self.try_find(css)?;
            self.call("GET", &format!("/element/{id}/text"), None)
        });
        value.as_str().unwrap_or_default().to_string()
    }

    /// Makes the page `width` CSS pixels wide (the window's inner width, as a phone or a
    /// desktop would show it).
    pub fn resize(&self, width: u32, height: u32) {
        self.must(
            "resizing the window",
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
        // The outer window includes any frame: widen it until the page itself is `width` wide.
        let inner = self.run("return window.innerWidth;").as_u64().unwrap_or(0) as u32;
        if inner != 0 && inner != width {
            self.must(
                "resizing the window",
                "POST",
                "/window/rect",
                Some(json!({"width": width + (width.saturating_sub(inner)), "height": height})),
            );
        }
    }

    /// Runs `script` (a function body) in the page and returns what it returns.
    pub fn run(&self, script: &str) -> Value {
        self.must(
            "running a script",
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Runs `script` (a function body) that calls its last argument with the result when done
    /// (a promise's end, say), and returns that result.
    pub fn run_async(&self, script: &str) -> Value {
        self.must(
            "running an asynchronous script",
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// The current DOM serialised as HTML (including what scripts added).
    pub fn source(&self) -> String {
        let value = self.must("reading the page source", "GET", "/source", None);
        value.as_str().unwrap_or_default().to_string()
    }

    pub fn current_url(&self) -> String {
        let value = self.must("reading the URL", "GET", "/url", None);
        value.as_str().unwrap_or_default().to_string()
    }

    /// Waits until the current URL contains `needle`, and returns it.
    pub fn wait_for_url(&self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let url = self.current_url();
            if url.contains(needle) {
                return url;
            }
            if Instant::now() > deadline {
                panic!("the URL never contained {needle:?}; it is {url}");
            }
            sleep(POLL);
        }
    }

    /// Saves a PNG of the viewport: a picture of the page to look at when a journey fails.
    pub fn screenshot(&self, path: &Path) {
        let value = self.must("taking a screenshot", "GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(value.as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("screenshot is not base64: {e}"));
        std::fs::write(path, png)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    /// Forgets the cookies of the current site: the next person can use the same browser.
    pub fn delete_cookies(&self) {
        self.must("deleting cookies", "DELETE", "/cookie", None);
    }

    /// Logs `username` in through the login page (after forgetting whoever was logged in).
    pub fn log_in(&self, app: &crate::TestApp, username: &str) {
        self.delete_cookies();
        self.goto(&app.url("/login"));
        self.fill("#login", username);
        self.fill("#password", crate::PASSWORD);
        self.click("form[action='/login'] button[type=submit]");
        self.wait_for_text(&format!("Good to see you, {username}"));
    }

    /// Waits until the page contains `needle`, showing the end of the page if it never does.
    pub fn wait_for_text(&self, needle: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let source = self.source();
            if source.contains(needle) {
                return;
            }
            if Instant::now() > deadline {
                let mut start = source.len().saturating_sub(3000);
                while !source.is_char_boundary(start) {
                    start += 1;
                }
                panic!(
                    "{needle:?} never appeared on {}; the page ends with:\n{}",
                    self.current_url(),
                    &source[start..]
                );
            }
            sleep(POLL);
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Closes Chromium; the driver process is killed when `_driver` drops right after.
        let _ = send(&self.agent, "DELETE", &self.session, None);
    }
}
