//! Inschrijving (bid): what an aanbieder enters per perceel, when it may be submitted, and the
//! deadline rule. Drafts keep what was typed as typed; formats are checked when submitting.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::award_criterion::QualityCriterion;
use super::company::kvk_number;
use super::lot::Lot;
use super::price_sheet::Workbook;
use super::selection_criterion::{SelectionCriterion, ValidityRule};
use super::tender::Tender;
use crate::errors::FieldError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BidStatus {
    /// Being prepared; not submitted.
    Draft,
    /// Submitted: the last submission counts.
    Submitted,
    /// Withdrawn by the bidder; not submitted until submitted again.
    Withdrawn,
}

impl BidStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BidStatus::Draft => "draft",
            BidStatus::Submitted => "submitted",
            BidStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<BidStatus> {
        [BidStatus::Draft, BidStatus::Submitted, BidStatus::Withdrawn].into_iter().find(|b| b.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            BidStatus::Draft => "Concept – niet ingediend",
            BidStatus::Submitted => "Ingediend",
            BidStatus::Withdrawn => "Ingetrokken – niet ingediend",
        }
    }
}

/// One party of the bid: the bidder itself, or a member of its combination.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Member {
    pub company_name: String,
    pub kvk_number: String,
    /// The UEA: this party declares that no exclusion ground applies to it.
    pub no_exclusion_grounds: bool,
    /// Remarks with the declaration (self-cleaning measures, for example).
    pub remarks: String,
}

/// The evidence for one geschiktheidseis, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Evidence {
    /// Certificate number, document name or description.
    pub reference: String,
    /// Date of issue (`2026-05-01`), for a rule "not older than".
    pub issued_on: String,
    /// End of validity (`2028-01-01`), for a rule "valid after the deadline".
    pub valid_until: String,
}

/// Everything a bidder enters, sealed in the vault as one JSON document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BidContent {
    /// The bidder first (penvoerder of a combination), then the other members.
    pub members: Vec<Member>,
    /// Per geschiktheidseis id.
    pub evidence: BTreeMap<i64, Evidence>,
    /// Per quality criterion id: the answer.
    pub answers: BTreeMap<i64, String>,
}

impl BidContent {
    pub fn is_combination(&self) -> bool {
        self.members.len() > 1
    }
}

fn date(name: &str, text: &str, problems: &mut Vec<FieldError>, what: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        problems.push(FieldError::new(name, format!("Vul de {what} in als datum (jjjj-mm-dd).")));
    }
    parsed
}

/// Where a bid stands with its prijzenblad.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prices {
    /// The perceel has a fixed price: no prijzenblad.
    NotAsked,
    Missing,
    /// Read from a sheet of an earlier version of the tender (before a correction).
    Outdated,
    /// Read, but not yet confirmed by the bidder.
    Unconfirmed,
    Confirmed,
}

impl Prices {
    /// From the perceel, the kenmerk of the tender's current sheet, and the stored prices'
    /// kenmerk with whether they were confirmed.
    pub fn of(asked: bool, current: &str, stored: Option<(&str, bool)>) -> Prices {
        match stored {
            _ if !asked => Prices::NotAsked,
            None => Prices::Missing,
            Some((kenmerk, _)) if kenmerk != current => Prices::Outdated,
            Some((_, false)) => Prices::Unconfirmed,
            Some((_, true)) => Prices::Confirmed,
        }
    }
}

/// What still stands in the way of submitting; empty when the bid is complete.
pub fn missing(
    content: &BidContent,
    criteria: &[&SelectionCriterion],
    questions: &[QualityCriterion],
    prices: Prices,
) -> Vec<FieldError> {
    let mut p = Vec::new();
    match prices {
        Prices::NotAsked | Prices::Confirmed => {}
        Prices::Missing => p.push(FieldError::new("price_sheet", "Upload het ingevulde prijzenblad voor dit perceel.")),
        Prices::Outdated => p.push(FieldError::new(
            "price_sheet",
            "Het prijzenblad hoort bij een eerdere versie van dit perceel: trek de inschrijving zo nodig in, download het prijzenblad opnieuw, vul het in en upload het.",
        )),
        Prices::Unconfirmed => {
            p.push(FieldError::new("price_sheet", "Controleer de prijzen uit het prijzenblad en bevestig ze."))
        }
    }
    if content.members.is_empty() {
        p.push(FieldError::new("members", "Vul de gegevens van uw bedrijf in."));
    }
    for (i, m) in content.members.iter().enumerate() {
        let field = |f: &str| format!("members[{i}].{f}");
        if m.company_name.trim().is_empty() {
            p.push(FieldError::new(field("company_name"), "Vul de naam van deze partij in."));
        }
        if let Err(e) = kvk_number(&m.kvk_number) {
            p.push(FieldError::new(field("kvk_number"), e));
        }
        if !m.no_exclusion_grounds {
            p.push(FieldError::new(
                field("no_exclusion_grounds"),
                format!(
                    "{}: bevestig de eigen verklaring (UEA) dat geen uitsluitingsgrond van toepassing is.",
                    m.company_name.trim()
                ),
            ));
        }
    }
    for c in criteria {
        let field = |f: &str| format!("evidence[{}].{f}", c.id);
        let e = content.evidence.get(&c.id).cloned().unwrap_or_default();
        if e.reference.trim().is_empty() {
            p.push(FieldError::new(field("reference"), format!("{}: vul het bewijs in ({}).", c.title, c.evidence)));
        }
        match c.validity_rule {
            ValidityRule::MaxAgeAtDeadline => {
                date(&field("issued_on"), &e.issued_on, &mut p, "datum van afgifte");
            }
            ValidityRule::EndDateAfterDeadline => {
                date(&field("valid_until"), &e.valid_until, &mut p, "einddatum van de geldigheid");
            }
            ValidityRule::None => {}
        }
    }
    for q in questions {
        if content.answers.get(&q.id).is_none_or(|a| a.trim().is_empty()) {
            p.push(FieldError::new(format!("answers[{}]", q.id), format!("Beantwoord '{}'.", q.title)));
        }
    }
    p
}

/// What still stands in the way of submitting a bid on this perceel of the tender as it is now;
/// `stored` is the kenmerk and confirmation of the prices read from its prijzenblad.
pub fn gaps(t: &Tender, lot: &Lot, content: &BidContent, stored: Option<(&str, bool)>) -> Vec<FieldError> {
    let kenmerk = Workbook::of(t).sheet_for(lot.id).map(|s| s.kenmerk.clone()).unwrap_or_default();
    let prices = Prices::of(lot.asks_prices(), &kenmerk, stored);
    missing(content, &t.selection_criteria_for(lot), &lot.quality_criteria, prices)
}

/// The deadline holds to the second: a receipt time of 12:00:00 is in time for a 12:00 deadline,
/// 12:00:01 is late. The server's clock decides.
pub fn in_time(now: DateTime<Utc>, deadline: DateTime<Utc>) -> bool {
    now.with_nanosecond(0).unwrap_or(now) <= deadline
}

#[cfg(test)]
#[path = "bid_tests.rs"]
mod tests;
