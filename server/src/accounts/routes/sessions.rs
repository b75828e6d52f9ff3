//! The account's login sessions and API tokens: list and revoke, as pages and as JSON.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::accounts::model::*;
use crate::accounts::service;
use crate::error::{AppError, AppResult};
use crate::http::auth::{clear_session_cookie, forget_cached_user};
use crate::http::csrf::CsrfForm;
use crate::http::csrf::NoFields;
use crate::http::page::{see_other, Page};
use crate::http::state::State;

pub(super) async fn sessions_page(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let (id, current) = (user.id, user.session_id);
    let sessions = state
        .db(move |conn, _| service::sessions::list_sessions(conn, id, current))
        .await?;
    Page::new(&req, Some(&user)).render(
        &state,
        "accounts/sessions.html",
        context! { sessions => sessions },
    )
}

pub(super) async fn session_revoke(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let target = SessionId(path.into_inner());
    let id = user.id;
    state
        .db(move |conn, _| service::sessions::revoke_session(conn, id, target))
        .await?;
    if user.session_id == Some(target) {
        forget_cached_user(&req);
        let mut response = see_other("/login");
        response
            .add_cookie(&clear_session_cookie(&state))
            .map_err(AppError::internal)?;
        return Ok(response);
    }
    Ok(see_other("/me/sessions"))
}

pub(super) async fn sessions_revoke_all(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = user.id;
    state
        .db(move |conn, _| service::sessions::log_out_everywhere(conn, id))
        .await?;
    forget_cached_user(&req);
    let mut response = see_other("/login");
    response
        .add_cookie(&clear_session_cookie(&state))
        .map_err(AppError::internal)?;
    Ok(response)
}

pub(super) async fn tokens_page(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let tokens = state
        .db(move |conn, _| service::sessions::list_api_tokens(conn, id))
        .await?;
    Page::new(&req, Some(&user)).render(
        &state,
        "accounts/tokens.html",
        context! { tokens => tokens },
    )
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenForm {
    /// What the token is for, e.g. "CRM sync".
    pub name: String,
    /// Days until the token stops working (1 to 365); absent: until revoked.
    #[serde(default)]
    pub expires_in_days: Option<u32>,
}

/// The page's form: the life of the token comes from a list ("" is "until revoked").
#[derive(Deserialize)]
pub(super) struct TokenPageForm {
    name: String,
    #[serde(default)]
    expires_in_days: String,
}

pub(super) async fn token_create(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<TokenPageForm>,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let page = Page::new(&req, Some(&user));
    let creator = user.clone();
    let result = match form.expires_in_days.trim() {
        "" => Ok(None),
        days => days
            .parse::<u32>()
            .map(Some)
            .map_err(|_| AppError::invalid_field("expires_in_days", "error-token-expiry")),
    };
    let result = match result {
        Ok(days) => {
            state
                .db(move |conn, _| {
                    service::sessions::create_api_token(conn, &creator, &form.name, days)
                })
                .await
        }
        Err(error) => Err(error),
    };
    let tokens = state
        .db(move |conn, _| service::sessions::list_api_tokens(conn, id))
        .await?;
    match result {
        Ok((secret, _)) => page.render(
            &state,
            "accounts/tokens.html",
            context! { tokens => tokens, new_token => secret },
        ),
        Err(error) => match page.form_errors(&state, &error) {
            Some(errors) => page.render_with_status(
                &state,
                "accounts/tokens.html",
                context! { tokens => tokens, errors => errors },
                error.status(),
            ),
            None => Err(error),
        },
    }
}

pub(super) async fn token_revoke(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, token) = (user.id, ApiTokenId(path.into_inner()));
    state
        .db(move |conn, _| service::sessions::revoke_api_token(conn, id, token))
        .await?;
    Ok(see_other("/me/tokens"))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NewApiToken {
    /// The secret, shown only now: send it as `Authorization: Bearer <token>`.
    pub token: String,
    #[serde(flatten)]
    pub info: ApiTokenView,
}

/// The account's active sessions.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "accounts",
    responses((status = 200, body = Vec<SessionView>), (status = 401, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_sessions(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let (id, current) = (user.id, user.session_id);
    let sessions = state
        .db(move |conn, _| service::sessions::list_sessions(conn, id, current))
        .await?;
    Ok(HttpResponse::Ok().json(sessions))
}

/// Revoke one session.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_session_revoke(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (id, target) = (user.id, SessionId(path.into_inner()));
    state
        .db(move |conn, _| service::sessions::revoke_session(conn, id, target))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Log out everywhere: end every session, revoke every API token (this one too, when the
/// request came with one) and void every unused e-mailed link of the account.
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "accounts",
    responses((status = 200, body = service::sessions::Revoked), (status = 401, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_sessions_revoke_all(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let id = user.id;
    let revoked = state
        .db(move |conn, _| service::sessions::log_out_everywhere(conn, id))
        .await?;
    Ok(HttpResponse::Ok()
        .cookie(clear_session_cookie(&state))
        .json(revoked))
}

/// The account's API tokens (without their secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts",
    responses((status = 200, body = Vec<ApiTokenView>), (status = 401, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_tokens(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let id = user.id;
    let tokens = state
        .db(move |conn, _| service::sessions::list_api_tokens(conn, id))
        .await?;
    Ok(HttpResponse::Ok().json(tokens))
}

/// Create an API token for the signed-in account (with the session: a request made with an
/// API token cannot create more).
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "accounts", request_body = TokenForm,
    responses((status = 201, body = NewApiToken), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)),
    security(("session" = [])))]
pub async fn api_token_create(
    state: State,
    user: CurrentUser,
    form: web::Json<TokenForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let (token, row) = state
        .db(move |conn, _| {
            service::sessions::create_api_token(conn, &user, &form.name, form.expires_in_days)
        })
        .await?;
    Ok(HttpResponse::Created().json(NewApiToken {
        token,
        info: ApiTokenView::from(&row),
    }))
}

/// Revoke an API token.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "Token id")),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_token_revoke(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (id, token) = (user.id, ApiTokenId(path.into_inner()));
    state
        .db(move |conn, _| service::sessions::revoke_api_token(conn, id, token))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
