//! Disputes through HTTP on both databases: a member opens a case against another member or
//! against the brand; an ombudsman with no conflict takes it (brand staff of the department
//! complained about never do); each evidence item is read only by whom its visibility allows;
//! the ombudsman opens mediation and the respondent is told; bad input is refused by field.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{
    admin, brand_staff, community_manager, created, elapse, general_forum, member, moderator,
    thread,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, Value};

fn evidence_texts(case: &Value) -> Vec<String> {
    case["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap().to_string())
        .collect()
}

both_backends! {
    fn a_member_dispute_keeps_each_sides_evidence_private_until_shared(app) {
        let _admin = general_forum(&app);
        let marta = community_manager(&app, "marta");
        let ana = member(&app, "ana");
        let bruno = member(&app, "bruno");
        let (thread_id, _) = thread(&bruno, "general", "discussion", "Your latte art is sad", "Sad, sad latte art.");
        let post = tertulia_tests::fixtures::post_ids(&bruno, thread_id)[0];
        // Bad input, each named.
        for (body, field) in [
            (json!({"kind": "appeal", "respondent": "bruno", "summary": "x", "desired_outcome": "y"}), "kind"),
            (json!({"kind": "member_dispute", "respondent": "ana", "summary": "x", "desired_outcome": "y"}), "respondent"),
            (json!({"kind": "member_dispute", "respondent": "nobody", "summary": "x", "desired_outcome": "y"}), "respondent"),
            (json!({"kind": "member_dispute", "respondent": "bruno", "summary": " ", "desired_outcome": "y"}), "summary"),
            (json!({"kind": "brand_dispute", "respondent": "bruno", "summary": "x", "desired_outcome": "y"}), "respondent"),
        ] {
            let r = ana.api("POST", "/api/v1/cases", Some(body));
            assert_eq!(r.status, 422, "{}", r.body);
            assert!(r.json()["error"]["fields"][field].is_string(), "{field}: {}", r.body);
        }
        let filed = created(ana.api("POST", "/api/v1/cases", Some(json!({"kind": "member_dispute", "respondent": "bruno",
            "summary": "He mocks my latte art in every thread.", "desired_outcome": "That he stops, and an apology."}))));
        assert_eq!(filed["state"], "acknowledged");
        let case = filed["case_id"].as_i64().unwrap();
        let path = format!("/api/v1/cases/{case}");
        // Parties and the ombudsman read it; nobody else knows it exists.
        let seen = created(marta.api("GET", &path, None));
        assert_eq!(seen["reviewer"], "marta");
        assert_eq!(seen["respondent"], "bruno");
        assert_eq!(seen["can_mediate"], true);
        assert_eq!(created(bruno.api("GET", &path, None))["kind"], "member_dispute");
        assert_eq!(member(&app, "outsider").api("GET", &path, None).status, 404);
        assert_eq!(moderator(&app, "jorge").api("GET", &path, None).status, 404);
        // Evidence: private to the ombudsman unless shared.
        let add = |who: &tertulia_tests::Client, body: Value| who.api("POST", &format!("/api/v1/cases/{case}/evidence"), Some(body));
        assert_eq!(add(&ana, json!({"text": "x", "visibility": "everyone"})).status, 422);
        assert_eq!(add(&ana, json!({"text": "x", "post_id": 999_999})).status, 422);
        created(add(&ana, json!({"text": "He wrote this about me.", "post_id": post})));
        created(add(&ana, json!({"text": "We can both see this.", "visibility": "parties"})));
        created(add(&bruno, json!({"text": "Only for the ombudsman: I was joking."})));
        let ana_sees = evidence_texts(&created(ana.api("GET", &path, None)));
        assert_eq!(ana_sees, ["He wrote this about me.", "We can both see this."]);
        let bruno_sees = evidence_texts(&created(bruno.api("GET", &path, None)));
        assert_eq!(bruno_sees, ["We can both see this.", "Only for the ombudsman: I was joking."]);
        let marta_sees = created(marta.api("GET", &path, None));
        assert_eq!(evidence_texts(&marta_sees).len(), 3);
        assert_eq!(marta_sees["evidence"][0]["post"]["text"], "Sad, sad latte art.", "the post as it was");
        assert_eq!(marta_sees["evidence"][0]["digest"].as_str().unwrap().len(), 64);
        assert_eq!(add(&member(&app, "stranger"), json!({"text": "x"})).status, 404);
        // Reading someone else's private item is logged.
        let log = created(admin(&app, "auditor").api("GET", &format!("/api/v1/audit?case={case}"), None));
        let actions: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"evidence.viewed") && actions.contains(&"evidence.added.ombudsman_only"), "{actions:?}");
        // Mediation: only the ombudsman opens it; the respondent is told.
        let mediate = json!({"to": "mediation", "reason": "Let us talk it through."});
        assert_eq!(bruno.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(mediate.clone())).status, 403);
        let moved = created(marta.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(mediate.clone())));
        assert_eq!(moved["state"], "mediation");
        app.wait_for_jobs_idle();
        let told = created(bruno.api("GET", "/api/v1/notifications", None));
        assert!(told.as_array().unwrap().iter().any(|n| n["kind"] == "case" && n["url"] == format!("/cases/{case}")), "{told}");
        assert_eq!(created(bruno.api("GET", "/api/v1/cases", None))[0]["role"], "respondent");
        let page = bruno.get(&format!("/cases/{case}"));
        assert!(page.body.contains("in mediation") && page.body.contains("We can both see this.")
            && !page.body.contains("He wrote this about me."), "{}", page.body);
    }

    fn privileged_mediation_statements_stay_out_of_the_arbitration_record(app) {
        let _admin = general_forum(&app);
        let marta = community_manager(&app, "marta");
        let ana = member(&app, "ana");
        let bruno = member(&app, "bruno");
        let case = created(ana.api("POST", "/api/v1/cases", Some(json!({"kind": "member_dispute", "respondent": "bruno",
            "summary": "He mocks me.", "desired_outcome": "An apology."}))))["case_id"].as_i64().unwrap();
        let say = |who: &tertulia_tests::Client, body: Value| who.api("POST", &format!("/api/v1/cases/{case}/messages"), Some(body));
        let early = say(&ana, json!({"body": "Hello?"}));
        assert_eq!(early.status, 403);
        assert_eq!(early.error_code(), "not_in_mediation");
        created(marta.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(json!({"to": "mediation", "reason": "Talk."}))));
        assert_eq!(say(&ana, json!({"body": " "})).status, 422);
        assert_eq!(say(&member(&app, "outsider"), json!({"body": "Me too"})).status, 404);
        created(say(&ana, json!({"body": "It hurt to be laughed at."})));
        let admission = created(say(&bruno, json!({"body": "I admit I went too far.", "privileged": true})))["id"].as_i64().unwrap();
        let other = created(say(&bruno, json!({"body": "I would say sorry if it stays between us.", "privileged": true})))["id"].as_i64().unwrap();
        // Everyone in the mediation reads all of it, marked.
        let seen = created(ana.api("GET", &format!("/api/v1/cases/{case}"), None));
        assert_eq!(seen["messages"].as_array().unwrap().len(), 3);
        assert_eq!(seen["messages"][1]["privileged"], true);
        // The arbitration record leaves privileged statements out until their author re-submits one.
        let record = |who: &tertulia_tests::Client| -> Vec<String> {
            created(who.api("GET", &format!("/api/v1/cases/{case}/record"), None))["statements"].as_array().unwrap()
                .iter().map(|m| m["body"].as_str().unwrap().to_string()).collect()
        };
        assert_eq!(record(&marta), ["It hurt to be laughed at."]);
        let resubmit = |who: &tertulia_tests::Client, id: i64| who.api("POST", &format!("/api/v1/cases/{case}/messages/{id}/resubmit"), None);
        assert_eq!(resubmit(&ana, admission).status, 403, "only its author");
        assert_eq!(resubmit(&bruno, admission).status, 204);
        assert_eq!(record(&marta), ["It hurt to be laughed at.", "I admit I went too far."]);
        assert!(!record(&ana).contains(&"I would say sorry if it stays between us.".to_string()));
        assert_eq!(member(&app, "stranger").api("GET", &format!("/api/v1/cases/{case}/record"), None).status, 404);
        // The page: the conversation, the privileged mark, the re-submit button for its author.
        let page = bruno.get(&format!("/cases/{case}"));
        assert!(page.body.contains("I would say sorry") && page.body.contains("privileged")
            && page.body.contains(&format!("/messages/{other}/resubmit")), "{}", page.body);
        let by_form = ana.submit_form(&format!("/cases/{case}"), &format!("/cases/{case}/messages"), &[("body", "Thank you."), ("privileged", "on")]);
        assert_eq!(by_form.status, 303, "{}", by_form.body);
    }

    fn the_brand_is_never_its_own_judge(app) {
        let admin = admin(&app, "boss");
        let _forum = general_forum(&app);
        let sofia = brand_staff(&app, &admin, "sofia", "repairs");
        // The only community manager works in the department complained about: an admin takes it.
        let paula = community_manager(&app, "paula");
        {
            use diesel::prelude::*;
            use tertulia::db::schema::users;
            diesel::update(users::table.filter(users::username.eq("paula"))).set(users::department.eq(Some("repairs"))).execute(&mut app.db()).unwrap();
        }
        let carla = member(&app, "carla");
        let r = carla.api("POST", "/api/v1/cases", Some(json!({"kind": "brand_dispute", "respondent": "brand", "department": "marketing",
            "summary": "x", "desired_outcome": "y"})));
        assert_eq!(r.status, 422, "no such department");
        let r = carla.api("POST", "/api/v1/cases", Some(json!({"kind": "brand_dispute", "respondent": "brand",
            "summary": "x", "desired_outcome": "y"})));
        assert_eq!(r.status, 422, "the department names the brand's side");
        let filed = created(carla.api("POST", "/api/v1/cases", Some(json!({"kind": "brand_dispute", "respondent": "brand",
            "department": "repairs", "summary": "My grinder came back from repair still broken.", "desired_outcome": "A replacement or a refund."}))));
        let case = filed["case_id"].as_i64().unwrap();
        let path = format!("/api/v1/cases/{case}");
        let seen = created(admin.api("GET", &path, None));
        assert_eq!(seen["reviewer"], "boss", "{seen}");
        assert_eq!(seen["respondent"], "brand");
        assert_eq!(seen["department"], "repairs");
        // The department's staff are a party: they read it and may submit evidence, not judge.
        let staff_view = created(sofia.api("GET", &path, None));
        assert_eq!(staff_view["can_mediate"], false);
        created(sofia.api("POST", &format!("/api/v1/cases/{case}/evidence"), Some(json!({"text": "The repair log says fixed.", "visibility": "parties"}))));
        let r = paula.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(json!({"to": "mediation", "reason": "x"})));
        assert_eq!(r.status, 403, "{}", r.body);
        // Being a community manager does not let a party read the other side's private items.
        created(carla.api("POST", &format!("/api/v1/cases/{case}/evidence"), Some(json!({"text": "My private receipt."}))));
        let as_party = created(paula.api("GET", &path, None));
        assert!(!evidence_texts(&as_party).contains(&"My private receipt.".to_string()), "{as_party}");
        assert!(evidence_texts(&created(admin.api("GET", &path, None))).contains(&"My private receipt.".to_string()));
        // The brand's staff find it on their desk; a dispute is not escalated like an appeal.
        assert_eq!(created(sofia.api("GET", "/api/v1/cases", None))[0]["id"], case);
        let r = admin.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(json!({"to": "escalated", "reason": "x"})));
        assert_eq!(r.status, 403, "{}", r.body);
        created(admin.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(json!({"to": "mediation", "reason": "Talk first."}))));
        let page = carla.get(&format!("/cases/{case}"));
        assert!(page.body.contains("(the brand)") && page.body.contains("The repair log says fixed."), "{}", page.body);
        // The page form opens a case too.
        let form = carla.submit_form("/cases/new", "/cases", &[("kind", "member_dispute"), ("respondent", "sofia"),
            ("summary", "She was rude to me."), ("desired_outcome", "An apology.")]);
        assert_eq!(form.status, 303, "{}", form.body);
    }

    fn a_decided_dispute_closes_only_when_its_remedies_are_done_or_waived(app) {
        let admin = admin(&app, "boss");
        let _forum = general_forum(&app);
        let sofia = brand_staff(&app, &admin, "sofia", "repairs");
        let marta = community_manager(&app, "marta");
        let carla = member(&app, "carla");
        let case = created(carla.api("POST", "/api/v1/cases", Some(json!({"kind": "brand_dispute", "respondent": "brand",
            "department": "repairs", "summary": "My grinder came back broken.", "desired_outcome": "A refund."}))))["case_id"].as_i64().unwrap();
        created(marta.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(json!({"to": "mediation", "reason": "Talk first."}))));
        let log_entry = created(carla.api("POST", &format!("/api/v1/cases/{case}/evidence"), Some(json!({"text": "The repair log.", "visibility": "parties"}))))["id"].clone();
        created(marta.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(json!({"to": "arbitration", "reason": "No agreement."}))));
        elapse(&app, case);
        let decide = |who: &tertulia_tests::Client, body: Value| who.api("POST", &format!("/api/v1/cases/{case}/draft"), Some(body));
        let remedy = |kind: &str, owner: &str, days: i64| json!({"kind": kind, "description": "As agreed.", "owner": owner, "due_days": days});
        // Parties never judge; bad outcomes and remedies are refused by field.
        for party in [&carla, &sofia] {
            let r = decide(party, json!({"outcome": "for_complainant", "reasons": "x"}));
            assert_eq!((r.status, r.error_code().as_str()), (403, "conflict_of_interest"), "{}", r.body);
        }
        assert_eq!(decide(&marta, json!({"outcome": "upheld", "reasons": "x"})).status, 422, "an appeal's outcome");
        for (bad, field) in [(remedy("cake", "brand", 14), "remedies.0.kind"), (remedy("refund", "outsider", 14), "remedies.0.owner"),
            (remedy("refund", "brand", 0), "remedies.0.due_days")] {
            let r = decide(&marta, json!({"outcome": "for_complainant", "reasons": "x", "remedies": [bad]}));
            assert_eq!(r.status, 422, "{}", r.body);
            assert!(r.json()["error"]["fields"][field].is_string(), "{field}: {}", r.body);
        }
        let ruling = json!({"outcome": "for_complainant",
            "reasons": "The repair log shows the same fault before and after.",
            "findings": [{"fact": "The same fault was logged before and after the repair.", "evidence": [log_entry]}],
            "remedies": [remedy("refund", "brand", 14), remedy("replacement", "brand", 30)]});
        created(decide(&marta, ruling.clone()));
        elapse(&app, case);
        let decided = created(marta.api("POST", &format!("/api/v1/cases/{case}/decision"), Some(ruling)));
        assert_eq!(decided["state"], "enforcement");
        let seen = created(carla.api("GET", &format!("/api/v1/cases/{case}"), None));
        assert_eq!(seen["outcome"], "for_complainant");
        let tasks = seen["tasks"].as_array().unwrap().clone();
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0]["owner"], "brand");
        assert_eq!(tasks[0]["department"], "repairs");
        // It does not close while a task is open.
        let early = marta.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(json!({"to": "closed", "reason": "Done."})));
        assert_eq!((early.status, early.error_code().as_str()), (409, "tasks_open"), "{}", early.body);
        let task = |id: &Value, action: &str| format!("/api/v1/cases/{case}/tasks/{id}/{action}");
        assert_eq!(carla.api("POST", &task(&tasks[0]["id"], "done"), None).status, 403, "the brand's task");
        assert_eq!(created(sofia.api("POST", &task(&tasks[0]["id"], "done"), None))["state"], "enforcement");
        assert_eq!(sofia.api("POST", &task(&tasks[1]["id"], "waive"), Some(json!({"reason": "x"}))).status, 403, "only the ombudsman waives");
        assert_eq!(marta.api("POST", &task(&tasks[1]["id"], "waive"), Some(json!({"reason": " "}))).status, 422);
        let closed = created(marta.api("POST", &task(&tasks[1]["id"], "waive"), Some(json!({"reason": "The refund settles it; no replacement needed."}))));
        assert_eq!(closed["state"], "closed");
        let log = created(admin.api("GET", &format!("/api/v1/audit?case={case}"), None));
        let waived = log.as_array().unwrap().iter().find(|e| e["action"] == "task.waived").unwrap();
        assert_eq!(waived["reason"], "The refund settles it; no replacement needed.");
        let page = carla.get(&format!("/cases/{case}"));
        assert!(page.body.contains("Refund") && page.body.contains("waived by the ombudsman") && page.body.contains("closed"), "{}", page.body);
    }

    fn who_may_open_cases_and_add_evidence(app) {
        let cast = Cast::new(&app);
        cast.expect("POST /api/v1/cases (bad)", &[(Anonymous, 401), (Member, 422), (Admin, 422)],
            |p| p.api("POST", "/api/v1/cases", Some(json!({"kind": "x", "respondent": "x", "summary": "x", "desired_outcome": "x"}))));
        cast.expect("POST /api/v1/cases/{id}/evidence (none)", &[(Anonymous, 401), (Member, 404), (CommunityManager, 404)],
            |p| p.api("POST", "/api/v1/cases/999999/evidence", Some(json!({"text": "x"}))));
        cast.expect("GET /cases/new", &[(Anonymous, 303), (Member, 200)], |p| p.get("/cases/new"));
        cast.expect("POST /api/v1/cases/{id}/messages (none)", &[(Anonymous, 401), (Member, 404), (Admin, 404)],
            |p| p.api("POST", "/api/v1/cases/999999/messages", Some(json!({"body": "x"}))));
        cast.expect("POST /api/v1/cases/{id}/messages/{m}/resubmit (none)", &[(Anonymous, 401), (Member, 404)],
            |p| p.api("POST", "/api/v1/cases/999999/messages/1/resubmit", None));
        cast.expect("GET /api/v1/cases/{id}/record (none)", &[(Anonymous, 401), (Member, 404), (CommunityManager, 404)],
            |p| p.api("GET", "/api/v1/cases/999999/record", None));
        cast.expect("POST /cases/{id}/evidence (page, none)", &[(Member, 404)],
            |p| p.submit_form("/rules", "/cases/999999/evidence", &[("text", "x")]));
    }
}
