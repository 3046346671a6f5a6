//! Geschiktheid (suitability): what the service proposes for each knock-out of a bid — the
//! exclusion grounds (a UEA for every party), the KvK-nummers and every geschiktheidseis — with
//! its reason. The inkoper decides; a proposal only saves checking dates by hand.

use chrono::{DateTime, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::bid::BidContent;
use super::company::kvk_number;
use super::deadline;
use super::selection_criterion::{SelectionCriterion, ValidityRule};

/// What is assessed: stored as `exclusion_grounds`, `kvk` or `criterion:<id>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub struct Subject(pub String);

impl Subject {
    pub fn exclusion_grounds() -> Subject {
        Subject("exclusion_grounds".into())
    }

    pub fn kvk() -> Subject {
        Subject("kvk".into())
    }

    pub fn criterion(id: i64) -> Subject {
        Subject(format!("criterion:{id}"))
    }
}

/// The service's proposal for one subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Proposal {
    pub subject: Subject,
    pub title: String,
    /// `Some(true)`: meets it; `Some(false)`: does not; `None`: the data do not tell.
    pub passes: Option<bool>,
    pub reason: String,
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

fn nl(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// Every subject of the bid with the service's proposal, in a fixed order: exclusion grounds,
/// KvK, then the geschiktheidseisen as published.
pub fn propose(deadline_at: DateTime<chrono::Utc>, criteria: &[&SelectionCriterion], c: &BidContent) -> Vec<Proposal> {
    let closing = deadline::to_local(deadline_at).date_naive();
    let undeclared: Vec<&str> =
        c.members.iter().filter(|m| !m.no_exclusion_grounds).map(|m| m.company_name.as_str()).collect();
    let mut out = vec![Proposal {
        subject: Subject::exclusion_grounds(),
        title: "Uitsluitingsgronden (UEA)".into(),
        passes: Some(undeclared.is_empty() && !c.members.is_empty()),
        reason: if c.members.is_empty() {
            "De inschrijving noemt geen partijen.".into()
        } else if undeclared.is_empty() {
            format!("Elke partij ({}) heeft de eigen verklaring afgelegd.", c.members.len())
        } else {
            format!("Zonder eigen verklaring: {}.", undeclared.join(", "))
        },
    }];
    let bad_kvk: Vec<String> = c
        .members
        .iter()
        .filter(|m| kvk_number(&m.kvk_number).is_err())
        .map(|m| format!("{} ('{}')", m.company_name, m.kvk_number))
        .collect();
    out.push(Proposal {
        subject: Subject::kvk(),
        title: "KvK-nummers".into(),
        passes: Some(bad_kvk.is_empty() && !c.members.is_empty()),
        reason: if bad_kvk.is_empty() {
            "Elke partij heeft een KvK-nummer van 8 cijfers.".into()
        } else {
            format!("Geen geldig KvK-nummer: {}.", bad_kvk.join(", "))
        },
    });
    for cr in criteria {
        let e = c.evidence.get(&cr.id).cloned().unwrap_or_default();
        let (passes, reason) = if e.reference.trim().is_empty() {
            (Some(false), "Er is geen bewijs opgegeven.".to_owned())
        } else {
            match cr.validity_rule {
                ValidityRule::EndDateAfterDeadline => match date(&e.valid_until) {
                    Some(end) if end > closing => {
                        (Some(true), format!("Geldig tot {}, na de sluitingsdatum {}.", nl(end), nl(closing)))
                    }
                    Some(end) => {
                        (Some(false), format!("Geldig tot {}, niet na de sluitingsdatum {}.", nl(end), nl(closing)))
                    }
                    None => (Some(false), "De einddatum van de geldigheid ontbreekt of is onleesbaar.".into()),
                },
                ValidityRule::MaxAgeAtDeadline => {
                    let months = cr.validity_months.unwrap_or(0).max(0) as u32;
                    let oldest = closing.checked_sub_months(Months::new(months)).unwrap_or(closing);
                    match date(&e.issued_on) {
                        Some(issued) if issued > closing => {
                            (Some(false), format!("Afgegeven op {}, na de sluitingsdatum.", nl(issued)))
                        }
                        Some(issued) if issued >= oldest => (
                            Some(true),
                            format!("Afgegeven op {}, niet ouder dan {months} maanden op {}.", nl(issued), nl(closing)),
                        ),
                        Some(issued) => (
                            Some(false),
                            format!(
                                "Afgegeven op {}: ouder dan {months} maanden op {} (grens {}).",
                                nl(issued),
                                nl(closing),
                                nl(oldest)
                            ),
                        ),
                        None => (Some(false), "De datum van afgifte ontbreekt of is onleesbaar.".into()),
                    }
                }
                ValidityRule::None => (None, format!("Bewijs: '{}'. Beoordeel het zelf.", e.reference.trim())),
            }
        };
        out.push(Proposal { subject: Subject::criterion(cr.id), title: cr.title.clone(), passes, reason });
    }
    out
}

#[cfg(test)]
#[path = "suitability_tests.rs"]
mod tests;
