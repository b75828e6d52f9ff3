//! Reputation's rows, forms and views: badges and the grants members hold, points and their
//! leaderboards.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::model::UserId;
use crate::db::schema::{badges, user_badges};
use crate::forum::model::PostId;
use crate::newtypes::Flag;
use crate::newtypes::{small_enum, typed_id};

typed_id!(BadgeId);
typed_id!(UserBadgeId);

small_enum!(
    /// How rare a badge is (Discourse's numbers: gold 1, silver 2, bronze 3).
    Tier {
        Gold = 1 => "gold",
        Silver = 2 => "silver",
        Bronze = 3 => "bronze",
    }
);

small_enum!(
    /// What a ledger entry pays for.
    PointAction {
        ThreadStarted = 0 => "thread_started",
        ReplyPosted = 1 => "reply_posted",
        ReactionReceived = 2 => "reaction_received",
        AnswerAccepted = 3 => "answer_accepted",
    }
);

small_enum!(
    /// A leaderboard's period: all time, this week (from Monday, UTC), this month.
    Period {
        All = 0 => "all",
        Week = 1 => "week",
        Month = 2 => "month",
    }
);

/// The icons a badge may show (drawn by our stylesheet; no image uploads).
pub const ICONS: &[&str] = &[
    "star", "heart", "check", "medal", "trophy", "cup", "calendar", "mic", "flag", "seedling",
    "sparkles", "shield", "key", "book", "hand",
];

#[derive(Clone, Debug, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = badges)]
pub struct Badge {
    pub id: BadgeId,
    pub slug: String,
    pub builtin: Flag,
    pub tier: Tier,
    pub icon: String,
    pub name_en: String,
    pub name_es: String,
    pub description_en: String,
    pub description_es: String,
    pub multiple: Flag,
    pub revocable: Flag,
    pub enabled: Flag,
    pub grant_count: i32,
    pub backfill_after: Option<i64>,
    pub backfilled_at: Option<NaiveDateTime>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = user_badges)]
pub struct UserBadge {
    pub id: UserBadgeId,
    pub badge_id: BadgeId,
    pub user_id: UserId,
    pub item: i64,
    pub post_id: Option<PostId>,
    pub granted_at: NaiveDateTime,
    pub granted_by: Option<i64>,
    pub reason: String,
}

/// A badge as members read it, in their language.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct BadgeView {
    pub id: BadgeId,
    pub slug: String,
    pub name: String,
    pub description: String,
    /// How to earn it (built-in badges; the community manager grants the others).
    pub how: String,
    pub tier: Tier,
    pub icon: String,
    pub builtin: bool,
    /// Can be earned more than once (once per year, per event…).
    pub multiple: bool,
    /// Removed when its rule stops holding.
    pub revocable: bool,
    pub enabled: bool,
    /// Members holding it.
    pub holders: i32,
    pub url: String,
}

/// A member's badge, with what earned it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct GrantView {
    pub id: UserBadgeId,
    pub badge: BadgeView,
    pub username: String,
    pub display_name: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub granted_at: NaiveDateTime,
    /// The post that earned it, where there is one the reader may see.
    pub post_url: Option<String>,
    /// The community manager's reason, for a badge granted by hand.
    pub reason: String,
    /// Shown by the member's name on their posts.
    pub featured: bool,
}

/// One badge's page: the badge and who earned it recently.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct BadgePage {
    pub badge: BadgeView,
    pub recent: Vec<GrantView>,
}

/// A badge as shown by a member's name (stored on the member's row, so a thread page reads it
/// with its authors).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Featured {
    pub id: BadgeId,
    pub slug: String,
    pub tier: Tier,
    pub icon: String,
    pub name_en: String,
    pub name_es: String,
}

/// A custom badge (community manager).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct BadgeForm {
    pub name_en: String,
    pub name_es: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub description_es: String,
    /// `gold`, `silver` or `bronze`.
    pub tier: String,
    /// One of the built-in icons.
    pub icon: String,
    /// Can be granted to one member more than once.
    #[serde(default, deserialize_with = "crate::forum::model::checkbox")]
    pub multiple: bool,
}

/// Granting or revoking a badge by hand, always with a reason.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct GrantForm {
    pub username: String,
    pub reason: String,
}

/// Turning a badge on or off (community manager); turning one on backfills it.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct EnabledForm {
    #[serde(default, deserialize_with = "crate::forum::model::checkbox")]
    pub enabled: bool,
}

/// The badges a member shows by their name (at most three of their own).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct FeaturedForm {
    #[serde(default)]
    pub badges: Vec<BadgeId>,
}

/// One line of a leaderboard.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Standing {
    /// Dense rank: members with equal points share a rank, and the next rank follows on.
    pub rank: i64,
    pub username: String,
    pub display_name: String,
    pub points: i32,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Leaderboard {
    pub period: Period,
    /// The category's slug; absent for the whole forum.
    pub category: Option<String>,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub starts_at: NaiveDateTime,
    pub standings: Vec<Standing>,
    /// The reader's own line, when they are on the board.
    pub mine: Option<Standing>,
    /// The reader's points over the period (also when they opted out).
    pub my_points: Option<i32>,
    pub opted_out: bool,
}
