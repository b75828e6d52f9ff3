//! The records of the ombudsman's case file: cases (appeals against moderation decisions so
//! far) and the history of each case's states.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::model::UserId;
use crate::moderation::model::{DecisionAction, DecisionId, RuleId};
use crate::newtypes::{small_enum, typed_id, Choice};

typed_id!(CaseId);

small_enum!(
    /// What a case is about.
    CaseKind {
        /// A complaint against a moderation decision (DSA Art. 20).
        Appeal = 0 => "appeal",
        /// A member's complaint about another member's conduct.
        MemberDispute = 1 => "member_dispute",
        /// A member's complaint against the brand: a product, a repair, a refund, a policy.
        BrandDispute = 2 => "brand_dispute",
    }
);

small_enum!(
    /// Who may read an evidence item (disputes.md R-E3): the ombudsman only (the default for
    /// what a party submits), both parties, or the public in a redacted summary.
    Visibility {
        OmbudsmanOnly = 0 => "ombudsman_only",
        Parties = 1 => "parties",
        PublicRedacted = 2 => "public_redacted",
    }
);

small_enum!(
    /// Where a case stands (disputes.md §2, the Case state machine).
    CaseState {
        Submitted = 0 => "submitted",
        Acknowledged = 1 => "acknowledged",
        UnderReview = 2 => "under_review",
        /// With the community manager: no eligible moderator, the reviewer passed it on, or its
        /// deadline passed.
        Escalated = 3 => "escalated",
        Decided = 4 => "decided",
        Inadmissible = 5 => "inadmissible",
        Withdrawn = 6 => "withdrawn",
        /// A dispute in mediation: the ombudsman and both parties, confidentially.
        Mediation = 7 => "mediation",
        /// A dispute decided, its remedies being carried out.
        Enforcement = 8 => "enforcement",
        /// A dispute decided and every remedy done or waived.
        Closed = 9 => "closed",
        /// Mediation failed (or was skipped for safety): the evidence period runs to `due_at`.
        Arbitration = 10 => "arbitration",
        /// The ombudsman's draft decision, open to the parties' comments until `due_at`.
        DraftDecision = 11 => "draft_decision",
        /// A party asked for the one review of a decided case, with new information.
        ReviewRequested = 12 => "review_requested",
        /// Paused, waiting for one side (`awaiting_side`) by `due_at`; the paused stage's clock
        /// stands still meanwhile.
        AwaitingParty = 13 => "awaiting_party",
    }
);

impl CaseState {
    /// Still waiting for a decision.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            CaseState::Submitted
                | CaseState::Acknowledged
                | CaseState::UnderReview
                | CaseState::Escalated
                | CaseState::Mediation
                | CaseState::Arbitration
                | CaseState::DraftDecision
                | CaseState::ReviewRequested
                | CaseState::AwaitingParty
        )
    }
}

small_enum!(
    /// How an appeal ended (disputes.md R-P4).
    CaseOutcome {
        /// The decision stands.
        Upheld = 0 => "upheld",
        /// It stands in a lighter form (a shorter sanction, a deletion made a hide).
        Modified = 1 => "modified",
        /// It was wrong and is reversed.
        Overturned = 2 => "overturned",
        /// The appeal cannot be examined (late, or not about a decision that can be appealed).
        Inadmissible = 3 => "inadmissible",
        /// A dispute decided for the complainant.
        ForComplainant = 4 => "for_complainant",
        /// A dispute decided partly for the complainant.
        Partly = 5 => "partly",
        /// A dispute decided for the respondent.
        ForRespondent = 6 => "for_respondent",
        /// A dispute settled in mediation: both sides accepted the terms.
        Settled = 7 => "settled",
    }
);

impl CaseOutcome {
    /// The outcomes of a dispute (the others are an appeal's).
    pub fn is_for_disputes(self) -> bool {
        matches!(
            self,
            CaseOutcome::ForComplainant
                | CaseOutcome::Partly
                | CaseOutcome::ForRespondent
                | CaseOutcome::Settled
        )
    }
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = crate::db::schema::cases)]
pub struct Case {
    pub id: CaseId,
    pub kind: CaseKind,
    pub state: CaseState,
    pub complainant_id: UserId,
    pub decision_id: Option<DecisionId>,
    pub reviewer_id: Option<UserId>,
    pub summary: String,
    pub outcome: Option<CaseOutcome>,
    pub reasons: String,
    pub reason_code: Option<String>,
    pub rule_id: Option<RuleId>,
    pub rule_version: Option<i32>,
    pub version: i32,
    pub due_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub escalated_at: Option<NaiveDateTime>,
    pub decided_at: Option<NaiveDateTime>,
    pub respondent_id: Option<UserId>,
    pub department: Option<String>,
    pub desired_outcome: String,
    /// The draft decision (a `Ruling`, JSON) the parties comment on.
    pub draft: Option<String>,
    /// The final decision's findings of fact (`Vec<Finding>`, JSON).
    pub findings: String,
    /// Settlement terms proposed in mediation (`Terms`, JSON).
    pub terms: Option<String>,
    pub complainant_accepted_at: Option<NaiveDateTime>,
    pub respondent_accepted_at: Option<NaiveDateTime>,
    pub reminded_due_at: Option<NaiveDateTime>,
    pub complainant_consent_at: Option<NaiveDateTime>,
    pub respondent_consent_at: Option<NaiveDateTime>,
    /// The witnesses named in its evidence (user ids, comma-separated).
    pub witness_ids: String,
}

impl Case {
    /// Whether `user` is named as a witness in this case.
    pub fn is_witness(&self, user: UserId) -> bool {
        self.witness_ids
            .split(',')
            .any(|id| id.parse::<i64>().ok() == Some(user.0))
    }
}

/// A finding of fact of a dispute's decision, resting on evidence items of the case (R-D4).
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Finding {
    pub fact: String,
    /// The evidence items' ids (as the case lists them, `#3`).
    pub evidence: Vec<i64>,
}

/// A dispute's decision as drafted, and then as decided: outcome, reasons, rule cited,
/// findings of fact and remedies.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Ruling {
    pub outcome: String,
    pub reasons: String,
    pub rule_id: Option<i64>,
    pub rule_version: Option<i32>,
    pub findings: Vec<Finding>,
    pub remedies: Vec<super::remedies::RemedyForm>,
}

/// Settlement terms proposed in mediation: what the parties agree, and the remedies that become
/// enforcement tasks once both sides accept.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct Terms {
    pub text: String,
    #[serde(default)]
    pub remedies: Vec<super::remedies::RemedyForm>,
    /// Who proposed them (filled in by the server).
    #[serde(default)]
    pub proposed_by: String,
}

/// A dispute as a member opens it: `member_dispute` against a member (`respondent`: their
/// username) or `brand_dispute` against the brand (`respondent`: `brand`, with the
/// `department` concerned, required); what happened and the outcome wanted.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DisputeForm {
    #[schema(value_type = CaseKind)]
    pub kind: Choice<CaseKind>,
    pub respondent: String,
    #[serde(default)]
    pub department: Option<String>,
    pub summary: String,
    pub desired_outcome: String,
}

/// An evidence item: a text, and optionally a post (kept as a snapshot when submitted), with
/// who may read it (a party's item is `ombudsman_only` unless they say otherwise).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct EvidenceForm {
    pub text: String,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub post_id: Option<i64>,
    #[serde(default)]
    pub visibility: Option<String>,
    /// The username of a witness whose account this item gives (who then may not judge it).
    #[serde(default)]
    pub witness: Option<String>,
}

/// A statement in a dispute's mediation; `privileged` keeps it out of any later arbitration
/// record unless its author re-submits it.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct MessageForm {
    pub body: String,
    #[serde(default, deserialize_with = "crate::forum::model::checkbox")]
    pub privileged: bool,
}

/// A mediation statement as the parties and the ombudsman read it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MessageView {
    pub id: i64,
    pub author: String,
    pub body: String,
    pub privileged: bool,
    /// Its author put it in the arbitration record after all.
    pub resubmitted: bool,
    /// The reader wrote it (and may re-submit it while privileged).
    pub mine: bool,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

/// What an arbitration may rely on: every evidence item, and the mediation statements that are
/// not privileged or that their author re-submitted.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ArbitrationRecord {
    pub evidence: Vec<EvidenceView>,
    pub statements: Vec<MessageView>,
}

/// An evidence item as a reader of the case may see it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct EvidenceView {
    pub id: i64,
    pub submitted_by: String,
    pub text: String,
    /// The post as it was when submitted, if one was named.
    pub post: Option<crate::moderation::model::Snapshot>,
    pub digest: String,
    pub visibility: Visibility,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

/// An appeal against a decision: the statement of reasons received (`statement_id`), or, for a
/// reporter told of a decision, the decision itself (`decision_id`); with the appellant's text.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct AppealForm {
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub statement_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub decision_id: Option<i64>,
    /// Why the decision is wrong, and anything new (up to 2,000 characters).
    pub text: String,
}

/// The case an appeal opened.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Filed {
    pub case_id: CaseId,
    pub state: CaseState,
    pub url: String,
}

/// The reviewer's decision on an appeal: `upheld`, `modified` or `overturned` (or
/// `inadmissible`), with reasons; `upheld` and `modified` cite the rule (id @ version) in force;
/// `modified` shortens a sanction to `days` from its start, or makes a deletion a hide.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CaseDecisionForm {
    #[schema(value_type = CaseOutcome)]
    pub outcome: Choice<CaseOutcome>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub rule_id: Option<i64>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub rule_version: Option<i32>,
    /// The rule as `id@version` (what the page's list sends).
    #[serde(default)]
    pub rule: Option<String>,
    pub reasons: String,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub days: Option<i64>,
    /// A dispute's remedies, each an enforcement task.
    #[serde(default)]
    pub remedies: Vec<super::remedies::RemedyForm>,
    /// One remedy from the page's form (the API sends `remedies`).
    #[serde(default)]
    pub remedy_kind: Option<String>,
    #[serde(default)]
    pub remedy_description: Option<String>,
    #[serde(default)]
    pub remedy_owner: Option<String>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub remedy_due_days: Option<i64>,
    /// The case's version as read (optional; a stale one is refused).
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub version: Option<i32>,
    /// A dispute's findings of fact, each citing evidence ids (R-D4).
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// The page's findings: one per line, citing evidence as `#3`.
    #[serde(default)]
    pub findings_text: Option<String>,
}

/// A move of a case that is not a decision, with a reason: `escalated` (an appeal's reviewer
/// passes it to the community manager), `withdrawn` (the complainant, before a decision),
/// `mediation`, `arbitration` (also granting a review), `awaiting_party` (with `party` and
/// `days`), `resume`, `extend` (the arbitration's date, once, with `days`), `decided` (refusing
/// a review) or `closed` (a dispute whose tasks are all settled).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct TransitionForm {
    pub to: String,
    pub reason: String,
    /// For `awaiting_party`: the side awaited, `complainant` or `respondent`.
    #[serde(default)]
    pub party: Option<String>,
    /// For `awaiting_party`: the days that side has to answer (1–30; 5 when not given); for
    /// `extend`: the days added to the arbitration's date (30 when not given; 90 days at most
    /// in all).
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub days: Option<i64>,
}

/// The decision an appeal is about, as the case shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AppealedDecision {
    pub id: DecisionId,
    pub action: DecisionAction,
    pub explanation: String,
    pub rule_id: Option<RuleId>,
    pub rule_version: Option<i32>,
    pub target_title: String,
    pub target_url: Option<String>,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub decided_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub reversed_at: Option<NaiveDateTime>,
}

/// One step in a case's history.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CaseEventView {
    pub from_state: Option<CaseState>,
    pub to_state: CaseState,
    /// Who moved it (absent: the system). Moderators' names are shown to staff only.
    pub actor: Option<String>,
    pub note: String,
    pub automated: bool,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

/// A case as its parties, its reviewer and the ombudsman read it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    pub id: CaseId,
    pub kind: CaseKind,
    pub state: CaseState,
    pub version: i32,
    pub complainant: String,
    /// The reviewer's name (shown to staff; the appellant sees "a moderator" or "the community
    /// manager").
    pub reviewer: Option<String>,
    pub reviewer_is_ombudsman: bool,
    pub summary: String,
    pub outcome: Option<CaseOutcome>,
    pub reasons: String,
    /// Why the system decided it (`late`), when it did.
    pub reason_code: Option<String>,
    pub rule_id: Option<RuleId>,
    pub rule_version: Option<i32>,
    pub decision: Option<AppealedDecision>,
    /// The next redress step after this outcome: `ombudsman` (the community manager reviews a
    /// moderator's outcome), then `out_of_court` and `court`.
    pub next_steps: Vec<String>,
    /// When a decision is due (the clock of the current stage).
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub due_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub decided_at: Option<NaiveDateTime>,
    pub history: Vec<CaseEventView>,
    /// The respondent of a dispute: a member's name, or `brand` (with its department).
    pub respondent: Option<String>,
    pub department: Option<String>,
    pub desired_outcome: String,
    /// The evidence the reader may see.
    pub evidence: Vec<EvidenceView>,
    /// The mediation conversation (parties and the ombudsman).
    pub messages: Vec<MessageView>,
    /// A decided dispute's enforcement tasks.
    pub tasks: Vec<super::remedies::TaskView>,
    /// The reader judges this dispute (may waive tasks).
    pub can_judge: bool,
    /// The reader may write in the mediation (a party or the ombudsman, while in mediation).
    pub can_message: bool,
    /// The reader may add evidence (a party or the ombudsman, while the case is open).
    pub can_add_evidence: bool,
    /// The reader (the ombudsman of a dispute) may open mediation.
    pub can_mediate: bool,
    /// The reader may decide it now.
    pub can_decide: bool,
    /// The reader is the appellant and may withdraw it.
    pub can_withdraw: bool,
    /// The draft decision the parties comment on (in `draft_decision` and after).
    pub draft: Option<Ruling>,
    /// The final decision's findings of fact.
    pub findings: Vec<Finding>,
    /// The comments on the draft decision.
    pub comments: Vec<MessageView>,
    /// Settlement terms proposed in mediation, and which sides accepted them.
    pub terms: Option<Terms>,
    pub complainant_accepted: bool,
    pub respondent_accepted: bool,
    /// Review requests and their answers.
    pub reviews: Vec<ReviewView>,
    /// In a dispute with the brand, the ombudsman works for the brand (disclosed to the member).
    pub ombudsman_affiliated: bool,
    /// The fallback arbiter configured, if any (offered in disputes with the brand).
    pub fallback_arbiter: Option<String>,
    /// On the public decisions page.
    pub published: bool,
    pub can_arbitrate: bool,
    pub can_draft: bool,
    pub can_comment: bool,
    pub can_propose_terms: bool,
    pub can_accept_terms: bool,
    pub can_request_review: bool,
    pub can_answer_review: bool,
    pub can_ask_fallback: bool,
    pub can_consent: bool,
    pub can_publish: bool,
    /// The side a paused case waits for (`complainant` or `respondent`), and the notices sent.
    pub awaiting: Option<String>,
    pub notices_sent: i16,
    pub can_pause: bool,
    pub can_resume: bool,
    /// The arbitration's decision date and cap, once the case went to arbitration.
    pub arbitration: Option<super::arbitration_clock::ArbitrationClock>,
    pub can_extend: bool,
}

/// A review request and its answer.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    /// `complainant` or `respondent`.
    pub side: String,
    pub text: String,
    pub answer: Option<String>,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub answered_at: Option<NaiveDateTime>,
}

/// A line of the case desk.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CaseSummary {
    pub id: CaseId,
    pub kind: CaseKind,
    pub state: CaseState,
    pub outcome: Option<CaseOutcome>,
    pub summary: String,
    /// The reader's role in it: `appellant`, `reviewer` or `ombudsman`.
    pub role: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub due_at: NaiveDateTime,
    /// Past its deadline and still open.
    pub overdue: bool,
    /// The reader is assigned to it but is a party to it or a witness in it.
    pub conflict: bool,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}
