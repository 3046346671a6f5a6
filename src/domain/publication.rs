//! Publicatie (publication): the completeness check that must pass before a tender is published
//! and its set-up frozen.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::lot::FULL_WEIGHT_BP;
use super::money;
use super::price_formula::PriceFormulaKind;
use super::tender::Tender;
use crate::errors::FieldError;

/// What stands in the way of publication, and what the inkoper should look at anyway.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct Checklist {
    /// True when nothing stands in the way of publication.
    pub ready: bool,
    pub problems: Vec<FieldError>,
    pub warnings: Vec<String>,
}

impl Checklist {
    fn problem(&mut self, name: impl Into<String>, reason: impl Into<String>) {
        self.problems.push(FieldError::new(name, reason));
    }
}

/// Everything publication needs, deadlines in the future included, plus the warnings.
pub fn check(t: &Tender, now: DateTime<Utc>) -> Checklist {
    let mut c = Checklist::default();
    if t.submission_deadline <= now {
        c.problem("submission_deadline", "De sluitingstermijn is al verstreken; kies een nieuwe.");
    }
    if t.question_deadline <= now {
        c.problem("question_deadline", "De termijn voor vragen is al verstreken; kies een nieuwe.");
    }
    c.problems.extend(complete(t));
    if t.selection_criteria.is_empty() {
        c.warnings.push("Er zijn geen geschiktheidseisen: malafide aanbieders worden dan alleen via de uitsluitingsgronden geweerd.".into());
    }
    if let Some(w) = t.standstill_warning() {
        c.warnings.push(w);
    }
    c.ready = c.problems.is_empty();
    c
}

/// What a published set-up must always be, whatever the clock says: a correction may not break it.
pub fn complete(t: &Tender) -> Vec<FieldError> {
    let mut c = Checklist::default();
    if t.description.trim().is_empty() {
        c.problem("description", "Beschrijf de opdracht; de beschrijving wordt gepubliceerd.");
    }
    if t.lead_municipality.is_none() {
        c.problem("lead_municipality", "Kies welke gemeente penvoerder is.");
    }
    if t.question_deadline >= t.submission_deadline {
        c.problem("question_deadline", "De termijn voor vragen ligt vóór de sluitingstermijn.");
    }
    if t.lots.is_empty() {
        c.problem("lots", "Voeg minstens één perceel toe.");
    }
    for (i, lot) in t.lots.iter().enumerate() {
        let name = format!("Perceel {} ({})", lot.number, lot.title);
        for m in &t.municipalities {
            if !lot.volumes.iter().any(|v| v.municipality == m.cbs_code) {
                c.problem(
                    format!("lots[{i}].volumes"),
                    format!("{name}: vul het geraamde aantal trajecten in voor {}.", m.name),
                );
            }
        }
        for v in &lot.volumes {
            if !t.municipalities.iter().any(|m| m.cbs_code == v.municipality) {
                c.problem(
                    format!("lots[{i}].volumes"),
                    format!("{name}: {} doet niet (meer) mee; verwijder het geraamde aantal.", v.municipality_name),
                );
            }
        }
        if lot.price.formula != PriceFormulaKind::ValueForMoney {
            let weights = |p: rust_decimal::Decimal| money::percent_to_bp(p).unwrap_or(-1);
            let total = weights(lot.price.weight_percent)
                + lot.quality_criteria.iter().map(|q| weights(q.weight_percent)).sum::<i32>();
            if total != FULL_WEIGHT_BP {
                c.problem(
                    format!("lots[{i}].weights"),
                    format!("{name}: de gewichten tellen op tot {}.", money::format_percent(total)),
                );
            }
        }
        if lot.quality_criteria.is_empty() {
            c.problem(
                format!("lots[{i}].quality_criteria"),
                format!("{name}: voeg minstens één kwaliteitscriterium toe."),
            );
        }
    }
    c.problems
}

#[cfg(test)]
#[path = "publication_tests.rs"]
mod tests;
