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

/// The whole document: the common part above and each domain's paths.
pub fn build() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for domain in crate::DOMAINS {
        doc.merge((domain.openapi)());
    }
    doc
}

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(build())
}
