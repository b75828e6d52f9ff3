//! The records of moderation: community rules and their versions.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::model::UserId;
use crate::db::schema::{rule_versions, rules};
use crate::newtypes::Flag;
use crate::newtypes::{small_enum, typed_id, Choice};

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
    pub significant: Flag,
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
            significant: v.significant.0,
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
    /// How a queue item came about.
    ItemOrigin {
        Report = 0 => "report",
        Moderator = 1 => "moderator",
        Automated = 2 => "automated",
        /// The author of moderated content edited it to ask for another review.
        Author = 3 => "author",
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
    pub origin: ItemOrigin,
}

/// Filters of the review queue (all optional).
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct QueueFilter {
    /// `post`, `thread` or `user`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Items with a report of this reason (`spam`, `abusive`, `off_topic`, `illegal`, `other`).
    #[serde(default)]
    pub reason: Option<String>,
    /// `report`, `moderator`, `automated` or `author`.
    #[serde(default)]
    pub origin: Option<String>,
    /// Only the items the moderator has claimed.
    #[serde(default, deserialize_with = "crate::forum::model::checkbox")]
    pub mine: bool,
    /// Posts and threads of this category (its slug).
    #[serde(default)]
    pub category: Option<String>,
    /// The next page: the cursor of the previous page's `Link: <…>; rel="next"` header.
    #[serde(default)]
    pub after: Option<String>,
}

/// One page of the review queue and the cursor of the next, if there is more.
#[derive(Clone, Debug, Serialize)]
pub struct QueuePage {
    pub items: Vec<ReviewItemView>,
    pub next_after: Option<String>,
}

impl QueueFilter {
    /// The query string of the page after `after`, with the same filters.
    pub fn next_query(&self, after: &str) -> String {
        let next = QueueFilter {
            after: Some(after.to_string()),
            ..self.clone()
        };
        serde_urlencoded::to_string(&next).unwrap_or_default()
    }
}

/// A report as anyone files it (logged-out reporters give an e-mail address).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct ReportForm {
    /// `post`, `thread` or `user`.
    #[schema(value_type = TargetKind)]
    pub target_kind: Choice<TargetKind>,
    pub target_id: i64,
    /// `spam`, `abusive`, `off_topic`, `illegal` or `other`.
    #[schema(value_type = ReportReason)]
    pub reason: Choice<ReportReason>,
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
    /// Most of this member's recent reports were found unfounded: one more such stretch and
    /// their reports are paused (DSA Art. 23).
    #[serde(default)]
    pub warning: bool,
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
    /// Where the post or thread stands now (`visible`, `held`, `hidden`, …).
    pub target_state: Option<crate::forum::model::ContentState>,
    /// Held for review, or hidden and resubmitted by its author: approve or reject it.
    pub held: bool,
    /// How it came to the queue: `report`, `moderator`, `automated` (watched words, a new
    /// member's first posts) or `author` (resubmitted after moderation).
    pub origin: ItemOrigin,
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

/// A moderator's decision on a queue item: `hide`, `delete`, `edit` (with the new `body`) or
/// `reject` (a held post) restrict content and must cite a rule in force (`rule_id` and
/// `rule_version`, or `rule` as `id@version`); `keep` (no action), `dismiss` (off-scope or
/// duplicate), `escalate` (to the community manager) and `approve` (a held post) do not. Every
/// decision explains itself; `version` must be the item's current one.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DecisionForm {
    /// `hide`, `delete`, `edit`, `keep`, `dismiss`, `escalate`, `approve` or `reject`.
    #[schema(value_type = DecisionAction)]
    pub action: Choice<DecisionAction>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub rule_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub rule_version: Option<i32>,
    /// The rule as `id@version` (what the review page's list sends).
    #[serde(default)]
    pub rule: Option<String>,
    /// Why, in words the reporters and the author will read.
    pub explanation: String,
    /// The post's new text, for `edit`.
    #[serde(default)]
    pub body: Option<String>,
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
        Hide = 3 => "hide",
        Delete = 4 => "delete",
        Edit = 5 => "edit",
        Approve = 6 => "approve",
        Reject = 7 => "reject",
        Warning = 8 => "warning",
        Silence = 9 => "silence",
        Suspension = 10 => "suspension",
        Ban = 11 => "ban",
        /// A keep or approve that lifted an earlier restriction (an automatic hide, a hidden
        /// post its author rewrote): shown in the log as a reversal.
        Restore = 12 => "restore",
    }
);

impl DecisionAction {
    /// Restrictive decisions cite a rule and give the person affected a statement of reasons.
    pub fn is_restrictive(self) -> bool {
        !matches!(
            self,
            DecisionAction::Keep
                | DecisionAction::Dismiss
                | DecisionAction::Escalate
                | DecisionAction::Approve
                | DecisionAction::Restore
        )
    }
}

/// What a restrictive decision applies to (DSA Art. 17(3)(a)): one post, one thread (with its
/// posts), or the member's account.
pub mod scope {
    pub const POST: &str = "post";
    pub const THREAD: &str = "thread";
    pub const ACCOUNT: &str = "account";
}

typed_id!(StatementId);
typed_id!(SanctionId);

/// A statement of reasons as the member affected reads it, with every field of DSA Art. 17(3).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StatementView {
    pub id: StatementId,
    /// The decision it explains (an appeal will point at it).
    pub decision_id: DecisionId,
    /// (a) The measure: `hide`, `delete`, `edit`, `reject`, `warning`, `silence`, `suspension`
    /// or `ban`.
    pub measure: DecisionAction,
    /// (a) Its scope: `post`, `thread` or `account`.
    pub scope: String,
    /// (a) Its duration: when it ends (absent: permanent, or no duration).
    #[serde(serialize_with = "crate::util::utc::option")]
    pub ends_at: Option<NaiveDateTime>,
    /// (b) The facts: `report`, `own_initiative` or `automated`.
    pub source: DecisionSource,
    /// (c) Whether automated means detected the content.
    pub detected_automatically: bool,
    /// (c) Whether automated means took the decision.
    pub decided_automatically: bool,
    /// (d, e) The rule, id @ version, with its number and title at that version.
    pub rule_id: Option<RuleId>,
    pub rule_version: Option<i32>,
    pub rule_number: Option<i32>,
    pub rule_title: Option<String>,
    /// (b) The moderator's explanation.
    pub explanation: String,
    /// What it is about.
    pub target_title: String,
    pub target_url: String,
    /// (f) Redress: an internal appeal until this date (180 days), then an out-of-court
    /// dispute settlement body or a court.
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub appeal_until: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

/// A sanction on a member: `warning`, `silence` (read, not post), `suspension` (only the
/// statements of reasons) or `ban`; `days` for silence and suspension. A rule in force and an
/// explanation are required.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SanctionForm {
    /// `warning`, `silence`, `suspension` or `ban`.
    #[schema(value_type = DecisionAction)]
    pub kind: Choice<DecisionAction>,
    /// 1–365, for `silence` and `suspension`.
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub days: Option<i64>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub rule_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub rule_version: Option<i32>,
    /// The rule as `id@version` (what the profile page's list sends).
    #[serde(default)]
    pub rule: Option<String>,
    pub explanation: String,
}

/// A sanction as staff see it on a member's record.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SanctionView {
    pub id: SanctionId,
    pub kind: DecisionAction,
    pub decision_id: DecisionId,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub ends_at: Option<NaiveDateTime>,
    /// Still in force.
    pub active: bool,
    pub explanation: String,
}

small_enum!(
    /// What led to a decision (DSA Art. 17(3)(b)).
    DecisionSource {
        Report = 0 => "report",
        OwnInitiative = 1 => "own_initiative",
        Automated = 2 => "automated",
        /// An appeal's reviewer reversed an earlier decision.
        Appeal = 3 => "appeal",
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
    /// The target's link, while the reader may still open it.
    pub url: Option<String>,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    /// When an appeal overturned this decision (a `restore` entry says why).
    #[serde(serialize_with = "crate::util::utc::option")]
    pub reversed_at: Option<NaiveDateTime>,
    /// The reader reported what it decided on, and may appeal it (`/appeal?decision=<id>`).
    pub appealable_by_me: bool,
}
