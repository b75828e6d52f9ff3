//! The audit log through HTTP on both databases: moderation and appeals leave a chained entry
//! for each step, auditors read and verify it, others may not, and a row changed directly in
//! the database is found (the database itself refuses updates and deletes).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{community_manager, created, hidden_answer};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, TestApp};

/// A reported answer hidden under a rule, and an appeal of the hide upheld.
fn history(app: &TestApp) {
    let h = hidden_answer(app);
    let case = created(h.rude.api(
        "POST",
        "/api/v1/appeals",
        Some(json!({"statement_id": h.statement, "text": "Unfair."})),
    ))["case_id"]
        .as_i64()
        .unwrap();
    created(h.manager.api(
        "POST",
        &format!("/api/v1/cases/{case}/decision"),
        Some(json!({"outcome": "upheld", "reasons": "It was an insult.", "rule": format!("{}@1", h.rule)})),
    ));
}

both_backends! {
    fn every_step_is_chained_and_a_changed_row_is_found(app) {
        history(&app);
        let manager = community_manager(&app, "marta2");
        let entries = created(manager.api("GET", "/api/v1/audit", None));
        let actions: Vec<&str> = entries.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        for expected in ["rule.published", "decision.hide", "statement.issued", "case.submitted", "case.acknowledged",
            "case.escalated", "appeal.upheld", "case.decided"] {
            assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
        }
        let hide = entries.as_array().unwrap().iter().find(|e| e["action"] == "decision.hide").unwrap();
        assert_eq!(hide["actor_role"], "moderator");
        assert_eq!(hide["reason"], "Calling people idiots.");
        assert_eq!(hide["rule_version"], 1);
        assert_eq!(hide["digest"].as_str().unwrap().len(), 64, "the evidence digest");
        let statement = entries.as_array().unwrap().iter().find(|e| e["action"] == "statement.issued").unwrap();
        assert_eq!(statement["actor_role"], "system");
        // Newest first, each linked to the one before.
        let list = entries.as_array().unwrap();
        for pair in list.windows(2) {
            assert_eq!(pair[0]["prev_hash"], pair[1]["hash"]);
        }
        let case = created(manager.api("GET", &format!("/api/v1/audit?case={}", list[0]["case_id"]), None));
        assert!(case.as_array().unwrap().iter().all(|e| e["case_id"] == list[0]["case_id"]));
        let ok = created(manager.api("GET", "/api/v1/audit/verify", None));
        assert!(ok["broken_at"].is_null(), "{ok}");
        assert_eq!(ok["entries"].as_i64().unwrap() as usize, list.len());
        assert!(manager.get("/admin/audit").body.contains("The chain verifies"));
        // The database refuses changes to the log...
        let middle = list[list.len() / 2]["id"].as_i64().unwrap();
        let refused = {
            use diesel::prelude::*;
            use tertulia::db::schema::audit_log;
            diesel::update(audit_log::table.filter(audit_log::id.eq(middle))).set(audit_log::reason.eq("nothing happened")).execute(&mut app.db())
        };
        assert!(refused.is_err(), "the update went through");
        // ...and one who gets round that (dropping the guard) is found out at that entry.
        {
            use diesel::connection::SimpleConnection as _;
            use diesel::prelude::*;
            use tertulia::db::schema::audit_log;
            let mut conn = app.db();
            match &mut conn {
                tertulia::db::DbConnection::Sqlite(c) => c.batch_execute("DROP TRIGGER audit_log_no_update").unwrap(),
                tertulia::db::DbConnection::Postgresql(c) => c.batch_execute("DROP TRIGGER audit_log_no_change ON audit_log").unwrap(),
            }
            diesel::update(audit_log::table.filter(audit_log::id.eq(middle))).set(audit_log::reason.eq("nothing happened")).execute(&mut conn).unwrap();
        }
        let broken = created(manager.api("GET", "/api/v1/audit/verify", None));
        assert_eq!(broken["broken_at"].as_i64(), Some(middle), "{broken}");
        assert_eq!(broken["broken"], "hash");
        assert!(manager.get("/admin/audit").body.contains(&format!("broken at entry {middle}")));
    }

    fn only_auditors_read_the_log(app) {
        let cast = Cast::new(&app);
        cast.expect("GET /api/v1/audit", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 200), (Admin, 200)],
            |p| p.api("GET", "/api/v1/audit", None));
        cast.expect("GET /api/v1/audit/verify", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (Admin, 200)],
            |p| p.api("GET", "/api/v1/audit/verify", None));
        cast.expect("GET /admin/audit", &[(Anonymous, 303), (Member, 403), (Moderator, 403), (CommunityManager, 200)],
            |p| p.get("/admin/audit"));
        assert_eq!(cast.get(Admin).api("GET", "/api/v1/audit?before=x", None).status, 422);
    }
}
