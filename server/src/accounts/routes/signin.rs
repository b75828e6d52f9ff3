//! Registration, login and logout, as pages and as JSON; the rate limits are decided here.

use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::sessions::NewApiToken;
use crate::accounts::model::*;
use crate::accounts::service;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::http::auth::{
    clear_session_cookie, client_bucket, client_ip, forget_cached_user, session_cookie, user_agent,
    MaybeUser,
};
use crate::http::csrf::CsrfForm;
use crate::http::csrf::NoFields;
use crate::http::page::{safe_next, see_other, Page};
use crate::http::state::State;

/// Registration with the per-address limit; opens a session for the new account. The fields
/// are checked before the password is hashed, and the hash is made outside the pool.
async fn register_flow(
    state: &State,
    req: &HttpRequest,
    form: RegisterForm,
    locale: &'static str,
) -> AppResult<(String, User)> {
    let hour = Duration::from_secs(3600);
    let key = format!("register:{}", client_bucket(req));
    state.limit(&key, state.config.registrations_per_ip_per_hour, hour)?;
    service::check_registration(&form)?;
    let password = form.password.clone();
    let password_hash = state
        .hashing(move |hasher| hasher.hash(&password))
        .await??;
    let client = service::sessions::Client {
        agent: user_agent(req),
        ip: client_ip(req),
    };
    state
        .db(move |conn, state| {
            service::register_member(conn, state, &form, &password_hash, locale, &client)
        })
        .await
}

/// Password check behind two limits: per client (address, or IPv6 /64) and per account (by its
/// id once the login names one, so its username and e-mail share one count; by the login as
/// typed otherwise). The attempt is counted before the password is checked, so concurrent
/// guesses cannot all pass the limit; a success takes its attempt back and forgets the
/// account's failures. The check runs outside the database pool (`AppState::hashing`). `then`
/// runs once the password matched (it opens the session or makes the token).
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
    if login.trim().len() > service::LOGIN_MAX {
        return Err(AppError::invalid_field("login", "error-login-long"));
    }
    let ip_key = format!("login-ip:{}", client_bucket(req));
    let window = state.login_window();
    state.limit(&ip_key, state.config.login_limit_per_ip, window)?;
    let typed = login.to_string();
    let account = match state
        .db(move |conn, _| service::find_login(conn, &typed))
        .await
    {
        Ok(account) => account,
        Err(error) => {
            state.limiter.release(&ip_key);
            return Err(error);
        }
    };
    let account_key = match &account {
        Some(user) => format!("login-account:{}", user.id),
        None => format!("login-name:{}", service::normalize_username(login)),
    };
    if let Err(limited) = state.limit(&account_key, state.config.login_limit_per_account, window) {
        state.limiter.release(&ip_key);
        return Err(limited);
    }
    let result = login_attempt(state, account, password, then).await;
    match &result {
        Err(e) if e.kind == ErrorKind::BadCredentials => {}
        Ok(_) => {
            state.limiter.clear(&account_key);
            state.limiter.release(&ip_key);
        }
        Err(_) => {
            state.limiter.release(&account_key);
            state.limiter.release(&ip_key);
        }
    }
    result
}

/// Checks the password outside the pool (an unknown login spends the same time), then runs
/// `then`.
async fn login_attempt<T, F>(
    state: &State,
    account: Option<User>,
    password: &str,
    then: F,
) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut crate::db::DbConnection, &crate::context::AppContext, &User) -> AppResult<T>
        + Send
        + 'static,
{
    let password = password.to_string();
    let proof = state
        .hashing(move |hasher| match &account {
            Some(account) => hasher
                .prove(account, &password)
                .map(|p| (p, account.clone())),
            None => {
                hasher.waste_time(&password);
                None
            }
        })
        .await?;
    let (_, user) = proof.ok_or_else(|| AppError::new(ErrorKind::BadCredentials))?;
    state.db(move |conn, ctx| then(conn, ctx, &user)).await
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

/// The sign-up page may come from an invitation's link.
#[derive(Deserialize)]
pub(super) struct InviteQuery {
    invite: Option<String>,
}

pub(super) async fn register_page(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    query: web::Query<InviteQuery>,
) -> AppResult<HttpResponse> {
    if user.0.is_some() {
        return Ok(see_other("/"));
    }
    let code = query.into_inner().invite.filter(|c| !c.trim().is_empty());
    let (ask_rules, invite_ok) = state
        .db(move |conn, _| {
            let usable = match &code {
                Some(code) => Some(
                    crate::reputation::invites::usable(conn, code)?
                        .map(|_| code.trim().to_string()),
                ),
                None => None,
            };
            Ok((crate::moderation::rules::rules_exist(conn)?, usable))
        })
        .await?;
    // `invite`: the code to send with the form; `invite_spent`: a link that no longer works.
    let invite_spent = matches!(invite_ok, Some(None));
    Page::new(&req, None).render(
        &state,
        "accounts/register.html",
        context! { ask_rules => ask_rules, invite => invite_ok.flatten(), invite_spent => invite_spent },
    )
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
                context! { errors => errors, invite => form.invite, ask_rules => state
                    .db(|conn, _| crate::moderation::rules::rules_exist(conn))
                    .await?, values => context! {
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

/// Signing in, from the page and from the API.
#[derive(Clone, Deserialize, utoipa::ToSchema)]
pub struct LoginForm {
    /// Username or e-mail address.
    pub login: String,
    pub password: String,
    /// The page's form only: where to go afterwards (a path on this site). The API ignores it.
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

/// Sign in with a password; the session travels in an HttpOnly cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts",
    request_body = LoginForm,
    responses((status = 200, body = OwnUser), (status = 401, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
pub async fn api_login(
    state: State,
    req: HttpRequest,
    form: web::Json<LoginForm>,
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
    /// Days until the token stops working (1 to 365); absent: until revoked.
    #[serde(default)]
    pub expires_in_days: Option<u32>,
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
    let (login, password, name, days) =
        (form.login, form.password, form.name, form.expires_in_days);
    let (token, row) = check_login(&state, &req, &login, &password, move |conn, _, user| {
        let creator = CurrentUser::from_user(user);
        service::sessions::create_api_token(conn, &creator, &name, days)
    })
    .await?;
    Ok(HttpResponse::Created().json(NewApiToken {
        token,
        info: ApiTokenView::from(&row),
    }))
}
