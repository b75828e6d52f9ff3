//! Throwaway PostgreSQL databases for tests, one per test, made on the server `TEST_PG_URL`
//! names. Shared by the end-to-end crate and the CLI tests of the server crate (both depend on this kit).

use diesel::{Connection, PgConnection, RunQueryDsl};

/// A database that exists while this value lives.
pub struct TestDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

/// `TEST_PG_URL`, or `None` after a recorded skip; in CI its absence is a failure, because the
/// PostgreSQL half of the suite must run there.
pub fn admin_url() -> Option<String> {
    match std::env::var("TEST_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            crate::skip::skip("TEST_PG_URL is not set (scripts/test starts a PostgreSQL for it)");
            None
        }
    }
}

/// The URL of another database on the same server.
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((head, query)) => (head, Some(query)),
        None => (url, None),
    };
    let scheme_end = head.find("://").map_or(0, |i| i + 3);
    let base = match head[scheme_end..].find('/') {
        Some(slash) => &head[..scheme_end + slash],
        None => head,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

impl TestDatabase {
    /// Creates a fresh database named after `label`, the process and a random suffix.
    pub fn create(label: &str) -> Option<TestDatabase> {
        let admin_url = admin_url()?;
        let name = format!(
            "tertulia_test_{label}_{}_{:08x}",
            std::process::id(),
            rand::random::<u32>()
        );
        let mut admin = PgConnection::establish(&admin_url)
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at TEST_PG_URL: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
        let url = with_database(&admin_url, &name);
        Some(TestDatabase {
            admin_url,
            name,
            url,
        })
    }
}

impl TestDatabase {
    /// Drops the database now, closing the connections still open to it (a lost database).
    pub fn drop_now(&self) -> Result<(), String> {
        let mut admin = PgConnection::establish(&self.admin_url).map_err(|e| e.to_string())?;
        diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin)
        .map(|_| ())
        .map_err(|e| e.to_string())
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let _ = self.drop_now();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_replaces_path() {
        assert_eq!(
            super::with_database("postgres://u@h:5/postgres?sslmode=disable", "x"),
            "postgres://u@h:5/x?sslmode=disable"
        );
        assert_eq!(
            super::with_database("postgres://u@h:5", "x"),
            "postgres://u@h:5/x"
        );
    }
}
