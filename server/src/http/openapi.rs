//! The OpenAPI document of `/api/v1`: the common part (title, tags, security schemes) here, the
//! paths from each domain's fragment (`Domain::openapi`), generated from the handlers' annotations.

use actix_web::HttpResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Tertulia API", description = "The JSON API of a Tertulia community. Errors are `{\"error\": {\"code\", \"message\", \"fields\"}}` with a stable `code`."),
    modifiers(&Security),
    tags((name = "accounts", description = "Registration, login, sessions, API tokens, profiles"),
         (name = "forum", description = "Categories, threads, posts, reactions, bookmarks, watching"),
         (name = "notifications", description = "In-app notifications and delivery preferences"),
         (name = "moderation", description = "Community rules (and, next, reports, the review queue and sanctions)"),
         (name = "admin", description = "Administration (admins only)"))
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("tertulia_session"))),
        );
    }
}

/// The whole document: the common part above and each domain's paths, with the error answers
/// every operation can give (see `add_common_errors`).
pub fn build() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for domain in crate::DOMAINS {
        doc.merge((domain.openapi)());
    }
    add_common_errors(&mut doc);
    doc
}

/// The errors the server gives for any operation, added where an annotation left them out, so
/// the document lists every status the server can answer (the API fuzzing checks it): 422 for
/// input it cannot read (a body that is not JSON, a bad query value, a NUL character); 404 when
/// the path names something (an id, a slug) that is not there or not visible; 401 and 403 where
/// a login is needed (a role, a verified address, a token that may not do this); 429 for the
/// posting and other limits.
fn add_common_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{Content, Ref, ResponseBuilder};
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                Content::new(Some(Ref::from_schema_name("ErrorBody"))),
            )
            .build()
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let names_something = path.contains('{');
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let signed_in = operation.security.as_ref().is_some_and(|s| !s.is_empty());
            let mut wanted = vec![
                (
                    "422",
                    "The request could not be read or broke a rule (see `error.code`).",
                ),
                (
                    "429",
                    "Too many attempts; `Retry-After` says when to try again.",
                ),
            ];
            if names_something {
                wanted.push(("404", "Nothing there, or nothing the caller may see."));
            }
            if signed_in {
                wanted.push(("401", "A login (session or API token) is needed."));
                wanted.push(("403", "The caller may not do this (the code says why)."));
            }
            for (status, description) in wanted {
                operation
                    .responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| error(description).into());
            }
        }
    }
}

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(build())
}
