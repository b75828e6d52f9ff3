//! Moderation through HTTP: the community rules (versions, history and diff, who may write
//! them, the announcement of significant changes, acceptance at sign-up).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{community_manager, created, member};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, Value, PASSWORD};

fn new_rule(person: &tertulia_tests::Client, title: &str, body: &str) -> Value {
    created(person.api(
        "POST",
        "/api/v1/rules",
        Some(json!({"title": title, "body": body})),
    ))
}

both_backends! {
    fn rules_are_versioned_and_every_version_stays(app) {
        let manager = community_manager(&app, "marta");
        let respect = new_rule(&manager, "Respect", "No insults.");
        assert_eq!(respect["number"], 1);
        assert_eq!(respect["version"], 1);
        let spam = new_rule(&manager, "No spam", "No advertising.");
        assert_eq!(spam["number"], 2);
        let id = spam["id"].as_i64().unwrap();
        // A new version; the first one is kept as it was.
        let v2 = created(manager.api("PUT", &format!("/api/v1/rules/{id}"),
            Some(json!({"body": "No advertising or affiliate links."}))));
        assert_eq!(v2["version"], 2);
        let current = manager.api("GET", "/api/v1/rules", None).json();
        assert_eq!(current.as_array().unwrap().len(), 2);
        assert_eq!(current[1]["version"], 2);
        assert_eq!(current[1]["body"], "No advertising or affiliate links.");
        let history = app.client().api("GET", &format!("/api/v1/rules/{id}"), None).json();
        let versions = history["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0]["body"], "No advertising.");
        assert!(versions[1]["effective_at"].as_str().unwrap().ends_with('Z'));
        // Visitors read the rules and the diff between versions.
        let page = app.client().get("/rules");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("id=\"rule-2\"") && page.body.contains("affiliate links"), "{}", page.body);
        let diff = app.client().get(&format!("/rules/{id}?from=1&to=2"));
        assert_eq!(diff.status, 200);
        assert!(diff.body.contains("<ins>"), "{}", diff.body);
        assert!(diff.body.contains("affiliate"));
        assert_eq!(app.client().get(&format!("/rules/{id}?from=1&to=9")).status, 422);
        // A future version is published but not in force yet.
        let later = (chrono::Utc::now() + chrono::Duration::days(10)).to_rfc3339();
        created(manager.api("PUT", &format!("/api/v1/rules/{id}"),
            Some(json!({"title": "No spam at all", "effective_at": later}))));
        let current = app.client().api("GET", "/api/v1/rules", None).json();
        assert_eq!(current[1]["version"], 2);
        assert_eq!(current[1]["upcoming_version"], 3);
    }

    fn bad_rules_are_explained(app) {
        let manager = community_manager(&app, "marta");
        let empty = manager.api("POST", "/api/v1/rules", Some(json!({"title": "x", "body": " "})));
        assert_eq!(empty.status, 422);
        let fields = &empty.json()["error"]["fields"];
        assert!(fields["title"].is_string() && fields["body"].is_string(), "{fields}");
        let first = new_rule(&manager, "Respect", "No insults.");
        let taken = manager.api("POST", "/api/v1/rules",
            Some(json!({"title": "Another", "body": "Text.", "number": 1})));
        assert_eq!(taken.status, 409);
        assert_eq!(taken.error_code(), "rule_number_taken");
        let id = first["id"].as_i64().unwrap();
        let same = manager.api("PUT", &format!("/api/v1/rules/{id}"), Some(json!({"body": "No insults."})));
        assert_eq!(same.status, 422);
        let past = manager.api("PUT", &format!("/api/v1/rules/{id}"),
            Some(json!({"body": "Be kind.", "effective_at": "2020-01-01T00:00:00Z"})));
        assert_eq!(past.status, 422);
        assert_eq!(manager.api("PUT", "/api/v1/rules/999999", Some(json!({"body": "x y z"}))).status, 404);
        // The page form shows the error where it happened.
        let page = manager.submit_form("/admin/rules", "/admin/rules", &[("title", "x"), ("body", "")]);
        assert_eq!(page.status, 422, "{}", page.body);
        assert!(page.body.contains("field-error"));
    }

    fn only_the_community_manager_and_admins_write_rules(app) {
        let cast = Cast::new(&app);
        let manager = cast.get(CommunityManager);
        let rule = new_rule(manager, "Respect", "No insults.");
        let id = rule["id"].as_i64().unwrap();
        let writers = [(Anonymous, 401), (Unverified, 403), (Member, 403), (Moderator, 403),
                       (CommunityManager, 201), (Admin, 201)];
        cast.expect("POST /api/v1/rules", &writers, |p| {
            p.api("POST", "/api/v1/rules", Some(json!({"title": format!("Rule by {}", p.username), "body": "Text."})))
        });
        let changers = [(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 200), (Admin, 200)];
        cast.expect("PUT /api/v1/rules/{id}", &changers, |p| {
            p.api("PUT", &format!("/api/v1/rules/{id}"), Some(json!({"body": format!("Version by {}", p.username)})))
        });
        cast.expect("GET /admin/rules", &[(Anonymous, 303), (Member, 403), (Moderator, 403),
            (CommunityManager, 200), (Admin, 200)], |p| p.get("/admin/rules"));
        cast.expect("POST /admin/rules (page)", &[(Member, 403), (Moderator, 403), (CommunityManager, 303)], |p| {
            p.submit_form("/rules", "/admin/rules", &[("title", &format!("Page rule {}", p.username)), ("body", "Text.")])
        });
        cast.expect("POST /admin/rules/{id} (page)", &[(Member, 403), (Moderator, 403), (Admin, 303)], |p| {
            p.submit_form("/rules", &format!("/admin/rules/{id}"),
                &[("title", "Respect"), ("body", &format!("Page version by {}", p.username))])
        });
        // A refused form shows the rules again only to who may write them.
        cast.expect("POST /admin/rules (page, bad input)", &[(Member, 403), (Moderator, 403), (CommunityManager, 422)], |p| {
            p.submit_form("/rules", "/admin/rules", &[("title", "x"), ("body", "")])
        });
        cast.expect("POST /admin/rules/{id} (page, bad date)", &[(Member, 403), (Moderator, 403), (Admin, 422)], |p| {
            p.submit_form("/rules", &format!("/admin/rules/{id}"), &[("title", "Respect"), ("body", "Text."), ("effective_on", "soon")])
        });
        cast.expect("GET /rules", &[(Anonymous, 200), (Member, 200)], |p| p.get("/rules"));
        cast.expect("GET /api/v1/rules", &[(Anonymous, 200), (Member, 200)], |p| p.api("GET", "/api/v1/rules", None));
        // Nothing the refused roles sent was published.
        let versions = app.client().api("GET", &format!("/api/v1/rules/{id}"), None).json();
        let bodies: Vec<&str> = versions["versions"].as_array().unwrap().iter().map(|v| v["body"].as_str().unwrap()).collect();
        assert!(bodies.iter().all(|b| !b.contains("cast_member") && !b.contains("cast_moderator")), "{bodies:?}");
    }

    fn a_significant_change_is_announced_to_members(app) {
        let manager = community_manager(&app, "marta");
        let ana = member(&app, "ana");
        let rule = new_rule(&manager, "Respect", "No insults.");
        let id = rule["id"].as_i64().unwrap();
        created(manager.api("PUT", &format!("/api/v1/rules/{id}"), Some(json!({"body": "No insults, ever."}))));
        app.wait_for_jobs_idle();
        let quiet = ana.api("GET", "/api/v1/notifications", None).json();
        assert_eq!(quiet.as_array().map_or(usize::MAX, Vec::len), 0, "a minor change is not announced: {quiet}");
        created(manager.api("PUT", &format!("/api/v1/rules/{id}"),
            Some(json!({"body": "No insults or harassment.", "significant": true}))));
        app.wait_for_jobs_idle();
        let told = ana.api("GET", "/api/v1/notifications", None).json();
        let items = told.as_array().unwrap();
        assert_eq!(items.len(), 1, "{told}");
        assert_eq!(items[0]["kind"], "rules");
        assert_eq!(items[0]["subject"]["kind"], "rule_version");
        assert_eq!(items[0]["url"], format!("/rules/{id}"));
    }

    fn signing_up_means_accepting_the_rules_once_there_are_any(app) {
        // Without rules, nothing to accept.
        let early = app.client().api("POST", "/api/v1/auth/register",
            Some(json!({"username": "early", "email": "early@example.com", "password": PASSWORD})));
        assert_eq!(early.status, 201, "{}", early.body);
        let manager = community_manager(&app, "marta");
        new_rule(&manager, "Respect", "No insults.");
        let refused = app.client().api("POST", "/api/v1/auth/register",
            Some(json!({"username": "late", "email": "late@example.com", "password": PASSWORD})));
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.json()["error"]["fields"]["accept_rules"].is_string());
        let accepted = app.client().api("POST", "/api/v1/auth/register",
            Some(json!({"username": "late", "email": "late@example.com", "password": PASSWORD, "accept_rules": true})));
        assert_eq!(accepted.status, 201, "{}", accepted.body);
        // The page asks with a checkbox.
        let visitor = app.client();
        let form = visitor.get("/register");
        assert!(form.body.contains("name=\"accept_rules\""));
        let unticked = visitor.submit_form("/register", "/register",
            &[("username", "page"), ("email", "page@example.com"), ("password", PASSWORD), ("display_name", "")]);
        assert_eq!(unticked.status, 422);
        let ticked = visitor.submit_form("/register", "/register",
            &[("username", "page"), ("email", "page@example.com"), ("password", PASSWORD), ("display_name", ""), ("accept_rules", "on")]);
        assert_eq!(ticked.status, 303, "{}", ticked.body);
    }
}

/// Files a report as `client`; the whole answer.
fn report(client: &tertulia_tests::Client, body: Value) -> tertulia_tests::Response {
    client.api("POST", "/api/v1/reports", Some(body))
}

both_backends! {
    fn reports_from_anyone_gather_in_one_queue_item_per_target(app) {
        use tertulia_tests::fixtures::{general_forum, moderator, question_with_answer};
        let _admin = general_forum(&app);
        let asker = member(&app, "asker");
        let rude = member(&app, "rude");
        let question = question_with_answer(&asker, &rude, "general", "Grinder settings for moka?");
        let post = question.answer_post;
        let first = report(&asker, json!({"target_kind": "post", "target_id": post,
            "reason": "abusive", "text": "Insults me in the second line."}));
        assert_eq!(first.status, 201, "{}", first.body);
        // The same reporter again: the first report stands.
        let again = report(&asker, json!({"target_kind": "post", "target_id": post,
            "reason": "spam", "text": "Again."}));
        assert_eq!(again.status, 200, "{}", again.body);
        assert_eq!(again.json()["id"], first.json()["id"]);
        assert_eq!(again.json()["already_reported"], true);
        // A logged-out visitor: an e-mail address, a receipt by mail.
        let visitor = report(&app.client(), json!({"target_kind": "post", "target_id": post,
            "reason": "illegal", "text": "Posts someone's home address.",
            "email": "witness@example.com", "bona_fide": true}));
        assert_eq!(visitor.status, 201, "{}", visitor.body);
        app.wait_for_mail("witness@example.com", "We received your report");
        // The author edits the post afterwards: the snapshot keeps what was reported.
        let edited = rude.api("PATCH", &format!("/api/v1/posts/{post}"),
            Some(json!({"body": "Nothing to see here.", "reason": "cleanup"})));
        assert_eq!(edited.status, 200, "{}", edited.body);
        let moderator = moderator(&app, "mod");
        let queue = created(moderator.api("GET", "/api/v1/review", None));
        let items = queue.as_array().unwrap();
        assert_eq!(items.len(), 1, "{queue}");
        let item = &items[0];
        assert_eq!(item["target_kind"], "post");
        assert_eq!(item["reports_count"], 2);
        assert_eq!(item["priority"], "high", "illegal content raises the priority");
        assert_eq!(item["score"], 2, "a member and a visitor weigh 1 each");
        assert_eq!(item["snapshot"]["text"], "Try turning it off and on again.");
        assert_eq!(item["snapshot"]["author"], "rude");
        let digest = item["snapshot_digest"].as_str().unwrap();
        assert_eq!(digest.len(), 64);
        let reports = item["reports"].as_array().unwrap();
        assert_eq!(reports[0]["reporter"], "asker");
        assert!(reports[1]["reporter"].is_null());
        // The queue page shows the same.
        let page = moderator.get("/review");
        assert_eq!(page.status, 200);
        assert!(page.body.contains(digest) && page.body.contains("Insults me"), "{}", page.body);
        // The reported author never sees who reported: the queue is staff-only.
        assert_eq!(rude.api("GET", "/api/v1/review", None).status, 403);
        // Another member's report joins the same item.
        let third = member(&app, "third");
        assert_eq!(report(&third, json!({"target_kind": "post", "target_id": post,
            "reason": "abusive", "text": "Rude."})).status, 201);
        let queue = created(moderator.api("GET", "/api/v1/review", None));
        assert_eq!(queue.as_array().unwrap().len(), 1);
        assert_eq!(queue[0]["reports_count"], 3);
        assert_eq!(queue[0]["snapshot_digest"], digest, "the snapshot never changes");
    }

    fn bad_reports_are_explained(app) {
        use tertulia_tests::fixtures::{general_forum, private_category, thread};
        let admin = general_forum(&app);
        let ana = member(&app, "ana");
        let (id, _) = thread(&ana, "general", "discussion", "Descaling schedule", "Monthly?");
        let bad = report(&ana, json!({"target_kind": "post", "target_id": 999_999, "reason": "nonsense", "text": ""}));
        assert_eq!(bad.status, 422, "{}", bad.body);
        let fields = &bad.json()["error"]["fields"];
        assert!(fields["reason"].is_string() && fields["text"].is_string(), "{fields}");
        let unknown = report(&ana, json!({"target_kind": "post", "target_id": 999_999, "reason": "spam", "text": "x"}));
        assert_eq!(unknown.status, 422);
        assert!(unknown.json()["error"]["fields"]["target_id"].is_string());
        let kind = report(&ana, json!({"target_kind": "category", "target_id": id, "reason": "spam", "text": "x"}));
        assert_eq!(kind.status, 422);
        // Logged out: an address is needed, and the good-faith statement for illegal content.
        let anonymous = report(&app.client(), json!({"target_kind": "thread", "target_id": id, "reason": "illegal", "text": "x"}));
        assert_eq!(anonymous.status, 422);
        let fields = &anonymous.json()["error"]["fields"];
        assert!(fields["email"].is_string() && fields["bona_fide"].is_string(), "{fields}");
        // Something the reporter cannot see does not exist for them.
        let private = private_category(&admin, "staff-room", "staff");
        let (secret, _) = thread(&admin, &private.slug, "discussion", "Staff only thread", "Hidden.");
        let outsider = report(&ana, json!({"target_kind": "thread", "target_id": secret, "reason": "spam", "text": "x"}));
        assert_eq!(outsider.status, 422);
        let admin_id = tertulia_tests::fixtures::user_id(&app, "ana");
        let myself = report(&ana, json!({"target_kind": "user", "target_id": admin_id, "reason": "other", "text": "me"}));
        assert_eq!(myself.status, 422);
        // The page form re-shows the error.
        let page = ana.submit_form(&format!("/report?kind=thread&id={id}"), "/report",
            &[("target_kind", "thread"), ("target_id", &id.to_string()), ("reason", "spam"), ("text", "")]);
        assert_eq!(page.status, 422);
        assert!(page.body.contains("field-error"));
        let ok = ana.submit_form(&format!("/report?kind=thread&id={id}"), "/report",
            &[("target_kind", "thread"), ("target_id", &id.to_string()), ("reason", "spam"), ("text", "Advertising")]);
        assert_eq!(ok.status, 200, "{}", ok.body);
    }

    fn only_moderators_see_the_queue(app) {
        let cast = Cast::new(&app);
        let queue = [(Anonymous, 401), (Member, 403), (Moderator, 200), (CommunityManager, 200), (Admin, 200)];
        cast.expect("GET /api/v1/review", &queue, |p| p.api("GET", "/api/v1/review", None));
        cast.expect("GET /review", &[(Anonymous, 303), (Member, 403), (Moderator, 200)], |p| p.get("/review"));
        cast.expect("GET /report", &[(Anonymous, 200), (Member, 200)], |p| p.get("/report?kind=user&id=1"));
    }
}

both_backends! {
    fn moderators_claim_and_decide_with_reasons_and_versions(app) {
        use tertulia_tests::fixtures::{general_forum, moderator, thread};
        let _admin = general_forum(&app);
        let author = member(&app, "author");
        let reporter = member(&app, "reporter");
        let (id, _) = thread(&author, "general", "discussion", "Selling my old grinder", "DM me.");
        assert_eq!(report(&reporter, json!({"target_kind": "thread", "target_id": id,
            "reason": "spam", "text": "Selling things."})).status, 201);
        let first = moderator(&app, "first");
        let second = moderator(&app, "second");
        let queue = created(first.api("GET", "/api/v1/review", None));
        let item = queue[0]["id"].as_i64().unwrap();
        let seen = queue[0]["version"].as_i64().unwrap();
        // The first moderator claims it; the second is refused while the claim holds.
        let claimed = created(first.api("POST", &format!("/api/v1/review/{item}/claim"), None));
        let version = claimed["version"].as_i64().unwrap();
        assert_eq!(version, seen + 1);
        let other = second.api("POST", &format!("/api/v1/review/{item}/claim"), None);
        assert_eq!(other.status, 409);
        assert_eq!(other.error_code(), "claimed_by_other");
        let decide = |who: &tertulia_tests::Client, body: Value| {
            who.api("POST", &format!("/api/v1/review/{item}/decision"), Some(body))
        };
        let by_other = decide(&second, json!({"action": "keep", "explanation": "Fine.", "version": version}));
        assert_eq!(by_other.error_code(), "claimed_by_other");
        // The claim holder: no explanation, a stale version, an unknown action are refused.
        let no_reason = decide(&first, json!({"action": "keep", "explanation": " ", "version": version}));
        assert_eq!(no_reason.status, 422);
        assert_eq!(no_reason.error_code(), "reason_required");
        let stale = decide(&first, json!({"action": "keep", "explanation": "Fine.", "version": seen}));
        assert_eq!(stale.status, 409);
        assert_eq!(stale.error_code(), "stale_version");
        let unknown = decide(&first, json!({"action": "explode", "explanation": "x", "version": version}));
        assert_eq!(unknown.status, 422);
        // Kept: the item leaves the queue.
        let kept = decide(&first, json!({"action": "keep", "explanation": "Selling your own gear is allowed in this category.", "version": version}));
        assert_eq!(kept.status, 200, "{}", kept.body);
        assert_eq!(kept.json()["status"], "no_action");
        assert_eq!(created(first.api("GET", "/api/v1/review", None)).as_array().unwrap().len(), 0);
        let again = decide(&first, json!({"action": "keep", "explanation": "Again.", "version": version + 1}));
        assert_eq!(again.error_code(), "not_allowed");
        // A new report reopens it, with a new version.
        let another = member(&app, "another");
        assert_eq!(report(&another, json!({"target_kind": "thread", "target_id": id,
            "reason": "spam", "text": "Still selling."})).status, 201);
        let queue = created(second.api("GET", "/api/v1/review", None));
        assert_eq!(queue.as_array().unwrap().len(), 1);
        assert_eq!(queue[0]["status"], "open");
        assert!(queue[0]["version"].as_i64().unwrap() > version + 1);
        // Escalated items wait for the community manager.
        let v = queue[0]["version"].clone();
        let escalated = decide(&second, json!({"action": "escalate", "explanation": "Policy question.", "version": v}));
        assert_eq!(escalated.json()["status"], "escalated");
        let v = created(second.api("GET", "/api/v1/review", None))[0]["version"].clone();
        assert_eq!(decide(&first, json!({"action": "keep", "explanation": "x", "version": v})).error_code(), "not_allowed");
        // Escalated items are claimed by the community manager only; escalations stay internal.
        assert_eq!(first.api("POST", &format!("/api/v1/review/{item}/claim"), None).error_code(), "not_allowed");
        let public = app.client().api("GET", "/api/v1/modlog", None).body;
        assert!(!public.contains("Policy question."), "{public}");
        assert!(second.api("GET", "/api/v1/modlog", None).body.contains("Policy question."));
        let manager = community_manager(&app, "marta");
        let done = decide(&manager, json!({"action": "dismiss", "explanation": "Duplicate of an earlier decision.", "version": v}));
        assert_eq!(done.status, 200, "{}", done.body);
    }

    fn nobody_decides_what_they_are_involved_in(app) {
        use tertulia_tests::fixtures::{general_forum, moderator, thread};
        let _admin = general_forum(&app);
        let judge = moderator(&app, "judge");
        let member = member(&app, "plain");
        let (own, _) = thread(&judge, "general", "discussion", "A moderator's own thread", "Hello.");
        assert_eq!(report(&member, json!({"target_kind": "thread", "target_id": own,
            "reason": "off_topic", "text": "Wrong place."})).status, 201);
        // The moderator whose thread it is does not even see the item (nor who reported it).
        assert_eq!(created(judge.api("GET", "/api/v1/review", None)).as_array().unwrap().len(), 0);
        let colleague = moderator(&app, "colleague");
        let item = created(colleague.api("GET", "/api/v1/review", None))[0].clone();
        let claim = judge.api("POST", &format!("/api/v1/review/{}/claim", item["id"]), None);
        assert_eq!(claim.status, 403);
        assert_eq!(claim.error_code(), "not_allowed");
        let decide = judge.api("POST", &format!("/api/v1/review/{}/decision", item["id"]),
            Some(json!({"action": "keep", "explanation": "Mine is fine.", "version": item["version"]})));
        assert_eq!(decide.error_code(), "not_allowed");
        // Wrong roles for the new routes.
        let cast = Cast::new(&app);
        let id = item["id"].as_i64().unwrap();
        cast.expect("POST /api/v1/review/{id}/claim", &[(Anonymous, 401), (Member, 403), (CommunityManager, 200)],
            |p| p.api("POST", &format!("/api/v1/review/{id}/claim"), None));
        cast.expect("POST /api/v1/review/{id}/decision", &[(Anonymous, 401), (Member, 403)],
            |p| p.api("POST", &format!("/api/v1/review/{id}/decision"),
                Some(json!({"action": "keep", "explanation": "x", "version": 1}))));
        cast.expect("POST /review/{id}/claim (page)", &[(Member, 403)],
            |p| p.submit_form("/rules", &format!("/review/{id}/claim"), &[]));
        // A moderator works it from the page.
        let other = moderator(&app, "other");
        let page = other.get("/review");
        assert!(page.body.contains(&format!("/review/{id}/decision")));
        let version = created(other.api("GET", "/api/v1/review", None))[0]["version"].as_i64().unwrap();
        let decided = other.submit_form("/review", &format!("/review/{id}/decision"),
            &[("action", "dismiss"), ("explanation", "Off-topic reports go to the category owner."), ("version", &version.to_string())]);
        assert_eq!(decided.status, 409, "the community manager's claim above holds: {}", decided.body);
        assert!(decided.body.contains("Another moderator"), "claimed_by_other: {}", decided.body);
        // Once the claim is the page user's own, the page decides.
        let manager = cast.get(CommunityManager);
        let version = created(manager.api("GET", "/api/v1/review", None))[0]["version"].as_i64().unwrap();
        let decided = manager.submit_form("/review", &format!("/review/{id}/decision"),
            &[("action", "dismiss"), ("explanation", "Off-topic reports go to the category owner."), ("version", &version.to_string())]);
        assert_eq!(decided.status, 303, "{}", decided.body);
        assert_eq!(created(manager.api("GET", "/api/v1/review", None)).as_array().unwrap().len(), 0);
        // The moderator whose thread it was never saw the reporters.
        assert!(!judge.get("/review").body.contains("Wrong place."));
    }
}

both_backends! {
    fn reporters_hear_the_outcome_and_the_modlog_shows_it(app) {
        use tertulia_tests::fixtures::{general_forum, moderator, thread};
        let _admin = general_forum(&app);
        let author = member(&app, "author");
        let reporter = member(&app, "reporter");
        let (id, _) = thread(&author, "general", "discussion", "Best beans this month", "Any tips?");
        assert_eq!(report(&reporter, json!({"target_kind": "thread", "target_id": id,
            "reason": "off_topic", "text": "Not about machines."})).status, 201);
        assert_eq!(report(&app.client(), json!({"target_kind": "thread", "target_id": id,
            "reason": "spam", "text": "Ad.", "email": "visitor@example.com"})).status, 201);
        let judge = moderator(&app, "judge");
        let item = created(judge.api("GET", "/api/v1/review", None))[0].clone();
        let decided = judge.api("POST", &format!("/api/v1/review/{}/decision", item["id"]),
            Some(json!({"action": "keep", "explanation": "Coffee beans are on topic here.", "version": item["version"]})));
        assert_eq!(decided.status, 200, "{}", decided.body);
        // The member reporter is notified, the logged-out one mailed; both point at the log.
        app.wait_for_jobs_idle();
        let told = reporter.api("GET", "/api/v1/notifications", None).json();
        let told = told.as_array().unwrap();
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0]["kind"], "report_outcome");
        let url = told[0]["url"].as_str().unwrap().to_string();
        assert!(url.starts_with("/modlog#decision-"), "{url}");
        app.wait_for_mail("visitor@example.com", "decided on your report");
        assert_eq!(tertulia_tests::fixtures::notifications(&author).len(), 0,
            "the reported author is not told who reported");
        // The public log: the decision and its reason, no moderator name; staff see it.
        let public = app.client().api("GET", "/api/v1/modlog", None).json();
        assert_eq!(public[0]["action"], "keep");
        assert_eq!(public[0]["source"], "report");
        assert_eq!(public[0]["summary"], "Coffee beans are on topic here.");
        assert!(public[0]["decided_by"].is_null(), "{public}");
        let staff = judge.api("GET", "/api/v1/modlog", None).json();
        assert_eq!(staff[0]["decided_by"], "judge");
        let page = app.client().get("/modlog");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Coffee beans are on topic here.") && !page.body.contains("judge"));
        assert!(page.body.contains(&format!("id=\"decision-{}\"", public[0]["id"])));
    }
}

both_backends! {
    fn reports_are_limited_and_concurrent_first_reports_make_one_item(app) {
        use tertulia_tests::fixtures::{general_forum, moderator, thread};
        let _admin = general_forum(&app);
        let author = member(&app, "author");
        let (id, _) = thread(&author, "general", "discussion", "A thread many dislike", "Hm.");
        // Eight members report it at the same moment: one item, eight reports.
        let reporters: Vec<_> = (0..8).map(|n| member(&app, &format!("crowd{n}"))).collect();
        let barrier = std::sync::Barrier::new(reporters.len());
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = reporters.iter().map(|r| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    report(r, json!({"target_kind": "thread", "target_id": id, "reason": "spam", "text": "Same time."})).status
                })
            }).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
        let queue = created(moderator(&app, "mod").api("GET", "/api/v1/review", None));
        assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");
        assert_eq!(queue[0]["reports_count"], 8);
        // A member's reports are limited per hour.
        let busy = member(&app, "busy");
        let mut last = 0;
        for n in 0..21 {
            let (t, _) = thread(&author, "general", "discussion", &format!("Thread number {n}"), "Body.");
            last = report(&busy, json!({"target_kind": "thread", "target_id": t, "reason": "spam", "text": "x"})).status;
            if n < 20 { assert_eq!(last, 201, "report {n}"); }
        }
        assert_eq!(last, 429);
    }
}
