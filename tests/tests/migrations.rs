//! Migrations: both folders list the same migrations, and up → down → up works on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use tertulia::config::DatabaseUrl;
use tertulia::db::{revert_all_migrations, run_migrations, Manager};

fn names(backend: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(backend);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names("postgres"));
    for name in &sqlite {
        for backend in ["sqlite", "postgres"] {
            for file in ["up.sql", "down.sql"] {
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../migrations")
                    .join(backend)
                    .join(name)
                    .join(file);
                assert!(path.is_file(), "{} missing", path.display());
            }
        }
    }
}

fn round_trip(url: &DatabaseUrl) {
    let mut conn = Manager::new(url).unwrap().connect_once().unwrap();
    let applied = run_migrations(&mut conn).unwrap();
    assert_eq!(applied.len(), names("sqlite").len());
    let reverted = revert_all_migrations(&mut conn).unwrap();
    assert_eq!(reverted.len(), applied.len());
    let again = run_migrations(&mut conn).unwrap();
    assert_eq!(again, applied);
    assert!(
        run_migrations(&mut conn).unwrap().is_empty(),
        "nothing left to apply"
    );
}

mod up_down_up {
    use super::*;

    #[test]
    fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        round_trip(&DatabaseUrl::new(format!(
            "sqlite://{}",
            dir.path().join("m.db").display()
        )));
    }

    #[test]
    fn postgres() {
        let Some(database) = tertulia_tests::pg::TestDatabase::create("migrations") else {
            return;
        };
        round_trip(&DatabaseUrl::new(database.url.clone()));
    }
}
