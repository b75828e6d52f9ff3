//! Registration, login and logout, as pages and as JSON; the rate limits are decided here.

use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::sessions::NewApiToken;
use super::NoFields;
use crate::accounts::model::*;
use crate::accounts::service;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::http::auth::{
    clear_session_cookie, client_ip, forget_cached_user, session_cookie, user_agent, MaybeUser,
};
use crate::http::csrf::CsrfForm;
use crate::http::page::{safe_next, see_other, Page};
use crate::http::state::State;

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
    let client = service::sessions::Client {
        agent: user_agent(req),
        ip,
    };
    state
        .db(move |conn, state| service::register_member(conn, state, &form, locale, &client))
        .await
}

/// Password check behind two limits: per client address and per account name. Only failures
/// count, and the per-account count is forgotten after a success. `then` runs in the same
/// blocking hop once the password matched (it opens the session or makes the token).
async fn check_login<T, F>(
    state: &State,
    req: &HttpRequest,
    login: &str,
    password: &str,
    then: F,
) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut crate::db::DbConnection, &crate::context::AppContext, &User) -> AppResult<T>
        + Send
        + 'static,
{
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
        .db(move |conn, ctx| {
            let user = service::authenticate(conn, &ctx.hasher, &login, &password)?;
            then(conn, ctx, &user)
        })
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
    let ip = client_ip(req);
    let agent = user_agent(req);
    check_login(state, req, login, password, move |conn, ctx, user| {
        let (token, _) =
            service::sessions::create_session(conn, user.id, &agent, &ip, ctx.config.session_days)?;
        Ok((token, user.clone()))
    })
    .await
}

pub(super) async fn register_page(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
) -> AppResult<HttpResponse> {
    if user.0.is_some() {
        return Ok(see_other("/"));
    }
    Page::new(&req, None).render(&state, "accounts/register.html", context! {})
}

pub(super) async fn register_submit(
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
pub(super) struct NextQuery {
    next: Option<String>,
}

pub(super) async fn login_page(
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

pub(super) async fn login_submit(
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

async fn end_current_session(
    state: &State,
    req: &HttpRequest,
    user: &CurrentUser,
) -> AppResult<()> {
    if let Some(session) = user.session_id {
        let id = user.id;
        state
            .db(move |conn, _| service::sessions::end_session(conn, id, session))
            .await?;
    }
    forget_cached_user(req);
    Ok(())
}

pub(super) async fn logout(
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
    let (login, password, name) = (form.login, form.password, form.name);
    let (token, row) = check_login(&state, &req, &login, &password, move |conn, _, user| {
        service::sessions::create_api_token(conn, user.id, &name)
    })
    .await?;
    Ok(HttpResponse::Created().json(NewApiToken {
        token,
        info: ApiTokenView::from(&row),
    }))
}
