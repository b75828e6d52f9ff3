//! Profiles: the public profile page (with the member's threads), editing one's own, and
//! their JSON twins.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use crate::accounts::model::*;
use crate::accounts::service;
use crate::error::AppResult;
use crate::http::csrf::CsrfForm;
use crate::http::page::{safe_next, see_other_saved, Page};
use crate::http::state::{State, Submitted};
use crate::policy::Actor;

#[derive(Deserialize)]
pub(super) struct AfterQuery {
    after: Option<String>,
}

pub(super) async fn profile_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let after = query.after.clone();
    let viewer_id = actor.user_id();
    let locale = Page::from_request(&req).locale;
    let (user, activity, badges, stats, recent) = state
        .db_as(actor, move |conn, actor, ctx| {
            // Only threads in categories this viewer may see.
            let (user, activity) = crate::forum::service::listing::author_threads(
                conn,
                actor,
                &username,
                after.as_deref(),
            )?;
            let badges =
                crate::reputation::service::of_member(ctx, conn, actor, &user.username, locale)?;
            let stats = crate::forum::service::people::member_stats(conn, actor, user.id)?;
            let recent = crate::forum::service::people::recent_posts(conn, actor, user.id)?;
            Ok((user, activity, badges, stats, recent))
        })
        .await?;
    let is_self = viewer_id == Some(user.id);
    let profile = PublicUser::from(&user);
    let own = is_self.then(|| OwnUser::from(&user));
    Page::from_request(&req).render(
        &state,
        "accounts/profile.html",
        context! {
            profile => profile, own => own, is_self => is_self, locales => service::LOCALES,
            activity => activity, badges => badges, stats => stats, recent => recent,
        },
    )
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ProfileForm {
    pub display_name: String,
    /// `en`, `es`, or empty for the browser's language.
    #[serde(default)]
    pub locale: Option<String>,
    /// An IANA time zone (`Europe/Madrid`) for event times; empty for none. Left out: kept.
    #[serde(default)]
    pub time_zone: Option<String>,
}

pub(super) async fn profile_submit(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<ProfileForm>,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let values = context! { display_name => form.display_name.clone() };
    let submitted = state
        .submit(save_profile(&user, form), move |conn, _| {
            service::user_by_id(conn, id)
        })
        .await?;
    let (error, stored) = match submitted {
        Submitted::Done(updated) => {
            return Ok(see_other_saved(&format!("/u/{}", updated.username)))
        }
        Submitted::Refused(error, stored) => (error, stored),
    };
    let page = Page::new(&req, Some(&user));
    let errors = page.form_errors(&state, &error);
    page.render_with_status(
        &state,
        "accounts/profile.html",
        context! {
            profile => PublicUser::from(&stored),
            own => OwnUser::from(&stored),
            is_self => true,
            locales => service::LOCALES,
            errors => errors,
            values => values,
        },
        error.status(),
    )
}

/// Saves `form` to the member's profile; saving it is a step of the first-week path (recorded
/// once).
fn save_profile(
    user: &CurrentUser,
    form: ProfileForm,
) -> impl FnOnce(&mut crate::db::DbConnection, &crate::context::AppContext) -> AppResult<User> {
    use crate::reputation::first_week;
    let pending = first_week::pending(Some(user), first_week::PROFILE);
    let id = user.id;
    move |conn, ctx| {
        let updated = service::update_profile(
            conn,
            id,
            &form.display_name,
            form.locale.as_deref(),
            form.time_zone.as_deref(),
        )?;
        if let Some(step) = pending {
            first_week::mark(ctx, conn, step, first_week::PROFILE)?;
        }
        Ok(updated)
    }
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

/// Change display name, language and time zone.
#[utoipa::path(patch, path = "/api/v1/me", tag = "accounts", request_body = ProfileForm,
    responses((status = 200, body = OwnUser), (status = 422, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_update_me(
    state: State,
    user: CurrentUser,
    form: web::Json<ProfileForm>,
) -> AppResult<HttpResponse> {
    let row = state.db(save_profile(&user, form.into_inner())).await?;
    Ok(HttpResponse::Ok().json(OwnUser::from(&row)))
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

/// The cookie that keeps a visitor's language choice (members keep it on their account too).
pub const LANGUAGE_COOKIE: &str = "tertulia_lang";

#[derive(Deserialize)]
pub(super) struct LanguageForm {
    locale: String,
    #[serde(default)]
    next: String,
}

/// The language switch on every page: for a visitor, a cookie; for a member, their account's
/// language too. Back to the page it was used on.
pub(super) async fn language_submit(
    state: State,
    actor: Actor,
    CsrfForm(form): CsrfForm<LanguageForm>,
) -> AppResult<HttpResponse> {
    let locale = service::check_locale(&form.locale)?;
    if let Some(user) = actor.user_id() {
        state
            .db(move |conn, _| service::set_locale(conn, user, locale))
            .await?;
    }
    let cookie = actix_web::cookie::Cookie::build(LANGUAGE_COOKIE, locale)
        .path("/")
        .same_site(actix_web::cookie::SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    Ok(HttpResponse::SeeOther()
        .insert_header((
            actix_web::http::header::LOCATION,
            safe_next(Some(&form.next)),
        ))
        .cookie(cookie)
        .finish())
}
