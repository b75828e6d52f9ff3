//! The e-mailed links: address verification, password reset and address change, as pages and
//! as JSON. Rate limits are decided here; the requests themselves are in
//! `service::email_tokens`.

use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use crate::accounts::model::*;
use crate::accounts::service;
use crate::context::AppContext;
use crate::error::{AppError, AppResult};
use crate::http::auth::{clear_session_cookie, client_bucket, forget_cached_user, MaybeUser};
use crate::http::csrf::CsrfForm;
use crate::http::csrf::NoFields;
use crate::http::page::Page;
use crate::http::state::State;

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
    purpose: service::email_tokens::Purpose,
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
        .db(move |conn, _| service::email_tokens::peek_token(conn, &check, purpose))
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

pub(super) async fn verify_page(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let link = LinkPage {
        purpose: service::email_tokens::Purpose::Verify,
        title: "verify-title",
        message: "mail-verify-line",
        action: "/verify/",
        button: "verify-confirm",
    };
    link_page(&state, &req, user, path.into_inner(), link).await
}

pub(super) async fn verify_submit(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    path: web::Path<String>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let confirmed = state
        .db(move |conn, _| service::email_tokens::verify_email(conn, &token))
        .await?;
    forget_cached_user(&req);
    // The page that says so no longer asks them to confirm (the banner).
    let mut viewer = user.0;
    if let Some(viewer) = viewer.as_mut().filter(|v| v.id == confirmed.id) {
        viewer.email_verified = true;
    }
    let page = Page::new(&req, viewer.as_ref());
    message_page(&state, &page, "verify-title", "verify-done", None, "")
}

pub(super) async fn verify_resend(
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
    let key = format!("verify-resend:{}", user.id);
    state.limit(&key, 5, Duration::from_secs(3600))?;
    let id = user.id;
    state
        .db(move |conn, state| service::email_tokens::resend_verification(conn, state, id))
        .await
}

pub(super) async fn forgot_page(state: State, req: HttpRequest) -> AppResult<HttpResponse> {
    Page::new(&req, None).render(&state, "accounts/forgot.html", context! {})
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ForgotForm {
    pub email: String,
}

/// Limited per address; the answer never says whether an account exists.
async fn forgot_flow(state: &State, req: &HttpRequest, email: String) -> AppResult<()> {
    let key = format!("forgot:{}", client_bucket(req));
    let hour = Duration::from_secs(3600);
    state.limit(&key, state.config.registrations_per_ip_per_hour, hour)?;
    state
        .db(move |conn, state| service::email_tokens::request_password_reset(conn, state, &email))
        .await
}

pub(super) async fn forgot_submit(
    state: State,
    req: HttpRequest,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> AppResult<HttpResponse> {
    forgot_flow(&state, &req, form.email).await?;
    let page = Page::new(&req, None);
    message_page(&state, &page, "forgot-title", "forgot-sent", None, "")
}

pub(super) async fn reset_page(
    state: State,
    req: HttpRequest,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let check = token.clone();
    state
        .db(move |conn, _| {
            service::email_tokens::peek_token(conn, &check, service::email_tokens::Purpose::Reset)
        })
        .await?;
    Page::new(&req, None).render(&state, "accounts/reset.html", context! { token => token })
}

/// Setting a new password with a reset link's token, from the page and from the API.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ResetForm {
    /// The token from the link. The page takes it from its path (`/password/reset/{token}`).
    #[serde(default)]
    pub token: String,
    pub password: String,
}

/// Checks the link and the password, hashes it outside the pool, then applies it.
async fn reset_flow(state: &State, token: String, password: String) -> AppResult<User> {
    let check = token.clone();
    let typed = password.clone();
    state
        .db(move |conn, _| service::email_tokens::check_reset(conn, &check, &typed))
        .await?;
    let hash = state
        .hashing(move |hasher| hasher.hash(&password))
        .await??;
    state
        .db(move |conn, _| service::email_tokens::reset_password(conn, &token, &hash))
        .await
}

pub(super) async fn reset_submit(
    state: State,
    req: HttpRequest,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let page = Page::new(&req, None);
    let again = token.clone();
    match reset_flow(&state, token, form.password).await {
        Ok(_) => {
            forget_cached_user(&req);
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

pub(super) async fn email_change_page(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    Page::new(&req, Some(&user)).render(&state, "accounts/email_change.html", context! {})
}

/// Limited per account (each try costs a password check); the password is checked outside
/// the pool, then the link goes to the new address.
async fn email_change_flow(
    state: &State,
    user: &CurrentUser,
    form: EmailChangeForm,
) -> AppResult<()> {
    let key = format!("email-change:{}", user.id);
    state.limit(&key, 10, Duration::from_secs(3600))?;
    let id = user.id;
    let account = state
        .db(move |conn, _| service::user_by_id(conn, id))
        .await?;
    let password = form.password;
    let proof = state
        .hashing(move |hasher| hasher.prove(&account, &password))
        .await?
        .ok_or_else(|| AppError::invalid_field("password", "error-bad-credentials"))?;
    let email = form.email;
    state
        .db(move |conn, state| {
            service::email_tokens::request_email_change(conn, state, proof, &email)
        })
        .await
}

pub(super) async fn email_change_submit(
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

pub(super) async fn email_confirm_page(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let link = LinkPage {
        purpose: service::email_tokens::Purpose::ChangeEmail,
        title: "email-change-title",
        message: "mail-change_email-line",
        action: "/email/confirm/",
        button: "mail-change_email-button",
    };
    link_page(&state, &req, user, path.into_inner(), link).await
}

pub(super) async fn email_confirm_submit(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    path: web::Path<String>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    state
        .db(move |conn, ctx| service::email_tokens::confirm_email_change(conn, ctx, &token))
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
        .db(move |conn, _| service::email_tokens::verify_email(conn, &token))
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

/// Set a new password with a reset token; every session of the account ends.
#[utoipa::path(post, path = "/api/v1/auth/password/reset", tag = "accounts", request_body = ResetForm,
    responses((status = 204), (status = 422, body = crate::error::ErrorBody)))]
pub async fn api_reset(state: State, body: web::Json<ResetForm>) -> AppResult<HttpResponse> {
    let body = body.into_inner();
    reset_flow(&state, body.token, body.password).await?;
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
        .db(move |conn, ctx| service::email_tokens::confirm_email_change(conn, ctx, &token))
        .await?;
    Ok(HttpResponse::Ok().json(OwnUser::from(&user)))
}

pub(super) async fn email_undo_page(
    state: State,
    req: HttpRequest,
    user: MaybeUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let link = LinkPage {
        purpose: service::email_tokens::Purpose::UndoEmailChange,
        title: "email-undo-title",
        message: "email-undo-line",
        action: "/email/undo/",
        button: "email-undo-button",
    };
    link_page(&state, &req, user, path.into_inner(), link).await
}

pub(super) async fn email_undo_submit(
    state: State,
    req: HttpRequest,
    path: web::Path<String>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    state
        .db(move |conn, ctx| service::email_tokens::undo_email_change(conn, ctx, &token))
        .await?;
    forget_cached_user(&req);
    let page = Page::new(&req, None);
    let mut response = message_page(
        &state,
        &page,
        "email-undo-title",
        "email-undo-done",
        None,
        "",
    )?;
    response
        .add_cookie(&clear_session_cookie(&state))
        .map_err(AppError::internal)?;
    Ok(response)
}

/// Undo an address change with the token mailed to the old address: the old address comes
/// back, every session and API token ends, and a reset link goes to the old address.
#[utoipa::path(post, path = "/api/v1/auth/email/undo", tag = "accounts", request_body = TokenBody,
    responses((status = 200, body = OwnUser), (status = 409, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn api_email_undo(state: State, body: web::Json<TokenBody>) -> AppResult<HttpResponse> {
    let token = body.into_inner().token;
    let user = state
        .db(move |conn, ctx| service::email_tokens::undo_email_change(conn, ctx, &token))
        .await?;
    Ok(HttpResponse::Ok()
        .cookie(clear_session_cookie(&state))
        .json(OwnUser::from(&user)))
}
