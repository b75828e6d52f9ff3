//! The benchmark generator is deterministic: the same seed writes the same rows on either
//! backend (counts and a checksum over sampled posts); another seed writes other text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia::bench::generate::{generate, Size};
use tertulia::config::DatabaseUrl;
use tertulia::db::Manager;

fn generated(url: &DatabaseUrl, seed: u64) -> tertulia::bench::generate::Summary {
    let mut conn = Manager::new(url).unwrap().connect_once().unwrap();
    tertulia::db::run_migrations(&mut conn).unwrap();
    generate(&mut conn, Size::parse("tiny").unwrap(), seed, true).unwrap()
}

fn sqlite_url(dir: &tempfile::TempDir, name: &str) -> DatabaseUrl {
    DatabaseUrl::new(format!("sqlite://{}", dir.path().join(name).display()))
}

fn check(
    first: &tertulia::bench::generate::Summary,
    second: &tertulia::bench::generate::Summary,
    other: &tertulia::bench::generate::Summary,
) {
    assert_eq!(first.rows, second.rows);
    assert_eq!(first.sample_checksum, second.sample_checksum);
    assert_ne!(first.sample_checksum, other.sample_checksum);
    let posts = first.rows.iter().find(|(t, _)| t == "posts").unwrap().1;
    assert_eq!(posts, 2_000);
    assert!(first.rows.iter().find(|(t, _)| t == "reactions").unwrap().1 > 2_000);
}

mod deterministic_generator {
    use super::*;

    #[test]
    fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let a = generated(&sqlite_url(&dir, "a.db"), 7);
        let b = generated(&sqlite_url(&dir, "b.db"), 7);
        let c = generated(&sqlite_url(&dir, "c.db"), 8);
        check(&a, &b, &c);
    }

    #[test]
    fn postgres() {
        let Some(first) = tertulia_tests::pg::TestDatabase::create("bench_a") else {
            return;
        };
        let second = tertulia_tests::pg::TestDatabase::create("bench_b").unwrap();
        let third = tertulia_tests::pg::TestDatabase::create("bench_c").unwrap();
        let a = generated(&DatabaseUrl::new(first.url.clone()), 7);
        let b = generated(&DatabaseUrl::new(second.url.clone()), 7);
        let c = generated(&DatabaseUrl::new(third.url.clone()), 8);
        check(&a, &b, &c);
        // Same seed, same rows, whatever the backend.
        let dir = tempfile::tempdir().unwrap();
        let on_sqlite = generated(&sqlite_url(&dir, "x.db"), 7);
        assert_eq!(on_sqlite.sample_checksum, a.sample_checksum);
        assert_eq!(on_sqlite.rows, a.rows);
    }
}
