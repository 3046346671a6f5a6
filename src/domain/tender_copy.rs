//! Heraanbesteden (re-tendering): a perceel that ended "niet gegund" copied into a new concept
//! tender — its general set-up, its scales, the perceel with its criteria and prijzenblad, and the
//! geschiktheidseisen that applied to it — for the inkoper to adjust and publish again.

use chrono::{DateTime, Duration, Utc};

use super::award_criterion::QualityCriterionInput;
use super::deadline::ZONE;
use super::lot::{Lot, LotInput, PriceInput, VolumeInput};
use super::scale::ScaleInput;
use super::selection_criterion::SelectionCriterionInput;
use super::tender::{Tender, TenderInput};

/// Weeks from the copy to the new deadlines: a starting point the inkoper will move.
const QUESTION_WEEKS: i64 = 4;
const SUBMISSION_WEEKS: i64 = 6;

fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&ZONE).format("%Y-%m-%dT12:00").to_string()
}

/// The new tender's input: perceel `lot` of `t` as perceel 1, under `reference`.
pub fn copy_of(t: &Tender, lot: &Lot, reference: &str, now: DateTime<Utc>) -> TenderInput {
    let scales_used: Vec<&str> = lot.quality_criteria.iter().map(|q| q.scale.as_str()).collect();
    TenderInput {
        title: format!("{} — {} (opnieuw)", t.title, lot.title),
        reference: reference.to_owned(),
        procedure: t.procedure,
        description: t.description.clone(),
        municipalities: t.municipalities.iter().map(|m| m.cbs_code.clone()).collect(),
        lead_municipality: t.lead_municipality.as_ref().map(|m| m.cbs_code.clone()),
        question_deadline: local(now + Duration::weeks(QUESTION_WEEKS)),
        submission_deadline: local(now + Duration::weeks(SUBMISSION_WEEKS)),
        standstill_days: t.standstill_days,
        standstill_reason: t.standstill_reason.clone(),
        rounding: t.rounding,
        anonymous_evaluation: t.anonymous_evaluation,
        scales: t
            .scales
            .iter()
            .filter(|s| scales_used.contains(&s.name.as_str()))
            .map(|s| ScaleInput { name: s.name.clone(), steps: s.steps.clone() })
            .collect(),
        lots: vec![LotInput {
            number: Some(1),
            title: lot.title.clone(),
            learning_route: lot.learning_route.clone(),
            description: lot.description.clone(),
            max_winners: lot.max_winners,
            ceiling_price: lot.ceiling_price,
            ceiling_price_rationale: lot.ceiling_price_rationale.clone(),
            volumes: lot
                .volumes
                .iter()
                .map(|v| VolumeInput { municipality: v.municipality.clone(), estimated_volume: v.estimated_volume })
                .collect(),
            price: PriceInput {
                formula: lot.price.formula,
                weight_percent: lot.price.weight_percent,
                bandwidth_min: lot.price.bandwidth_min,
                bandwidth_max: lot.price.bandwidth_max,
                log_factor: lot.price.log_factor,
            },
            quality_criteria: lot
                .quality_criteria
                .iter()
                .map(|q| QualityCriterionInput {
                    title: q.title.clone(),
                    description: q.description.clone(),
                    weight_percent: q.weight_percent,
                    scale: q.scale.clone(),
                    value: q.value,
                })
                .collect(),
            price_lines: lot.price_lines.clone(),
        }],
        selection_criteria: t
            .selection_criteria_for(lot)
            .into_iter()
            .map(|c| SelectionCriterionInput {
                lot: c.lot.map(|_| 1),
                title: c.title.clone(),
                description: c.description.clone(),
                evidence: c.evidence.clone(),
                validity_rule: c.validity_rule,
                validity_months: c.validity_months,
            })
            .collect(),
    }
}
