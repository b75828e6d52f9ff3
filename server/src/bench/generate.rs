//! `tertulia bench generate`: a seeded, deterministic forum of a chosen size, in the shape
//! `shared/reference/benchmarks.md` describes — heavy-tailed threads and authors, one
//! 20,000-post megathread, Markdown bodies with quotes, code, emoji and CJK, reactions, read
//! markers and a few very watched threads. Rows go in with multi-row inserts (500 rows a
//! statement, a transaction per batch); posts are cooked by the same Markdown renderer as the
//! write path, so the rows are the ones the application would have written.

use std::collections::HashSet;
use std::time::Instant;

use chrono::{Duration, NaiveDateTime};
use diesel::connection::SimpleConnection;
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::accounts::service::PasswordHasher;
use crate::db::{BackendKind, DbConnection};
use crate::forum::markdown;

/// The password of every generated account (the load driver logs in with it).
pub const BENCH_PASSWORD: &str = "bench-password-123";
pub const MEGATHREAD_ID: i64 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Size {
    pub name: &'static str,
    pub users: i64,
    pub categories: i64,
    pub threads: i64,
    pub posts: i64,
    pub megathread_posts: i64,
    pub watched_threads: [i64; 3],
    /// Open items in the moderators' review queue (one report each).
    pub review_items: i64,
}

impl Size {
    pub fn parse(name: &str) -> Option<Size> {
        match name.to_ascii_lowercase().as_str() {
            "tiny" => Some(Size {
                name: "tiny",
                users: 60,
                categories: 4,
                threads: 200,
                posts: 2_000,
                megathread_posts: 500,
                watched_threads: [20, 40, 50],
                review_items: 200,
            }),
            "s" => Some(Size {
                name: "S",
                users: 1_000,
                categories: 10,
                threads: 5_000,
                posts: 50_000,
                megathread_posts: 20_000,
                watched_threads: [500, 800, 1_000],
                review_items: 10_000,
            }),
            "m" => Some(Size {
                name: "M",
                users: 20_000,
                categories: 30,
                threads: 100_000,
                posts: 1_000_000,
                megathread_posts: 20_000,
                watched_threads: [5_000, 10_000, 20_000],
                review_items: 10_000,
            }),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub size: Size,
    pub seed: u64,
    pub rows: Vec<(String, i64)>,
    pub database_bytes: Option<u64>,
    pub seconds: f64,
    /// SHA-256 over a sample of generated posts: the same seed gives the same value.
    pub sample_checksum: String,
}

pub(super) const WORDS: &[&str] = &[
    "espresso",
    "grinder",
    "burr",
    "crema",
    "channeling",
    "tamp",
    "basket",
    "portafilter",
    "shot",
    "ratio",
    "extraction",
    "bitter",
    "sour",
    "sweet",
    "roast",
    "light",
    "medium",
    "dark",
    "beans",
    "origin",
    "Ethiopia",
    "Colombia",
    "washed",
    "natural",
    "kettle",
    "pour",
    "bloom",
    "filter",
    "paper",
    "milk",
    "steam",
    "microfoam",
    "latte",
    "pressure",
    "gauge",
    "boiler",
    "descale",
    "warranty",
    "gasket",
    "shower",
    "screen",
    "pump",
    "temperature",
    "PID",
    "firmware",
    "scale",
    "timer",
    "grams",
    "seconds",
    "retention",
    "dial",
    "in",
    "the",
    "and",
    "with",
    "my",
    "after",
    "before",
    "every",
    "morning",
    "it",
    "tastes",
    "better",
    "than",
    "yesterday",
    "maybe",
    "try",
    "finer",
    "coarser",
    "water",
    "hardness",
    "filter",
    "jug",
    "cup",
    "Aurora",
    "Molino",
    "Duo",
];
const EMOJI: &[&str] = &["☕", "🔥", "👍", "😅", "🎉", "🤔"];
const CJK: &[&str] = &[
    "コーヒーは美味しいです。",
    "今天的咖啡很好喝。",
    "커피 한 잔 주세요.",
    "抽出時間は28秒でした。",
];

struct Bodies {
    rng: StdRng,
}

impl Bodies {
    /// A Markdown body of log-normal length (median ~300 characters, p99 ~7 KB).
    fn body(&mut self) -> String {
        let normal: f64 = (0..12).map(|_| self.rng.gen::<f64>()).sum::<f64>() - 6.0;
        let target = (300.0 * (1.35 * normal).exp()).clamp(20.0, 20_000.0) as usize;
        let mut text = String::with_capacity(target + 64);
        if self.rng.gen_bool(0.15) {
            text.push_str("> ");
            self.sentence(&mut text, 12);
            text.push_str("\n\n");
        }
        while text.len() < target {
            self.sentence(&mut text, 18);
            let roll: f64 = self.rng.gen();
            if roll < 0.04 {
                text.push_str("\n\n```\nshot: 18g in, 36g out, 28s\ntemp: 93C\n```\n\n");
            } else if roll < 0.08 {
                text.push_str(CJK[self.rng.gen_range(0..CJK.len())]);
                text.push(' ');
            } else if roll < 0.14 {
                text.push_str(EMOJI[self.rng.gen_range(0..EMOJI.len())]);
                text.push(' ');
            } else if roll < 0.18 {
                text.push_str("\n\n- **tip**: ");
            } else if roll < 0.25 {
                text.push_str("\n\n");
            }
        }
        text
    }

    fn sentence(&mut self, out: &mut String, max_words: usize) {
        let count = self.rng.gen_range(4..max_words);
        for i in 0..count {
            let word = WORDS[self.rng.gen_range(0..WORDS.len())];
            if i == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(word);
            }
        }
        out.push_str(". ");
    }
}

/// Picks an index with probability ∝ 1/(rank+1)^s: 1 % of authors write about half the posts.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|i| {
                total += 1.0 / ((i + 1) as f64).powf(s);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut StdRng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.gen::<f64>() * total;
        self.cumulative
            .partition_point(|c| *c < x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn timestamp(t: NaiveDateTime) -> String {
    format!("'{}'", t.format("%Y-%m-%d %H:%M:%S%.6f"))
}

/// Collects VALUES rows and flushes them as multi-row inserts.
struct Inserter<'a> {
    conn: &'a mut DbConnection,
    table: &'static str,
    columns: &'static str,
    rows: Vec<String>,
    written: i64,
}

impl<'a> Inserter<'a> {
    fn new(conn: &'a mut DbConnection, table: &'static str, columns: &'static str) -> Self {
        Inserter {
            conn,
            table,
            columns,
            rows: Vec::with_capacity(500),
            written: 0,
        }
    }

    fn push(&mut self, row: String) -> Result<(), String> {
        self.rows.push(row);
        if self.rows.len() >= 500 {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), String> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            self.table,
            self.columns,
            self.rows.join("), (")
        );
        self.conn
            .batch_execute(&sql)
            .map_err(|e| format!("insert into {}: {e}", self.table))?;
        self.written += self.rows.len() as i64;
        self.rows.clear();
        Ok(())
    }
}

fn bar(length: u64, label: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(length);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(label.to_string());
    bar
}

fn in_transaction(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<(), String>,
) -> Result<(), String> {
    conn.batch_execute("BEGIN").map_err(|e| e.to_string())?;
    match work(conn) {
        Ok(()) => conn.batch_execute("COMMIT").map_err(|e| e.to_string()),
        Err(error) => {
            let _ = conn.batch_execute("ROLLBACK");
            Err(error)
        }
    }
}

/// Writes the dataset into an empty, migrated database.
pub fn generate(
    conn: &mut DbConnection,
    size: Size,
    seed: u64,
    quiet: bool,
) -> Result<Summary, String> {
    let started = Instant::now();
    let existing = count(conn, "users")?;
    if existing > 0 {
        return Err("bench generate needs an empty database (it has users already)".into());
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut bodies = Bodies {
        rng: StdRng::seed_from_u64(seed ^ 0x5eed),
    };
    let epoch = NaiveDateTime::parse_from_str("2024-11-01 00:00:00", "%Y-%m-%d %H:%M:%S")
        .map_err(|e| e.to_string())?;
    let span_minutes = 2 * 365 * 24 * 60;
    let hasher = PasswordHasher::new(19456, 2, 1)?;
    let password_hash = hasher.hash(BENCH_PASSWORD).map_err(|e| format!("{e:?}"))?;

    // Users (all verified; the first is an admin, the next ten brand staff).
    let progress = bar(size.users as u64, "users", quiet);
    in_transaction(conn, |conn| {
        let mut users = Inserter::new(conn, "users", "id, username, username_normalized, email, email_normalized, display_name, password_hash, role, trust_level, locale, created_at, updated_at, email_verified_at, department");
        for id in 1..=size.users {
            let created = epoch + Duration::minutes(rng.gen_range(0..span_minutes / 4));
            let role = if id == 1 { 3 } else { 0 };
            let department = if (2..=11).contains(&id) {
                quote("Support")
            } else {
                "NULL".into()
            };
            users.push(format!(
                "{id}, 'user{id}', 'user{id}', 'user{id}@bench.example', 'user{id}@bench.example', 'User {id}', {}, {role}, 1, {}, {}, {}, {}, {department}",
                quote(&password_hash),
                if id % 3 == 0 { "'es'" } else { "'en'" },
                timestamp(created), timestamp(created), timestamp(created)
            ))?;
            progress.inc(1);
        }
        users.flush()
    })?;
    progress.finish();

    in_transaction(conn, |conn| {
        let mut categories = Inserter::new(conn, "categories", "id, parent_id, slug, name, description, position, visibility, threads_count, posts_count, created_at");
        for id in 1..=size.categories {
            categories.push(format!(
                "{id}, NULL, 'category-{id}', 'Category {id}', 'Generated category {id}', {id}, 0, 0, 0, {}",
                timestamp(epoch)
            ))?;
        }
        categories.flush()
    })?;

    // Posts per thread: thread 1 is the megathread; the rest share the remaining posts with a
    // Pareto tail (most threads short, a few hundreds of posts long).
    let others = (size.threads - 1).max(1) as usize;
    let remaining = (size.posts - size.megathread_posts - others as i64).max(0) as f64;
    let weights: Vec<f64> = (0..others)
        .map(|_| rng.gen::<f64>().max(1e-9).powf(-1.0 / 1.3))
        .collect();
    let total_weight: f64 = weights.iter().sum();
    let mut per_thread: Vec<i64> = std::iter::once(size.megathread_posts)
        .chain(
            weights
                .iter()
                .map(|w| 1 + (remaining * w / total_weight).floor() as i64),
        )
        .collect();
    let assigned: i64 = per_thread.iter().sum();
    let mut shortfall = size.posts - assigned;
    let mut index = 1;
    while shortfall > 0 && per_thread.len() > 1 {
        per_thread[index] += 1;
        shortfall -= 1;
        index = 1 + (index % (per_thread.len() - 1));
    }
    let authors = Zipf::new(size.users as usize, 1.1);
    // One category holds ~30 % of the threads.
    let category_of = |rng: &mut StdRng| -> i64 {
        if rng.gen_bool(0.3) {
            1
        } else {
            rng.gen_range(1..=size.categories)
        }
    };

    let progress = bar(size.posts as u64, "posts", quiet);
    let mut post_id: i64 = 0;
    let mut sample = Sha256::new();
    let mut category_threads = vec![0i64; size.categories as usize + 1];
    let mut category_posts = vec![0i64; size.categories as usize + 1];
    let empty: HashSet<String> = HashSet::new();
    let batch_threads = 200usize;
    for chunk_start in (0..per_thread.len()).step_by(batch_threads) {
        let chunk_end = (chunk_start + batch_threads).min(per_thread.len());
        in_transaction(conn, |conn| {
            let mut thread_rows = vec![];
            let mut post_rows = vec![];
            let mut reaction_rows = vec![];
            for (offset, posts_here) in per_thread[chunk_start..chunk_end].iter().enumerate() {
                let thread_id = (chunk_start + offset) as i64 + 1;
                let category = if thread_id == MEGATHREAD_ID {
                    1
                } else {
                    category_of(&mut rng)
                };
                let author = authors.sample(&mut rng) as i64 + 1;
                let created = epoch + Duration::minutes(rng.gen_range(0..span_minutes));
                let mut at = created;
                for number in 1..=*posts_here {
                    post_id += 1;
                    let writer = if number == 1 {
                        author
                    } else {
                        authors.sample(&mut rng) as i64 + 1
                    };
                    at += Duration::seconds(rng.gen_range(30..6 * 3600));
                    let raw = bodies.body();
                    let cooked = markdown::render(&raw, &empty, &[]);
                    if post_id % 97 == 0 {
                        sample.update(post_id.to_le_bytes());
                        sample.update(raw.as_bytes());
                    }
                    let likes = rng.gen_range(0..=6i64);
                    let mut used = HashSet::new();
                    for _ in 0..likes {
                        let user = rng.gen_range(1..=size.users);
                        if user != writer && used.insert(user) {
                            reaction_rows.push(format!("{post_id}, {user}, 0, {}", timestamp(at)));
                        }
                    }
                    post_rows.push(format!(
                        "{post_id}, {thread_id}, {number}, {writer}, {}, {}, {}, 1, 0, {}",
                        quote(&raw),
                        quote(&cooked),
                        timestamp(at),
                        used.len()
                    ));
                }
                let title = format!(
                    "Thread {thread_id}: {} {} {}",
                    WORDS[thread_id as usize % WORDS.len()],
                    WORDS[(thread_id as usize * 7) % WORDS.len()],
                    WORDS[(thread_id as usize * 13) % WORDS.len()]
                );
                let slug = crate::forum::service::slugify(&title);
                thread_rows.push(format!(
                    "{thread_id}, {category}, {author}, {}, {}, {}, {}, {}, {posts_here}, {posts_here}, 0, 0, 0, 0",
                    if thread_id % 3 == 0 { 1 } else { 0 },
                    quote(&title), quote(&slug), timestamp(created), timestamp(at)
                ));
                category_threads[category as usize] += 1;
                category_posts[category as usize] += posts_here;
                progress.inc(*posts_here as u64);
            }
            let mut threads = Inserter::new(conn, "threads", "id, category_id, author_id, kind, title, slug, created_at, bumped_at, last_post_number, posts_count, views, likes, pinned, locked");
            for row in thread_rows {
                threads.push(row)?;
            }
            threads.flush()?;
            let mut posts = Inserter::new(conn, "posts", "id, thread_id, number, author_id, raw, cooked, created_at, version, official, likes");
            for row in post_rows {
                posts.push(row)?;
            }
            posts.flush()?;
            let mut reactions =
                Inserter::new(conn, "reactions", "post_id, user_id, kind, created_at");
            for row in reaction_rows {
                reactions.push(row)?;
            }
            reactions.flush()
        })?;
    }
    progress.finish();

    // Counters, read markers for active users, and a few heavily watched threads.
    in_transaction(conn, |conn| {
        for category in 1..=size.categories {
            conn.batch_execute(&format!(
                "UPDATE categories SET threads_count = {}, posts_count = {} WHERE id = {category}",
                category_threads[category as usize], category_posts[category as usize]
            ))
            .map_err(|e| e.to_string())?;
        }
        conn.batch_execute(
            "UPDATE threads SET last_poster_id = (SELECT posts.author_id FROM posts \
             WHERE posts.thread_id = threads.id ORDER BY posts.number DESC LIMIT 1)",
        )
        .map_err(|e| e.to_string())?;
        let mut reads = Inserter::new(conn, "thread_reads", "user_id, thread_id, last_read_number");
        let active = (size.users / 10).max(1);
        for user in 1..=active {
            let mut seen = HashSet::new();
            for _ in 0..50 {
                let thread = rng.gen_range(1..=size.threads);
                if seen.insert(thread) {
                    let read = rng.gen_range(1..=per_thread[thread as usize - 1]);
                    reads.push(format!("{user}, {thread}, {read}"))?;
                }
            }
        }
        reads.flush()?;
        let mut watches = Inserter::new(conn, "thread_watches", "user_id, thread_id, level");
        for (index, watchers) in size.watched_threads.iter().enumerate() {
            let thread = index as i64 + 2;
            for user in 1..=(*watchers).min(size.users) {
                watches.push(format!("{user}, {thread}, 1"))?;
            }
        }
        watches.flush()
    })?;
    // The moderators' queue: open items on posts, one report and one snapshot each.
    in_transaction(conn, |conn| {
        let mut items = Inserter::new(conn, "review_items", "id, target_kind, target_id, status, priority, score, reports_count, version, due_at, created_at, updated_at, origin");
        let open = size.review_items.min(size.posts);
        for id in 1..=open {
            let created = epoch + Duration::minutes(span_minutes - rng.gen_range(0..60 * 24 * 10));
            let priority = if id % 50 == 0 { 1 } else { 0 };
            let due = created + Duration::hours(if priority == 1 { 24 } else { 72 });
            items.push(format!(
                "{id}, 0, {id}, 0, {priority}, 1, 1, 2, {}, {}, {}, 0",
                timestamp(due),
                timestamp(created),
                timestamp(created)
            ))?;
        }
        items.flush()?;
        let mut reports = Inserter::new(
            conn,
            "reports",
            "item_id, reporter_id, reason, explanation, weight, created_at",
        );
        for id in 1..=open {
            let reporter = rng.gen_range(12..=size.users.max(12));
            reports.push(format!(
                "{id}, {reporter}, {}, 'Looks like spam to me.', 1, {}",
                id % 5,
                timestamp(epoch + Duration::minutes(span_minutes))
            ))?;
        }
        reports.flush()?;
        let mut snapshots = Inserter::new(
            conn,
            "evidence_snapshots",
            "item_id, content, digest, taken_at",
        );
        for id in 1..=open {
            snapshots.push(format!(
                "{id}, {}, '{}', {}",
                quote(&format!("{{\"target_kind\":\"post\",\"target_id\":{id},\"url\":\"/p/{id}\",\"title\":\"Thread\",\"text\":\"Reported text {id}\",\"author\":\"user{id}\",\"revision\":1,\"written_at\":\"2026-01-01T00:00:00+00:00\"}}")),
                "0".repeat(64),
                timestamp(epoch + Duration::minutes(span_minutes))
            ))?;
        }
        snapshots.flush()
    })?;
    crate::db::reset_sequences(conn).map_err(|e| e.to_string())?;

    let mut rows = vec![];
    for table in [
        "users",
        "categories",
        "threads",
        "posts",
        "reactions",
        "thread_reads",
        "thread_watches",
        "review_items",
    ] {
        rows.push((table.to_string(), count(conn, table)?));
    }
    Ok(Summary {
        size,
        seed,
        rows,
        database_bytes: crate::db::database_size(conn),
        seconds: started.elapsed().as_secs_f64(),
        sample_checksum: hex::encode(sample.finalize()),
    })
}

fn count(conn: &mut DbConnection, table: &str) -> Result<i64, String> {
    use diesel::sql_types::BigInt;
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<Count>(conn)
        .map(|c| c.n)
        .map_err(|e| e.to_string())
}

pub fn backend_name(conn: &DbConnection) -> &'static str {
    match crate::db::backend_of(conn) {
        BackendKind::Sqlite => "sqlite",
        BackendKind::Postgres => "postgres",
    }
}
