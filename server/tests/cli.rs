//! The `tertulia` binary as an operator uses it: configuration errors, migrate, admin commands,
//! and `serve` printing how to log in, then stopping cleanly on SIGTERM.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_test_kit::{pg, skip};

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn tertulia(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tertulia"));
    command.current_dir(dir);
    for (name, _) in std::env::vars() {
        if name.starts_with("TERTULIA_") {
            command.env_remove(name);
        }
    }
    command
        .env("TERTULIA_ARGON2_MEMORY_KIB", "64")
        .env("TERTULIA_ARGON2_ITERATIONS", "1");
    command
}

fn run(command: &mut Command) -> (bool, String, String) {
    let output = command.output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn unknown_setting_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(tertulia(dir.path())
        .env("TERTULIA_LISTN", "x")
        .arg("migrate"));
    assert!(!ok);
    assert!(
        err.starts_with("tertulia: ") && err.contains("listn"),
        "{err}"
    );
    std::fs::write(dir.path().join("tertulia.toml"), "colour = \"red\"\n").unwrap();
    let (ok, _, err) = run(tertulia(dir.path()).arg("migrate"));
    assert!(!ok);
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn bad_database_url_scheme_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(tertulia(dir.path())
        .env("TERTULIA_DATABASE_URL", "sqlit://forum.db")
        .arg("migrate"));
    assert!(!ok);
    assert!(err.contains("unsupported scheme \"sqlit\""), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(!dir.path().join("forum.db").exists());
    assert!(!dir.path().join("sqlit:").exists());
}

#[test]
fn unreachable_database_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(tertulia(dir.path())
        .env(
            "TERTULIA_DATABASE_URL",
            "postgres://nobody:secret@127.0.0.1:1/none",
        )
        .arg("migrate"));
    assert!(!ok);
    assert!(err.contains("cannot connect to the database"), "{err}");
    assert!(
        !err.contains("secret"),
        "the password must not be printed: {err}"
    );
    let (ok, _, err) = run(tertulia(dir.path()).args(["serve", "--bogus"]));
    assert!(!ok);
    assert!(err.contains("--bogus"), "{err}");
}

/// migrate, admin create-user (generated and piped passwords), set-role, serve, SIGTERM.
fn operator_story(database_url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let with_db = |command: &mut Command| {
        command.env("TERTULIA_DATABASE_URL", database_url);
    };
    let mut migrate = tertulia(dir.path());
    with_db(&mut migrate);
    let (ok, out, err) = run(migrate.arg("migrate"));
    assert!(ok, "{err}");
    assert!(out.contains("migration(s) applied"), "{out}");

    let mut create = tertulia(dir.path());
    with_db(&mut create);
    let (ok, out, err) = run(create.args([
        "admin",
        "create-user",
        "--username",
        "ines",
        "--email",
        "ines@example.com",
        "--role",
        "moderator",
    ]));
    assert!(ok, "{err}");
    assert!(
        out.contains("created ines (ines@example.com) as moderator"),
        "{out}"
    );
    assert!(out.contains("password: "));

    let mut piped = tertulia(dir.path());
    with_db(&mut piped);
    let mut child = piped
        .args([
            "admin",
            "create-user",
            "--username",
            "jorge",
            "--email",
            "jorge@example.com",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough secret\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("password:"));

    let mut duplicate = tertulia(dir.path());
    with_db(&mut duplicate);
    let (ok, _, err) = run(duplicate.args([
        "admin",
        "create-user",
        "--username",
        "JORGE",
        "--email",
        "j2@example.com",
    ]));
    assert!(!ok);
    assert!(err.contains("username is taken"), "{err}");

    let mut bad_role = tertulia(dir.path());
    with_db(&mut bad_role);
    let (ok, _, err) =
        run(bad_role.args(["admin", "set-role", "--username", "jorge", "--role", "king"]));
    assert!(!ok);
    assert!(err.contains("unknown role \"king\""), "{err}");

    let mut set_role = tertulia(dir.path());
    with_db(&mut set_role);
    let (ok, out, err) = run(set_role.args([
        "admin",
        "set-role",
        "--username",
        "jorge",
        "--role",
        "admin",
    ]));
    assert!(ok, "{err}");
    assert!(out.contains("jorge is now admin"));

    // Users exist, so serve creates no admin; it prints where it runs and stops on SIGTERM.
    let mut serve = tertulia(dir.path());
    with_db(&mut serve);
    let mut child = serve
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("TERTULIA_LOG_FILTER", "warn")
        .env_remove("MALLOC_TRIM_THRESHOLD_")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first
        .strip_prefix("Tertulia is running at ")
        .expect(&first)
        .to_string();
    let second = lines.next().unwrap().unwrap();
    assert!(second.contains("tertulia admin create-user"), "{second}");
    let health = wait_for_health(&url);
    assert!(
        health.contains("200 OK") && health.contains("\"status\":\"ok\""),
        "{health}"
    );
    // On glibc the server started itself again (same process) with malloc's trim threshold
    // fixed, which keeps its memory down (see `fix_malloc_trim_threshold` in main.rs).
    if cfg!(all(target_os = "linux", target_env = "gnu")) {
        let environ = std::fs::read(format!("/proc/{}/environ", child.id())).unwrap();
        assert!(
            environ
                .split(|b| *b == 0)
                .any(|entry| entry == b"MALLOC_TRIM_THRESHOLD_=131072"),
            "the server runs without MALLOC_TRIM_THRESHOLD_"
        );
    }
    // The password piped to --password-stdin is the one that logs jorge in (trailing newline
    // dropped); a wrong one does not.
    let login = |password: &str| match ureq::post(&format!("{url}/api/v1/auth/login"))
        .send_json(serde_json::json!({"login": "jorge", "password": password}))
    {
        Ok(response) => (response.status(), response.into_string().unwrap()),
        Err(ureq::Error::Status(status, response)) => (status, response.into_string().unwrap()),
        Err(e) => panic!("login request failed: {e}"),
    };
    let (status, body) = login("a long enough secret");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"username\":\"jorge\""), "{body}");
    assert_eq!(login("a long enough secret\n").0, 401);
    assert_eq!(login("not the secret at all").0, 401);
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "graceful shutdown exits 0, got {status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// GET /healthz over a plain socket until the server answers.
fn wait_for_health(url: &str) -> String {
    use std::io::Read;
    let address = url.trim_start_matches("http://");
    let started = Instant::now();
    loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(address) {
            let request =
                format!("GET /healthz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
            stream.write_all(request.as_bytes()).unwrap();
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            return answer;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "server never answered"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// First run on an empty SQLite database: the admin account and its password are printed.
#[test]
fn first_serve_prints_admin_password() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = tertulia(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("TERTULIA_LOG_FILTER", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .take(4)
        .map(|l| l.unwrap())
        .collect();
    child.kill().unwrap();
    let _ = child.wait();
    assert!(
        lines[1].contains("an admin account was created"),
        "{lines:?}"
    );
    assert_eq!(lines[2].trim(), "username: admin");
    assert!(lines[3].trim().starts_with("password: "));
    assert!(
        dir.path().join("data/tertulia.db").exists(),
        "default SQLite file in ./data"
    );
}

mod operator {
    #[test]
    fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        super::operator_story(&format!("sqlite://{}", dir.path().join("ops.db").display()));
    }

    #[test]
    fn postgres() {
        let Some(database) = super::pg::TestDatabase::create("cli") else {
            return;
        };
        super::operator_story(&database.url);
    }
}

/// `tertulia bench generate` then `bench run --smoke`: the driver keeps working end to end.
fn bench_smoke(database_url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = run(tertulia(dir.path()).args([
        "bench",
        "generate",
        "--size",
        "tiny",
        "--database",
        database_url,
    ]));
    assert!(ok, "{err}");
    assert!(out.contains("posts") && out.contains("2000"), "{out}");
    let (ok, out, err) =
        run(tertulia(dir.path()).args(["bench", "run", "--smoke", "--database", database_url]));
    assert!(ok, "{out}{err}");
    for op in [
        "plaintext",
        "fortunes",
        "thread_page",
        "mega_deep",
        "category_deep",
        "home_latest",
        "review_queue",
        "reply",
    ] {
        assert!(out.contains(&format!("| {op} |")), "{op} missing: {out}");
    }
    assert!(out.contains("thread_page / fortunes"));
    let (ok, _, err) = run(tertulia(dir.path()).args(["bench", "generate", "--size", "huge"]));
    assert!(!ok && err.contains("unknown size"), "{err}");
}

mod bench {
    #[test]
    fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        super::bench_smoke(&format!(
            "sqlite://{}",
            dir.path().join("bench.db").display()
        ));
    }

    #[test]
    fn postgres() {
        let Some(database) = super::pg::TestDatabase::create("bench") else {
            return;
        };
        super::bench_smoke(&database.url);
    }
}

/// `tertulia search reindex` twice, then `tertulia audit verify` on the demo community's history: it verifies, then names the entry
/// a database operator changed behind the application's back (after dropping the guard).
fn audit_story(database_url: &str, tamper: impl FnOnce(&str)) {
    let dir = tempfile::tempdir().unwrap();
    let with_db = |command: &mut Command| {
        command.env("TERTULIA_DATABASE_URL", database_url);
    };
    let mut demo = tertulia(dir.path());
    with_db(&mut demo);
    let (ok, out, err) = run(demo.arg("demo"));
    assert!(ok, "{out}{err}");
    // The search index rebuilds from the posts, as often as asked.
    for _ in 0..2 {
        let mut reindex = tertulia(dir.path());
        with_db(&mut reindex);
        let (ok, out, err) = run(reindex.args(["search", "reindex"]));
        assert!(
            ok && out.starts_with("database search index rebuilt: "),
            "{out}{err}"
        );
        assert!(!out.contains("rebuilt: 0 posts"), "{out}");
    }
    // With Meilisearch configured, it is rebuilt too, as often as asked.
    match std::env::var("TERTULIA_TEST_MEILI_URL") {
        Ok(url) if !url.is_empty() => {
            let index = format!("cli_{}_{}", std::process::id(), rand_suffix());
            for _ in 0..2 {
                let mut reindex = tertulia(dir.path());
                with_db(&mut reindex);
                reindex
                    .env("TERTULIA_SEARCH_URL", &url)
                    .env("TERTULIA_SEARCH_INDEX", &index);
                if let Ok(key) = std::env::var("TERTULIA_TEST_MEILI_KEY") {
                    reindex.env("TERTULIA_SEARCH_KEY", key);
                }
                let (ok, out, err) = run(reindex.args(["search", "reindex"]));
                assert!(
                    ok && out.contains(&format!(
                        "Meilisearch indexes {index} and {index}_events rebuilt: "
                    )),
                    "{out}{err}"
                );
            }
        }
        _ => skip::optional(
            "TERTULIA_TEST_MEILI_URL is not set: reindexing Meilisearch is not tested",
        ),
    }
    let mut verify = tertulia(dir.path());
    with_db(&mut verify);
    let (ok, out, err) = run(verify.args(["audit", "verify"]));
    assert!(ok, "{err}");
    assert!(
        out.starts_with("audit log verified: ") && !out.contains(": 0 entries"),
        "{out}"
    );
    tamper(database_url);
    let mut verify = tertulia(dir.path());
    with_db(&mut verify);
    let (ok, _, err) = run(verify.args(["audit", "verify"]));
    assert!(!ok);
    assert!(err.contains("audit log broken at entry 3 (hash)"), "{err}");
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

const TAMPER: &str = "UPDATE audit_log SET reason = 'nothing happened' WHERE id = 3";

mod audit {
    use diesel::connection::SimpleConnection as _;
    use diesel::Connection as _;

    #[test]
    fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.db");
        super::audit_story(&format!("sqlite://{}", path.display()), |_| {
            let mut conn =
                diesel::SqliteConnection::establish(&path.display().to_string()).unwrap();
            conn.batch_execute(&format!(
                "DROP TRIGGER audit_log_no_update; {}",
                super::TAMPER
            ))
            .unwrap();
        });
    }

    #[test]
    fn postgres() {
        let Some(database) = super::pg::TestDatabase::create("audit") else {
            return;
        };
        super::audit_story(&database.url, |url| {
            let mut conn = diesel::PgConnection::establish(url).unwrap();
            conn.batch_execute(&format!(
                "DROP TRIGGER audit_log_no_change ON audit_log; {}",
                super::TAMPER
            ))
            .unwrap();
        });
    }
}
