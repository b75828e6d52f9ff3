//! Who is asking: the `Actor` (user, role, groups; see `policy`), `CurrentUser` (login required)
//! and `MaybeUser` extractors, fed by the session cookie or an `Authorization: Bearer` API
//! token, resolved once per request in one blocking hop and cached in the request.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;

use super::state::AppState;
use crate::accounts::model::CurrentUser;
use crate::accounts::service;
use crate::context::AppContext;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::policy::Actor;

pub const SESSION_COOKIE: &str = "tertulia_session";

/// The resolved requester of this request, cached in its extensions.
#[derive(Clone)]
struct Resolved {
    actor: Actor,
}

/// The requester when login is optional.
pub struct MaybeUser(pub Option<CurrentUser>);

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let header = req.headers().get("Authorization")?.to_str().ok()?;
    header.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

pub fn uses_bearer_token(req: &HttpRequest) -> bool {
    req.headers().contains_key("Authorization")
}

/// Who is asking, resolved once per request in one statement (the member with their groups
/// and, for pages, their unread count) and cached in the request.
async fn resolve(req: &HttpRequest) -> AppResult<Actor> {
    if let Some(Resolved { actor }) = req.extensions().get::<Resolved>() {
        return Ok(actor.clone());
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::internal("application state missing"))?
        .clone();
    // Only pages show the header's counts (the bell, the queue's size): JSON skips them.
    let header = !req.path().starts_with("/api/");
    let actor = if uses_bearer_token(req) {
        let token = bearer_token(req).ok_or_else(|| AppError::new(ErrorKind::Unauthenticated))?;
        let actor = state
            .db(move |conn, _| {
                let found = service::sessions::member_for_api_token(conn, &token, header)?;
                member_actor(conn, found, header)
            })
            .await?;
        // A token that is wrong must fail loudly rather than fall back to anonymous.
        if actor.user.is_none() {
            return Err(AppError::new(ErrorKind::Unauthenticated));
        }
        actor
    } else if let Some(cookie) = req.cookie(SESSION_COOKIE) {
        // The session is an ambient credential: API writes made with it must prove they come
        // from our pages (see `csrf`).
        super::csrf::check_api_write(req)?;
        let token = cookie.value().to_string();
        state
            .db(move |conn, ctx| {
                // The member, their groups and (pages) their unread count: one statement.
                let found = service::sessions::member_for_session(
                    conn,
                    &token,
                    ctx.config.session_days,
                    header,
                )?;
                member_actor(conn, found, header)
            })
            .await?
    } else {
        Actor::anonymous()
    };
    let mut actor = actor;
    actor.catalog = Some(state.catalog.clone());
    if let Some(crate::policy::Restriction::Suspended(_)) = actor.restriction(crate::util::now()) {
        if !allowed_while_suspended(req.method(), req.path()) {
            return Err(AppError::new(ErrorKind::Refused {
                code: crate::error::ErrorCode::Suspended,
            }));
        }
    }
    req.extensions_mut().insert(Resolved {
        actor: actor.clone(),
    });
    Ok(actor)
}

/// What a suspended member may still do: read their statements of reasons (which carry the
/// redress) and the rules, appeal and follow their cases, and log out.
fn allowed_while_suspended(method: &actix_web::http::Method, path: &str) -> bool {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    let reading = method == actix_web::http::Method::GET
        && (path == "/me/statements"
            || path.starts_with("/me/statements/")
            || path == "/rules"
            || path.starts_with("/rules/")
            || path == "/appeal"
            || path == "/cases"
            || path.starts_with("/cases/"));
    let appealing = method == actix_web::http::Method::POST
        && (path == "/appeal"
            || path == "/appeals"
            || (path.starts_with("/cases/") && path.ends_with("/transition")));
    reading || appealing || path == "/logout" || path == "/auth/logout"
}

/// The actor of a member found with their groups and unread count (`member_for_session`,
/// `member_for_api_token`); for a page's header, staff also see the queue's size.
fn member_actor(
    conn: &mut crate::db::DbConnection,
    found: Option<(CurrentUser, Vec<crate::forum::model::GroupId>)>,
    header: bool,
) -> AppResult<Actor> {
    match found {
        Some((mut user, group_ids)) => {
            if header && user.role >= crate::accounts::model::Role::Moderator {
                user.review_open = Some(crate::moderation::reports::open_count(conn)?);
            }
            Ok(Actor {
                user: Some(user),
                group_ids,
                catalog: None,
            })
        }
        None => Ok(Actor::anonymous()),
    }
}

/// The user of an already-resolved request (for error pages and the language), without I/O.
pub fn cached_user(req: &HttpRequest) -> Option<CurrentUser> {
    req.extensions()
        .get::<Resolved>()
        .and_then(|r| r.actor.user.clone())
}

/// Forgets the cached user (after a logout inside the same request): the rest of the request,
/// such as the page it renders, sees an anonymous visitor.
pub fn forget_cached_user(req: &HttpRequest) {
    req.extensions_mut().insert(Resolved {
        actor: Actor::anonymous(),
    });
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            resolve(&req)
                .await?
                .user
                .ok_or_else(|| AppError::new(ErrorKind::Unauthenticated))
        })
    }
}

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { resolve(&req).await.map(|actor| MaybeUser(actor.user)) })
    }
}

/// The actor of a request that needs a signed-in user (anonymous: `Unauthenticated`, which
/// sends a browser to the login page).
pub struct SignedIn(pub Actor);

impl FromRequest for SignedIn {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let actor = resolve(&req).await?;
            actor.require_user()?;
            Ok(SignedIn(actor))
        })
    }
}

impl FromRequest for Actor {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { resolve(&req).await })
    }
}

/// The session cookie for a new login.
pub fn session_cookie(state: &AppContext, token: String) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .max_age(time::Duration::days(state.config.session_days))
        .finish()
}

/// A cookie that removes the session cookie from the browser.
pub fn clear_session_cookie(state: &AppContext) -> Cookie<'static> {
    let mut cookie = session_cookie(state, String::new());
    cookie.make_removal();
    cookie
}

/// The client's address as the socket saw it. Forwarded headers are not trusted: behind a
/// proxy, every client shares the proxy's limits until a trusted-proxy setting exists.
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// The client as rate limits count it: an IPv4 address, or the /64 network of an IPv6 one (a
/// single home or server usually owns a whole /64, so per-address keys would be free to
/// multiply).
pub fn client_bucket(req: &HttpRequest) -> String {
    match req.peer_addr().map(|a| a.ip()) {
        Some(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Some(ip) => ip.to_string(),
        None => "unknown".into(),
    }
}

pub fn user_agent(req: &HttpRequest) -> String {
    req.headers()
        .get("User-Agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    fn bucket(addr: &str) -> String {
        super::client_bucket(
            &TestRequest::default()
                .peer_addr(addr.parse().unwrap())
                .to_http_request(),
        )
    }

    #[test]
    fn ipv6_clients_share_their_64_and_ipv4_is_per_address() {
        assert_eq!(bucket("[2001:db8:1:2:aaaa::1]:443"), "2001:db8:1:2::/64");
        assert_eq!(bucket("[2001:db8:1:2:ffff:1:2:3]:80"), "2001:db8:1:2::/64");
        assert_ne!(bucket("[2001:db8:1:3::1]:80"), "2001:db8:1:2::/64");
        assert_eq!(bucket("192.0.2.7:5000"), "192.0.2.7");
        assert_eq!(bucket("[::ffff:192.0.2.7]:5000"), "192.0.2.7");
    }
}
