//! The search part of `tertulia bench run`: the fixed queries of `search`, the `index_lag`
//! measurement, and, on Meilisearch, filling the index and the `tertulia search worker` that
//! drains the outbox beside the measured server.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::run::{get_json, unreachable_histogram, OpResult, Server};

/// Queries for the `search` operation: 200, fixed, in English and Spanish, with typos and words
/// no post holds; two words about every other query.
pub(super) fn search_queries() -> Vec<String> {
    // The generated posts' own words (longer than 3 letters), then Spanish words, typos and
    // words no post holds.
    const OTHERS: &[&str] = &[
        "molinos",
        "cafetera",
        "descalcificar",
        "descalcificación",
        "café",
        "leche",
        "presión",
        "garantía",
        "temperatura",
        "expresso",
        "grindr",
        "portafiltre",
        "temperatur",
        "extracion",
        "microfom",
        "warrenty",
        "boilr",
        "zumbido",
        "tostado",
        "molienda",
        "shots",
        "grinding",
        "roasted",
        "mornings",
        "finer",
        "coarser",
    ];
    let words: Vec<&str> = super::generate::WORDS
        .iter()
        .filter(|w| w.len() > 3)
        .chain(OTHERS)
        .copied()
        .collect();
    let mut rng = StdRng::seed_from_u64(200);
    (0..200)
        .map(|n| {
            let first = words[n % words.len()];
            if n % 2 == 0 {
                first.to_string()
            } else {
                format!("{first} {}", words[rng.gen_range(0..words.len())])
            }
        })
        .collect()
}

/// `index_lag`: a reply with a word of its own, then searches for it until found; the lag is
/// from the reply's 201 to the start of the first search that found it (0 when the first
/// search, sent at once, did). 50 samples, one after another, after 3 not counted (a warm-up,
/// as for the other operations).
pub(super) fn index_lag(
    base: &str,
    token: &str,
    threads: &[(i64, String, i64)],
) -> Result<OpResult, String> {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let mut rng = StdRng::seed_from_u64(7);
    let mut histogram = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)
        .unwrap_or_else(|_| unreachable_histogram());
    let (mut samples, mut errors) = (0_u64, 0_u64);
    let started = Instant::now();
    for sample in 0..53 {
        let (thread, _, _) = &threads[rng.gen_range(0..threads.len())];
        let word: String = (0..10)
            .map(|_| char::from(b'a' + rng.gen_range(0..26_u8)))
            .collect();
        let word = format!("lag{word}");
        let posted: Value = agent
            .post(&format!("{base}/api/v1/threads/{thread}/posts"))
            .set("Authorization", &format!("Bearer {token}"))
            .send_json(json!({"body": format!("Index lag probe {word}.")}))
            .map_err(|e| format!("index_lag reply: {e}"))?
            .into_json()
            .map_err(|e| e.to_string())?;
        let acknowledged = Instant::now();
        let number = posted["number"].as_i64();
        let mut lag = None;
        while acknowledged.elapsed() < Duration::from_secs(10) {
            let asked = Instant::now();
            let found = get_json(
                &agent,
                &format!("{base}/api/v1/search?q={word}&thread={thread}"),
            )?;
            let hit = found["hits"]
                .as_array()
                .is_some_and(|hits| hits.iter().any(|h| h["post_number"].as_i64() == number));
            if hit {
                lag = Some(asked.duration_since(acknowledged));
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if sample < 3 {
            continue;
        }
        samples += 1;
        match lag {
            Some(lag) => {
                let _ = histogram.record((lag.as_micros() as u64).max(1));
            }
            None => errors += 1,
        }
    }
    let ms = |q: f64| histogram.value_at_quantile(q) as f64 / 1000.0;
    Ok(OpResult {
        name: "index_lag".into(),
        requests: samples,
        errors,
        throughput_rps: samples as f64 / started.elapsed().as_secs_f64(),
        p50_ms: ms(0.50),
        p90_ms: ms(0.90),
        p99_ms: ms(0.99),
        max_ms: histogram.max() as f64 / 1000.0,
        mean_bytes: 0.0,
        cpu_ms_per_request: 0.0,
        sql_per_request: 0.0,
    })
}

/// `tertulia search worker` beside the measured server: it sends the search outbox to
/// Meilisearch, and its statements are not the server's.
pub(super) fn search_worker(
    database_url: &str,
    url: &str,
    key: Option<&str>,
    index: &str,
) -> Result<Server, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut command = Command::new(exe);
    for (name, _) in std::env::vars() {
        if name.starts_with("TERTULIA_") {
            command.env_remove(name);
        }
    }
    command
        .args(["search", "worker"])
        .env("TERTULIA_DATABASE_URL", database_url)
        .env("TERTULIA_SEARCH_URL", url)
        .env("TERTULIA_SEARCH_INDEX", index)
        .env("TERTULIA_WORKER_POLL_MS", "5")
        .env("TERTULIA_LOG_FILTER", "error")
        .env("TERTULIA_DATA_DIR", data.path());
    if let Some(key) = key {
        command.env("TERTULIA_SEARCH_KEY", key);
    }
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the search worker: {e}"))?;
    Ok(Server {
        child,
        base: String::new(),
        _data: data,
    })
}

/// Writes every post to Meilisearch before measuring (the index of a bench database is built
/// once per run; the worker keeps it current afterwards).
pub(super) fn fill_meilisearch(
    database_url: &str,
    url: &str,
    key: Option<&str>,
    index: &str,
) -> Result<(), String> {
    let meili = crate::search::meili::Meili::new(url, key, index, None)?;
    meili.configure()?;
    let manager = crate::db::Manager::new(&crate::config::DatabaseUrl::new(database_url))?;
    let mut conn = manager.connect_once().map_err(|e| e.to_string())?;
    // The servers would migrate on start; the outbox must exist before it is cleared below.
    crate::db::run_migrations(&mut conn).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let done = crate::search::outbox::fill(&mut conn, &meili, |n| {
        if n % 50_000 == 0 {
            eprintln!("Meilisearch: {n} posts written");
        }
    })
    .map_err(|e| e.to_string())?;
    crate::search::outbox::fill_events(&mut conn, &meili).map_err(|e| e.to_string())?;
    // What the outbox held is in the index now.
    use diesel::prelude::*;
    diesel::delete(crate::db::schema::search_outbox::table)
        .execute(&mut conn)
        .map_err(|e| e.to_string())?;
    eprintln!(
        "Meilisearch {}: index {index} filled with {done} posts in {:.0} s",
        meili.version()?,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
