//! Rows and forms of accounts: users, login sessions and API tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::schema::{api_tokens, sessions, users};
use crate::newtypes::Flag;
use crate::newtypes::{small_enum, typed_id};

typed_id!(UserId);
typed_id!(SessionId);
typed_id!(ApiTokenId);

small_enum!(
    /// What a person may do beyond their trust level (ordered: each role has the powers of the
    /// ones before it).
    Role {
        Member = 0 => "member",
        Moderator = 1 => "moderator",
        CommunityManager = 2 => "community_manager",
        Admin = 3 => "admin",
    }
);

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub username_normalized: String,
    pub email: String,
    pub email_normalized: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub trust_level: i16,
    pub locale: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_seen_at: Option<NaiveDateTime>,
    /// Brand staff carry their department (support, product…); their posts can be official.
    pub department: Option<String>,
    /// When the previous visit ended, for "new since your last visit".
    pub previous_visit_at: Option<NaiveDateTime>,
    /// When the member proved the address is theirs; `None` until then.
    pub email_verified_at: Option<NaiveDateTime>,
    /// A silence in force until then: may read but not post (set with the sanction).
    pub silenced_until: Option<NaiveDateTime>,
    /// A suspension (or ban) in force until then: may only read their statements.
    pub suspended_until: Option<NaiveDateTime>,
    /// When the member reached their trust level (none: never changed).
    pub trust_level_since: Option<NaiveDateTime>,
    /// Staff set the level by hand: the trust-level job leaves it.
    pub trust_level_locked: Flag,
    /// The member's IANA time zone (event times); `None`: the browser's, else the event's.
    pub time_zone: Option<String>,
    /// Minutes before an event's date to remind, comma-separated; `None`: the defaults.
    pub event_reminders: Option<String>,
    /// Up to three badges shown by the member's name (JSON, `reputation::featured`).
    pub featured_badges: Option<String>,
    /// Left out of the leaderboards at their own request.
    pub leaderboard_opt_out: Flag,
    /// The first-week path's steps done (bits, `reputation::first_week`).
    pub first_week: i16,
    /// The invitation the member signed up with (`reputation::invites`).
    pub invite_id: Option<i64>,
    /// The flair of the member's groups, shown by their name on posts (ambassadors).
    pub flair: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub username: &'a str,
    pub username_normalized: &'a str,
    pub email: &'a str,
    pub email_normalized: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub trust_level: i16,
    pub locale: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub token_hash: String,
    pub user_agent: String,
    pub ip: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSessionRow<'a> {
    pub user_id: UserId,
    pub token_hash: &'a str,
    pub user_agent: &'a str,
    pub ip: &'a str,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub user_id: UserId,
    pub name: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiTokenRow<'a> {
    pub user_id: UserId,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
}

/// A registration as typed by the person; validated by `service::register`.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct RegisterForm {
    pub username: String,
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub display_name: String,
    /// Accepts the community rules; required when the community has rules.
    #[serde(default, deserialize_with = "crate::forum::model::checkbox")]
    pub accept_rules: bool,
    /// The code of the invitation signed up with (`/register?invite=…`), if any.
    #[serde(default)]
    pub invite: Option<String>,
}

impl RegisterForm {
    pub fn new(username: &str, email: &str, password: &str) -> Self {
        RegisterForm {
            username: username.into(),
            email: email.into(),
            password: password.into(),
            display_name: String::new(),
            accept_rules: false,
            invite: None,
        }
    }
}

/// Who is making a request and through what: a browser session or an API token.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub trust_level: i16,
    pub locale: Option<String>,
    pub department: Option<String>,
    pub email_verified: bool,
    /// Unread in-app notifications (for the bell), counted when the request is resolved.
    pub unread_notifications: i64,
    pub session_id: Option<SessionId>,
    pub api_token_id: Option<ApiTokenId>,
    pub silenced_until: Option<NaiveDateTime>,
    pub suspended_until: Option<NaiveDateTime>,
    /// For moderators and above: open items in the review queue (for the header).
    pub review_open: Option<i64>,
    /// The first-week path's steps done (bits, `reputation::first_week`).
    pub first_week: i16,
    /// When their previous visit began ("new since your last visit").
    pub previous_visit_at: Option<NaiveDateTime>,
}

impl CurrentUser {
    pub fn from_user(user: &User) -> Self {
        CurrentUser {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            trust_level: user.trust_level,
            locale: user.locale.clone(),
            department: user.department.clone(),
            email_verified: user.email_verified_at.is_some(),
            unread_notifications: 0,
            session_id: None,
            api_token_id: None,
            silenced_until: user.silenced_until,
            suspended_until: user.suspended_until,
            review_open: None,
            first_week: user.first_week,
            previous_visit_at: user.previous_visit_at,
        }
    }
}

/// A user as others may see them (no e-mail, no hash).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PublicUser {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Brand staff's department (their posts can be official answers).
    pub department: Option<String>,
    pub trust_level: i16,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

impl From<&User> for PublicUser {
    fn from(user: &User) -> Self {
        PublicUser {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            department: user.department.clone(),
            trust_level: user.trust_level,
            created_at: user.created_at,
        }
    }
}

/// The signed-in user's own view of their account.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct OwnUser {
    #[serde(flatten)]
    pub public: PublicUser,
    pub email: String,
    pub locale: Option<String>,
    /// Your IANA time zone for event times (none: the browser's, else each event's).
    pub time_zone: Option<String>,
}

impl From<&User> for OwnUser {
    fn from(user: &User) -> Self {
        OwnUser {
            public: PublicUser::from(user),
            email: user.email.clone(),
            locale: user.locale.clone(),
            time_zone: user.time_zone.clone(),
        }
    }
}

/// A login session as listed to its owner.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: SessionId,
    pub user_agent: String,
    pub ip: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub last_seen_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub expires_at: NaiveDateTime,
    /// True for the session making this request.
    pub current: bool,
}

/// An API token as listed to its owner (the secret itself is shown once, at creation).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ApiTokenView {
    pub id: ApiTokenId,
    pub name: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    /// When a request last used it (updated at most every ten minutes).
    #[serde(serialize_with = "crate::util::utc::option")]
    pub last_used_at: Option<NaiveDateTime>,
    /// After this the token no longer works; absent: until revoked.
    #[serde(serialize_with = "crate::util::utc::option")]
    pub expires_at: Option<NaiveDateTime>,
}

impl From<&ApiToken> for ApiTokenView {
    fn from(token: &ApiToken) -> Self {
        ApiTokenView {
            id: token.id,
            name: token.name.clone(),
            created_at: token.created_at,
            last_used_at: token.last_used_at,
            expires_at: token.expires_at,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct EmailChangeForm {
    /// The new address.
    pub email: String,
    /// The current password, to prove it is the owner asking.
    pub password: String,
}
