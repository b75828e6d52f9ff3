//! The records of moderation: community rules and their versions.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::model::UserId;
use crate::db::schema::{rule_versions, rules};
use crate::newtypes::{small_enum, typed_id};

typed_id!(RuleId);
typed_id!(RuleVersionId);

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = rules)]
pub struct Rule {
    pub id: RuleId,
    pub number: i32,
    pub created_at: NaiveDateTime,
}

/// One published version of a rule; never changed once written.
#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = rule_versions)]
pub struct RuleVersion {
    pub id: RuleVersionId,
    pub rule_id: RuleId,
    pub version: i32,
    pub title: String,
    pub body: String,
    pub significant: i16,
    pub effective_at: NaiveDateTime,
    pub published_by: Option<UserId>,
    pub published_at: NaiveDateTime,
}

/// A rule as members read it: the version in force.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RuleView {
    /// The rule's id (stable across versions); decisions cite `id` @ `version`.
    pub id: RuleId,
    pub number: i32,
    pub version: i32,
    pub title: String,
    /// Markdown source.
    pub body: String,
    /// The rendered body (sanitised HTML).
    pub html: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub effective_at: NaiveDateTime,
    /// A later version is published but not in force yet.
    pub upcoming_version: Option<i32>,
}

/// One version in a rule's history.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RuleVersionView {
    pub version: i32,
    pub title: String,
    pub body: String,
    /// Members were told of this version.
    pub significant: bool,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub effective_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub published_at: NaiveDateTime,
}

impl From<&RuleVersion> for RuleVersionView {
    fn from(v: &RuleVersion) -> Self {
        RuleVersionView {
            version: v.version,
            title: v.title.clone(),
            body: v.body.clone(),
            significant: v.significant != 0,
            effective_at: v.effective_at,
            published_at: v.published_at,
        }
    }
}

/// A new rule (publishes its version 1).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct NewRuleForm {
    pub title: String,
    /// Markdown.
    pub body: String,
    /// Its number in the list; default: after the last one.
    #[serde(default)]
    pub number: Option<i32>,
}

/// The next version of a rule: what is absent stays as it was.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RuleChangeForm {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    /// A significant change is announced to every member.
    #[serde(default)]
    pub significant: bool,
    /// When the version takes effect (RFC 3339, e.g. `2026-12-01T00:00:00Z`); default now. At
    /// most a year ahead, and not before the latest version's date.
    #[serde(default)]
    pub effective_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One piece of a diff between two versions.
#[derive(Clone, Debug, Serialize)]
pub struct DiffPart {
    /// `same`, `removed` or `added`.
    pub kind: &'static str,
    pub text: String,
}

typed_id!(ReviewItemId);
typed_id!(ReportId);

small_enum!(
    /// What a report is about.
    TargetKind {
        Post = 0 => "post",
        Thread = 1 => "thread",
        User = 2 => "user",
    }
);

small_enum!(
    /// Why it was reported.
    ReportReason {
        Spam = 0 => "spam",
        Abusive = 1 => "abusive",
        OffTopic = 2 => "off_topic",
        Illegal = 3 => "illegal",
        Other = 4 => "other",
    }
);

small_enum!(
    /// Where a queue item stands (the Report state machine of the disputes reference).
    ItemStatus {
        Open = 0 => "open",
        Actioned = 1 => "actioned",
        NoAction = 2 => "no_action",
        Dismissed = 3 => "dismissed",
        Escalated = 4 => "escalated",
    }
);

small_enum!(
    /// How soon a queue item must be looked at (SLA: urgent 1 h, high 24 h, normal 72 h).
    Priority {
        Normal = 0 => "normal",
        High = 1 => "high",
        Urgent = 2 => "urgent",
    }
);

/// One queue item: a target and everything reported about it.
#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = crate::db::schema::review_items)]
pub struct ReviewItem {
    pub id: ReviewItemId,
    pub target_kind: TargetKind,
    pub target_id: i64,
    pub status: ItemStatus,
    pub priority: Priority,
    pub score: i32,
    pub reports_count: i32,
    pub version: i32,
    pub claimed_by: Option<UserId>,
    pub claimed_at: Option<NaiveDateTime>,
    pub due_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
}

/// A report as anyone files it (logged-out reporters give an e-mail address).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct ReportForm {
    /// `post`, `thread` or `user`.
    pub target_kind: String,
    pub target_id: i64,
    /// `spam`, `abusive`, `off_topic`, `illegal` or `other`.
    pub reason: String,
    /// What is wrong, in the reporter's words.
    pub text: String,
    /// Required when not logged in: where the receipt and the outcome go.
    #[serde(default)]
    pub email: Option<String>,
    /// Logged-out reports of illegal content: "I believe in good faith that this is accurate".
    #[serde(default, deserialize_with = "crate::forum::model::checkbox")]
    pub bona_fide: bool,
}

/// The receipt a reporter gets at once.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReportReceipt {
    /// The report's id (the first one, when this reporter had already reported the target).
    pub id: ReportId,
    /// True when this reporter had already reported the target: the first report stands.
    pub already_reported: bool,
}

/// One report on a queue item, as moderators see it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReportView {
    pub id: ReportId,
    /// The reporter's username; absent for a logged-out reporter.
    pub reporter: Option<String>,
    pub reason: ReportReason,
    pub text: String,
    pub weight: i32,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

/// A queue item as moderators see it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewItemView {
    pub id: ReviewItemId,
    pub target_kind: TargetKind,
    pub target_id: i64,
    pub status: ItemStatus,
    pub priority: Priority,
    /// The sum of the reports' weights.
    pub score: i32,
    pub reports_count: i32,
    pub claimed_by: Option<String>,
    /// Decisions must name this version (a stale one is refused).
    pub version: i32,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub due_at: NaiveDateTime,
    /// What the target looked like when it was first reported.
    pub snapshot: Option<Snapshot>,
    /// Its SHA-256, hex.
    pub snapshot_digest: Option<String>,
    pub reports: Vec<ReportView>,
}

/// The evidence kept of a target when it is first reported; never changed afterwards.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Snapshot {
    pub target_kind: TargetKind,
    pub target_id: i64,
    pub url: String,
    pub title: String,
    pub text: String,
    pub author: Option<String>,
    /// The post's revision (1 before any edit).
    pub revision: Option<i32>,
    /// When the reported content was written (UTC, RFC 3339).
    pub written_at: String,
}

/// A moderator's decision on a queue item. So far the decisions that change no content:
/// `keep` (no action), `dismiss` (off-scope or duplicate) and `escalate` (to the community
/// manager). Every decision explains itself; `version` must be the item's current one.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionForm {
    /// `keep`, `dismiss` or `escalate`.
    pub action: String,
    /// Why, in words the reporters (and later the author) will read.
    pub explanation: String,
    /// The item's version as the moderator saw it.
    pub version: i32,
}

typed_id!(DecisionId);

small_enum!(
    /// What a decision did.
    DecisionAction {
        Keep = 0 => "keep",
        Dismiss = 1 => "dismiss",
        Escalate = 2 => "escalate",
    }
);

small_enum!(
    /// What led to a decision (DSA Art. 17(3)(b)).
    DecisionSource {
        Report = 0 => "report",
        OwnInitiative = 1 => "own_initiative",
        Automated = 2 => "automated",
    }
);

/// One line of the public moderation log.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ModlogEntry {
    pub id: DecisionId,
    pub target_kind: TargetKind,
    pub target_id: i64,
    pub action: DecisionAction,
    pub source: DecisionSource,
    /// The rule cited, as `id` and `version`, when one applies.
    pub rule_id: Option<RuleId>,
    pub rule_version: Option<i32>,
    /// The explanation, shortened for the public log.
    pub summary: String,
    /// The moderator: shown to staff only.
    pub decided_by: Option<String>,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}
