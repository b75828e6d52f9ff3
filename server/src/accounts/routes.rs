//! Account pages and their JSON API twins: register, login, logout, profile, sessions, tokens.
//! Handlers validate the shape of input, call `service`, and render or redirect.

use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::service;
use crate::context::AppContext;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::http::auth::{
    clear_session_cookie, client_ip, session_cookie, set_cached_user, user_agent, MaybeUser,
};
use crate::http::csrf::CsrfForm;
use crate::http::page::{safe_next, see_other, Page};
use crate::http::state::State;
use crate::policy::Actor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/register", web::get().to(register_page))
        .route("/register", web::post().to(register_submit))
        .route("/login", web::get().to(login_page))
        .route("/login", web::post().to(login_submit))
        .route("/logout", web::post().to(logout))
        .route("/u/{username}", web::get().to(profile_page))
        .route("/me/profile", web::post().to(profile_submit))
        .route("/me/sessions", web::get().to(sessions_page))
        .route(
            "/me/sessions/revoke-all",
            web::post().to(sessions_revoke_all),
        )
        .route("/me/sessions/{id}/revoke", web::post().to(session_revoke))
        .route("/me/tokens", web::get().to(tokens_page))
        .route("/me/tokens", web::post().to(token_create))
        .route("/me/tokens/{id}/revoke", web::post().to(token_revoke))
        .route("/verify/resend", web::post().to(verify_resend))
        .route("/verify/{token}", web::get().to(verify_page))
        .route("/verify/{token}", web::post().to(verify_submit))
        .route("/password/forgot", web::get().to(forgot_page))
        .route("/password/forgot", web::post().to(forgot_submit))
        .route("/password/reset/{token}", web::get().to(reset_page))
        .route("/password/reset/{token}", web::post().to(reset_submit))
        .route("/me/email", web::get().to(email_change_page))
        .route("/me/email", web::post().to(email_change_submit))
        .route("/email/confirm/{token}", web::get().to(email_confirm_page))
        .route(
            "/email/confirm/{token}",
            web::post().to(email_confirm_submit),
        );
}

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/register", web::post().to(api_register))
        .route("/auth/login", web::post().to(api_login))
        .route("/auth/logout", web::post().to(api_logout))
        .route("/auth/tokens", web::post().to(api_token_login))
        .route("/me", web::get().to(api_me))
        .route("/me", web::patch().to(api_update_me))
        .route("/me/sessions", web::get().to(api_sessions))
        .route("/me/sessions", web::delete().to(api_sessions_revoke_all))
        .route("/me/sessions/{id}", web::delete().to(api_session_revoke))
        .route("/me/tokens", web::get().to(api_tokens))
        .route("/me/tokens", web::post().to(api_token_create))
        .route("/me/tokens/{id}", web::delete().to(api_token_revoke))
        .route("/users/{username}", web::get().to(api_user))
        .route("/auth/verify", web::post().to(api_verify))
        .route("/auth/verify/resend", web::post().to(api_verify_resend))
        .route("/auth/password/forgot", web::post().to(api_forgot))
        .route("/auth/password/reset", web::post().to(api_reset))
        .route("/auth/email/confirm", web::post().to(api_email_confirm))
        .route("/me/email", web::post().to(api_email_change));
}

// ---------------------------------------------------------------------------------------------
// Flows shared by pages and API

/// Registration with the per-address limit; opens a session for the new account.
async fn register_flow(
    state: &State,
    req: &HttpRequest,
    form: RegisterForm,
    locale: &'static str,
) -> AppResult<(String, User)> {
    let ip = client_ip(req);
    let key = format!("register:{ip}");
    let hour = Duration::from_secs(3600);
    state
        .limiter
        .check(&key, state.config.registrations_per_ip_per_hour, hour)
        .map_err(|retry_after| AppError::new(ErrorKind::RateLimited { retry_after }))?;
    state.limiter.hit(&key, hour);
    let agent = user_agent(req);
    state
        .db(move |conn, state| {
            crate::db::write_transaction(conn, |conn| {
                let user =
                    service::register(conn, &state.hasher, &form, Role::Member, Some(locale))?;
                super::mail::send_verification(conn, state, &user)?;
                let (token, _) = service::create_session(
                    conn,
                    user.user_id(),
                    &agent,
                    &ip,
                    state.config.session_days,
                )?;
                Ok((token, user))
            })
        })
        .await
}

/// Password check behind two limits: per client address and per account name. Only failures
/// count, and the per-account count is forgotten after a success.
async fn check_login(
    state: &State,
    req: &HttpRequest,
    login: &str,
    password: &str,
) -> AppResult<User> {
    let ip_key = format!("login-ip:{}", client_ip(req));
    let account_key = format!("login-account:{}", service::normalize_username(login));
    let window = state.login_window();
    for (key, limit) in [
        (&ip_key, state.config.login_limit_per_ip),
        (&account_key, state.config.login_limit_per_account),
    ] {
        state
            .limiter
            .check(key, limit, window)
            .map_err(|retry_after| AppError::new(ErrorKind::RateLimited { retry_after }))?;
    }
    let login = login.to_string();
    let password = password.to_string();
    let result = state
        .db(move |conn, state| service::authenticate(conn, &state.hasher, &login, &password))
        .await;
    match &result {
        Err(e) if e.kind == ErrorKind::BadCredentials => {
            state.limiter.hit(&ip_key, window);
            state.limiter.hit(&account_key, window);
        }
        Ok(_) => state.limiter.clear(&account_key),
        Err(_) => {}
    }
    result
}

async fn login_flow(
    state: &State,
    req: &HttpRequest,
    login: &str,
    password: &str,
) -> AppResult<(String, User)> {
    let user = check_login(state, req, login, password).await?;
    let ip = client_ip(req);
    let agent = user_agent(req);
    let user_id = user.user_id();
    let (token, _) = state
        .db(move |conn, state| {
            service::create_session(conn, user_id, &agent, &ip, state.config.session_days)
        })
        .await?;
    Ok((token, user))
}

// ---------------------------------------------------------------------------------------------
// Pages

async fn register_page(state: State, req: HttpRequest, user: MaybeUser) -> AppResult<HttpResponse> {
    if user.0.is_some() {
        return Ok(see_other("/"));
    }
    Page::new(&req, None).render(&state, "accounts/register.html", context! {})
}

async fn register_submit(
    state: State,
    req: HttpRequest,
    CsrfForm(form): CsrfForm<RegisterForm>,
) -> AppResult<HttpResponse> {
    let page = Page::new(&req, None);
    match register_flow(&state, &req, form.clone(), page.locale).await {
        Ok((token, _)) => {
            let mut response = see_other("/");
            response
                .add_cookie(&session_cookie(&state, token))
                .map_err(AppError::internal)?;
            Ok(response)
        }
        Err(error) => match page.form_errors(&state, &error) {
            Some(errors) => page.render_with_status(
                &state,
                "accounts/register.html",
                context! { errors => errors, values => context! {
                    username => form.username, email => form.email, display_name => form.display_name
                }},
                error.status(),
            ),
            None => Err(error),
        },
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    query: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    let next = safe_next(query.next.as_deref());
    if user.0.is_some() {
        return Ok(see_other(&next));
    }
    Page::new(&req, None).render(&state, "accounts/login.html", context! { next => next })
}

#[derive(Clone, Deserialize, utoipa::ToSchema)]
pub struct LoginForm {
    /// Username or e-mail address.
    pub login: String,
    pub password: String,
    #[serde(default)]
    pub next: Option<String>,
}

async fn login_submit(
    state: State,
    req: HttpRequest,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> AppResult<HttpResponse> {
    let page = Page::new(&req, None);
    let next = safe_next(form.next.as_deref());
    match login_flow(&state, &req, &form.login, &form.password).await {
        Ok((token, _)) => {
            let mut response = see_other(&next);
            response
                .add_cookie(&session_cookie(&state, token))
                .map_err(AppError::internal)?;
            Ok(response)
        }
        Err(error) => match page.form_errors(&state, &error) {
            Some(errors) => {
                let mut response = page.render_with_status(
                    &state,
                    "accounts/login.html",
                    context! { errors => errors, next => next, values => context! { login => form.login } },
                    error.status(),
                )?;
                if let Some(seconds) = error.retry_after() {
                    response.headers_mut().insert(
                        actix_web::http::header::RETRY_AFTER,
                        actix_web::http::header::HeaderValue::from(seconds),
                    );
                }
                Ok(response)
            }
            None => Err(error),
        },
    }
}

#[derive(Deserialize)]
struct NoFields {}

async fn end_current_session(
    state: &State,
    req: &HttpRequest,
    user: &CurrentUser,
) -> AppResult<()> {
    if let Some(session) = user.session_id {
        let id = user.id;
        state
            .db(
                move |conn, _| match service::revoke_session(conn, id, session) {
                    Err(e) if e.kind == ErrorKind::NotFound => Ok(()),
                    other => other,
                },
            )
            .await?;
    }
    set_cached_user(req, None);
    Ok(())
}

async fn logout(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    if let Some(user) = &user.0 {
        end_current_session(&state, &req, user).await?;
    }
    let mut response = see_other("/");
    response
        .add_cookie(&clear_session_cookie(&state))
        .map_err(AppError::internal)?;
    Ok(response)
}

#[derive(Deserialize)]
struct AfterQuery {
    after: Option<String>,
}

async fn profile_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let after = query.after.clone();
    let viewer_id = actor.id();
    let (user, activity) = state
        .db_as(actor, move |conn, actor, _| {
            // Only threads in categories this viewer may see.
            crate::forum::service::listing::author_threads(conn, actor, &username, after.as_deref())
        })
        .await?;
    let is_self = viewer_id == Some(user.user_id());
    let profile = PublicUser::from(&user);
    let own = is_self.then(|| OwnUser::from(&user));
    Page::from_request(&req).render(
        &state,
        "accounts/profile.html",
        context! {
            profile => profile, own => own, is_self => is_self, locales => service::LOCALES,
            activity => activity,
        },
    )
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ProfileForm {
    pub display_name: String,
    /// `en`, `es`, or empty for the browser's language.
    #[serde(default)]
    pub locale: Option<String>,
}

async fn profile_submit(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ProfileForm>,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let form_display_name = form.display_name.clone();
    let result = state
        .db(move |conn, _| {
            service::update_profile(conn, id, &form.display_name, form.locale.as_deref())
        })
        .await;
    match result {
        Ok(updated) => Ok(see_other(&format!("/u/{}", updated.username))),
        Err(error) => {
            let page = Page::new(&req, Some(&user));
            let Some(errors) = page.form_errors(&state, &error) else {
                return Err(error);
            };
            let stored = state
                .db(move |conn, _| service::user_by_id(conn, id))
                .await?;
            page.render_with_status(
                &state,
                "accounts/profile.html",
                context! {
                    profile => PublicUser::from(&stored),
                    own => OwnUser::from(&stored),
                    is_self => true,
                    locales => service::LOCALES,
                    errors => errors,
                    values => context! { display_name => form_display_name },
                },
                error.status(),
            )
        }
    }
}

async fn sessions_page(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let (id, current) = (user.id, user.session_id);
    let sessions = state
        .db(move |conn, _| service::list_sessions(conn, id, current))
        .await?;
    Page::new(&req, Some(&user)).render(
        &state,
        "accounts/sessions.html",
        context! { sessions => sessions },
    )
}

async fn session_revoke(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let target = SessionId(path.into_inner());
    let id = user.id;
    state
        .db(move |conn, _| service::revoke_session(conn, id, target))
        .await?;
    if user.session_id == Some(target) {
        set_cached_user(&req, None);
        let mut response = see_other("/login");
        response
            .add_cookie(&clear_session_cookie(&state))
            .map_err(AppError::internal)?;
        return Ok(response);
    }
    Ok(see_other("/me/sessions"))
}

async fn sessions_revoke_all(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = user.id;
    state
        .db(move |conn, _| service::revoke_all_sessions(conn, id))
        .await?;
    set_cached_user(&req, None);
    let mut response = see_other("/login");
    response
        .add_cookie(&clear_session_cookie(&state))
        .map_err(AppError::internal)?;
    Ok(response)
}

async fn tokens_page(state: State, req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    let id = user.id;
    let tokens = state
        .db(move |conn, _| service::list_api_tokens(conn, id))
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
}

async fn token_create(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<TokenForm>,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let page = Page::new(&req, Some(&user));
    let result = state
        .db(move |conn, _| service::create_api_token(conn, id, &form.name))
        .await;
    let tokens = state
        .db(move |conn, _| service::list_api_tokens(conn, id))
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

async fn token_revoke(
    state: State,
    user: CurrentUser,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, token) = (user.id, ApiTokenId(path.into_inner()));
    state
        .db(move |conn, _| service::revoke_api_token(conn, id, token))
        .await?;
    Ok(see_other("/me/tokens"))
}

// ---------------------------------------------------------------------------------------------
// JSON API

fn api_locale(req: &HttpRequest) -> &'static str {
    Page::new(req, None).locale
}

/// Create an account and sign in (sets the session cookie).
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "accounts",
    request_body = RegisterForm,
    responses((status = 201, body = OwnUser), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn api_register(
    state: State,
    req: HttpRequest,
    form: web::Json<RegisterForm>,
) -> AppResult<HttpResponse> {
    let (token, user) = register_flow(&state, &req, form.into_inner(), api_locale(&req)).await?;
    Ok(HttpResponse::Created()
        .cookie(session_cookie(&state, token))
        .json(OwnUser::from(&user)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ApiLoginForm {
    /// Username or e-mail address.
    pub login: String,
    pub password: String,
}

/// Sign in with a password; the session travels in an HttpOnly cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts",
    request_body = ApiLoginForm,
    responses((status = 200, body = OwnUser), (status = 401, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
pub async fn api_login(
    state: State,
    req: HttpRequest,
    form: web::Json<ApiLoginForm>,
) -> AppResult<HttpResponse> {
    let (token, user) = login_flow(&state, &req, &form.login, &form.password).await?;
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(&state, token))
        .json(OwnUser::from(&user)))
}

/// End the current session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts",
    responses((status = 204), (status = 401, body = crate::error::ErrorBody)))]
pub async fn api_logout(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    end_current_session(&state, &req, &user).await?;
    Ok(HttpResponse::NoContent()
        .cookie(clear_session_cookie(&state))
        .finish())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ApiTokenLoginForm {
    pub login: String,
    pub password: String,
    /// What the token is for.
    pub name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NewApiToken {
    /// The secret, shown only now: send it as `Authorization: Bearer <token>`.
    pub token: String,
    #[serde(flatten)]
    pub info: ApiTokenView,
}

/// Exchange a password for an API token (for integrations).
#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "accounts",
    request_body = ApiTokenLoginForm,
    responses((status = 201, body = NewApiToken), (status = 401, body = crate::error::ErrorBody)))]
pub async fn api_token_login(
    state: State,
    req: HttpRequest,
    form: web::Json<ApiTokenLoginForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let user = check_login(&state, &req, &form.login, &form.password).await?;
    let id = user.user_id();
    let (token, row) = state
        .db(move |conn, _| service::create_api_token(conn, id, &form.name))
        .await?;
    Ok(HttpResponse::Created().json(NewApiToken {
        token,
        info: ApiTokenView::from(&row),
    }))
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = OwnUser), (status = 401, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_me(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let id = user.id;
    let row = state
        .db(move |conn, _| service::user_by_id(conn, id))
        .await?;
    Ok(HttpResponse::Ok().json(OwnUser::from(&row)))
}

/// Change display name and language.
#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts", request_body = ProfileForm,
    responses((status = 200, body = OwnUser), (status = 422, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_update_me(
    state: State,
    user: CurrentUser,
    form: web::Json<ProfileForm>,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let form = form.into_inner();
    let row = state
        .db(move |conn, _| {
            service::update_profile(conn, id, &form.display_name, form.locale.as_deref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(OwnUser::from(&row)))
}

/// The account's active sessions.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "accounts",
    responses((status = 200, body = Vec<SessionView>), (status = 401, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_sessions(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let (id, current) = (user.id, user.session_id);
    let sessions = state
        .db(move |conn, _| service::list_sessions(conn, id, current))
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
        .db(move |conn, _| service::revoke_session(conn, id, target))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RevokedCount {
    pub revoked: usize,
}

/// Log out everywhere: revoke every session of the account.
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "accounts",
    responses((status = 200, body = RevokedCount), (status = 401, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_sessions_revoke_all(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let id = user.id;
    let revoked = state
        .db(move |conn, _| service::revoke_all_sessions(conn, id))
        .await?;
    Ok(HttpResponse::Ok()
        .cookie(clear_session_cookie(&state))
        .json(RevokedCount { revoked }))
}

/// The account's API tokens (without their secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts",
    responses((status = 200, body = Vec<ApiTokenView>), (status = 401, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_tokens(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let id = user.id;
    let tokens = state
        .db(move |conn, _| service::list_api_tokens(conn, id))
        .await?;
    Ok(HttpResponse::Ok().json(tokens))
}

/// Create an API token for the signed-in account.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "accounts", request_body = TokenForm,
    responses((status = 201, body = NewApiToken), (status = 422, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_token_create(
    state: State,
    user: CurrentUser,
    form: web::Json<TokenForm>,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let (token, row) = state
        .db(move |conn, _| service::create_api_token(conn, id, &form.name))
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
        .db(move |conn, _| service::revoke_api_token(conn, id, token))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A member's public profile.
#[utoipa::path(get, path = "/api/v1/users/{username}", tag = "accounts",
    params(("username" = String, Path, description = "Username (any case)")),
    responses((status = 200, body = PublicUser), (status = 404, body = crate::error::ErrorBody)))]
pub async fn api_user(state: State, path: web::Path<String>) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let user = state
        .db(move |conn, _| service::user_by_username(conn, &username))
        .await?;
    Ok(HttpResponse::Ok().json(PublicUser::from(&user)))
}

// ---------------------------------------------------------------------------------------------
// E-mail verification, password reset, e-mail change

/// A page with a title, a sentence and optionally one button (POST to `action`).
fn message_page(
    state: &AppContext,
    page: &Page,
    title: &str,
    message: &str,
    action: Option<String>,
    button: &str,
) -> AppResult<HttpResponse> {
    page.render(
        state,
        "layout/message.html",
        context! {
            title => page.t(state, title), message => page.t(state, message),
            action => action, button => page.t(state, button),
        },
    )
}

/// The page an e-mailed link opens: it checks the token and offers one button. Links are
/// opened with GET (mail scanners prefetch them too); only the button's POST uses the token.
struct LinkPage {
    purpose: service::Purpose,
    title: &'static str,
    message: &'static str,
    action: &'static str,
    button: &'static str,
}

async fn link_page(
    state: &State,
    req: &HttpRequest,
    user: MaybeUser,
    token: String,
    link: LinkPage,
) -> AppResult<HttpResponse> {
    let check = token.clone();
    let purpose = link.purpose;
    state
        .db(move |conn, _| service::peek_token(conn, &check, purpose))
        .await?;
    let page = Page::new(req, user.0.as_ref());
    let action = format!("{}{token}", link.action);
    message_page(
        state,
        &page,
        link.title,
        link.message,
        Some(action),
        link.button,
    )
}

async fn verify_page(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let link = LinkPage {
        purpose: service::Purpose::Verify,
        title: "verify-title",
        message: "mail-verify-line",
        action: "/verify/",
        button: "verify-confirm",
    };
    link_page(&state, &req, user, path.into_inner(), link).await
}

async fn verify_submit(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    path: web::Path<String>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    state
        .db(move |conn, _| service::verify_email(conn, &token))
        .await?;
    set_cached_user(&req, None);
    let page = Page::new(&req, user.0.as_ref());
    message_page(&state, &page, "verify-title", "verify-done", None, "")
}

async fn verify_resend(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    resend_verification(&state, &user).await?;
    let page = Page::new(&req, Some(&user));
    message_page(&state, &page, "verify-title", "verify-sent", None, "")
}

async fn resend_verification(state: &State, user: &CurrentUser) -> AppResult<()> {
    let key = format!("verify-resend:{}", user.id.0);
    let hour = Duration::from_secs(3600);
    state
        .limiter
        .check(&key, 5, hour)
        .map_err(|retry_after| AppError::new(ErrorKind::RateLimited { retry_after }))?;
    state.limiter.hit(&key, hour);
    let id = user.id;
    state
        .db(move |conn, state| {
            crate::db::write_transaction(conn, |conn| {
                let account = service::user_by_id(conn, id)?;
                if account.email_verified_at.is_none() {
                    super::mail::send_verification(conn, state, &account)?;
                }
                Ok(())
            })
        })
        .await
}

async fn forgot_page(state: State, req: HttpRequest) -> AppResult<HttpResponse> {
    Page::new(&req, None).render(&state, "accounts/forgot.html", context! {})
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ForgotForm {
    pub email: String,
}

/// Limited per address; the answer never says whether an account exists.
async fn forgot_flow(state: &State, req: &HttpRequest, email: String) -> AppResult<()> {
    let key = format!("forgot:{}", client_ip(req));
    let hour = Duration::from_secs(3600);
    state
        .limiter
        .check(&key, state.config.registrations_per_ip_per_hour, hour)
        .map_err(|retry_after| AppError::new(ErrorKind::RateLimited { retry_after }))?;
    state.limiter.hit(&key, hour);
    state
        .db(move |conn, state| {
            crate::db::write_transaction(conn, |conn| {
                super::mail::send_password_reset(conn, state, &email)
            })
        })
        .await
}

async fn forgot_submit(
    state: State,
    req: HttpRequest,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> AppResult<HttpResponse> {
    forgot_flow(&state, &req, form.email).await?;
    let page = Page::new(&req, None);
    message_page(&state, &page, "forgot-title", "forgot-sent", None, "")
}

async fn reset_page(
    state: State,
    req: HttpRequest,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let check = token.clone();
    state
        .db(move |conn, _| service::peek_token(conn, &check, service::Purpose::Reset))
        .await?;
    Page::new(&req, None).render(&state, "accounts/reset.html", context! { token => token })
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ResetForm {
    pub password: String,
}

async fn reset_submit(
    state: State,
    req: HttpRequest,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let page = Page::new(&req, None);
    let again = token.clone();
    match state
        .db(move |conn, state| service::reset_password(conn, &state.hasher, &token, &form.password))
        .await
    {
        Ok(_) => {
            set_cached_user(&req, None);
            let mut response = message_page(&state, &page, "reset-title", "reset-done", None, "")?;
            response
                .add_cookie(&clear_session_cookie(&state))
                .map_err(AppError::internal)?;
            Ok(response)
        }
        Err(error) => match page.form_errors(&state, &error) {
            Some(errors) => page.render_with_status(
                &state,
                "accounts/reset.html",
                context! { token => again, errors => errors },
                error.status(),
            ),
            None => Err(error),
        },
    }
}

async fn email_change_page(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    Page::new(&req, Some(&user)).render(&state, "accounts/email_change.html", context! {})
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EmailChangeForm {
    /// The new address.
    pub email: String,
    /// The current password, to prove it is the owner asking.
    pub password: String,
}

async fn email_change_flow(
    state: &State,
    user: &CurrentUser,
    form: EmailChangeForm,
) -> AppResult<()> {
    let id = user.id;
    state
        .db(move |conn, state| {
            let new_email =
                service::check_email_change(conn, &state.hasher, id, &form.email, &form.password)?;
            crate::db::write_transaction(conn, |conn| {
                let account = service::user_by_id(conn, id)?;
                super::mail::send_email_change(conn, state, &account, &new_email)
            })
        })
        .await
}

async fn email_change_submit(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<EmailChangeForm>,
) -> AppResult<HttpResponse> {
    let page = Page::new(&req, Some(&user));
    let typed = form.email.clone();
    match email_change_flow(&state, &user, form).await {
        Ok(()) => message_page(
            &state,
            &page,
            "email-change-title",
            "email-change-sent",
            None,
            "",
        ),
        Err(error) => match page.form_errors(&state, &error) {
            Some(errors) => page.render_with_status(
                &state,
                "accounts/email_change.html",
                context! { errors => errors, values => context! { email => typed } },
                error.status(),
            ),
            None => Err(error),
        },
    }
}

async fn email_confirm_page(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let link = LinkPage {
        purpose: service::Purpose::ChangeEmail,
        title: "email-change-title",
        message: "mail-change_email-line",
        action: "/email/confirm/",
        button: "mail-change_email-button",
    };
    link_page(&state, &req, user, path.into_inner(), link).await
}

async fn email_confirm_submit(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    path: web::Path<String>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    state
        .db(move |conn, _| service::confirm_email_change(conn, &token))
        .await?;
    let page = Page::new(&req, user.0.as_ref());
    message_page(
        &state,
        &page,
        "email-change-title",
        "email-change-done",
        None,
        "",
    )
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenBody {
    /// The token from the e-mailed link (its last path segment).
    pub token: String,
}

/// Confirm the account's e-mail address with the token from the e-mailed link.
#[utoipa::path(post, path = "/api/v1/auth/verify", tag = "accounts", request_body = TokenBody,
    responses((status = 200, body = OwnUser), (status = 422, body = crate::error::ErrorBody)))]
pub async fn api_verify(state: State, body: web::Json<TokenBody>) -> AppResult<HttpResponse> {
    let token = body.into_inner().token;
    let user = state
        .db(move |conn, _| service::verify_email(conn, &token))
        .await?;
    Ok(HttpResponse::Ok().json(OwnUser::from(&user)))
}

/// Send the confirmation link again.
#[utoipa::path(post, path = "/api/v1/auth/verify/resend", tag = "accounts",
    responses((status = 202), (status = 429, body = crate::error::ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_verify_resend(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    resend_verification(&state, &user).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Ask for a password reset link (the answer is the same whether the address exists or not).
#[utoipa::path(post, path = "/api/v1/auth/password/forgot", tag = "accounts", request_body = ForgotForm,
    responses((status = 202), (status = 429, body = crate::error::ErrorBody)))]
pub async fn api_forgot(
    state: State,
    req: HttpRequest,
    body: web::Json<ForgotForm>,
) -> AppResult<HttpResponse> {
    forgot_flow(&state, &req, body.into_inner().email).await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ApiResetForm {
    pub token: String,
    pub password: String,
}

/// Set a new password with a reset token; every session of the account ends.
#[utoipa::path(post, path = "/api/v1/auth/password/reset", tag = "accounts", request_body = ApiResetForm,
    responses((status = 204), (status = 422, body = crate::error::ErrorBody)))]
pub async fn api_reset(state: State, body: web::Json<ApiResetForm>) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    state
        .db(move |conn, state| {
            service::reset_password(conn, &state.hasher, &body.token, &body.password)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Ask to change the account's address (a link goes to the new address).
#[utoipa::path(post, path = "/api/v1/me/email", tag = "accounts", request_body = EmailChangeForm,
    responses((status = 202), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_email_change(
    state: State,
    user: CurrentUser,
    body: web::Json<EmailChangeForm>,
) -> AppResult<HttpResponse> {
    email_change_flow(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Confirm a new address with the token from the e-mailed link.
#[utoipa::path(post, path = "/api/v1/auth/email/confirm", tag = "accounts", request_body = TokenBody,
    responses((status = 200, body = OwnUser), (status = 422, body = crate::error::ErrorBody)))]
pub async fn api_email_confirm(
    state: State,
    body: web::Json<TokenBody>,
) -> AppResult<HttpResponse> {
    let token = body.into_inner().token;
    let user = state
        .db(move |conn, _| service::confirm_email_change(conn, &token))
        .await?;
    Ok(HttpResponse::Ok().json(OwnUser::from(&user)))
}
