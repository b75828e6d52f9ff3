//! `tertulia bench run`: starts this same binary as a server in bench mode on a generated
//! database, drives each operation with a closed-loop load at fixed concurrency (our own
//! driver: one blocking HTTP client per connection, latencies in an HDR histogram), and reads
//! from the server process its CPU time, peak and current memory, and the SQL statements it ran
//! per request. Results go to `bench/results/<date>-<backend>-<size>.{json,md}`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::{json, Value};

use super::generate::{BENCH_PASSWORD, MEGATHREAD_ID};
use super::report::write_report;
pub use super::report::{markdown, Report};
use super::search::{fill_meilisearch, index_lag, search_queries, search_worker};
use super::Stats;

pub struct Options {
    pub database_url: String,
    pub seconds: u64,
    pub warmup_seconds: u64,
    pub concurrency: usize,
    pub out_dir: Option<PathBuf>,
    /// Search with Meilisearch at this address (and key) instead of the database's index.
    pub search_url: Option<String>,
    pub search_key: Option<String>,
    /// The server on CPU 0, the driver on the other CPUs (`taskset`).
    pub pin: bool,
    /// Only these operations (empty: all of them).
    pub only: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct OpResult {
    pub name: String,
    pub requests: u64,
    pub errors: u64,
    pub throughput_rps: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub mean_bytes: f64,
    pub cpu_ms_per_request: f64,
    pub sql_per_request: f64,
}

pub(super) struct Server {
    pub(super) child: Child,
    pub(super) base: String,
    pub(super) _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// The Meilisearch settings a bench server gets: address, key and index.
type SearchSettings<'a> = Option<(&'a str, Option<&'a str>, &'a str)>;

/// Starts this binary in bench mode (counting statements, no jobs worker), searching with
/// Meilisearch when `search` says so.
/// With `--pin`: this process (the load driver) moves to CPUs 1 and up, and the server it
/// starts runs on CPU 0, so that they never share a core (util-linux's `taskset`).
fn pin_driver() -> Result<(), String> {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cpus < 2 {
        return Err("--pin needs at least two CPUs".into());
    }
    let status = Command::new("taskset")
        .args([
            "-a",
            "-cp",
            &format!("1-{}", cpus - 1),
            &std::process::id().to_string(),
        ])
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("--pin needs taskset (util-linux): {e}"))?;
    if !status.success() {
        return Err(format!("taskset could not pin the driver ({status})"));
    }
    Ok(())
}

fn start_server(
    database_url: &str,
    search: SearchSettings,
    pin: bool,
) -> Result<(Server, f64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let port = free_port()?;
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut command = if pin {
        let mut taskset = Command::new("taskset");
        taskset.arg("-c").arg("0").arg(exe);
        taskset
    } else {
        Command::new(exe)
    };
    for (name, _) in std::env::vars() {
        if name.starts_with("TERTULIA_") {
            command.env_remove(name);
        }
    }
    let started = Instant::now();
    if let Some((url, key, index)) = search {
        command
            .env("TERTULIA_SEARCH_URL", url)
            .env("TERTULIA_SEARCH_INDEX", index);
        if let Some(key) = key {
            command.env("TERTULIA_SEARCH_KEY", key);
        }
    }
    let child = command
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("TERTULIA_DATABASE_URL", database_url)
        .env("TERTULIA_BENCH", "true")
        .env("TERTULIA_LOG_FILTER", "error")
        .env("TERTULIA_DATA_DIR", data.path())
        .env("TERTULIA_LOGIN_LIMIT_PER_IP", "1000")
        // The members' posting limit would refuse the reply load: off (enforcing it costs a
        // reply one indexed statement, not measured here).
        .env("TERTULIA_POSTING_LIMITS", "false")
        // Background jobs (the replies' fan-out) would add their statements to the requests':
        // the measured server runs none (`search_worker` drains the search outbox when
        // Meilisearch is measured).
        .env("TERTULIA_JOBS_WORKER", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        _data: data,
    };
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(5))
        .build();
    loop {
        if agent
            .get(&format!("{}/healthz", server.base))
            .call()
            .is_ok()
        {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            return Err("the server did not become healthy within 120 s".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let cold = started.elapsed().as_secs_f64() * 1000.0;
    Ok((server, cold))
}

/// utime + stime of a process, in milliseconds (Linux USER_HZ is 100).
fn cpu_ms(pid: u32) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i))
        .filter_map(|v| v.parse::<f64>().ok())
        .sum();
    ticks * 10.0
}

fn memory_mb(pid: u32, key: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

pub(super) fn get_json(agent: &ureq::Agent, url: &str) -> Result<Value, String> {
    agent
        .get(url)
        .call()
        .map_err(|e| format!("{url}: {e}"))?
        .into_json()
        .map_err(|e| format!("{url}: {e}"))
}

fn stats(agent: &ureq::Agent, base: &str) -> Result<Stats, String> {
    let value = get_json(agent, &format!("{base}/bench/stats"))?;
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// One request of an operation: method, path, JSON body, expected status.
#[derive(Clone)]
struct Request {
    post: Option<Value>,
    path: String,
    status: u16,
}

type Generator = Box<dyn Fn(&mut StdRng) -> Request + Send + Sync>;

struct Op {
    name: &'static str,
    next: Generator,
    /// Who sends the reads (writes are always the member's).
    who: Who,
}

/// Who an operation's reads come from.
#[derive(Clone, Copy, PartialEq)]
enum Who {
    Visitor,
    /// The brand-staff member (user2), signed in.
    Member,
    /// The administrator (user1), for staff-only reads.
    Admin,
}

impl Op {
    /// A visitor's operation whose requests `next` makes.
    fn new(
        name: &'static str,
        next: impl Fn(&mut StdRng) -> Request + Send + Sync + 'static,
    ) -> Op {
        Op {
            name,
            next: Box::new(next),
            who: Who::Visitor,
        }
    }

    /// A visitor reading one path again and again.
    fn get(name: &'static str, path: impl Into<String>) -> Op {
        let path = path.into();
        Op::new(name, move |_| get(path.clone()))
    }

    fn by(self, who: Who) -> Op {
        Op { who, ..self }
    }
}

fn get(path: String) -> Request {
    Request {
        post: None,
        path,
        status: 200,
    }
}

/// Drives one operation. Without `rate`: closed loop, each connection sends its next request
/// when the previous answer arrives (maximum throughput). With `rate` (requests per second in
/// all): open loop, request k of a connection is due at a fixed time and its latency counts from
/// then, so a slow server cannot hide its queueing delay (no coordinated omission).
fn drive(
    server: &Server,
    op: &Op,
    options: &Options,
    token: &str,
    rate: Option<f64>,
) -> Result<OpResult, String> {
    let pid = server.child.id();
    let control = ureq::agent();
    let run_phase = |seconds: u64, record: bool| -> (Histogram<u64>, u64, u64, u64) {
        let phase_start = Instant::now();
        let deadline = phase_start + Duration::from_secs(seconds);
        let interval =
            rate.map(|r| Duration::from_secs_f64(options.concurrency as f64 / r.max(0.1)));
        let results: Vec<(Histogram<u64>, u64, u64, u64)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..options.concurrency)
                .map(|worker| {
                    let base = server.base.clone();
                    scope.spawn(move || {
                        let agent = ureq::AgentBuilder::new()
                            .timeout(Duration::from_secs(30))
                            .build();
                        let mut rng = StdRng::seed_from_u64(worker as u64 + 1);
                        let mut histogram = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)
                            .unwrap_or_else(|_| {
                                Histogram::new(3).unwrap_or_else(|_| unreachable_histogram())
                            });
                        let (mut count, mut errors, mut bytes) = (0u64, 0u64, 0u64);
                        let mut sent = 0u32;
                        while Instant::now() < deadline {
                            let request = (op.next)(&mut rng);
                            let url = format!("{base}{}", request.path);
                            let began = match interval {
                                Some(every) => {
                                    // Spread connections over the interval, then keep the schedule.
                                    let offset =
                                        every.mul_f64(worker as f64 / options.concurrency as f64);
                                    let due = phase_start + offset + every * sent;
                                    sent += 1;
                                    if due >= deadline {
                                        break;
                                    }
                                    if let Some(wait) = due.checked_duration_since(Instant::now()) {
                                        std::thread::sleep(wait);
                                    }
                                    due
                                }
                                None => Instant::now(),
                            };
                            let response = match &request.post {
                                Some(body) => agent
                                    .post(&url)
                                    .set("Authorization", &format!("Bearer {token}"))
                                    .send_json(body.clone()),
                                // Reads are anonymous, except the staff-only ones and the
                                // member's.
                                None if op.who != Who::Visitor => agent
                                    .get(&url)
                                    .set("Authorization", &format!("Bearer {token}"))
                                    .call(),
                                None => agent.get(&url).call(),
                            };
                            let (status, length) = match response {
                                Ok(r) => {
                                    let status = r.status();
                                    (status, r.into_string().map(|b| b.len()).unwrap_or(0))
                                }
                                Err(ureq::Error::Status(status, r)) => {
                                    (status, r.into_string().map(|b| b.len()).unwrap_or(0))
                                }
                                Err(_) => (0, 0),
                            };
                            let micros = began.elapsed().as_micros() as u64;
                            if record {
                                let _ = histogram.record(micros.max(1));
                                count += 1;
                                bytes += length as u64;
                                if status != request.status || length == 0 {
                                    errors += 1;
                                }
                            }
                        }
                        (histogram, count, errors, bytes)
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        let mut total = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)
            .unwrap_or_else(|_| unreachable_histogram());
        let (mut count, mut errors, mut bytes) = (0, 0, 0);
        for (h, c, e, b) in results {
            let _ = total.add(&h);
            count += c;
            errors += e;
            bytes += b;
        }
        (total, count, errors, bytes)
    };
    if options.warmup_seconds > 0 {
        run_phase(options.warmup_seconds, false);
    }
    let before_stats = stats(&control, &server.base)?;
    let before_cpu = cpu_ms(pid);
    let started = Instant::now();
    let (histogram, requests, errors, bytes) = run_phase(options.seconds, true);
    let elapsed = started.elapsed().as_secs_f64();
    let after_cpu = cpu_ms(pid);
    let after_stats = stats(&control, &server.base)?;
    let served = (after_stats.requests - before_stats.requests).max(1) as f64;
    let ms = |q: f64| histogram.value_at_quantile(q) as f64 / 1000.0;
    Ok(OpResult {
        name: match rate {
            Some(r) => format!("{} @ {:.0}/s", op.name, r),
            None => op.name.to_string(),
        },
        requests,
        errors,
        throughput_rps: requests as f64 / elapsed,
        p50_ms: ms(0.50),
        p90_ms: ms(0.90),
        p99_ms: ms(0.99),
        max_ms: histogram.max() as f64 / 1000.0,
        mean_bytes: bytes as f64 / requests.max(1) as f64,
        cpu_ms_per_request: (after_cpu - before_cpu) / served,
        sql_per_request: (after_stats.queries - before_stats.queries) as f64 / served,
    })
}

pub(super) fn unreachable_histogram() -> Histogram<u64> {
    // new(3) only fails for a precision above 5; kept total for clippy's sake.
    Histogram::new(2).unwrap_or_else(|_| std::process::abort())
}

/// Runs every operation and writes the report.
pub fn run(options: Options) -> Result<Report, String> {
    let backend = if options.database_url.starts_with("sqlite") {
        "sqlite"
    } else {
        "postgres"
    };
    let index = format!("tertulia_bench_{backend}");
    let search: SearchSettings = options
        .search_url
        .as_deref()
        .map(|url| (url, options.search_key.as_deref(), index.as_str()));
    if let Some((url, key, index)) = search {
        fill_meilisearch(&options.database_url, url, key, index)?;
    }
    let _worker = match search {
        Some((url, key, index)) => Some(search_worker(&options.database_url, url, key, index)?),
        None => None,
    };
    if options.pin {
        pin_driver()?;
    }
    let (server, cold_start_ms) = start_server(&options.database_url, search, options.pin)?;
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let base = server.base.clone();

    // What the data looks like: categories, a sample of threads, the megathread's length.
    let categories = get_json(&agent, &format!("{base}/api/v1/categories"))?;
    let categories = categories.as_array().cloned().unwrap_or_default();
    let posts: i64 = categories
        .iter()
        .filter_map(|c| c["posts_count"].as_i64())
        .sum();
    let busiest = categories
        .iter()
        .max_by_key(|c| c["threads_count"].as_i64().unwrap_or(0))
        .and_then(|c| c["slug"].as_str())
        .ok_or("the database has no categories: run `tertulia bench generate` first")?
        .to_string();
    let mut sample: Vec<(i64, String, i64)> = vec![];
    let mut cursor: Option<String> = None;
    let mut deep_cursor = String::new();
    for page in 0..40 {
        let url = match &cursor {
            Some(c) => format!("{base}/api/v1/categories/{busiest}/threads?after={c}"),
            None => format!("{base}/api/v1/categories/{busiest}/threads"),
        };
        let list = get_json(&agent, &url)?;
        for thread in list["threads"].as_array().cloned().unwrap_or_default() {
            if let (Some(id), Some(slug), Some(count)) = (
                thread["id"].as_i64(),
                thread["slug"].as_str(),
                thread["posts_count"].as_i64(),
            ) {
                if id != MEGATHREAD_ID {
                    sample.push((id, slug.to_string(), count));
                }
            }
        }
        match list["next_after"].as_str() {
            Some(next) => {
                cursor = Some(next.to_string());
                if page < 20 {
                    deep_cursor = next.to_string();
                }
            }
            None => break,
        }
    }
    if sample.is_empty() {
        return Err("no threads to read".into());
    }
    let mega = get_json(&agent, &format!("{base}/api/v1/threads/{MEGATHREAD_ID}"))?;
    let mega_posts = mega["thread"]["posts_count"].as_i64().unwrap_or(1) as i32;
    let mega_slug = mega["thread"]["slug"]
        .as_str()
        .unwrap_or("thread")
        .to_string();
    let mega_deep = crate::forum::service::page_start_for(mega_posts / 2);
    let token: String = agent
        .post(&format!("{base}/api/v1/auth/tokens"))
        .send_json(json!({"login": "user2", "password": BENCH_PASSWORD, "name": "bench"}))
        .map_err(|e| format!("bench login: {e}"))?
        .into_json::<Value>()
        .map_err(|e| e.to_string())?["token"]
        .as_str()
        .ok_or("no token")?
        .to_string();

    let admin_token: String = agent
        .post(&format!("{base}/api/v1/auth/tokens"))
        .send_json(json!({"login": "user1", "password": BENCH_PASSWORD, "name": "bench"}))
        .map_err(|e| format!("bench login: {e}"))?
        .into_json::<Value>()
        .map_err(|e| e.to_string())?["token"]
        .as_str()
        .ok_or("no token")?
        .to_string();
    // The member's own marks on the threads they read (`thread_page_member`): a like and a
    // bookmark on the first post of the first 40 (refusals, such as their own post, are fine).
    for (id, _, _) in sample.iter().take(40) {
        let page = agent
            .get(&format!("{base}/api/v1/threads/{id}"))
            .set("Authorization", &format!("Bearer {token}"))
            .call()
            .map_err(|e| format!("bench: reading thread {id}: {e}"))?
            .into_json::<Value>()
            .map_err(|e| e.to_string())?;
        if let Some(post) = page["posts"][0]["id"].as_i64() {
            let bearer = format!("Bearer {token}");
            let _ = agent
                .post(&format!("{base}/api/v1/posts/{post}/reactions"))
                .set("Authorization", &bearer)
                .send_json(json!({"kind": "like"}));
            let _ = agent
                .post(&format!("{base}/api/v1/posts/{post}/bookmark"))
                .set("Authorization", &bearer)
                .send_json(json!({}));
        }
    }
    let sample = std::sync::Arc::new(sample);
    let thread_first = {
        let sample = sample.clone();
        move |rng: &mut StdRng| {
            let (id, slug, _) = &sample[rng.gen_range(0..sample.len())];
            get(format!("/t/{slug}/{id}"))
        }
    };
    let thread_last = {
        let sample = sample.clone();
        move |rng: &mut StdRng| {
            let (id, slug, count) = &sample[rng.gen_range(0..sample.len())];
            get(format!(
                "/t/{slug}/{id}?after={}",
                crate::forum::service::page_start_for(*count as i32)
            ))
        }
    };
    let mega_first_path = format!("/t/{mega_slug}/{MEGATHREAD_ID}");
    let mega_deep_path = format!("/t/{mega_slug}/{MEGATHREAD_ID}?after={mega_deep}");
    let pick = {
        let sample = sample.clone();
        move |rng: &mut StdRng| sample[rng.gen_range(0..sample.len())].0
    };
    let queries: Vec<String> = search_queries()
        .iter()
        .map(|q| serde_urlencoded::to_string([("q", q)]).unwrap_or_default())
        .collect();
    let mut ops: Vec<Op> = vec![
        Op::get("plaintext", "/bench/plaintext"),
        Op::get("fortunes", "/bench/fortunes"),
        Op::new("thread_page", {
            let (first, last) = (thread_first.clone(), thread_last.clone());
            let deep = mega_deep_path.clone();
            move |rng: &mut StdRng| {
                let roll: f64 = rng.gen();
                if roll < 0.7 {
                    first(rng)
                } else if roll < 0.9 {
                    last(rng)
                } else {
                    get(deep.clone())
                }
            }
        }),
        Op::new("thread_page_member", {
            let (first, last) = (thread_first.clone(), thread_last.clone());
            move |rng: &mut StdRng| match rng.gen::<f64>() < 0.7 {
                true => first(rng),
                false => last(rng),
            }
        })
        .by(Who::Member),
        Op::new("thread_first_json", {
            let pick = pick.clone();
            move |rng: &mut StdRng| get(format!("/api/v1/threads/{}", pick(rng)))
        }),
        Op::new("thread_first", thread_first),
        Op::new("thread_last", thread_last),
        Op::get("mega_first", mega_first_path),
        Op::get("mega_deep", mega_deep_path),
        Op::get("category_first", format!("/c/{busiest}")),
        Op::get("category_deep", format!("/c/{busiest}?after={deep_cursor}")),
        Op::get("home_latest", "/"),
        Op::get("latest_json", "/api/v1/latest"),
        Op::get("review_queue", "/api/v1/review").by(Who::Admin),
        Op::new("search", move |rng: &mut StdRng| {
            get(format!(
                "/api/v1/search?{}",
                queries[rng.gen_range(0..queries.len())]
            ))
        }),
        Op::new("leaderboard", |rng: &mut StdRng| {
            let period = ["week", "month", "all"][rng.gen_range(0..3)];
            get(format!("/api/v1/leaderboard?period={period}"))
        }),
        Op::new("reply", move |rng: &mut StdRng| Request {
            post: Some(json!({
                "body": format!("Bench reply {} with **Markdown** and a `code` span.", rng.gen::<u32>())
            })),
            path: format!("/api/v1/threads/{}/posts", pick(rng)),
            status: 201,
        }),
    ];

    let print = |result: &OpResult| {
        eprintln!(
            "{:>24}: {:>8.1} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}  sql/req {:.1}",
            result.name,
            result.throughput_rps,
            result.p50_ms,
            result.p99_ms,
            result.errors,
            result.sql_per_request
        );
    };
    let wanted = |name: &str| options.only.is_empty() || options.only.iter().any(|n| n == name);
    if let Some(unknown) = options.only.iter().find(|n| {
        !ops.iter().any(|op| op.name == n.as_str())
            && !["index_lag", "badges_backfill"].contains(&n.as_str())
    }) {
        let names: Vec<&str> = ops.iter().map(|op| op.name).collect();
        return Err(format!(
            "--only: no operation is called {unknown:?}; there are index_lag, badges_backfill, {}",
            names.join(", ")
        ));
    }
    ops.retain(|op| wanted(op.name));
    let mut results = vec![];
    // Before the write load: the lag of one reply at a time, not of a saturated queue.
    if wanted("index_lag") {
        let lag = index_lag(&base, &token, &sample)?;
        print(&lag);
        results.push(lag);
    }
    if wanted("badges_backfill") {
        let backfill = super::reputation::badges_backfill(&options.database_url)?;
        print(&backfill);
        results.push(backfill);
    }
    super::reputation::fill_leaderboards(&options.database_url)?;
    let one_offs = results.len();
    let token_of = |op: &Op| match op.who {
        Who::Admin => &admin_token,
        Who::Visitor | Who::Member => &token,
    };
    for op in &ops {
        let result = drive(&server, op, &options, token_of(op), None)?;
        print(&result);
        results.push(result);
    }
    let mut at_half_rate = vec![];
    // The one-off measures (index lag, the badges' backfill) come first in `results`.
    for (op, maximum) in ops.iter().zip(results.iter().skip(one_offs)) {
        if matches!(op.name, "plaintext" | "fortunes" | "reply") {
            continue;
        }
        let result = drive(
            &server,
            op,
            &options,
            token_of(op),
            Some(maximum.throughput_rps / 2.0),
        )?;
        print(&result);
        at_half_rate.push(result);
    }
    let find = |name: &str| results.iter().find(|r| r.name == name);
    let ratio = |a: Option<&OpResult>, b: Option<&OpResult>, f: fn(&OpResult) -> f64| match (a, b) {
        (Some(a), Some(b)) if f(b) > 0.0 => f(a) / f(b),
        _ => 0.0,
    };
    let ratios = json!({
        "thread_page_over_plaintext": ratio(find("thread_page"), find("plaintext"), |r| r.throughput_rps),
        "thread_page_over_fortunes": ratio(find("thread_page"), find("fortunes"), |r| r.throughput_rps),
        "thread_page_member_over_fortunes": ratio(find("thread_page_member"), find("fortunes"), |r| r.throughput_rps),
        // What a page costs over the same data as JSON (CPU per request).
        "thread_html_over_json_cpu": ratio(find("thread_first"), find("thread_first_json"), |r| r.cpu_ms_per_request),
        "latest_html_over_json_cpu": ratio(find("home_latest"), find("latest_json"), |r| r.cpu_ms_per_request),
        "deep_page_p99_over_first_page_p99": ratio(find("mega_deep"), find("mega_first"), |r| r.p99_ms),
        "category_deep_p99_over_first_p99": ratio(find("category_deep"), find("category_first"), |r| r.p99_ms),
    });
    let pid = server.child.id();
    let size = match posts {
        p if p >= 900_000 => "M",
        p if p >= 40_000 => "S",
        _ => "tiny",
    };
    let report = Report {
        date: chrono::Utc::now().format("%Y-%m-%d").to_string(),
        backend: backend.to_string(),
        engine: if search.is_some() {
            "meilisearch"
        } else {
            "database"
        }
        .to_string(),
        size: size.to_string(),
        posts,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        concurrency: options.concurrency,
        seconds: options.seconds,
        pinned: options.pin,
        operations: results,
        at_half_rate,
        ratios,
        server_peak_rss_mb: memory_mb(pid, "VmHWM:"),
        server_rss_mb: memory_mb(pid, "VmRSS:"),
        cold_start_ms,
    };
    if let Some(dir) = &options.out_dir {
        write_report(dir, &report)?;
    }
    Ok(report)
}
