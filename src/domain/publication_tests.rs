//! Tests of the rules for Publicatie (publication).
use chrono::Duration;
use rust_decimal::Decimal;

use super::*;
use crate::domain::award_criterion::QualityCriterion;
use crate::domain::lot::{Lot, PriceCriterion, Volume};
use crate::domain::rounding::RoundingRule;
use crate::domain::tender::{MunicipalityRef, Procedure, TenderStatus};

fn now() -> DateTime<Utc> {
    crate::domain::deadline::parse("2026-12-01T09:00").unwrap_or_default()
}

fn hoorn() -> MunicipalityRef {
    MunicipalityRef { cbs_code: "GM0405".into(), name: "Hoorn".into() }
}

fn lot(price: i64, quality: &[i64]) -> Lot {
    Lot {
        id: 1,
        number: 1,
        title: "B1-route".into(),
        learning_route: "b1-route".into(),
        learning_route_name: "B1-route".into(),
        description: String::new(),
        max_winners: 1,
        ceiling_price: None,
        ceiling_price_rationale: String::new(),
        volumes: vec![Volume {
            municipality: "GM0405".into(),
            municipality_name: "Hoorn".into(),
            estimated_volume: 10,
        }],
        price: PriceCriterion {
            formula: PriceFormulaKind::RelativeToLowest,
            weight_percent: Decimal::from(price),
            bandwidth_min: None,
            bandwidth_max: None,
            log_factor: None,
            description: String::new(),
        },
        quality_criteria: quality
            .iter()
            .enumerate()
            .map(|(i, w)| QualityCriterion {
                id: i as i64,
                position: i as i32,
                title: format!("Criterium {i}"),
                description: String::new(),
                weight_percent: Decimal::from(*w),
                scale: "0-10".into(),
                value: None,
            })
            .collect(),
        price_lines: vec![],
    }
}

fn tender(lots: Vec<Lot>) -> Tender {
    Tender {
        id: 1,
        reference: "WF-1".into(),
        title: "Leerroutes".into(),
        procedure: Procedure::SocialServices,
        description: "Inburgering".into(),
        status: TenderStatus::Draft,
        municipalities: vec![hoorn()],
        lead_municipality: Some(hoorn()),
        question_deadline: now() + Duration::days(14),
        submission_deadline: now() + Duration::days(42),
        standstill_days: 20,
        standstill_reason: String::new(),
        anonymous_evaluation: false,
        rounding: RoundingRule::default(),
        created_at: now(),
        updated_at: now(),
        published_at: None,
        scales: vec![],
        lots,
        selection_criteria: vec![],
    }
}

fn problem_names(c: &Checklist) -> Vec<&str> {
    c.problems.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn a_complete_tender_is_ready_with_a_warning_about_missing_selection_criteria() {
    let c = check(&tender(vec![lot(40, &[30, 30])]), now());
    assert!(c.ready, "{:?}", c.problems);
    assert_eq!(c.warnings.len(), 1);
}

#[test]
fn a_tender_without_percelen_is_not_ready() {
    assert_eq!(problem_names(&check(&tender(vec![]), now())), ["lots"]);
}

#[test]
fn weights_are_checked_again_at_publication() {
    assert_eq!(problem_names(&check(&tender(vec![lot(40, &[30])]), now())), ["lots[0].weights"]);
}

#[test]
fn every_participating_gemeente_needs_a_volume() {
    let mut t = tender(vec![lot(40, &[60])]);
    t.municipalities.push(MunicipalityRef { cbs_code: "GM0388".into(), name: "Enkhuizen".into() });
    let c = check(&t, now());
    assert_eq!(problem_names(&c), ["lots[0].volumes"]);
    assert!(c.problems[0].reason.contains("Enkhuizen"));
}

#[test]
fn deadlines_that_passed_while_in_concept_block_publication() {
    let t = tender(vec![lot(40, &[60])]);
    let later = now() + Duration::days(20);
    assert_eq!(problem_names(&check(&t, later)), ["question_deadline"]);
}

#[test]
fn a_short_standstill_is_a_warning_not_a_blocker() {
    let mut t = tender(vec![lot(40, &[60])]);
    t.standstill_days = 10;
    t.standstill_reason = "spoed".into();
    let c = check(&t, now());
    assert!(c.ready);
    assert!(c.warnings.iter().any(|w| w.contains("10 dagen")));
}
