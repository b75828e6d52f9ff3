//! Migrations: both folders list the same migrations, up → down → up works on both backends, and
//! data written under an older schema survives the migrations that reshape it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use diesel::prelude::*;
use tertulia::config::DatabaseUrl;
use tertulia::db::schema::notifications;
use tertulia::db::{
    revert_all_migrations, revert_last_migration, run_migrations, DbConnection, Manager,
};

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

/// The migration that gave notifications a subject (a post, for every row before it).
const SUBJECTS: &str = "2026-11-30-000001_notification_subjects";

/// Applies everything, then reverts down to just before the migration `name`.
fn migrate_to_before(conn: &mut DbConnection, name: &str) {
    run_migrations(conn).unwrap();
    let version = name.split('_').next().unwrap().replace('-', "");
    for _ in names("sqlite") {
        if revert_last_migration(conn).unwrap() == version {
            return;
        }
    }
    panic!("{name} was never applied");
}

fn execute(conn: &mut DbConnection, sql: &str) {
    diesel::sql_query(sql)
        .execute(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

type SubjectRow = (i64, i16, i64, String, String, Option<i64>, Option<i64>);

fn subjects(conn: &mut DbConnection) -> Vec<SubjectRow> {
    notifications::table
        .order(notifications::id)
        .select((
            notifications::id,
            notifications::subject_kind,
            notifications::subject_id,
            notifications::url,
            notifications::title,
            notifications::thread_id,
            notifications::post_id,
        ))
        .load(conn)
        .unwrap()
}

/// Notifications written before subjects existed come out of the migration about their post,
/// with its permalink; going down keeps them and drops what only the new schema can hold.
fn notifications_keep_their_post(url: &DatabaseUrl) {
    let mut conn = Manager::new(url).unwrap().connect_once().unwrap();
    migrate_to_before(&mut conn, SUBJECTS);
    for sql in [
        "INSERT INTO users (id, username, username_normalized, email, email_normalized, display_name, password_hash, role, trust_level, created_at, updated_at) \
         VALUES (1, 'alice', 'alice', 'a@example.com', 'a@example.com', 'Alice', 'x', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
                (2, 'bob', 'bob', 'b@example.com', 'b@example.com', 'Bob', 'x', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        "INSERT INTO categories (id, slug, name, description, position, visibility, created_at) \
         VALUES (1, 'general', 'General', '', 0, 0, CURRENT_TIMESTAMP)",
        "INSERT INTO threads (id, category_id, author_id, kind, title, slug, created_at, bumped_at, last_post_number, posts_count) \
         VALUES (7, 1, 1, 0, 'Grinder squeaks', 'grinder-squeaks', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 2, 2)",
        "INSERT INTO posts (id, thread_id, number, author_id, raw, cooked, created_at) \
         VALUES (70, 7, 1, 1, 'It squeaks.', '<p>It squeaks.</p>', CURRENT_TIMESTAMP), \
                (71, 7, 2, 2, 'Clean the burrs.', '<p>Clean the burrs.</p>', CURRENT_TIMESTAMP)",
        // A reply (with its post) and a row that only named the thread (its first post).
        "INSERT INTO notifications (id, user_id, kind, thread_id, post_id, actor_id, created_at, read_at, digest) \
         VALUES (1, 1, 0, 7, 71, 2, CURRENT_TIMESTAMP, NULL, 1), \
                (2, 2, 1, 7, NULL, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)",
    ] {
        execute(&mut conn, sql);
    }
    run_migrations(&mut conn).unwrap();
    let about_post = |row: i64, post: i64, number: i32| -> SubjectRow {
        (
            row,
            0,
            post,
            format!("/t/grinder-squeaks/7/{number}#post-{number}"),
            "Grinder squeaks".to_string(),
            Some(7),
            Some(post),
        )
    };
    assert_eq!(
        subjects(&mut conn),
        vec![about_post(1, 71, 2), about_post(2, 70, 1)]
    );
    // The rest of each row is untouched.
    let kept: Vec<(i64, i16, Option<i64>, i16, bool)> = notifications::table
        .order(notifications::id)
        .select((
            notifications::user_id,
            notifications::kind,
            notifications::actor_id,
            notifications::digest,
            notifications::read_at.is_not_null(),
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        kept,
        vec![(1, 0, Some(2), 1, false), (2, 1, Some(1), 0, true)]
    );
    // A notification outside the forum needs no thread; going down drops only it.
    execute(
        &mut conn,
        "INSERT INTO notifications (id, user_id, kind, subject_kind, subject_id, url, title, created_at, digest) \
         VALUES (3, 1, 2, 1, 5, '/cases/5', 'Case 5', CURRENT_TIMESTAMP, 0)",
    );
    assert_eq!(subjects(&mut conn).len(), 3);
    migrate_to_before(&mut conn, SUBJECTS);
    let left: Vec<(i64, i64)> =
        diesel::sql_query("SELECT id, thread_id FROM notifications ORDER BY id")
            .load::<IdAndThread>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|r| (r.id, r.thread_id))
            .collect();
    assert_eq!(left, vec![(1, 7), (2, 7)]);
    // And up again.
    run_migrations(&mut conn).unwrap();
    assert_eq!(subjects(&mut conn).len(), 2);
}

#[derive(QueryableByName)]
struct IdAndThread {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    thread_id: i64,
}

mod old_notifications {
    use super::*;

    #[test]
    fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        notifications_keep_their_post(&DatabaseUrl::new(format!(
            "sqlite://{}",
            dir.path().join("m.db").display()
        )));
    }

    #[test]
    fn postgres() {
        let Some(database) = tertulia_tests::pg::TestDatabase::create("old_notifications") else {
            return;
        };
        notifications_keep_their_post(&DatabaseUrl::new(database.url.clone()));
    }
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
