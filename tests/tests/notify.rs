//! Notifications and e-mail end to end: in-app notifications per event, e-mails received by a
//! real SMTP server process (aiosmtpd) with both parts, the member's language and a working
//! one-click unsubscribe, an SMTP outage that loses nothing, a worker crash between sending and
//! recording, the 5,000-watcher fan-out in the background, digests, verification, password
//! reset and e-mail change, and notifications about subjects outside the forum. Every test runs
//! on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use diesel::RunQueryDsl;
use tertulia::accounts::model::{Role, UserId};
use tertulia::config::Config;
use tertulia::forum::model::PostId;
use tertulia::notify::fan_out::notify_subject;
use tertulia::notify::model::{Kind, Notice, Subject, SubjectKind};
use tertulia_tests::fixtures::{brand_staff, category, notifications, reply, thread};
use tertulia_tests::smtp::{header, SmtpSink};
use tertulia_tests::{both_backends, json, Backend, Client, TestApp, Value, PASSWORD};

/// A new thread's id.
fn thread_id(client: &Client, category: &str, kind: &str, title: &str, body: &str) -> i64 {
    thread(client, category, kind, title, body).0
}

fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
}

fn wait_for_notifications(client: &Client, count: usize) -> Vec<Value> {
    let mut last = vec![];
    wait_until(&format!("{count} notifications"), || {
        last = notifications(client);
        last.len() >= count
    });
    last
}

/// Starts an app whose mail goes to a fresh SMTP sink; `None` when the sink or backend is missing.
fn with_smtp(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<(TestApp, SmtpSink)> {
    let sink = SmtpSink::start()?;
    let url = sink.url();
    let app = TestApp::start_with(backend, move |c| {
        c.smtp_url = Some(tertulia::config::Secret::new(url));
        c.mail_from = "Cafetera Aurora <noreply@aurora.example>".into();
        c.brand_name = "Cafetera Aurora".into();
        adjust(c);
    })?;
    Some((app, sink))
}

both_backends! {
    fn reactions_to_one_post_are_one_notification_that_names_them(app) {
        let admin = app.logged_in("admin1", Role::Admin);
        category(&admin, "general", "public", "");
        let alice = app.logged_in("alice", Role::Member);
        let (thread, _) = thread(&alice, "general", "discussion", "My espresso corner", "Look at it");
        let post = alice.api("GET", &format!("/api/v1/threads/{thread}"), None).json()["posts"][0]["id"].as_i64().unwrap();
        let reacts = |who: &str, kind: &str| {
            let client = app.logged_in(who, Role::Member);
            assert_eq!(client.api("POST", &format!("/api/v1/posts/{post}/reactions"), Some(json!({"kind": kind}))).status, 200);
            app.wait_for_jobs_idle();
            client
        };
        reacts("bob", "like");
        reacts("carol", "love");
        let dan = reacts("dan", "like");
        let reactions = |client: &Client| -> Vec<Value> {
            notifications(client).into_iter().filter(|n| n["kind"] == "reaction").collect()
        };
        let grouped = reactions(&alice);
        assert_eq!(grouped.len(), 1, "{grouped:?}");
        assert_eq!(grouped[0]["actor"], "dan");
        assert_eq!(grouped[0]["others"], 2);
        assert_eq!(grouped[0]["reactions"], json!(["like", "love"]));
        let page = alice.get("/notifications").body;
        assert!(page.contains("dan and 2 other members reacted to your post in “My espresso corner”: Like, Love"), "{page}");
        // Taking a reaction back and giving it again tells nothing new.
        for _ in 0..2 {
            assert_eq!(dan.api("POST", &format!("/api/v1/posts/{post}/reactions"), Some(json!({"kind": "like"}))).status, 200);
        }
        app.wait_for_jobs_idle();
        assert_eq!(reactions(&alice).len(), 1);
        // Once read, the next reaction is a notification of its own.
        let id = grouped[0]["id"].as_i64().unwrap();
        assert_eq!(alice.api("POST", &format!("/api/v1/notifications/{id}/read"), None).status, 200);
        reacts("erin", "thanks");
        let listed = reactions(&alice);
        assert_eq!(listed.len(), 2, "{listed:?}");
        assert_eq!((listed[0]["actor"].clone(), listed[0]["others"].clone(), listed[0]["reactions"].clone()), (json!("erin"), json!(0), json!(["thanks"])));
        assert!(alice.get("/notifications").body.contains("erin reacted to your post in “My espresso corner”: Thanks"));
    }

    fn members_are_notified_in_the_app(app) {
        let admin = app.logged_in("admin1", Role::Admin);
        category(&admin, "general", "public", "");
        let alice = app.logged_in("alice", Role::Member);
        let bob = app.logged_in("bob", Role::Member);
        let carol = app.logged_in("carol", Role::Member);
        let thread = thread_id(&alice, "general", "question", "Grinder squeaks at fine settings", "It squeaks.");
        let answer = reply(&bob, thread, "Clean the burrs, and ask @carol who fixed hers.");
        // Alice hears of the reply, Carol of the mention; Bob, who wrote it, of nothing.
        let alice_items = wait_for_notifications(&alice, 1);
        assert_eq!(alice_items[0]["kind"], "reply");
        assert_eq!(alice_items[0]["actor"], "bob");
        let carol_items = wait_for_notifications(&carol, 1);
        assert_eq!(carol_items[0]["kind"], "mention");
        assert!(notifications(&bob).is_empty(), "{:?}", notifications(&bob));
        // The bell shows the count; opening marks read and lands on the post.
        // (Her first thread also earned her the First post badge: two unread.)
        app.wait_for_jobs_idle();
        let home = alice.get("/");
        assert!(home.body.contains("Notifications (2)"), "{}", home.body);
        let list = alice.get("/notifications");
        assert!(list.body.contains("bob replied to your thread “Grinder squeaks at fine settings”"));
        let id = alice_items[0]["id"].as_i64().unwrap();
        let opened = alice.submit_form("/notifications", &format!("/notifications/{id}/open"), &[]);
        assert_eq!(opened.status, 303);
        assert!(opened.location().unwrap().ends_with("/2#post-2"));
        assert!(alice.get("/").body.contains("Notifications (1)"), "the reply is read, the badge not");
        // Reactions and accepted answers notify the post's author.
        let answer_id = answer["id"].as_i64().unwrap();
        alice.api("POST", &format!("/api/v1/posts/{answer_id}/reactions"), Some(json!({"kind": "thanks"})));
        alice.api("POST", &format!("/api/v1/posts/{answer_id}/accept"), None);
        let bob_items = wait_for_notifications(&bob, 2);
        let kinds: Vec<&str> = bob_items.iter().map(|n| n["kind"].as_str().unwrap()).collect();
        assert!(kinds.contains(&"reaction") && kinds.contains(&"accepted"), "{kinds:?}");
        app.wait_for_jobs_idle();
        // The reaction and the acceptance, and the badges they earned him (first post,
        // first helpful reply, first solution).
        assert_eq!(bob.api("POST", "/api/v1/notifications/read-all", None).json()["marked"], 5);
        // Quoting a post (the Quote button) tells its author, who outranks the thread's author.
        let thread_url = format!("/t/grinder-squeaks-at-fine-settings/{thread}");
        let quoted = carol.get(&format!("{thread_url}?quote=2"));
        assert!(quoted.body.contains("name=\"reply_to\" value=\"2\""));
        let token = tertulia_tests::csrf_token_in(&quoted.body).unwrap();
        let sent = carol.post_form(&format!("/t/{thread}/reply"), &[("csrf_token", &token), ("reply_to", "2"), ("body", "> clean the burrs\n\nIt worked!")]);
        assert_eq!(sent.status, 303);
        wait_until("quote notification", || notifications(&bob).iter().any(|n| n["kind"] == "quote"));
        // Someone else's notification is not found.
        assert_eq!(carol.api("POST", &format!("/api/v1/notifications/{id}/read"), None).status, 404);
        assert_eq!(app.client().api("GET", "/api/v1/notifications", None).status, 401);
    }

    fn privacy_and_muting_hold_back_notifications(app) {
        let admin = app.logged_in("admin1", Role::Admin);
        category(&admin, "general", "public", "");
        admin.api("POST", "/api/v1/admin/groups", Some(json!({"name": "Staff"})));
        category(&admin, "staff-room", "private", "Staff");
        let insider = app.logged_in("insider", Role::Member);
        let groups = admin.api("GET", "/api/v1/admin/groups", None).json();
        let group = groups[0]["id"].as_i64().unwrap();
        admin.api("PUT", &format!("/api/v1/admin/groups/{group}/members/insider"), None);
        let outsider = app.logged_in("outsider", Role::Member);
        let watcher = app.logged_in("watcher", Role::Member);
        // A mention inside a private category does not reach someone who cannot see it.
        let secret = thread_id(&insider, "staff-room", "discussion", "Launch plans for the Pro", "Ask @outsider? No.");
        let _ = secret;
        // A muted thread stays silent even for its own author.
        let public = thread_id(&outsider, "general", "discussion", "Mute me please thread", "hi");
        outsider.api("PUT", &format!("/api/v1/threads/{public}/watch"), Some(json!({"level": "muted"})));
        watcher.api("PUT", &format!("/api/v1/threads/{public}/watch"), Some(json!({"level": "watching"})));
        reply(&insider, public, "A reply nobody muted would see");
        let watched = wait_for_notifications(&watcher, 1);
        assert_eq!(watched[0]["kind"], "watched");
        // Every fan-out has run: nothing more can arrive.
        app.wait_for_jobs_idle();
        assert!(notifications(&outsider).is_empty(), "{:?}", notifications(&outsider));
        // Official answers reach everyone who took part.
        let support = brand_staff(&app, &admin, "support", "Support");
        let question = thread_id(&watcher, "general", "question", "Warranty for a used machine?", "Bought second hand.");
        reply(&outsider, question, "Same question here");
        support.api("POST", &format!("/api/v1/threads/{question}/posts"), Some(json!({"body": "The warranty follows the machine.", "official": true})));
        wait_until("official notification", || {
            notifications(&outsider).iter().any(|n| n["kind"] == "official")
        });
    }

    fn losing_access_hides_post_notifications(app) {
        let admin = app.logged_in("admin1", Role::Admin);
        admin.api("POST", "/api/v1/admin/groups", Some(json!({"name": "Staff"})));
        category(&admin, "staff-room", "private", "Staff");
        let group = admin.api("GET", "/api/v1/admin/groups", None).json()[0]["id"].as_i64().unwrap();
        let author = app.logged_in("author", Role::Member);
        let leaver = app.logged_in("leaver", Role::Member);
        for member in ["author", "leaver"] {
            admin.api("PUT", &format!("/api/v1/admin/groups/{group}/members/{member}"), None);
        }
        let secret = thread_id(&leaver, "staff-room", "discussion", "Launch plans for the Pro", "Dates?");
        reply(&author, secret, "Next spring.");
        let items = wait_for_notifications(&leaver, 1);
        assert_eq!(items[0]["subject"]["kind"], "post");
        assert_eq!(items[0]["thread_title"], "Launch plans for the Pro");
        assert_eq!(items[0]["title"], "Launch plans for the Pro");
        assert!(items[0]["url"].as_str().unwrap().ends_with(&format!("/{secret}/2#post-2")), "{items:?}");
        let id = items[0]["id"].as_i64().unwrap();
        // Out of the group: the notification is neither listed nor opened.
        let removed = admin.api("DELETE", &format!("/api/v1/admin/groups/{group}/members/leaver"), None);
        assert!(removed.status < 300, "{}", removed.body);
        assert!(notifications(&leaver).is_empty(), "{:?}", notifications(&leaver));
        assert!(!leaver.get("/notifications").body.contains("Launch plans"));
        assert_eq!(leaver.api("POST", &format!("/api/v1/notifications/{id}/read"), None).status, 404);
    }

    fn preferences_are_chosen_per_kind(app) {
        let admin = app.logged_in("admin1", Role::Admin);
        category(&admin, "general", "public", "");
        let member = app.logged_in("prefs", Role::Member);
        let current = member.api("GET", "/api/v1/me/preferences", None).json();
        let reply_pref = current.as_array().unwrap().iter().find(|p| p["kind"] == "reply").unwrap().clone();
        assert_eq!(reply_pref["delivery"], "email");
        let saved = member.submit_form("/me/preferences", "/me/preferences", &[("reply", "daily"), ("reaction", "off")]);
        assert_eq!(saved.status, 303);
        // The page it leads back to confirms the save; a plain visit does not.
        let confirmed = member.get(saved.location().unwrap()).body;
        assert!(confirmed.contains("role=\"status\">Your changes are saved."), "{confirmed}");
        let page = member.get("/me/preferences").body;
        assert!(page.contains("<option value=\"daily\" selected>"));
        assert!(!page.contains("Your changes are saved."));
        assert_eq!(member.api("PUT", "/api/v1/me/preferences", Some(json!({"reply": "sometimes"}))).status, 422);
        assert_eq!(member.api("PUT", "/api/v1/me/preferences", Some(json!({"gossip": "email"}))).status, 422);
        assert_eq!(member.api("PUT", "/api/v1/me/preferences", Some(json!({"mention": "weekly"}))).status, 204);
        // reaction=off: a reaction to their post notifies nothing, while the reply that follows
        // (daily: in the app now, by e-mail in the digest) does arrive.
        let own = thread_id(&member, "general", "discussion", "My tamper collection", "Six so far");
        let fan = app.logged_in("fan", Role::Member);
        let first_post = tertulia_tests::fixtures::post_ids(&fan, own)[0];
        let liked = fan.api("POST", &format!("/api/v1/posts/{first_post}/reactions"), Some(json!({"kind": "like"})));
        assert_eq!(liked.status, 200, "{}", liked.body);
        reply(&fan, own, "Show us the pictures");
        let arrived = wait_for_notifications(&member, 1);
        app.wait_for_jobs_idle();
        let kinds: Vec<Value> = notifications(&member).iter().map(|n| n["kind"].clone()).collect();
        assert_eq!(kinds, vec![json!("reply")], "{arrived:?}");
        assert_eq!(member.get("/admin/jobs").status, 403);
        assert_eq!(member.api("GET", "/api/v1/admin/jobs", None).status, 403);
    }

    fn verification_reset_and_email_change(app) {
        let admin = app.logged_in("admin1", Role::Admin);
        category(&admin, "general", "public", "");
        let newcomer = app.client();
        let registered = newcomer.submit_form("/register", "/register", &[("username", "nico"), ("email", "nico@example.com"), ("password", PASSWORD)]);
        assert_eq!(registered.status, 303);
        // Unverified: reading works, posting is refused with a reason.
        assert!(newcomer.get("/").body.contains("Please confirm your e-mail address"));
        let refused = newcomer.api("POST", "/api/v1/threads", Some(json!({"category": "general", "title": "Hello everyone", "body": "hi"})));
        assert_eq!(refused.status, 403);
        assert_eq!(refused.error_code(), "email_unverified");
        // Asking again sends a new link; the newest one is the one that works.
        let resent = newcomer.submit_form("/", "/verify/resend", &[]);
        assert_eq!(resent.status, 200);
        assert!(resent.body.contains("We sent a new confirmation link"));
        assert_eq!(newcomer.api("POST", "/api/v1/auth/verify/resend", None).status, 202);
        assert_eq!(app.client().api("POST", "/api/v1/auth/verify/resend", None).status, 401);
        // Whole mails: a file is created before the transport has written it.
        wait_until("three confirmation mails", || {
            std::fs::read_dir(app.mail_dir())
                .map(|d| {
                    d.flatten()
                        .filter(|e| {
                            std::fs::read_to_string(e.path())
                                .map(|m| tertulia_tests::decode_mail(&m).contains("/verify/"))
                                .unwrap_or(false)
                        })
                        .count()
                })
                .unwrap_or(0)
                >= 3
        });
        // Of the three links only the newest still works.
        let links: Vec<String> = std::fs::read_dir(app.mail_dir())
            .unwrap()
            .flatten()
            .map(|e| tertulia_tests::decode_mail(&std::fs::read_to_string(e.path()).unwrap()))
            .map(|m| app.link_in(&m, "/verify/").trim_start_matches(&app.url("")).to_string())
            .collect();
        let working: Vec<&String> = links.iter().filter(|l| newcomer.get(l).status == 200).collect();
        assert_eq!(working.len(), 1, "{links:?}");
        let path = working[0].as_str();
        // The link's page names the community (it once showed a literal `{$brand}`).
        let link_page = newcomer.get(path);
        assert!(link_page.body.contains(&format!("start posting in the {} community", app.config.brand_name)), "{}", link_page.body);
        let confirm = newcomer.submit_form(path, path, &[]);
        assert_eq!(confirm.status, 200);
        assert!(confirm.body.contains("your address is confirmed"));
        // The page that says so no longer asks to confirm.
        assert!(!confirm.body.contains("Please confirm your e-mail address"), "{}", confirm.body);
        assert_eq!(newcomer.api("POST", "/api/v1/threads", Some(json!({"category": "general", "title": "Hello everyone", "body": "hi"}))).status, 201);
        // Used links do not work twice.
        assert_eq!(newcomer.get(path).status, 422);
        assert!(newcomer.get(path).body.contains("This link is not valid"));

        // Password reset: same answer for known and unknown addresses.
        let stranger = app.client();
        let known = stranger.submit_form("/password/forgot", "/password/forgot", &[("email", "NICO@example.com")]);
        let unknown = stranger.submit_form("/password/forgot", "/password/forgot", &[("email", "ghost@example.com")]);
        assert_eq!(known.status, 200);
        assert_eq!(known.body.replace("NICO@example.com", ""), unknown.body.replace("ghost@example.com", ""));
        let reset_mail = app.wait_for_mail("nico@example.com", "/password/reset/");
        let reset = app.link_in(&reset_mail, "/password/reset/");
        let reset_path = reset.trim_start_matches(&app.url(""));
        let weak = stranger.submit_form(reset_path, reset_path, &[("password", "short")]);
        assert_eq!(weak.status, 422);
        let done = stranger.submit_form(reset_path, reset_path, &[("password", "a brand new passphrase")]);
        assert_eq!(done.status, 200, "{}", done.body);
        assert_eq!(newcomer.api("GET", "/api/v1/me", None).status, 401, "every session ends");
        assert_eq!(stranger.get(reset_path).status, 422, "single use");
        let login = app.client().api("POST", "/api/v1/auth/login", Some(json!({"login": "nico", "password": "a brand new passphrase"})));
        assert_eq!(login.status, 200);
        // An expired token is refused too.
        app.client().api("POST", "/api/v1/auth/password/forgot", Some(json!({"email": "nico@example.com"})));
        let mut conn = app.db();
        wait_until("second reset mail", || {
            std::fs::read_dir(app.mail_dir())
                .unwrap()
                .flatten()
                .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|m| tertulia_tests::decode_mail(&m).contains("/password/reset/")))
                .count()
                >= 2
        });
        diesel::sql_query("UPDATE account_tokens SET expires_at = created_at WHERE used_at IS NULL").execute(&mut conn).unwrap();
        let newest = std::fs::read_dir(app.mail_dir()).unwrap().flatten()
            .map(|e| tertulia_tests::decode_mail(&std::fs::read_to_string(e.path()).unwrap()))
            .filter(|m| m.contains("/password/reset/"))
            .map(|m| app.link_in(&m, "/password/reset/"))
            .find(|l| l != &reset)
            .unwrap();
        let expired = app.client().api("POST", "/api/v1/auth/password/reset", Some(json!({"token": newest.rsplit('/').next().unwrap(), "password": "another fine passphrase"})));
        assert_eq!(expired.status, 422);
        assert_eq!(expired.error_code(), "token_invalid");

        // Changing the address: a link to the new one, and the old one stays until it is used.
        let member = app.client();
        member.submit_form("/login", "/login", &[("login", "nico"), ("password", "a brand new passphrase")]);
        let wrong = member.submit_form("/me/email", "/me/email", &[("email", "nico@new.example"), ("password", "not my password")]);
        assert_eq!(wrong.status, 422);
        let taken = member.api("POST", "/api/v1/me/email", Some(json!({"email": "admin1@example.com", "password": "a brand new passphrase"})));
        assert_eq!(taken.status, 409);
        let asked = member.submit_form("/me/email", "/me/email", &[("email", "nico@new.example"), ("password", "a brand new passphrase")]);
        assert_eq!(asked.status, 200);
        assert_eq!(member.api("GET", "/api/v1/me", None).json()["email"], "nico@example.com");
        let change = app.wait_for_mail("nico@new.example", "/email/confirm/");
        let change_path = app.link_in(&change, "/email/confirm/").trim_start_matches(&app.url("")).to_string();
        assert_eq!(member.submit_form(&change_path, &change_path, &[]).status, 200);
        assert_eq!(member.api("GET", "/api/v1/me", None).json()["email"], "nico@new.example");
    }
}

fn mails_over_smtp(backend: Backend) {
    let Some((app, sink)) = with_smtp(backend, |_| {}) else {
        return;
    };
    let admin = app.logged_in("admin1", Role::Admin);
    category(&admin, "general", "public", "");
    // A Spanish speaker registers: the confirmation arrives in Spanish, as text and HTML.
    let maria = app.client();
    let page = maria.get_with("/register", ("Accept-Language", "es-ES"));
    let token = tertulia_tests::csrf_token_in(&page.body).unwrap();
    let registered = maria.post_form_with(
        "/register",
        &[
            ("csrf_token", &token),
            ("username", "maria"),
            ("email", "maria@example.com"),
            ("password", PASSWORD),
        ],
        ("Accept-Language", "es-ES"),
    );
    assert_eq!(registered.status, 303);
    assert_eq!(maria.api("GET", "/api/v1/me", None).json()["locale"], "es");
    let verify = sink.wait_for(1, |m| m.contains("To: maria@example.com"));
    let message = &verify[0];
    assert!(
        header(message, "Subject")
            .unwrap()
            .contains("Confirma tu correo"),
        "{message}"
    );
    assert!(header(message, "From")
        .unwrap()
        .contains("noreply@aurora.example"));
    assert!(
        message.contains("Content-Type: text/plain") && message.contains("Content-Type: text/html")
    );
    assert!(message.contains(
        "Confirma tu dirección para empezar a publicar en la comunidad de Cafetera Aurora"
    ));
    assert!(
        header(message, "List-Unsubscribe").is_none(),
        "account mail has no unsubscribe"
    );

    // A reply notifies the thread's author by e-mail, with one-click unsubscribe headers.
    let alice = app.logged_in("alice", Role::Member);
    let bob = app.logged_in("bob", Role::Member);
    let thread = thread_id(
        &alice,
        "general",
        "discussion",
        "Milk steaming tips",
        "How do you get microfoam?",
    );
    reply(&bob, thread, "Keep the tip just under the surface.");
    let notified = sink.wait_for(1, |m| m.contains("To: alice@example.com"));
    let mail = &notified[0];
    assert_eq!(
        header(mail, "Subject").unwrap(),
        "bob replied to “Milk steaming tips”"
    );
    assert!(mail.contains("Keep the tip just under the surface."));
    assert_eq!(
        header(mail, "List-Unsubscribe-Post").unwrap(),
        "List-Unsubscribe=One-Click"
    );
    let unsubscribe = header(mail, "List-Unsubscribe").unwrap();
    let url = unsubscribe.trim_start_matches('<').trim_end_matches('>');
    assert!(url.starts_with(&app.url("/unsubscribe?")), "{url}");
    // The mail client's one-click POST, without any cookie or login.
    let path = url.trim_start_matches(&app.url(""));
    let one_click = app.client().send_raw(
        "POST",
        path,
        "application/x-www-form-urlencoded",
        "List-Unsubscribe=One-Click",
    );
    assert_eq!(one_click.status, 200, "{}", one_click.body);
    assert!(one_click
        .body
        .contains("you will not get these e-mails any more"));
    let confirm_page = app.client().get(path);
    assert!(
        confirm_page.body.contains("Stop these e-mails?"),
        "the link opened in a browser asks first"
    );
    let forged = app.client().send_raw(
        "POST",
        &path.replace("&s=", "&s=00"),
        "application/x-www-form-urlencoded",
        "",
    );
    assert_eq!(forged.status, 422);
    let prefs = alice.api("GET", "/api/v1/me/preferences", None).json();
    assert_eq!(
        prefs
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["kind"] == "reply")
            .unwrap()["delivery"],
        "in_app"
    );
    // The next reply reaches Alice in the app only.
    reply(&bob, thread, "Also: cold milk, cold jug.");
    wait_for_notifications(&alice, 2);
    app.wait_for_jobs_idle();
    assert_eq!(
        app.mails_to("alice@example.com").len(),
        1,
        "no second mail was even queued"
    );
    assert_eq!(
        sink.messages()
            .iter()
            .filter(|m| m.contains("To: alice@example.com"))
            .count(),
        1
    );
}

fn outage_loses_nothing(backend: Backend) {
    let Some((app, mut sink)) = with_smtp(backend, |_| {}) else {
        return;
    };
    let admin = app.logged_in("admin1", Role::Admin);
    category(&admin, "general", "public", "");
    let alice = app.logged_in("alice", Role::Member);
    let bob = app.logged_in("bob", Role::Member);
    let thread = thread_id(
        &alice,
        "general",
        "discussion",
        "Outage thread title",
        "first",
    );
    sink.stop();
    // While the mail server is down, members keep posting and registering.
    for n in 0..3 {
        reply(&bob, thread, &format!("reply {n} during the outage"));
    }
    let newcomer = app.client();
    let registered = newcomer.submit_form(
        "/register",
        "/register",
        &[
            ("username", "late"),
            ("email", "late@example.com"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(registered.status, 303);
    // Queued is not enough: the worker must really have tried each one and failed.
    wait_until("a failed attempt at each of the 4 mails", || {
        let jobs = app.jobs_of("send_mail");
        jobs.len() == 4
            && jobs
                .iter()
                .all(|j| j.attempts >= 1 && j.last_error.is_some() && !j.done && !j.failed)
    });
    assert_eq!(
        admin.api("GET", "/api/v1/admin/jobs", None).json()["mail"]["queued"],
        4
    );
    let page = admin.get("/admin/jobs");
    assert!(page.body.contains("id=\"mail-queued\">4<"), "{}", page.body);
    sink.resume();
    let alice_mail = sink.wait_for(3, |m| m.contains("To: alice@example.com"));
    sink.wait_for(1, |m| m.contains("To: late@example.com"));
    wait_until("outbox drained", || {
        admin.api("GET", "/api/v1/admin/jobs", None).json()["mail"]["queued"] == 0
    });
    // Every mail job is done: none can send again, so the count below is final.
    wait_until("every mail job done", || {
        app.jobs_of("send_mail").iter().all(|j| j.done)
    });
    // Exactly once: four distinct messages, no duplicates.
    let ids: std::collections::HashSet<String> = sink
        .messages()
        .iter()
        .map(|m| header(m, "Message-ID").unwrap())
        .collect();
    assert_eq!(sink.messages().len(), 4, "{:?}", sink.messages());
    assert_eq!(ids.len(), 4);
    assert_eq!(alice_mail.len(), 3);
}

/// The worker dies after the SMTP server accepted a message and before it recorded that: the
/// lease runs out, another worker sends it again with the same Message-ID, and then it is done.
fn crash_between_send_and_record(backend: Backend) {
    let Some((app, sink)) = with_smtp(backend, |c| c.jobs_worker = false) else {
        return;
    };
    let state = tertulia::build_context(app.config.clone()).unwrap();
    let newcomer = app.client();
    newcomer.submit_form(
        "/register",
        "/register",
        &[
            ("username", "crashy"),
            ("email", "crashy@example.com"),
            ("password", PASSWORD),
        ],
    );
    let mut conn = state.pool.get().unwrap();
    let job = tertulia::jobs::claim(&mut conn, "doomed-worker")
        .unwrap()
        .expect("the verification mail job");
    assert_eq!(job.kind, "send_mail");
    let mail_id: i64 = serde_json::from_str::<Value>(&job.payload).unwrap()["mail_id"]
        .as_i64()
        .unwrap();
    let mail = {
        use diesel::prelude::*;
        use tertulia::db::schema::mails;
        mails::table
            .find(mail_id)
            .select(tertulia::notify::mail::Mail::as_select())
            .first(&mut **conn)
            .unwrap()
    };
    tertulia::notify::mail::deliver(&state, &mail).unwrap();
    // ... and here the worker dies: nothing recorded. Its lease runs out.
    sink.wait_for(1, |m| m.contains("To: crashy@example.com"));
    diesel::sql_query("UPDATE jobs SET locked_until = run_at")
        .execute(&mut **conn)
        .unwrap();
    assert!(tertulia::jobs::run_one(&state, "second-worker").unwrap());
    let copies = sink.wait_for(2, |m| m.contains("To: crashy@example.com"));
    assert_eq!(
        header(&copies[0], "Message-ID"),
        header(&copies[1], "Message-ID"),
        "the duplicate carries the same Message-ID"
    );
    // Now it is recorded: nothing more to send, whatever happens.
    assert!(!tertulia::jobs::run_one(&state, "third-worker").unwrap());
    diesel::sql_query("UPDATE jobs SET done_at = NULL, locked_until = NULL")
        .execute(&mut **conn)
        .unwrap();
    assert!(tertulia::jobs::run_one(&state, "fourth-worker").unwrap());
    // run_one is synchronous, and the SMTP server stores a message before acknowledging it.
    assert!(app.jobs_of("send_mail").iter().all(|j| j.done));
    assert_eq!(
        sink.messages().len(),
        2,
        "a recorded message is never sent again"
    );
}

/// A reply in a thread with 5,000 watchers: the request only queues the fan-out; the worker
/// writes the 5,000 notifications afterwards.
fn fan_out_in_background(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.jobs_worker = false) else {
        return;
    };
    let admin = app.logged_in("admin1", Role::Admin);
    category(&admin, "general", "public", "");
    let author = app.logged_in("author", Role::Member);
    let thread = thread_id(
        &author,
        "general",
        "discussion",
        "The most watched thread",
        "watch me",
    );
    let state = tertulia::build_context(app.config.clone()).unwrap();
    // The thread's own fan-out happens first, before anyone watches it.
    while tertulia::jobs::run_one(&state, "worker").unwrap() {}
    let mut conn = app.db();
    diesel::sql_query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) \
         INSERT INTO users (username, username_normalized, email, email_normalized, display_name, password_hash, role, trust_level, created_at, updated_at) \
         SELECT 'watcher' || i, 'watcher' || i, 'watcher' || i || '@example.com', 'watcher' || i || '@example.com', 'Watcher ' || i, 'x', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM n",
    )
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(format!(
        "INSERT INTO thread_watches (user_id, thread_id, level) SELECT id, {thread}, 1 FROM users WHERE username LIKE 'watcher%'"
    ))
    .execute(&mut conn)
    .unwrap();
    let replier = app.logged_in("replier", Role::Member);
    reply(&replier, thread, "Hello, five thousand people");
    // Notifications about the post (the replier's first post also earns a badge).
    let count = |conn: &mut tertulia::db::DbConnection| -> i64 {
        use diesel::prelude::*;
        use tertulia::db::schema::notifications;
        notifications::table
            .filter(
                notifications::subject_kind
                    .ne(tertulia::notify::model::SubjectKind::Badge.as_i16()),
            )
            .count()
            .get_result(conn)
            .unwrap()
    };
    assert_eq!(count(&mut conn), 0, "the request did not fan out itself");
    let pending = admin.api("GET", "/api/v1/admin/jobs", None).json();
    assert!(pending["jobs"]["pending"].as_i64().unwrap() >= 1);
    // The worker takes over.
    while tertulia::jobs::run_one(&state, "worker").unwrap() {}
    assert_eq!(
        count(&mut conn),
        5_001,
        "5,000 watchers and the thread's author"
    );
}

/// Daily digests gather what happened into one e-mail.
fn daily_digest(backend: Backend) {
    let Some((app, sink)) = with_smtp(backend, |_| {}) else {
        return;
    };
    let admin = app.logged_in("admin1", Role::Admin);
    category(&admin, "general", "public", "");
    let alice = app.logged_in("alice", Role::Member);
    let bob = app.logged_in("bob", Role::Member);
    assert_eq!(
        alice
            .api(
                "PUT",
                "/api/v1/me/preferences",
                Some(json!({"reply": "daily", "mention": "daily"}))
            )
            .status,
        204
    );
    let first = thread_id(
        &alice,
        "general",
        "discussion",
        "Digest thread number one",
        "one",
    );
    let second = thread_id(
        &alice,
        "general",
        "discussion",
        "Digest thread number two",
        "two",
    );
    reply(&bob, first, "hello @alice");
    reply(&bob, second, "hello again");
    wait_for_notifications(&alice, 2);
    app.wait_for_jobs_idle();
    assert!(
        app.mails_to("alice@example.com").is_empty(),
        "no mail queued"
    );
    assert!(
        sink.messages()
            .iter()
            .all(|m| !m.contains("To: alice@example.com")),
        "no immediate e-mail"
    );
    // It is digest time.
    let mut conn = app.db();
    diesel::sql_query(
        "UPDATE jobs SET run_at = created_at WHERE kind = 'digest' AND done_at IS NULL",
    )
    .execute(&mut conn)
    .unwrap();
    let digests = sink.wait_for(1, |m| m.contains("To: alice@example.com"));
    let digest = &digests[0];
    assert!(
        header(digest, "Subject")
            .unwrap()
            .starts_with("Your daily summary from Cafetera Aurora (2)"),
        "{digest}"
    );
    assert!(
        digest.contains("Digest thread number one") && digest.contains("Digest thread number two")
    );
    assert!(header(digest, "List-Unsubscribe")
        .unwrap()
        .contains("k=digest"));
    // The next run is scheduled, and the same notifications are never sent twice.
    diesel::sql_query(
        "UPDATE jobs SET run_at = created_at WHERE kind = 'digest' AND done_at IS NULL",
    )
    .execute(&mut conn)
    .unwrap();
    // The next digest run is due now: once it ran (and any mail it queued was sent), count.
    app.wait_for_jobs_idle();
    assert_eq!(app.mails_to("alice@example.com").len(), 1);
    assert_eq!(
        sink.messages()
            .iter()
            .filter(|m| m.contains("To: alice@example.com"))
            .count(),
        1
    );
}

/// A message that used up its attempts shows as failed, and the admin's button sends it again.
fn failed_mail_retried_by_admin(backend: Backend) {
    let Some((app, mut sink)) = with_smtp(backend, |c| c.mail_max_attempts = 1) else {
        return;
    };
    let admin = app.logged_in("admin1", Role::Admin);
    sink.stop();
    let newcomer = app.client();
    newcomer.submit_form(
        "/register",
        "/register",
        &[
            ("username", "unlucky"),
            ("email", "unlucky@example.com"),
            ("password", PASSWORD),
        ],
    );
    wait_until("the job to fail", || {
        admin.api("GET", "/api/v1/admin/jobs", None).json()["jobs"]["failed"] == 1
    });
    let page = admin.get("/admin/jobs");
    assert!(
        page.body.contains("Connection refused") || page.body.contains("Connection error"),
        "{}",
        page.body
    );
    let failed = admin.api("GET", "/api/v1/admin/jobs", None).json();
    let id = failed["failed"][0]["id"].as_i64().unwrap();
    sink.resume();
    let retried = admin.submit_form("/admin/jobs", &format!("/admin/jobs/{id}/retry"), &[]);
    assert_eq!(retried.status, 303);
    sink.wait_for(1, |m| m.contains("To: unlucky@example.com"));
    assert_eq!(
        admin
            .api("POST", "/api/v1/admin/jobs/999999/retry", None)
            .status,
        404
    );
}

fn user_id(app: &TestApp, username: &str) -> UserId {
    use diesel::prelude::*;
    use tertulia::db::schema::users;
    UserId(
        users::table
            .filter(users::username.eq(username))
            .select(users::id)
            .first(&mut app.db())
            .unwrap(),
    )
}

/// Another domain's subject (a badge, outside the forum): listed with its title and
/// path, opened to that path, e-mailed and digested by the member's preferences like a post.
fn subject_outside_the_forum(backend: Backend) {
    let Some((app, sink)) = with_smtp(backend, |_| {}) else {
        return;
    };
    let alice = app.logged_in("alice", Role::Member);
    let _bob = app.logged_in("bob", Role::Member);
    let (alice_id, bob_id) = (user_id(&app, "alice"), user_id(&app, "bob"));
    // The service runs here as a domain's would inside the app, with the app's address.
    let mut config = app.config.clone();
    config.base_url = Some(app.url(""));
    let context = tertulia::build_context(config).unwrap();
    let mut conn = app.db();
    let badge = |id: i64| {
        Notice::new(
            Subject::new(SubjectKind::Badge, id),
            format!("/badges/{id}"),
            format!("Badge number {id}"),
        )
        .by(bob_id)
    };
    let mut notify = |user: UserId, kind: Kind, notice: &Notice| {
        notify_subject(&context, &mut conn, user, kind, notice).unwrap();
    };
    // Mentions are e-mailed by default; Bob caused it and hears nothing of it.
    notify(
        alice_id,
        Kind::Mention,
        &badge(5).excerpt("You earned a badge."),
    );
    notify(bob_id, Kind::Mention, &badge(5));
    let items = notifications(&alice);
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["kind"], "mention");
    assert_eq!(items[0]["subject"], json!({"kind": "badge", "id": 5}));
    assert_eq!(items[0]["url"], "/badges/5");
    assert_eq!(items[0]["title"], "Badge number 5");
    assert_eq!(items[0]["thread_title"], Value::Null);
    assert_eq!(items[0]["actor"], "bob");
    assert!(notifications(&app.logged_in("carol", Role::Member)).is_empty());
    let list = alice.get("/notifications");
    assert!(
        list.body.contains("bob mentioned you in “Badge number 5”"),
        "{}",
        list.body
    );
    let id = items[0]["id"].as_i64().unwrap();
    let opened = alice.submit_form("/notifications", &format!("/notifications/{id}/open"), &[]);
    assert_eq!(opened.status, 303);
    assert_eq!(opened.location().unwrap(), "/badges/5");
    assert_eq!(
        alice
            .api("POST", &format!("/api/v1/notifications/{id}/read"), None)
            .json()["url"],
        "/badges/5"
    );
    let mail = &sink.wait_for(1, |m| m.contains("To: alice@example.com"))[0];
    assert_eq!(
        header(mail, "Subject").unwrap(),
        "bob mentioned you in “Badge number 5”"
    );
    assert!(mail.contains("You earned a badge."), "{mail}");
    assert!(mail.contains(&app.url("/badges/5")), "{mail}");
    // Preferences hold: reactions off writes nothing, mentions daily wait for the digest.
    alice.api(
        "PUT",
        "/api/v1/me/preferences",
        Some(json!({"reaction": "off", "mention": "daily"})),
    );
    notify(alice_id, Kind::Reaction, &badge(6));
    notify(alice_id, Kind::Mention, &badge(7));
    // A post subject without its thread could not be checked for visibility: never shown.
    notify(
        alice_id,
        Kind::Mention,
        &Notice::new(Subject::post(PostId(1)), "/t/x/1/1#post-1", "Hidden"),
    );
    let titles: Vec<Value> = notifications(&alice)
        .iter()
        .map(|n| n["title"].clone())
        .collect();
    assert_eq!(
        titles,
        vec![json!("Badge number 7"), json!("Badge number 5")]
    );
    app.wait_for_jobs_idle();
    assert_eq!(
        app.mails_to("alice@example.com").len(),
        1,
        "no mail for daily or off"
    );
    diesel::sql_query(
        "UPDATE jobs SET run_at = created_at WHERE kind = 'digest' AND done_at IS NULL",
    )
    .execute(&mut app.db())
    .unwrap();
    // Found by content, not by position: the sink's file names do not keep the order of
    // arrival within one second.
    let digest = sink.wait_for(1, |m| {
        m.contains("To: alice@example.com") && m.contains("Badge number 7")
    })[0]
        .clone();
    assert!(
        header(&digest, "Subject").unwrap().contains("(1)"),
        "{digest}"
    );
    assert!(
        digest.contains("Badge number 7") && digest.contains(&app.url("/badges/7")),
        "{digest}"
    );
    assert!(!digest.contains("Hidden"), "{digest}");
}

macro_rules! on_both {
    ($($name:ident => $function:ident),* $(,)?) => {
        $(mod $name {
            #[test]
            fn sqlite() { super::$function(super::Backend::Sqlite); }
            #[test]
            fn postgres() { super::$function(super::Backend::Postgres); }
        })*
    };
}

on_both! {
    smtp_mails => mails_over_smtp,
    smtp_outage => outage_loses_nothing,
    smtp_crash => crash_between_send_and_record,
    fan_out_5000 => fan_out_in_background,
    digest => daily_digest,
    smtp_retry => failed_mail_retried_by_admin,
    other_subjects => subject_outside_the_forum,
}
