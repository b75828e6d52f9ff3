//! Appeals against moderation decisions, through HTTP on both databases: filing from a
//! statement (signed in, while suspended, and from the e-mail's signed link), one appeal per
//! decision, the 180-day limit, a reviewer with no part in the decision (each conflict refused
//! with `conflict_of_interest`), outcomes that reverse what was decided, and the clock that
//! escalates a late appeal to the community manager once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{
    created, general_forum, hidden_answer, member, moderator, question_with_answer,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, Client, Value};

fn appeal(who: &Client, body: Value) -> tertulia_tests::Response {
    who.api("POST", "/api/v1/appeals", Some(body))
}

fn decide(who: &Client, case: i64, body: Value) -> tertulia_tests::Response {
    who.api(
        "POST",
        &format!("/api/v1/cases/{case}/decision"),
        Some(body),
    )
}

fn post_visible(reader: &Client, thread: i64, post: i64) -> bool {
    let page = created(reader.api("GET", &format!("/api/v1/threads/{thread}"), None));
    page["posts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == post && p["state"] == "visible")
}

both_backends! {
    fn an_overturned_appeal_restores_the_post_and_the_log_says_so(app) {
        let h = hidden_answer(&app);
        let second = moderator(&app, "second_mod");
        assert!(!post_visible(&app.client(), h.thread, h.post));
        let bad = appeal(&h.rude, json!({"statement_id": h.statement, "text": ""}));
        assert_eq!(bad.status, 422);
        let filed = appeal(&h.rude, json!({"statement_id": h.statement, "text": "I was quoting the film, not insulting anyone."}));
        assert_eq!(filed.status, 201, "{}", filed.body);
        let filed = filed.json();
        assert_eq!(filed["state"], "under_review");
        let case = filed["case_id"].as_i64().unwrap();
        // Once per decision.
        let again = appeal(&h.rude, json!({"statement_id": h.statement, "text": "Again."}));
        assert_eq!(again.status, 409);
        assert_eq!(again.error_code(), "already_appealed");
        // Someone else's statement is "not found".
        assert_eq!(appeal(&h.asker, json!({"statement_id": h.statement, "text": "Me too."})).status, 404);
        // The appellant follows it; the reviewer is a moderator who took no part.
        let seen = created(h.rude.api("GET", &format!("/api/v1/cases/{case}"), None));
        assert_eq!(seen["reviewer"], "moderator", "the appellant sees a role, not a name");
        assert_eq!(seen["decision"]["action"], "hide");
        assert_eq!(seen["history"].as_array().unwrap().len(), 3, "{seen}");
        // A case another person may not see answers 404.
        assert_eq!(h.asker.api("GET", &format!("/api/v1/cases/{case}"), None).status, 404);
        assert_eq!(app.client().api("GET", &format!("/api/v1/cases/{case}"), None).status, 401);
        // The appellant adds evidence (never a witness: an appeal has no other side); the
        // reviewer reads it, nobody else may add to it.
        let evidence = |who: &tertulia_tests::Client, body: Value| who.api("POST", &format!("/api/v1/cases/{case}/evidence"), Some(body));
        created(evidence(&h.rude, json!({"text": "The line is from a film everybody here quotes."})));
        assert_eq!(evidence(&h.rude, json!({"text": "x", "witness": "asker"})).status, 422);
        assert_eq!(evidence(&second, json!({"text": "x"})).status, 403);
        assert_eq!(evidence(&h.asker, json!({"text": "x"})).status, 404);
        let assigned = created(second.api("GET", &format!("/api/v1/cases/{case}"), None));
        assert_eq!(assigned["evidence"][0]["text"], "The line is from a film everybody here quotes.");
        assert_eq!(assigned["reviewer"], "second_mod");
        assert_eq!(assigned["can_decide"], true);
        // Overturned: no rule needed, reasons are.
        let no_reasons = decide(&second, case, json!({"outcome": "overturned", "reasons": " "}));
        assert_eq!(no_reasons.status, 422);
        assert_eq!(no_reasons.error_code(), "reason_required");
        let done = decide(&second, case, json!({"outcome": "overturned", "reasons": "A quotation, clearly marked."}));
        assert_eq!(done.status, 200, "{}", done.body);
        assert!(post_visible(&app.client(), h.thread, h.post), "the post is back for everyone");
        assert!(!app.client().get(&h.url).body.contains("Be kind (v1)"));
        let log = created(app.client().api("GET", "/api/v1/modlog", None));
        assert_eq!(log[0]["action"], "restore");
        assert_eq!(log[0]["source"], "appeal");
        let hide = log.as_array().unwrap().iter().find(|e| e["action"] == "hide").unwrap();
        assert!(hide["reversed_at"].is_string(), "{hide}");
        assert!(app.client().get("/modlog").body.contains("reversed on appeal"));
        let decided = created(h.rude.api("GET", &format!("/api/v1/cases/{case}"), None));
        assert_eq!(decided["outcome"], "overturned");
        assert_eq!(decided["state"], "decided");
        assert!(decided["next_steps"].as_array().unwrap().iter().any(|s| s == "ombudsman"));
        let page = h.rude.get(&format!("/cases/{case}"));
        assert!(page.body.contains("A quotation, clearly marked.") && page.body.contains("overturned"), "{}", page.body);
        // Decided once.
        let twice = decide(&second, case, json!({"outcome": "upheld", "reasons": "x", "rule": format!("{}@1", h.rule)}));
        assert_eq!(twice.status, 403);
        assert_eq!(twice.error_code(), "case_closed");
        // The appellant was told, and the reporter heard of the reversal.
        app.wait_for_jobs_idle();
        let notes = created(h.rude.api("GET", "/api/v1/notifications", None));
        assert!(notes.as_array().unwrap().iter().any(|n| n["kind"] == "case"), "{notes}");
        let told = created(h.asker.api("GET", "/api/v1/notifications", None));
        assert!(told.as_array().unwrap().iter().filter(|n| n["kind"] == "report_outcome").count() >= 2, "{told}");
    }

    fn every_conflict_of_interest_is_refused(app) {
        let h = hidden_answer(&app);
        let case = created(appeal(&h.rude, json!({"statement_id": h.statement, "text": "Unfair."})))["case_id"].as_i64().unwrap();
        let body = json!({"outcome": "overturned", "reasons": "I say so."});
        // The decider (who also claimed it).
        let r = decide(&h.deciding, case, body.clone());
        assert_eq!((r.status, r.error_code().as_str()), (403, "conflict_of_interest"));
        // The appellant (the target).
        let r = decide(&h.rude, case, body.clone());
        assert_eq!((r.status, r.error_code().as_str()), (403, "conflict_of_interest"));
        // A moderator who reported it.
        let reporter = moderator(&app, "reporting_mod");
        {
            use diesel::prelude::*;
            use tertulia::db::schema::{reports, users};
            let id: i64 = users::table.filter(users::username.eq("reporting_mod")).select(users::id).first(&mut app.db()).unwrap();
            diesel::update(reports::table).set(reports::reporter_id.eq(Some(id))).execute(&mut app.db()).unwrap();
        }
        let r = decide(&reporter, case, body.clone());
        assert_eq!((r.status, r.error_code().as_str()), (403, "conflict_of_interest"));
        // A moderator who only claimed the item (and let the claim lapse).
        let claimer = moderator(&app, "claiming_mod");
        {
            use diesel::prelude::*;
            use tertulia::db::schema::{review_claims, review_items, users};
            let id: i64 = users::table.filter(users::username.eq("claiming_mod")).select(users::id).first(&mut app.db()).unwrap();
            let item: i64 = review_items::table.select(review_items::id).first(&mut app.db()).unwrap();
            diesel::insert_into(review_claims::table).values((review_claims::item_id.eq(item), review_claims::user_id.eq(id),
                review_claims::claimed_at.eq(chrono::Utc::now().naive_utc()))).execute(&mut app.db()).unwrap();
        }
        let r = decide(&claimer, case, body.clone());
        assert_eq!((r.status, r.error_code().as_str()), (403, "conflict_of_interest"));
        // A member: not theirs to see.
        assert_eq!(decide(&h.asker, case, body.clone()).status, 404);
        // The community manager had no part: may decide it; upheld must cite a rule.
        let no_rule = decide(&h.manager, case, json!({"outcome": "upheld", "reasons": "It was an insult."}));
        assert_eq!(no_rule.error_code(), "rule_required");
        let upheld = decide(&h.manager, case, json!({"outcome": "upheld", "reasons": "It was an insult.", "rule": format!("{}@1", h.rule)}));
        assert_eq!(upheld.status, 200, "{}", upheld.body);
        assert!(!post_visible(&app.client(), h.thread, h.post), "upheld: still hidden");
    }

    fn with_no_eligible_moderator_the_community_manager_reviews(app) {
        let h = hidden_answer(&app);
        let filed = created(appeal(&h.rude, json!({"statement_id": h.statement, "text": "Unfair."})));
        assert_eq!(filed["state"], "escalated", "the only moderator decided it");
        let case = filed["case_id"].as_i64().unwrap();
        let seen = created(h.manager.api("GET", &format!("/api/v1/cases/{case}"), None));
        assert_eq!(seen["reviewer"], "marta");
        let desk = created(h.manager.api("GET", "/api/v1/cases", None));
        assert_eq!(desk[0]["id"], case);
        assert!(h.manager.get("/cases").body.contains(&format!("#{case}")));
        // The appellant may withdraw it, with a reason; then it is closed.
        let r = h.rude.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(json!({"to": "withdrawn", "reason": "Changed my mind."})));
        assert_eq!(r.status, 200, "{}", r.body);
        let r = decide(&h.manager, case, json!({"outcome": "overturned", "reasons": "x"}));
        assert_eq!(r.error_code(), "case_closed");
        let r = h.rude.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(json!({"to": "under_review", "reason": "x"})));
        assert_eq!(r.status, 422);
        // "decided" answers a review request; there is none here.
        let r = h.rude.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(json!({"to": "decided", "reason": "x"})));
        assert_eq!(r.error_code(), "wrong_stage");
    }

    fn a_late_appeal_is_inadmissible_with_the_reason(app) {
        let h = hidden_answer(&app);
        {
            use diesel::prelude::*;
            use tertulia::db::schema::statements;
            let past = chrono::Utc::now().naive_utc() - chrono::Duration::days(1);
            diesel::update(statements::table).set(statements::appeal_until.eq(past)).execute(&mut app.db()).unwrap();
        }
        let filed = created(appeal(&h.rude, json!({"statement_id": h.statement, "text": "Sorry I am late."})));
        assert_eq!(filed["state"], "inadmissible");
        let case = created(h.rude.api("GET", &format!("/api/v1/cases/{}", filed["case_id"]), None));
        assert_eq!(case["outcome"], "inadmissible");
        assert_eq!(case["reason_code"], "late");
        assert!(case["next_steps"].as_array().unwrap().iter().any(|s| s == "out_of_court"));
        assert!(h.rude.get(&format!("/cases/{}", filed["case_id"])).body.contains("after the 180 days"));
    }

    fn a_suspended_member_appeals_from_the_mail_link(app) {
        let h = hidden_answer(&app);
        // Suspended: the API and the page still take the appeal.
        created(h.deciding.api("POST", "/api/v1/users/rude/sanctions", Some(json!({"kind": "suspension", "days": 7,
            "rule_id": h.rule, "rule_version": 1, "explanation": "Threats by message."}))));
        assert_eq!(h.rude.get("/").status, 403);
        let mail = app.wait_for_mail("rude@example.com", "Threats by message.");
        let link = app.link_in(&mail, "/appeal?statement=").replace("&amp;", "&");
        let link = link.trim_start_matches(&app.url("")).to_string();
        // Logged out, with the signed link: the statement and the form, no login.
        let visitor = app.client();
        let page = visitor.get(&link);
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Threats by message."));
        // A forged signature is "not found".
        let forged = link.replace("sig=", "sig=x");
        assert_eq!(visitor.get(&forged).status, 404);
        let statement: String = link.split("statement=").nth(1).unwrap().split('&').next().unwrap().to_string();
        let sig: String = link.split("sig=").nth(1).unwrap().to_string();
        let done = visitor.submit_form(&link, "/appeal", &[("statement_id", &statement), ("sig", &sig),
            ("text", "The threats were from someone else using my phone.")]);
        assert_eq!(done.status, 200, "{}", done.body);
        assert!(done.body.contains("Follow case"), "{}", done.body);
        // Signed in while suspended: the other statement, through the page.
        let page = h.rude.get(&format!("/appeal?statement={}", h.statement));
        assert_eq!(page.status, 200, "{}", page.body);
        let filed = h.rude.submit_form(&format!("/appeal?statement={}", h.statement), "/appeal",
            &[("statement_id", &h.statement.to_string()), ("text", "Quoting a film.")]);
        assert_eq!(filed.status, 303, "{}", filed.body);
        let case = filed.location().unwrap().to_string();
        assert_eq!(h.rude.get(&case).status, 200);
        let mine = created(h.rude.api("GET", "/api/v1/cases", None));
        assert_eq!(mine.as_array().unwrap().len(), 2);
    }

    fn an_overturned_suspension_is_lifted(app) {
        let h = hidden_answer(&app);
        created(h.deciding.api("POST", "/api/v1/users/rude/sanctions", Some(json!({"kind": "suspension", "days": 7,
            "rule_id": h.rule, "rule_version": 1, "explanation": "Threats by message."}))));
        assert_eq!(h.rude.get("/").status, 403);
        let statements = created(h.rude.api("GET", "/api/v1/me/statements", None));
        let suspension = statements[0]["id"].as_i64().unwrap();
        let second = moderator(&app, "second_mod");
        let case = created(appeal(&h.rude, json!({"statement_id": suspension, "text": "Not me."})))["case_id"].as_i64().unwrap();
        // Modified: a shorter term.
        let longer = decide(&second, case, json!({"outcome": "modified", "reasons": "x", "rule": format!("{}@1", h.rule), "days": 9}));
        assert_eq!(longer.status, 422, "{}", longer.body);
        let r = decide(&second, case, json!({"outcome": "overturned", "reasons": "The phone was stolen; the police report shows it."}));
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(h.rude.get("/").status, 200, "the suspension is lifted");
        let record = created(second.api("GET", "/api/v1/users/rude/moderation", None));
        let s = record["sanctions"].as_array().unwrap().iter().find(|s| s["kind"] == "suspension").unwrap().clone();
        assert_eq!(s["active"], false, "{record}");
    }

    fn a_late_appeal_is_escalated_once_by_the_clock(app) {
        let h = hidden_answer(&app);
        let _second = moderator(&app, "second_mod");
        let case = created(appeal(&h.rude, json!({"statement_id": h.statement, "text": "Unfair."})))["case_id"].as_i64().unwrap();
        app.wait_for_jobs_idle();
        let sweep = || {
            use diesel::prelude::*;
            use tertulia::db::schema::{cases, jobs};
            let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
            diesel::update(cases::table).set(cases::due_at.eq(past)).execute(&mut app.db()).unwrap();
            // The pending sweep runs now, and a second one as a restarted worker would queue.
            diesel::update(jobs::table.filter(jobs::kind.eq("ombudsman.deadlines")).filter(jobs::done_at.is_null()))
                .set(jobs::run_at.eq(past)).execute(&mut app.db()).unwrap();
            tertulia::jobs::enqueue(&mut app.db(), "ombudsman.deadlines", &(), None, 3).unwrap();
            app.wait_for_jobs_idle();
        };
        sweep();
        sweep();
        let seen = created(h.manager.api("GET", &format!("/api/v1/cases/{case}"), None));
        assert_eq!(seen["state"], "escalated");
        assert_eq!(seen["reviewer"], "marta");
        let escalations = seen["history"].as_array().unwrap().iter().filter(|e| e["to_state"] == "escalated").count();
        assert_eq!(escalations, 1, "{seen}");
        let notes = created(h.manager.api("GET", "/api/v1/notifications", None));
        assert_eq!(notes.as_array().unwrap().iter().filter(|n| n["kind"] == "case").count(), 1, "{notes}");
    }

    fn a_reporter_appeals_no_action_and_the_item_returns_to_the_queue(app) {
        let _admin = general_forum(&app);
        let asker = member(&app, "asker");
        let blunt = member(&app, "blunt");
        let q = question_with_answer(&asker, &blunt, "general", "Is a blade grinder fine?");
        created(asker.api("POST", "/api/v1/reports", Some(json!({"target_kind": "post", "target_id": q.answer_post,
            "reason": "abusive", "text": "Rude."}))));
        let first = moderator(&app, "first_mod");
        let second = moderator(&app, "second_mod");
        let item = created(first.api("GET", "/api/v1/review", None))[0].clone();
        created(first.api("POST", &format!("/api/v1/review/{}/decision", item["id"]),
            Some(json!({"action": "keep", "explanation": "Blunt, not rude.", "version": item["version"]}))));
        let keep = created(app.client().api("GET", "/api/v1/modlog", None))[0]["id"].as_i64().unwrap();
        // A report filed after the decision gives no standing against it.
        let late = member(&app, "latecomer");
        created(late.api("POST", "/api/v1/reports", Some(json!({"target_kind": "post", "target_id": q.answer_post,
            "reason": "abusive", "text": "Me too."}))));
        assert_eq!(appeal(&late, json!({"decision_id": keep, "text": "Wrong."})).status, 404);
        // The log offers the reporter (only) the appeal, and the page takes it.
        let link = format!("/appeal?decision={keep}");
        assert!(asker.get("/modlog").body.contains(&link));
        assert!(!late.get("/modlog").body.contains(&link));
        assert_eq!(asker.get(&link).status, 200);
        // The reporter appeals the "no action"; overturned, the item is back in the queue.
        let filed = created(appeal(&asker, json!({"decision_id": keep, "text": "He called my question stupid."})));
        let case = filed["case_id"].as_i64().unwrap();
        let r = decide(&second, case, json!({"outcome": "overturned", "reasons": "Calling a question stupid is rude."}));
        assert_eq!(r.status, 200, "{}", r.body);
        let queue = created(second.api("GET", "/api/v1/review", None));
        let back = queue.as_array().unwrap().iter().find(|i| i["target_id"] == q.answer_post).expect("back in the queue").clone();
        assert_eq!(back["priority"], "high");
        assert_eq!(back["status"], "open");
    }

    fn an_overturned_edit_puts_back_the_authors_text(app) {
        let h = hidden_answer(&app);
        // The post is shown again and its item reopened (as after a keep and a new report); a
        // second moderator edits it under the rule.
        let second = moderator(&app, "second_mod");
        {
            use diesel::prelude::*;
            use tertulia::db::schema::{posts, review_items};
            diesel::update(posts::table.filter(posts::id.eq(h.post))).set(posts::state.eq(0i16)).execute(&mut app.db()).unwrap();
            diesel::update(review_items::table).set((review_items::resolved_at.eq(None::<chrono::NaiveDateTime>), review_items::status.eq(0i16))).execute(&mut app.db()).unwrap();
        }
        let item = created(second.api("GET", "/api/v1/review", None))[0].clone();
        let edited = second.api("POST", &format!("/api/v1/review/{}/decision", item["id"]),
            Some(json!({"action": "edit", "rule_id": h.rule, "rule_version": 1, "body": "[removed by a moderator]",
                "explanation": "The insult is removed.", "version": item["version"]})));
        assert_eq!(edited.status, 200, "{}", edited.body);
        assert!(!app.client().get(&h.url).body.contains("Try turning it off"));
        let statements = created(h.rude.api("GET", "/api/v1/me/statements", None));
        let edit = statements.as_array().unwrap().iter().find(|s| s["measure"] == "edit").unwrap()["id"].as_i64().unwrap();
        let case = created(appeal(&h.rude, json!({"statement_id": edit, "text": "Give me my words back."})))["case_id"].as_i64().unwrap();
        let r = decide(&h.manager, case, json!({"outcome": "overturned", "reasons": "Nothing in it broke the rule."}));
        assert_eq!(r.status, 200, "{}", r.body);
        let page = app.client().get(&h.url).body;
        assert!(!page.contains("[removed by a moderator]") && page.contains("Try turning it off and on again."), "{page}");
    }

    fn who_may_use_the_case_routes(app) {
        let cast = Cast::new(&app);
        cast.expect("GET /api/v1/cases", &[(Anonymous, 401), (Member, 200), (Moderator, 200), (CommunityManager, 200)],
            |p| p.api("GET", "/api/v1/cases", None));
        cast.expect("GET /cases", &[(Anonymous, 303), (Member, 200), (Admin, 200)], |p| p.get("/cases"));
        cast.expect("POST /api/v1/appeals", &[(Anonymous, 401), (Member, 422)],
            |p| p.api("POST", "/api/v1/appeals", Some(json!({"text": "x"}))));
        cast.expect("GET /api/v1/cases/{id} (none)", &[(Anonymous, 401), (Member, 404), (Admin, 404)],
            |p| p.api("GET", "/api/v1/cases/999999", None));
        cast.expect("POST /api/v1/cases/{id}/decision (none)", &[(Anonymous, 401), (Member, 404), (CommunityManager, 404)],
            |p| p.api("POST", "/api/v1/cases/999999/decision", Some(json!({"outcome": "upheld", "reasons": "x"}))));
        cast.expect("POST /api/v1/cases/{id}/transition (none)", &[(Anonymous, 401), (Moderator, 404)],
            |p| p.api("POST", "/api/v1/cases/999999/transition", Some(json!({"to": "withdrawn", "reason": "x"}))));
        cast.expect("GET /appeal (no statement)", &[(Anonymous, 303), (Member, 422)], |p| p.get("/appeal"));
        cast.expect("POST /cases/{id}/decision (page)", &[(Member, 404), (Moderator, 404)],
            |p| p.submit_form("/rules", "/cases/999999/decision", &[("outcome", "upheld"), ("reasons", "x")]));
    }
}
