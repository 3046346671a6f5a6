//! Tests of the rules for Inschrijving (bid).

use chrono::Duration;
use rust_decimal::Decimal;

use super::*;

fn criterion(id: i64, rule: ValidityRule) -> SelectionCriterion {
    SelectionCriterion {
        id,
        position: 1,
        lot: None,
        title: format!("Eis {id}"),
        description: String::new(),
        evidence: "bewijs".into(),
        validity_rule: rule,
        validity_months: None,
    }
}

fn question(id: i64) -> QualityCriterion {
    QualityCriterion {
        id,
        position: 1,
        title: format!("Vraag {id}"),
        description: String::new(),
        weight_percent: Decimal::from(50),
        scale: "0-10".into(),
        value: None,
    }
}

fn complete() -> BidContent {
    let mut c = BidContent {
        members: vec![Member {
            company_name: "Taalhuis".into(),
            kvk_number: "12345678".into(),
            no_exclusion_grounds: true,
            remarks: String::new(),
        }],
        ..Default::default()
    };
    c.evidence
        .insert(1, Evidence { reference: "KM-1".into(), issued_on: String::new(), valid_until: "2028-01-01".into() });
    c.answers.insert(10, "Wij werken samen met de bibliotheek.".into());
    c
}

#[test]
fn a_complete_bid_has_nothing_missing() {
    let c1 = criterion(1, ValidityRule::EndDateAfterDeadline);
    assert_eq!(missing(&complete(), &[&c1], &[question(10)], Prices::Confirmed), vec![]);
}

#[test]
fn every_gap_is_named_by_its_field() {
    let mut c = complete();
    c.members.push(Member { company_name: "Partner".into(), kvk_number: "1234".into(), ..Default::default() });
    if let Some(e) = c.evidence.get_mut(&1) {
        e.valid_until = "volgend jaar".into();
    }
    c.answers.insert(10, "  ".into());
    let c1 = criterion(1, ValidityRule::EndDateAfterDeadline);
    let names: Vec<String> =
        missing(&c, &[&c1], &[question(10)], Prices::NotAsked).into_iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        ["members[1].kvk_number", "members[1].no_exclusion_grounds", "evidence[1].valid_until", "answers[10]"]
    );
    assert!(c.is_combination());
}

#[test]
fn the_prijzenblad_must_be_there_of_the_current_version_and_confirmed() {
    assert_eq!(Prices::of(false, "WF/1", None), Prices::NotAsked, "a fixed price asks no prijzenblad");
    assert_eq!(Prices::of(true, "WF/1", None), Prices::Missing);
    assert_eq!(Prices::of(true, "WF/2", Some(("WF/1", true))), Prices::Outdated);
    assert_eq!(Prices::of(true, "WF/1", Some(("WF/1", false))), Prices::Unconfirmed);
    assert_eq!(Prices::of(true, "WF/1", Some(("WF/1", true))), Prices::Confirmed);
    let c1 = criterion(1, ValidityRule::EndDateAfterDeadline);
    for state in [Prices::Missing, Prices::Outdated, Prices::Unconfirmed] {
        let gaps = missing(&complete(), &[&c1], &[question(10)], state);
        assert_eq!(gaps.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["price_sheet"], "{state:?}");
    }
}

#[test]
fn the_deadline_holds_to_the_second() {
    let deadline = crate::domain::deadline::parse("2027-01-15T12:00").unwrap_or_default();
    assert!(in_time(deadline - Duration::seconds(1), deadline));
    assert!(in_time(deadline + Duration::milliseconds(999), deadline), "12:00:00.999 reads 12:00:00 on the receipt");
    assert!(!in_time(deadline + Duration::seconds(1), deadline));
}
