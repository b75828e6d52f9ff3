//! The records of moderation: community rules and their versions.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::model::UserId;
use crate::db::schema::{rule_versions, rules};
use crate::newtypes::typed_id;

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
    /// When the version takes effect (UTC); default now. At most a year ahead.
    #[serde(default)]
    pub effective_at: Option<NaiveDateTime>,
}

/// One piece of a diff between two versions.
#[derive(Clone, Debug, Serialize)]
pub struct DiffPart {
    /// `same`, `removed` or `added`.
    pub kind: &'static str,
    pub text: String,
}
