//! Tests of the rules for Aanbesteding (tender).
use super::*;

pub fn input() -> TenderInput {
    TenderInput {
        title: "Leerroutes inburgering".into(),
        reference: "WF-2027-001".into(),
        municipalities: vec!["gm0405".into(), "GM0405".into(), "GM0388".into()],
        question_deadline: "2027-01-04T12:00".into(),
        submission_deadline: "2027-01-25T12:00".into(),
        standstill_days: 20,
        ..Default::default()
    }
}

fn now() -> DateTime<Utc> {
    deadline::parse("2026-12-01T09:00").unwrap_or_default()
}

fn fields_with_errors(input: &TenderInput) -> Vec<String> {
    match input.validate(now(), None) {
        Err(Error::Validation(list)) => list.into_iter().map(|f| f.name).collect(),
        _ => vec![],
    }
}

#[test]
fn a_sound_input_is_normalised() {
    let Ok(fields) = input().validate(now(), None) else { panic!("should be valid") };
    assert_eq!(fields.municipalities, ["GM0405", "GM0388"]);
    assert_eq!(fields.rounding, RoundingRule::default());
}

#[test]
fn a_deadline_in_the_past_is_refused() {
    let mut i = input();
    i.submission_deadline = "2026-11-30T12:00".into();
    i.question_deadline = "2026-11-29T12:00".into();
    assert_eq!(fields_with_errors(&i), ["submission_deadline", "question_deadline"]);
}

#[test]
fn the_question_deadline_lies_before_the_submission_deadline() {
    let mut i = input();
    i.question_deadline = "2027-01-25T12:00".into();
    assert_eq!(fields_with_errors(&i), ["question_deadline"]);
}

#[test]
fn a_short_standstill_needs_a_reason() {
    let mut i = input();
    i.standstill_days = 15;
    assert_eq!(fields_with_errors(&i), ["standstill_reason"]);
    i.standstill_reason = "Spoedeisend belang: lopend contract eindigt".into();
    assert!(i.validate(now(), None).is_ok());
}

#[test]
fn the_lead_must_participate() {
    let mut i = input();
    i.lead_municipality = Some("GM0498".into());
    assert_eq!(fields_with_errors(&i), ["lead_municipality"]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let i = TenderInput::default();
    assert_eq!(
        fields_with_errors(&i),
        ["title", "reference", "municipalities", "question_deadline", "submission_deadline", "standstill_days"]
    );
}

#[test]
fn a_deadline_that_passed_may_stay_when_other_fields_change() {
    let mut i = input();
    i.question_deadline = "2026-11-20T12:00".into();
    assert_eq!(fields_with_errors(&i), ["question_deadline"]);
    let stored = (
        deadline::parse("2026-11-20T12:00").unwrap_or_default(),
        deadline::parse("2027-01-25T12:00").unwrap_or_default(),
    );
    assert!(i.validate(now(), Some(stored)).is_ok());
    i.question_deadline = "2026-11-21T12:00".into();
    assert!(i.validate(now(), Some(stored)).is_err(), "a new deadline in the past is still refused");
}

#[test]
fn a_passed_submission_deadline_is_not_moved() {
    let stored = (
        deadline::parse("2026-11-01T12:00").unwrap_or_default(),
        deadline::parse("2026-11-20T12:00").unwrap_or_default(),
    );
    let mut i = input();
    i.question_deadline = "2026-11-01T12:00".into();
    i.submission_deadline = "2027-01-25T12:00".into();
    let Err(Error::Validation(list)) = i.validate(now(), Some(stored)) else { panic!("should be refused") };
    assert_eq!(list[0].name, "submission_deadline");
    assert!(list[0].reason.contains("niet meer worden verzet"));
}
