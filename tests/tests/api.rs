//! The JSON API under /api/v1: the same capabilities as the pages, with stable error codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia::accounts::model::Role;
use tertulia_tests::{both_backends, json, PASSWORD};

both_backends! {
    fn api_register_login_me_logout(app) {
        let client = app.client();
        let created = client.api("POST", "/api/v1/auth/register", Some(json!({
            "username": "diego", "email": "diego@example.com", "password": PASSWORD, "display_name": "Diego R."
        })));
        assert_eq!(created.status, 201, "{}", created.body);
        assert_eq!(created.json()["username"], "diego");
        assert_eq!(created.json()["role"], "member");
        assert!(created.json().get("password_hash").is_none());
        let me = client.api("GET", "/api/v1/me", None);
        assert_eq!(me.status, 200);
        assert_eq!(me.json()["display_name"], "Diego R.");
        assert_eq!(me.json()["email"], "diego@example.com");

        let out = client.api("POST", "/api/v1/auth/logout", Some(json!({})));
        assert_eq!(out.status, 204);
        let me = client.api("GET", "/api/v1/me", None);
        assert_eq!(me.status, 401);
        assert_eq!(me.error_code(), "unauthenticated");

        let wrong = client.api("POST", "/api/v1/auth/login", Some(json!({"login": "diego", "password": "nope nope nope"})));
        assert_eq!(wrong.status, 401);
        assert_eq!(wrong.error_code(), "bad_credentials");
        let right = client.api("POST", "/api/v1/auth/login", Some(json!({"login": "Diego", "password": PASSWORD})));
        assert_eq!(right.status, 200);
        assert_eq!(client.api("GET", "/api/v1/me", None).status, 200);

        let updated = client.api("PATCH", "/api/v1/me", Some(json!({"display_name": "Diego", "locale": "es"})));
        assert_eq!(updated.status, 200);
        assert_eq!(updated.json()["locale"], "es");
        // Errors now come in Spanish for this member.
        let bad = client.api("PATCH", "/api/v1/me", Some(json!({"display_name": "", "locale": "es"})));
        assert_eq!(bad.status, 422);
        assert_eq!(bad.error_code(), "invalid_input");
        assert!(bad.json()["error"]["fields"]["display_name"].as_str().unwrap().contains("nombres visibles"));
    }

    fn api_bad_input_gets_stable_codes(app) {
        let client = app.client();
        let invalid = client.api("POST", "/api/v1/auth/register", Some(json!({"username": "a", "email": "x", "password": "y"})));
        assert_eq!(invalid.status, 422);
        let fields = &invalid.json()["error"]["fields"];
        assert!(fields["username"].is_string() && fields["email"].is_string() && fields["password"].is_string());
        let shape = client.api("POST", "/api/v1/auth/register", Some(json!({"username": 5})));
        assert_eq!(shape.status, 422);
        assert_eq!(shape.error_code(), "invalid_json");
        let not_json = client.send_raw("POST", "/api/v1/auth/login", "text/plain", "login=a");
        assert_eq!(not_json.status, 422);
        assert_eq!(not_json.error_code(), "expected_json");
        let garbage = client.send_raw("POST", "/api/v1/auth/login", "application/json", "{not json");
        assert_eq!(garbage.error_code(), "invalid_json");
        let missing = client.api("GET", "/api/v1/nothing-here", None);
        assert_eq!(missing.status, 404);
        assert_eq!(missing.error_code(), "not_found");
        assert_eq!(client.api("GET", "/api/v1/users/nobody", None).error_code(), "not_found");
        app.create_user("eva", Role::Member);
        let dup = client.api("POST", "/api/v1/auth/register", Some(json!({"username": "EVA", "email": "e2@example.com", "password": PASSWORD})));
        assert_eq!(dup.status, 409);
        assert_eq!(dup.error_code(), "username_taken");
        let public = client.api("GET", "/api/v1/users/Eva", None);
        assert_eq!(public.status, 200);
        assert!(public.json().get("email").is_none());
    }

    fn api_tokens_authenticate_integrations(app) {
        app.create_user("fede", Role::Member);
        let integration = app.client();
        let issued = integration.api("POST", "/api/v1/auth/tokens", Some(json!({"login": "fede", "password": PASSWORD, "name": "Zapier"})));
        assert_eq!(issued.status, 201, "{}", issued.body);
        let token = issued.json()["token"].as_str().unwrap().to_string();
        assert!(integration.cookie("tertulia_session").is_none(), "token login sets no cookie");
        let me = integration.api_with_token("GET", "/api/v1/me", &token, None);
        assert_eq!(me.status, 200);
        assert_eq!(me.json()["username"], "fede");
        // A second token needs the password again (a token cannot mint tokens: see security.rs).
        let second = integration.api("POST", "/api/v1/auth/tokens", Some(json!({"login": "fede", "password": PASSWORD, "name": "Backup"})));
        assert_eq!(second.status, 201);
        let listed = integration.api_with_token("GET", "/api/v1/me/tokens", &token, None);
        assert_eq!(listed.json().as_array().unwrap().len(), 2);
        assert!(!listed.body.contains(&token));
        let bad = integration.api_with_token("GET", "/api/v1/me", "tta_forged", None);
        assert_eq!(bad.status, 401);
        assert_eq!(bad.error_code(), "unauthenticated");
        let id = issued.json()["id"].as_i64().unwrap();
        let gone = integration.api_with_token("DELETE", &format!("/api/v1/me/tokens/{id}"), &token, None);
        assert_eq!(gone.status, 204);
        assert_eq!(integration.api_with_token("GET", "/api/v1/me", &token, None).status, 401);
        let wrong = integration.api("POST", "/api/v1/auth/tokens", Some(json!({"login": "fede", "password": "not it at all", "name": "x"})));
        assert_eq!(wrong.error_code(), "bad_credentials");
    }

    fn api_sessions_and_cookie_csrf(app) {
        app.create_user("gala", Role::Member);
        let one = app.client();
        let two = app.client();
        for client in [&one, &two] {
            let login = client.api("POST", "/api/v1/auth/login", Some(json!({"login": "gala", "password": PASSWORD})));
            assert_eq!(login.status, 200);
        }
        let sessions = one.api("GET", "/api/v1/me/sessions", None).json();
        let sessions = sessions.as_array().unwrap();
        assert_eq!(sessions.len(), 2);
        let other = sessions.iter().find(|s| s["current"] == false).unwrap()["id"].as_i64().unwrap();
        // A cookie-authenticated POST sent as a plain form (what a cross-site page can do) is refused.
        let forged = one.send_raw("POST", "/api/v1/auth/logout", "application/x-www-form-urlencoded", "");
        assert_eq!(forged.status, 403);
        assert_eq!(forged.error_code(), "csrf_failed");
        assert_eq!(one.api("GET", "/api/v1/me", None).status, 200, "still logged in");
        let revoked = one.api("DELETE", &format!("/api/v1/me/sessions/{other}"), Some(json!({})));
        assert_eq!(revoked.status, 204);
        assert_eq!(two.api("GET", "/api/v1/me", None).status, 401);
        let all = one.api("DELETE", "/api/v1/me/sessions", Some(json!({})));
        assert_eq!(all.json()["revoked"], 1);
        assert_eq!(one.api("GET", "/api/v1/me", None).status, 401);
    }

    fn openapi_document_lists_the_endpoints(app) {
        let doc = app.client().api("GET", "/api/v1/openapi.json", None);
        assert_eq!(doc.status, 200);
        let doc = doc.json();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        // The served document names every route of the routing table (and nothing else: see
        // `http::routing`'s unit test for the other direction).
        let paths = doc["paths"].as_object().unwrap();
        let table = tertulia::http::routing::api_route_table();
        assert!(table.len() > 40);
        for (method, path) in table {
            let item = &paths[&format!("/api/v1{path}")];
            assert!(item[method.as_str().to_lowercase()].is_object(), "{method} {path} missing from the served OpenAPI document");
        }
        assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
        assert!(doc["components"]["securitySchemes"]["token"].is_object());
    }

    fn health_check_reports_the_database(app) {
        let health = app.client().get("/healthz");
        assert_eq!(health.status, 200);
        let expected = match app.backend { tertulia_tests::Backend::Sqlite => "sqlite", tertulia_tests::Backend::Postgres => "postgres" };
        assert_eq!(health.json()["database"], expected);
        assert_eq!(health.json()["status"], "ok");
        // The bench endpoints exist only in bench mode.
        for path in ["/bench/plaintext", "/bench/fortunes", "/bench/stats"] {
            assert_eq!(app.client().get(path).status, 404, "{path}");
        }
    }
}
