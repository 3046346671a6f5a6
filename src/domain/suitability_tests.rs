//! Tests of the suitability proposals: dates against the deadline, every party's declaration.

use super::*;
use crate::domain::bid::{Evidence, Member};

fn criterion(id: i64, rule: ValidityRule, months: Option<i32>) -> SelectionCriterion {
    SelectionCriterion {
        id,
        position: 1,
        lot: None,
        title: format!("Eis {id}"),
        description: String::new(),
        evidence: "bewijs".into(),
        validity_rule: rule,
        validity_months: months,
    }
}

fn member(name: &str, kvk: &str, declared: bool) -> Member {
    Member { company_name: name.into(), kvk_number: kvk.into(), no_exclusion_grounds: declared, remarks: String::new() }
}

fn content(members: Vec<Member>, evidence: &[(i64, &str, &str)]) -> BidContent {
    let mut c = BidContent { members, ..Default::default() };
    for (id, issued, until) in evidence {
        c.evidence.insert(
            *id,
            Evidence { reference: "bewijs".into(), issued_on: (*issued).into(), valid_until: (*until).into() },
        );
    }
    c
}

fn deadline() -> DateTime<chrono::Utc> {
    crate::domain::deadline::parse("2027-01-15T12:00").unwrap_or_default()
}

#[test]
fn a_keurmerk_must_run_past_the_deadline_and_a_gva_be_at_most_two_years_old() {
    let keurmerk = criterion(1, ValidityRule::EndDateAfterDeadline, None);
    let gva = criterion(2, ValidityRule::MaxAgeAtDeadline, Some(24));
    let ok = content(vec![member("Taalhuis", "12345678", true)], &[(1, "", "2027-01-16"), (2, "2025-01-15", "")]);
    let p = propose(deadline(), &[&keurmerk, &gva], &ok);
    assert_eq!(p.iter().map(|p| p.passes).collect::<Vec<_>>(), [Some(true); 4], "{p:?}");
    assert_eq!(p[3].reason, "Afgegeven op 15-01-2025, niet ouder dan 24 maanden op 15-01-2027.");

    let late = content(vec![member("Taalhuis", "12345678", true)], &[(1, "", "2027-01-15"), (2, "2025-01-14", "")]);
    let p = propose(deadline(), &[&keurmerk, &gva], &late);
    assert_eq!(p[2].passes, Some(false), "ending on the deadline's day is not after it");
    assert_eq!(p[3].passes, Some(false));
    assert!(
        p[3].reason.contains("ouder dan 24 maanden") && p[3].reason.contains("grens 15-01-2025"),
        "{}",
        p[3].reason
    );
}

#[test]
fn every_party_of_a_combination_declares_and_has_a_kvk_number() {
    let c = content(vec![member("Taalhuis", "12345678", true), member("Partner", "1234", false)], &[]);
    let p = propose(deadline(), &[], &c);
    assert_eq!((p[0].passes, p[0].reason.as_str()), (Some(false), "Zonder eigen verklaring: Partner."));
    assert_eq!(p[1].passes, Some(false));
    assert!(p[1].reason.contains("Partner ('1234')"));
}

#[test]
fn missing_or_undated_evidence_fails_and_evidence_without_a_rule_is_left_to_the_inkoper() {
    let keurmerk = criterion(1, ValidityRule::EndDateAfterDeadline, None);
    let references = criterion(3, ValidityRule::None, None);
    let c = content(vec![member("Taalhuis", "12345678", true)], &[(1, "", "binnenkort"), (3, "", "")]);
    let p = propose(deadline(), &[&keurmerk, &references, &criterion(4, ValidityRule::None, None)], &c);
    assert_eq!(p[2].passes, Some(false));
    assert_eq!(p[3].passes, None);
    assert_eq!((p[4].passes, p[4].reason.as_str()), (Some(false), "Er is geen bewijs opgegeven."));
    assert_eq!(
        p.iter().map(|p| p.subject.0.as_str()).collect::<Vec<_>>(),
        ["exclusion_grounds", "kvk", "criterion:1", "criterion:3", "criterion:4"]
    );
}
