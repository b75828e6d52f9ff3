//! `/healthz` tells a load balancer the truth: 200 while the database answers, 503 once it is
//! gone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::{Backend, TestApp};

/// PostgreSQL only: dropping the database under the running server is a reliable outage (the
/// pool checks PostgreSQL connections on check-out and cannot open new ones). A SQLite file
/// whose folder is removed stays readable through the connections already open, so SQLite has
/// no equally honest way to lose its database in a test.
mod database_lost_answers_503 {
    use super::*;

    #[test]
    fn postgres() {
        let Some(app) = TestApp::try_start(Backend::Postgres) else {
            return;
        };
        let up = app.client().get("/healthz");
        assert_eq!(up.status, 200, "{}", up.body);
        assert_eq!(up.json()["status"], "ok");
        app.drop_postgres_database();
        // The pool waits (up to its 10 s timeout) for a connection it can no longer make.
        let down = app.client().get("/healthz");
        assert_eq!(down.status, 503, "{}", down.body);
        assert_eq!(down.json()["status"], "unavailable");
        assert_eq!(down.json()["database"], "postgres");
    }
}
