//! The transparency report (DSA Art. 15 and 24; disputes.md R-T1–R-T3) for a chosen period:
//! notices by reason and source and the median time to a decision; restrictive decisions by
//! measure, basis and source, and the automated share; own-initiative decisions; appeals by
//! the measure appealed, their outcomes, median time and reversals; sanctions; the community's
//! figures (cases by kind and outcome, deadlines met); members who took part. Every count from
//! 1 to 4 is suppressed (shown as "fewer than 5"), and so is a median or share computed over
//! fewer than 5 items; no personal data is in it. What Tertulia does not record yet is listed
//! as not tracked rather than as zero.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{CaseId, CaseKind, CaseOutcome, CaseState};
use crate::db::schema::{case_tasks, cases, decisions, posts, reports, sanctions};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::moderation::model::{DecisionAction, DecisionSource, ReportReason};
use crate::newtypes::Lenient;

/// Cells under this are suppressed (R-T3).
pub const SMALLEST_CELL: i64 = 5;

/// The period asked for: `from` and `to` as dates (UTC), both included; by default the last
/// 365 days.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct Period {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// One figure of the report.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Figure {
    /// `notices`, `actions`, `own_initiative`, `appeals`, `sanctions`, `community`,
    /// `recipients` or `external`.
    pub section: String,
    /// What is counted, e.g. `reason.spam`, `measure.hide`, `outcome.overturned`.
    pub key: String,
    /// The value; absent when suppressed or not tracked.
    pub value: Option<f64>,
    /// `count`, `hours`, `days` or `share` (0 to 1).
    pub unit: String,
    /// A count from 1 to 4, or a median or share over fewer than 5 items.
    pub suppressed: bool,
    /// Not recorded by Tertulia yet.
    pub not_tracked: bool,
}

/// The report: its period and figures, in a stable order.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub figures: Vec<Figure>,
}

impl Report {
    /// The report as CSV: a header and one line per figure (the texts are identifiers, so
    /// nothing needs quoting).
    pub fn csv(&self) -> String {
        let mut out = String::from("section,key,value,unit,suppressed,not_tracked\n");
        for f in &self.figures {
            out.push_str(&format!(
                "{},{},{},{},{},{}\n",
                f.section,
                f.key,
                f.value.map(|v| v.to_string()).unwrap_or_default(),
                f.unit,
                f.suppressed,
                f.not_tracked
            ));
        }
        out
    }
}

struct Builder {
    figures: Vec<Figure>,
}

impl Builder {
    fn count(&mut self, section: &str, key: &str, n: i64) {
        let suppressed = n > 0 && n < SMALLEST_CELL;
        self.figures.push(Figure {
            section: section.into(),
            key: key.into(),
            value: (!suppressed).then_some(n as f64),
            unit: "count".into(),
            suppressed,
            not_tracked: false,
        });
    }

    /// A median or share over `over` items: suppressed when fewer than 5.
    fn measure(&mut self, section: &str, key: &str, unit: &str, value: Option<f64>, over: usize) {
        let suppressed = over > 0 && (over as i64) < SMALLEST_CELL;
        self.figures.push(Figure {
            section: section.into(),
            key: key.into(),
            value: if suppressed {
                None
            } else {
                value.map(|v| (v * 100.0).round() / 100.0)
            },
            unit: unit.into(),
            suppressed,
            not_tracked: false,
        });
    }

    fn untracked(&mut self, section: &str, key: &str) {
        self.figures.push(Figure {
            section: section.into(),
            key: key.into(),
            value: None,
            unit: "count".into(),
            suppressed: false,
            not_tracked: true,
        });
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 0 {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

fn hours(from: NaiveDateTime, to: NaiveDateTime) -> f64 {
    (to - from).num_seconds() as f64 / 3600.0
}

/// Reads the period: dates as `YYYY-MM-DD`, `from` not after `to`, at most three years.
pub fn period(query: &Period, today: NaiveDate) -> AppResult<(NaiveDate, NaiveDate)> {
    let parse = |field: &str, text: &Option<String>| -> AppResult<Option<NaiveDate>> {
        match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::invalid_field(field, "error-transparency-date")),
        }
    };
    let to = parse("to", &query.to)?.unwrap_or(today);
    let from = parse("from", &query.from)?.unwrap_or(to - chrono::Duration::days(364));
    if from > to || (to - from).num_days() > 3 * 366 {
        return Err(AppError::invalid_field("from", "error-transparency-period"));
    }
    Ok((from, to))
}

/// Computes the report for `from`..=`to`.
/// SLA attainment per stage of the cases filed in the period (R-T2, R-S2, R-S3): acknowledged
/// within a day (appeals) or two (disputes); mediation over within its 20 days (time spent
/// waiting for a party does not count); arbitration decided by its date (after any
/// extension). A stage still running within its time is not counted yet.
fn stage_slas(
    conn: &mut DbConnection,
    b: &mut Builder,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> AppResult<()> {
    use crate::db::schema::{case_arbitrations, case_events};
    let at = crate::util::now();
    let acks: Vec<(CaseKind, NaiveDateTime, Option<NaiveDateTime>)> = cases::table
        .filter(cases::created_at.ge(start))
        .filter(cases::created_at.lt(end))
        .select((cases::kind, cases::created_at, cases::acknowledged_at))
        .load(conn)?;
    let acked = acks.iter().filter(|a| {
        let limit = if a.0 == CaseKind::Appeal { 1 } else { 2 };
        a.2.is_some_and(|t| t <= a.1 + chrono::Duration::days(limit))
    });
    let share = (!acks.is_empty()).then(|| acked.count() as f64 / acks.len() as f64);
    b.measure(
        "community",
        "sla.acknowledgement",
        "share",
        share,
        acks.len(),
    );

    // Time in mediation per case, from its history.
    let events: Vec<(CaseId, Option<CaseState>, CaseState, NaiveDateTime)> = case_events::table
        .inner_join(cases::table)
        .filter(cases::created_at.ge(start))
        .filter(cases::created_at.lt(end))
        .filter(cases::kind.ne(CaseKind::Appeal))
        .order((case_events::case_id.asc(), case_events::id.asc()))
        .select((
            case_events::case_id,
            case_events::from_state,
            case_events::to_state,
            case_events::created_at,
        ))
        .load(conn)?;
    // Per case: time spent in mediation, whether it ended, since when it runs now.
    let mut mediation: BTreeMap<i64, (chrono::Duration, bool, Option<NaiveDateTime>)> =
        BTreeMap::new();
    for (case, from, to, when) in &events {
        let entry = mediation
            .entry(case.0)
            .or_insert((chrono::Duration::zero(), false, None));
        if *to == CaseState::Mediation && *from != Some(CaseState::Mediation) {
            entry.2 = Some(*when);
        } else if *from == Some(CaseState::Mediation) && *to != CaseState::Mediation {
            if let Some(since) = entry.2.take() {
                entry.0 += *when - since;
            }
            // Waiting for a party pauses mediation; any other move ends it.
            entry.1 |= *to != CaseState::AwaitingParty;
        }
    }
    let limit = chrono::Duration::days(super::disputes::MEDIATION_DAYS);
    let mut met = 0;
    let mut counted = 0;
    for (spent, ended, running) in mediation.values() {
        let spent = *spent + running.map_or(chrono::Duration::zero(), |since| at - since);
        if spent > limit {
            counted += 1;
        } else if *ended {
            counted += 1;
            met += 1;
        }
    }
    let share = (counted > 0).then(|| f64::from(met) / f64::from(counted));
    b.measure(
        "community",
        "sla.mediation",
        "share",
        share,
        counted as usize,
    );

    let arbitrations: Vec<(NaiveDateTime, Option<NaiveDateTime>)> = case_arbitrations::table
        .inner_join(cases::table)
        .filter(cases::created_at.ge(start))
        .filter(cases::created_at.lt(end))
        .select((case_arbitrations::decide_by, cases::decided_at))
        .load(conn)?;
    let due: Vec<_> = arbitrations
        .iter()
        .filter(|(by, decided)| decided.is_some() || *by < at)
        .collect();
    let in_time = due
        .iter()
        .filter(|(by, decided)| decided.is_some_and(|d| d <= *by))
        .count();
    let share = (!due.is_empty()).then(|| in_time as f64 / due.len() as f64);
    b.measure("community", "sla.arbitration", "share", share, due.len());
    Ok(())
}

pub fn report(conn: &mut DbConnection, from: NaiveDate, to: NaiveDate) -> AppResult<Report> {
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = (to + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default();
    let mut b = Builder { figures: vec![] };

    // Notices (reports): by reason and by source, and the time to the first decision after each.
    let notices: Vec<(i64, ReportReason, Option<i64>, NaiveDateTime)> = reports::table
        .filter(reports::created_at.ge(start))
        .filter(reports::created_at.lt(end))
        .select((
            reports::item_id,
            reports::reason,
            reports::reporter_id,
            reports::created_at,
        ))
        .load(conn)?;
    b.count("notices", "total", notices.len() as i64);
    for reason in ReportReason::ALL {
        let n = notices.iter().filter(|r| r.1 == *reason).count() as i64;
        b.count("notices", &format!("reason.{}", reason.as_str()), n);
    }
    let members = notices.iter().filter(|r| r.2.is_some()).count() as i64;
    b.count("notices", "source.member", members);
    b.count(
        "notices",
        "source.anonymous",
        notices.len() as i64 - members,
    );
    let items: Vec<i64> = notices.iter().map(|r| r.0).collect();
    let decided: Vec<(Option<i64>, NaiveDateTime)> = if items.is_empty() {
        vec![]
    } else {
        let mut found = vec![];
        for chunk in items.chunks(1_000) {
            let chunk: Vec<Option<i64>> = chunk.iter().map(|i| Some(*i)).collect();
            found.extend(
                decisions::table
                    .filter(decisions::item_id.eq_any(chunk))
                    .filter(decisions::action.ne(DecisionAction::Escalate))
                    .select((decisions::item_id, decisions::created_at))
                    .load::<(
                        Option<crate::moderation::model::ReviewItemId>,
                        NaiveDateTime,
                    )>(conn)?
                    .into_iter()
                    .map(|(i, at)| (i.map(|i| i.0), at)),
            );
        }
        found
    };
    let waits: Vec<f64> = notices
        .iter()
        .filter_map(|(item, _, _, at)| {
            decided
                .iter()
                .filter(|(i, d)| *i == Some(*item) && d >= at)
                .map(|(_, d)| *d)
                .min()
                .map(|d| hours(*at, d))
        })
        .collect();
    let over = waits.len();
    b.measure(
        "notices",
        "median_time_to_decision",
        "hours",
        median(waits),
        over,
    );

    // Restrictive decisions (including sanctions): by measure, basis, source; automated share.
    let taken: Vec<(
        DecisionAction,
        DecisionSource,
        Option<crate::moderation::model::RuleId>,
        i16,
    )> = decisions::table
        .filter(decisions::created_at.ge(start))
        .filter(decisions::created_at.lt(end))
        .select((
            decisions::action,
            decisions::source,
            decisions::rule_id,
            decisions::detected_automatically,
        ))
        .load(conn)?;
    let restrictive: Vec<_> = taken.iter().filter(|d| d.0.is_restrictive()).collect();
    b.count("actions", "total", restrictive.len() as i64);
    for action in DecisionAction::ALL.iter().filter(|a| a.is_restrictive()) {
        let n = restrictive.iter().filter(|d| d.0 == *action).count() as i64;
        b.count("actions", &format!("measure.{}", action.as_str()), n);
    }
    let by_rule = restrictive.iter().filter(|d| d.2.is_some()).count() as i64;
    b.count("actions", "basis.rule", by_rule);
    b.untracked("actions", "basis.law");
    for source in [
        DecisionSource::Report,
        DecisionSource::OwnInitiative,
        DecisionSource::Automated,
    ] {
        let n = restrictive.iter().filter(|d| d.1 == source).count() as i64;
        b.count("actions", &format!("source.{}", source.as_str()), n);
    }
    let automated = restrictive
        .iter()
        .filter(|d| d.1 == DecisionSource::Automated)
        .count();
    let share = (!restrictive.is_empty()).then(|| automated as f64 / restrictive.len() as f64);
    b.measure(
        "actions",
        "automated_share",
        "share",
        share,
        restrictive.len(),
    );
    let reversals = taken
        .iter()
        .filter(|d| d.0 == DecisionAction::Restore && d.1 == DecisionSource::Appeal)
        .count() as i64;
    b.count("actions", "reversed_on_appeal", reversals);

    // Own-initiative decisions by measure and detection.
    let own: Vec<_> = restrictive
        .iter()
        .filter(|d| d.1 == DecisionSource::OwnInitiative)
        .collect();
    for action in DecisionAction::ALL.iter().filter(|a| a.is_restrictive()) {
        let n = own.iter().filter(|d| d.0 == *action).count() as i64;
        b.count("own_initiative", &format!("measure.{}", action.as_str()), n);
    }
    let detected = own.iter().filter(|d| d.3 != 0).count() as i64;
    b.count("own_initiative", "detection.automated", detected);
    b.count(
        "own_initiative",
        "detection.human",
        own.len() as i64 - detected,
    );

    // Appeals filed in the period, by the measure appealed; those decided, by outcome.
    type CaseRow = (
        CaseKind,
        CaseState,
        Option<CaseOutcome>,
        Option<crate::moderation::model::DecisionId>,
        NaiveDateTime,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let filed: Vec<CaseRow> = cases::table
        .filter(cases::created_at.ge(start))
        .filter(cases::created_at.lt(end))
        .select((
            cases::kind,
            cases::state,
            cases::outcome,
            cases::decision_id,
            cases::created_at,
            cases::due_at,
            cases::decided_at,
            cases::escalated_at,
        ))
        .load(conn)?;
    let appeals: Vec<&CaseRow> = filed.iter().filter(|c| c.0 == CaseKind::Appeal).collect();
    b.count("appeals", "total", appeals.len() as i64);
    let appealed: Vec<crate::moderation::model::DecisionId> =
        appeals.iter().filter_map(|c| c.3).collect();
    let measures: BTreeMap<i64, DecisionAction> = if appealed.is_empty() {
        BTreeMap::new()
    } else {
        decisions::table
            .filter(decisions::id.eq_any(&appealed))
            .select((decisions::id, decisions::action))
            .load::<(crate::moderation::model::DecisionId, DecisionAction)>(conn)?
            .into_iter()
            .map(|(id, a)| (id.0, a))
            .collect()
    };
    for action in DecisionAction::ALL
        .iter()
        .filter(|a| **a != DecisionAction::Escalate)
    {
        let n = appeals
            .iter()
            .filter(|c| c.3.and_then(|d| measures.get(&d.0)) == Some(action))
            .count() as i64;
        b.count("appeals", &format!("basis.{}", action.as_str()), n);
    }
    for outcome in CaseOutcome::ALL {
        let n = appeals.iter().filter(|c| c.2 == Some(*outcome)).count() as i64;
        b.count("appeals", &format!("outcome.{}", outcome.as_str()), n);
    }
    let open = appeals.iter().filter(|c| c.1.is_open()).count() as i64;
    b.count("appeals", "open", open);
    let times: Vec<f64> = appeals
        .iter()
        .filter(|c| c.1 == CaseState::Decided)
        .filter_map(|c| c.6.map(|d| hours(c.4, d) / 24.0))
        .collect();
    let over = times.len();
    b.measure(
        "appeals",
        "median_time_to_decision",
        "days",
        median(times),
        over,
    );

    // Sanctions imposed in the period (DSA Art. 23: suspensions, with warnings first).
    let imposed: Vec<Lenient<DecisionAction>> = sanctions::table
        .filter(sanctions::created_at.ge(start))
        .filter(sanctions::created_at.lt(end))
        .select(sanctions::kind)
        .load(conn)?;
    for kind in [
        DecisionAction::Warning,
        DecisionAction::Silence,
        DecisionAction::Suspension,
        DecisionAction::Ban,
    ] {
        let n = imposed.iter().filter(|k| k.0 == Some(kind)).count() as i64;
        b.count("sanctions", kind.as_str(), n);
    }
    b.untracked("sanctions", "notice_processing_paused");
    b.untracked("sanctions", "complaint_processing_paused");

    // The community's figures (R-T2): cases by kind, deadlines met, escalations.
    for kind in CaseKind::ALL {
        let n = filed.iter().filter(|c| c.0 == *kind).count() as i64;
        b.count("community", &format!("cases.{}", kind.as_str()), n);
    }
    let decided: Vec<&CaseRow> = filed
        .iter()
        .filter(|c| c.7.is_none() && c.6.is_some())
        .collect();
    let in_time = decided.iter().filter(|c| c.6 <= Some(c.5)).count();
    let share = (!decided.is_empty()).then(|| in_time as f64 / decided.len() as f64);
    b.measure(
        "community",
        "decided_by_reviewer_in_time",
        "share",
        share,
        decided.len(),
    );
    let escalated = filed.iter().filter(|c| c.7.is_some()).count() as i64;
    b.count("community", "escalated_to_ombudsman", escalated);
    let brand: Vec<&CaseRow> = filed
        .iter()
        .filter(|c| c.0 == CaseKind::BrandDispute && c.2.is_some())
        .collect();
    let for_member = brand
        .iter()
        .filter(|c| matches!(c.2, Some(CaseOutcome::ForComplainant | CaseOutcome::Partly)))
        .count();
    let share = (!brand.is_empty()).then(|| for_member as f64 / brand.len() as f64);
    b.measure(
        "community",
        "brand_cases_decided_for_member",
        "share",
        share,
        brand.len(),
    );
    stage_slas(conn, &mut b, start, end)?;
    // Remedies due in the period: done in time, and the brand's missed ones.
    type TaskRow = (
        Option<crate::accounts::model::UserId>,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    );
    let due: Vec<TaskRow> = case_tasks::table
        .filter(case_tasks::due_at.ge(start))
        .filter(case_tasks::due_at.lt(end.min(crate::util::now())))
        .select((
            case_tasks::owner_id,
            case_tasks::due_at,
            case_tasks::done_at,
            case_tasks::waived_at,
        ))
        .load(conn)?;
    let counted: Vec<_> = due.iter().filter(|t| t.3.is_none()).collect();
    let in_time = counted
        .iter()
        .filter(|t| t.2.is_some_and(|d| d <= t.1))
        .count();
    let share = (!counted.is_empty()).then(|| in_time as f64 / counted.len() as f64);
    b.measure(
        "community",
        "remedies_fulfilled_on_time",
        "share",
        share,
        counted.len(),
    );
    let missed = counted
        .iter()
        .filter(|t| t.0.is_none() && t.2.is_none_or(|d| d > t.1))
        .count() as i64;
    b.count("community", "brand_remedies_missed", missed);

    // Members who took part (wrote, or reported while signed in).
    let writers: i64 = posts::table
        .filter(posts::created_at.ge(start))
        .filter(posts::created_at.lt(end))
        .select(diesel::dsl::count(posts::author_id).aggregate_distinct())
        .first(conn)?;
    b.count("recipients", "members_who_posted", writers);

    // Out-of-court disputes (DSA Art. 21) are not recorded yet.
    b.untracked("external", "out_of_court_disputes");

    Ok(Report {
        from,
        to,
        figures: b.figures,
    })
}
