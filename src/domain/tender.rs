//! Aanbesteding (tender): its general set-up, its status and the rules for entering it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::deadline;
use super::lot::{Lot, LotInput};
use super::rounding::RoundingRule;
use super::scale::{Scale, ScaleInput};
use super::selection_criterion::{SelectionCriterion, SelectionCriterionInput};
use crate::errors::{Error, Problems};

/// The question deadline and the submission deadline, in that order.
pub type Deadlines = (DateTime<Utc>, DateTime<Utc>);

/// The Alcatel standstill the law asks for (art. 2.127 Aw); shorter needs a recorded reason.
pub const STANDSTILL_DAYS_DEFAULT: i32 = 20;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// Sociale en andere specifieke diensten, het verlichte regime (art. 2.39 Aw) — inburgering.
    #[default]
    SocialServices,
    /// Openbare procedure.
    Open,
    /// Niet-openbare procedure.
    Restricted,
    /// Meervoudig onderhandse procedure.
    MultipleQuotation,
}

impl Procedure {
    pub const ALL: [Procedure; 4] =
        [Procedure::SocialServices, Procedure::Open, Procedure::Restricted, Procedure::MultipleQuotation];

    pub fn as_str(self) -> &'static str {
        match self {
            Procedure::SocialServices => "social_services",
            Procedure::Open => "open",
            Procedure::Restricted => "restricted",
            Procedure::MultipleQuotation => "multiple_quotation",
        }
    }

    pub fn parse(s: &str) -> Option<Procedure> {
        Procedure::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Procedure::SocialServices => "Sociale en andere specifieke diensten (verlicht regime)",
            Procedure::Open => "Openbare procedure",
            Procedure::Restricted => "Niet-openbare procedure",
            Procedure::MultipleQuotation => "Meervoudig onderhandse procedure",
        }
    }
}

/// concept → gepubliceerd. Later stages follow from the clock and from later capabilities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenderStatus {
    Draft,
    Published,
}

impl TenderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TenderStatus::Draft => "draft",
            TenderStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<TenderStatus> {
        [TenderStatus::Draft, TenderStatus::Published].into_iter().find(|t| t.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            TenderStatus::Draft => "Concept",
            TenderStatus::Published => "Gepubliceerd",
        }
    }
}

/// The general set-up as entered through the API or a form. On creation it may carry the
/// scales, percelen and geschiktheidseisen too, so a whole tender can be posted at once.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenderInput {
    pub title: String,
    /// The tender's own reference, e.g. `WF-2027-001`.
    pub reference: String,
    #[serde(default)]
    pub procedure: Procedure,
    #[serde(default)]
    pub description: String,
    /// CBS codes of the participating gemeenten (`GM0405`).
    pub municipalities: Vec<String>,
    /// CBS code of the penvoerder, one of the participants.
    #[serde(default)]
    pub lead_municipality: Option<String>,
    /// Dutch local time to the minute (`2027-01-15T12:00`) or RFC 3339 with offset.
    pub question_deadline: String,
    /// Dutch local time to the minute (`2027-01-15T12:00`) or RFC 3339 with offset.
    pub submission_deadline: String,
    #[serde(default = "default_standstill")]
    pub standstill_days: i32,
    /// Required when the standstill is shorter than 20 days.
    #[serde(default)]
    pub standstill_reason: String,
    #[serde(default)]
    pub rounding: RoundingRule,
    /// Assessors see a bid code instead of the bidder's name (published with the tender).
    #[serde(default)]
    pub anonymous_evaluation: bool,
    /// Only on creation: scoring scales, referred to by name from the criteria.
    #[serde(default)]
    pub scales: Vec<ScaleInput>,
    /// Only on creation: the percelen with their gunningscriteria.
    #[serde(default)]
    pub lots: Vec<LotInput>,
    /// Only on creation: the geschiktheidseisen.
    #[serde(default)]
    pub selection_criteria: Vec<SelectionCriterionInput>,
}

fn default_standstill() -> i32 {
    STANDSTILL_DAYS_DEFAULT
}

/// The general set-up after validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenderFields {
    pub title: String,
    pub reference: String,
    pub procedure: Procedure,
    pub description: String,
    pub municipalities: Vec<String>,
    pub lead_municipality: Option<String>,
    pub question_deadline: DateTime<Utc>,
    pub submission_deadline: DateTime<Utc>,
    pub standstill_days: i32,
    pub standstill_reason: String,
    pub rounding: RoundingRule,
    pub anonymous_evaluation: bool,
}

impl TenderInput {
    /// Checks the general fields; `now` is the server's clock, passed in so tests can set it.
    /// `current` holds the stored question and submission deadlines when an existing tender changes.
    pub fn validate(&self, now: DateTime<Utc>, current: Option<Deadlines>) -> Result<TenderFields, Error> {
        let mut p = Problems::default();
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            p.add("title", "Geef de aanbesteding een titel.");
        } else if title.chars().count() > 200 {
            p.add("title", "De titel is hoogstens 200 tekens.");
        }
        let reference = self.reference.trim().to_owned();
        if reference.is_empty() {
            p.add("reference", "Vul het kenmerk in, bijvoorbeeld WF-2027-001.");
        } else if reference.len() > 50 || !reference.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
            p.add("reference", "Een kenmerk bestaat uit hoogstens 50 letters, cijfers en - _ . /");
        }
        let mut municipalities: Vec<String> = Vec::new();
        for code in &self.municipalities {
            let code = code.trim().to_uppercase();
            if !municipalities.contains(&code) {
                municipalities.push(code);
            }
        }
        if municipalities.is_empty() {
            p.add("municipalities", "Kies minstens één deelnemende gemeente.");
        }
        let lead_municipality =
            self.lead_municipality.as_deref().map(|c| c.trim().to_uppercase()).filter(|c| !c.is_empty());
        if let Some(lead) = &lead_municipality
            && !municipalities.contains(lead)
        {
            p.add("lead_municipality", "De penvoerder is een van de deelnemende gemeenten.");
        }
        let question = deadline::parse(&self.question_deadline).map_err(|e| p.add("question_deadline", e)).ok();
        let submission = deadline::parse(&self.submission_deadline).map_err(|e| p.add("submission_deadline", e)).ok();
        // A deadline that stays as it was may have passed: only a new one must lie ahead.
        let (kept_question, kept_submission) = current.map_or((None, None), |(q, s)| (Some(q), Some(s)));
        if let (Some(kept), Some(new)) = (kept_submission, submission)
            && kept <= now
            && new != kept
        {
            p.add("submission_deadline", "De sluitingstermijn is verstreken; die kan niet meer worden verzet.");
        }
        if let Some(s) = submission
            && s <= now
            && Some(s) != kept_submission
        {
            p.add("submission_deadline", "De sluitingstermijn ligt in het verleden.");
        }
        if let (Some(q), Some(s)) = (question, submission) {
            if q >= s {
                p.add("question_deadline", "De termijn voor vragen ligt vóór de sluitingstermijn voor inschrijvingen.");
            } else if q <= now && Some(q) != kept_question {
                p.add("question_deadline", "De termijn voor vragen ligt in het verleden.");
            }
        }
        let standstill_reason = self.standstill_reason.trim().to_owned();
        if !(1..=365).contains(&self.standstill_days) {
            p.add("standstill_days", "De Alcatel-termijn is 1 tot 365 kalenderdagen.");
        } else if self.standstill_days < STANDSTILL_DAYS_DEFAULT && standstill_reason.is_empty() {
            p.add("standstill_reason", "Een Alcatel-termijn korter dan 20 dagen vraagt een vastgelegde reden.");
        }
        let rounding = self.rounding.validate().map_err(|e| p.add("rounding.decimals", e)).ok();
        match (question, submission, rounding) {
            (Some(question_deadline), Some(submission_deadline), Some(rounding)) if p.is_empty() => Ok(TenderFields {
                title,
                reference,
                procedure: self.procedure,
                description: self.description.trim().to_owned(),
                municipalities,
                lead_municipality,
                question_deadline,
                submission_deadline,
                standstill_days: self.standstill_days,
                standstill_reason,
                rounding,
                anonymous_evaluation: self.anonymous_evaluation,
            }),
            _ => Err(Error::Validation(p.0)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct MunicipalityRef {
    pub cbs_code: String,
    pub name: String,
}

/// A tender as shown and published, with everything set up under it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Tender {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub procedure: Procedure,
    pub description: String,
    pub status: TenderStatus,
    pub municipalities: Vec<MunicipalityRef>,
    pub lead_municipality: Option<MunicipalityRef>,
    pub question_deadline: DateTime<Utc>,
    pub submission_deadline: DateTime<Utc>,
    pub standstill_days: i32,
    pub standstill_reason: String,
    pub rounding: RoundingRule,
    /// Assessors see a bid code instead of the bidder's name.
    pub anonymous_evaluation: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub scales: Vec<Scale>,
    pub lots: Vec<Lot>,
    pub selection_criteria: Vec<SelectionCriterion>,
}

impl Tender {
    /// The geschiktheidseisen a bid on this perceel must meet: the tender's own and the perceel's.
    pub fn selection_criteria_for(&self, lot: &super::lot::Lot) -> Vec<&SelectionCriterion> {
        self.selection_criteria.iter().filter(|c| c.lot.is_none_or(|n| n == lot.number)).collect()
    }

    pub fn is_draft(&self) -> bool {
        self.status == TenderStatus::Draft
    }

    /// Warnings that do not block publication but must be seen.
    pub fn standstill_warning(&self) -> Option<String> {
        (self.standstill_days < STANDSTILL_DAYS_DEFAULT).then(|| {
            format!(
                "De Alcatel-termijn van {} dagen is korter dan de wettelijke 20 dagen (art. 2.127 Aw). Reden: {}",
                self.standstill_days, self.standstill_reason
            )
        })
    }
}

#[cfg(test)]
#[path = "tender_tests.rs"]
mod tests;
