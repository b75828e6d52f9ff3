//! Accounts through the pages, as a person with a browser (no JavaScript) would use them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia::accounts::model::Role;
use tertulia_tests::{both_backends, Backend, TestApp, PASSWORD};

fn register(
    client: &tertulia_tests::Client,
    username: &str,
    email: &str,
    password: &str,
) -> tertulia_tests::Response {
    client.submit_form(
        "/register",
        "/register",
        &[
            ("username", username),
            ("email", email),
            ("password", password),
            ("display_name", ""),
        ],
    )
}

both_backends! {
    fn the_language_switch_and_the_user_menu(app) {
        // A visitor switches from any page and comes back to it; the choice stays (a cookie).
        let visitor = app.client();
        let switched = visitor.submit_form("/latest", "/language", &[("locale", "es"), ("next", "/latest")]);
        assert_eq!(switched.status, 303);
        assert_eq!(switched.location(), Some("/latest"));
        assert!(visitor.get("/").body.contains("<html lang=\"es\">"));
        assert_eq!(visitor.submit_form("/", "/language", &[("locale", "fr"), ("next", "/")]).status, 422);
        // Only paths of this site are followed.
        let elsewhere = visitor.submit_form("/", "/language", &[("locale", "en"), ("next", "https://evil.example/")]);
        assert_eq!(elsewhere.location(), Some("/"));
        // A member's choice is kept on their account, whatever browser they use next.
        let member = app.logged_in("marta", Role::Member);
        let page = member.get("/").body;
        // The user menu holds the member's pages and logging out.
        let menu = &page[page.find("<details class=\"user-menu\">").expect("a user menu")..];
        let menu = &menu[..menu.find("</details>").unwrap()];
        for link in ["/u/marta", "/bookmarks", "/me/preferences", "/me/sessions", "/me/tokens", "/invites", "/logout"] {
            assert!(menu.contains(&format!("\"{link}\"")), "{link} in {menu}");
        }
        member.submit_form("/", "/language", &[("locale", "es"), ("next", "/")]);
        assert_eq!(member.api("GET", "/api/v1/me", None).json()["locale"], "es");
        let elsewhere = app.client();
        elsewhere.submit_form("/login", "/login", &[("login", "marta"), ("password", PASSWORD)]);
        assert!(elsewhere.get("/").body.contains("<html lang=\"es\">"));
    }

    fn register_login_logout(app) {
        let browser = app.client();
        let home = browser.get("/");
        assert_eq!(home.status, 200);
        assert!(home.body.contains("href=\"/register\""));

        let registered = register(&browser, "Lucia", "lucia@example.com", PASSWORD);
        assert_eq!(registered.status, 303, "{}", registered.body);
        assert_eq!(registered.location(), Some("/"));
        let home = browser.get("/");
        assert!(home.body.contains("Good to see you, Lucia"), "{}", home.body);

        let logout = browser.submit_form("/", "/logout", &[]);
        assert_eq!(logout.status, 303);
        assert!(browser.get("/").body.contains("href=\"/register\""));

        // Log in by e-mail in any case, then by username.
        let login = browser.submit_form("/login", "/login", &[("login", "LUCIA@example.com"), ("password", PASSWORD)]);
        assert_eq!(login.status, 303, "{}", login.body);
        assert!(browser.get("/").body.contains("Good to see you"));
        browser.submit_form("/", "/logout", &[]);
        let login = browser.submit_form("/login", "/login", &[("login", "lucia"), ("password", PASSWORD), ("next", "/u/lucia")]);
        assert_eq!(login.location(), Some("/u/lucia"));
    }

    fn wrong_password_and_unknown_user_look_the_same(app) {
        app.create_user("marta", Role::Member);
        let browser = app.client();
        let wrong = browser.submit_form("/login", "/login", &[("login", "marta"), ("password", "not the password")]);
        let unknown = browser.submit_form("/login", "/login", &[("login", "nobody"), ("password", "not the password")]);
        assert_eq!(wrong.status, 401);
        assert_eq!(unknown.status, 401);
        let message = "That username or e-mail and password do not match.";
        assert!(wrong.body.contains(message));
        assert!(unknown.body.contains(message));
        assert!(browser.cookie("tertulia_session").is_none());
    }

    fn registration_reports_each_bad_field(app) {
        let browser = app.client();
        let bad = register(&browser, "x", "not-an-email", "short");
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("Usernames have 3 to 20 characters."), "{}", bad.body);
        assert!(bad.body.contains("Enter an e-mail address like name@example.com."));
        assert!(bad.body.contains("Passwords need at least 10 characters."));
        // What was typed is kept, except the password.
        assert!(bad.body.contains("value=\"not-an-email\""));
        assert!(!bad.body.contains("value=\"short\""));

        app.create_user("pablo", Role::Member);
        let taken = register(&browser, "PABLO", "other@example.com", PASSWORD);
        assert_eq!(taken.status, 409);
        assert!(taken.body.contains("That username is taken."));
        let email = register(&browser, "pablo2", "Pablo@Example.com", PASSWORD);
        assert_eq!(email.status, 409);
        assert!(email.body.contains("cannot be used for a new account"));
    }

    fn forms_without_a_valid_csrf_token_are_refused(app) {
        app.create_user("irene", Role::Member);
        let browser = app.client();
        browser.get("/login");
        let missing = browser.post_form("/login", &[("login", "irene"), ("password", PASSWORD)]);
        assert_eq!(missing.status, 403);
        assert!(missing.body.contains("This form has expired or was sent from another site."));
        let forged = browser.post_form("/login", &[("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), ("login", "irene"), ("password", PASSWORD)]);
        assert_eq!(forged.status, 403);
        // A token from another browser does not work either.
        let other = app.client();
        let token = tertulia_tests::csrf_token_in(&other.get("/login").body).unwrap();
        let stolen = browser.post_form("/login", &[("csrf_token", &token), ("login", "irene"), ("password", PASSWORD)]);
        assert_eq!(stolen.status, 403);
        let register = browser.post_form("/register", &[("username", "mallory"), ("email", "m@example.com"), ("password", PASSWORD)]);
        assert_eq!(register.status, 403);
        // The logged-in forms too.
        let member = app.logged_in("nuria", Role::Member);
        let logout = member.post_form("/logout", &[]);
        assert_eq!(logout.status, 403);
        assert!(member.get("/").body.contains("Good to see you"));
    }

    fn sessions_are_listed_and_revocable(app) {
        app.create_user("sara", Role::Member);
        let laptop = app.client();
        let phone = app.client();
        for browser in [&laptop, &phone] {
            let login = browser.submit_form("/login", "/login", &[("login", "sara"), ("password", PASSWORD)]);
            assert_eq!(login.status, 303);
        }
        let page = laptop.get("/me/sessions");
        assert_eq!(page.status, 200);
        assert_eq!(page.body.matches("/revoke\"").count(), 2, "{}", page.body);
        assert!(page.body.contains("(this device)"));

        // The laptop revokes the phone's session: the phone is logged out.
        let phone_page = phone.get("/me/sessions");
        let phone_current = phone_page.body.split("class=\"current\"").nth(1).unwrap();
        let id: String = phone_current.split("/me/sessions/").nth(1).unwrap().chars().take_while(|c| c.is_ascii_digit()).collect();
        let revoke = laptop.submit_form("/me/sessions", &format!("/me/sessions/{id}/revoke"), &[]);
        assert_eq!(revoke.status, 303);
        let after = phone.get("/me/sessions");
        assert_eq!(after.status, 303, "a revoked session must not work");
        assert!(after.location().unwrap().starts_with("/login?next="));
        assert_eq!(laptop.get("/me/sessions").status, 200);

        // Someone else's session id is not found.
        let other = app.logged_in("tomas", Role::Member);
        let laptop_page = laptop.get("/me/sessions");
        let laptop_id: String = laptop_page.body.split("/me/sessions/").nth(1).unwrap().chars().take_while(|c| c.is_ascii_digit()).collect();
        let foreign = other.submit_form("/me/sessions", &format!("/me/sessions/{laptop_id}/revoke"), &[]);
        assert_eq!(foreign.status, 404);
        assert_eq!(laptop.get("/me/sessions").status, 200);

        // Log out everywhere.
        let again = phone.submit_form("/login", "/login", &[("login", "sara"), ("password", PASSWORD)]);
        assert_eq!(again.status, 303, "{}", again.body);
        assert_eq!(phone.get("/me/sessions").status, 200, "the phone is logged in again");
        let everywhere = laptop.submit_form("/me/sessions", "/me/sessions/revoke-all", &[]);
        assert_eq!(everywhere.status, 303);
        assert_eq!(laptop.get("/me/sessions").status, 303);
        assert_eq!(phone.get("/me/sessions").status, 303);
    }

    fn profiles_show_public_facts_and_own_settings(app) {
        let ana = app.logged_in("ana", Role::Member);
        app.create_user("beto", Role::Moderator);
        let own = ana.get("/u/ana");
        assert_eq!(own.status, 200);
        assert!(own.body.contains("ana@example.com"));
        let other = ana.get("/u/BETO");
        assert_eq!(other.status, 200);
        assert!(other.body.contains("Moderator"));
        assert!(!other.body.contains("beto@example.com"), "e-mail must stay private");
        assert_eq!(app.client().get("/u/beto").status, 200);
        assert_eq!(ana.get("/u/nobody").status, 404);

        let saved = ana.submit_form("/u/ana", "/me/profile", &[("display_name", "Ana María"), ("locale", "es")]);
        assert_eq!(saved.status, 303);
        assert!(ana.get(saved.location().unwrap()).body.contains("Tus cambios están guardados."));
        let page = ana.get("/u/ana");
        assert!(page.body.contains("Ana María"));
        assert!(page.body.contains("Nivel de confianza"), "the page follows the saved language");
        assert!(page.body.contains("<html lang=\"es\">"));

        let bad = ana.submit_form("/u/ana", "/me/profile", &[("display_name", ""), ("locale", "fr")]);
        assert_eq!(bad.status, 422);
    }

    fn language_follows_the_browser(app) {
        let browser = app.client();
        let spanish = browser.get_with("/login", ("Accept-Language", "es-ES,es;q=0.9,en;q=0.5"));
        assert!(spanish.body.contains("Usuario o correo electrónico"));
        let english = browser.get_with("/login", ("Accept-Language", "fr, en;q=0.8"));
        assert!(english.body.contains("Username or e-mail"));
        let missing = browser.get_with("/nowhere", ("Accept-Language", "es"));
        assert_eq!(missing.status, 404);
        assert!(missing.body.contains("No encontramos esa página."));
    }

    fn pages_needing_login_redirect_to_it(app) {
        let browser = app.client();
        for path in ["/me/sessions", "/me/tokens", "/admin/users"] {
            let response = browser.get(path);
            assert_eq!(response.status, 303, "{path}");
            assert!(response.location().unwrap().starts_with("/login?next=%2F"), "{path}");
        }
        assert_eq!(browser.post_form("/me/profile", &[]).status, 401);
    }

    fn security_headers_are_sent(app) {
        let response = app.client().get("/");
        let csp = response.header("Content-Security-Policy").unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'self'"));
        assert_eq!(response.header("X-Content-Type-Options"), Some("nosniff"));
        assert!(response.header("Referrer-Policy").is_some());
        assert!(response.header("X-Request-Id").is_some());
        let cookie = response.header("Set-Cookie").unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    }

    fn tokens_are_created_shown_once_and_revoked(app) {
        let browser = app.logged_in("carla", Role::Member);
        let created = browser.submit_form("/me/tokens", "/me/tokens", &[("name", "CRM sync")]);
        assert_eq!(created.status, 200);
        let token: String = created.body.split("<code id=\"new-token\">").nth(1).unwrap().chars().take_while(|c| *c != '<').collect();
        assert!(token.starts_with("tta_"));
        let api = app.client();
        let me = api.api_with_token("GET", "/api/v1/me", &token, None);
        assert_eq!(me.status, 200);
        assert_eq!(me.json()["username"], "carla");
        let page = browser.get("/me/tokens");
        assert!(page.body.contains("CRM sync"));
        assert!(!page.body.contains(&token), "the secret is shown only once");
        let id: String = page.body.split("/me/tokens/").nth(1).unwrap().chars().take_while(|c| c.is_ascii_digit()).collect();
        let revoked = browser.submit_form("/me/tokens", &format!("/me/tokens/{id}/revoke"), &[]);
        assert_eq!(revoked.status, 303);
        assert_eq!(api.api_with_token("GET", "/api/v1/me", &token, None).status, 401);
        let empty = browser.submit_form("/me/tokens", "/me/tokens", &[("name", "  ")]);
        assert_eq!(empty.status, 422);
    }
}

fn rate_limited_login(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| {
        c.login_limit_per_account = 3;
        c.login_limit_per_ip = 100;
    }) else {
        return;
    };
    app.create_user("rosa", Role::Member);
    let browser = app.client();
    for _ in 0..3 {
        let wrong = browser.submit_form(
            "/login",
            "/login",
            &[("login", "rosa"), ("password", "wrong password")],
        );
        assert_eq!(wrong.status, 401);
    }
    // Even the right password waits now, and the answer says for how long.
    let limited = browser.submit_form(
        "/login",
        "/login",
        &[("login", "rosa"), ("password", PASSWORD)],
    );
    assert_eq!(limited.status, 429, "{}", limited.body);
    let seconds: u64 = limited.header("Retry-After").unwrap().parse().unwrap();
    assert!(seconds > 0 && seconds <= 900);
    assert!(
        limited.body.contains(&format!("Try again in {seconds} s")),
        "{}",
        limited.body
    );
    // Another account from the same address is not affected.
    app.create_user("raul", Role::Member);
    let other = browser.submit_form(
        "/login",
        "/login",
        &[("login", "raul"), ("password", PASSWORD)],
    );
    assert_eq!(other.status, 303);
    // The API shares the limit and answers with a stable code.
    let api = app.client().api(
        "POST",
        "/api/v1/auth/login",
        Some(tertulia_tests::json!({"login": "rosa", "password": PASSWORD})),
    );
    assert_eq!(api.status, 429);
    assert_eq!(api.error_code(), "rate_limited");
}

fn rate_limited_registration(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.registrations_per_ip_per_hour = 2) else {
        return;
    };
    let browser = app.client();
    for name in ["uno", "dos"] {
        let response = register(&browser, name, &format!("{name}@example.com"), PASSWORD);
        assert_eq!(response.status, 303);
        browser.submit_form("/", "/logout", &[]);
    }
    let third = register(&browser, "tres", "tres@example.com", PASSWORD);
    assert_eq!(third.status, 429);
    assert!(third.body.contains("Too many attempts. Try again in"));
}

mod login_rate_limit {
    use super::*;
    #[test]
    fn sqlite() {
        rate_limited_login(Backend::Sqlite);
    }
    #[test]
    fn postgres() {
        rate_limited_login(Backend::Postgres);
    }
}

mod registration_rate_limit {
    use super::*;
    #[test]
    fn sqlite() {
        rate_limited_registration(Backend::Sqlite);
    }
    #[test]
    fn postgres() {
        rate_limited_registration(Backend::Postgres);
    }
}
