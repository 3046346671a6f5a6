//! Inschrijvingsformulier: the bid form's fields, read back into the bid's contents, and the
//! page data that shows them. Field names carry the id they belong to (`answer_12`).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Value, json};

use crate::db::bid_file::BidFile;
use crate::db::submission::Receipt;
use crate::domain::award_criterion::QualityCriterion;
use crate::domain::bid::{BidContent, Evidence, Member};
use crate::domain::selection_criterion::{SelectionCriterion, ValidityRule};
use crate::errors::FieldError;

/// Empty member rows offered for the other parties of a combination.
const SPARE_MEMBERS: usize = 2;

/// Reads the posted pairs; member rows left empty are not parties.
pub fn content(pairs: &[(String, String)]) -> BidContent {
    // Indexed once: a form with many fields costs one pass, not one pass per field.
    let first: HashMap<&str, &str> = pairs.iter().rev().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let all =
        |name: &str| pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).collect::<Vec<_>>();
    let one = |name: &str| first.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
    let (names, kvks, remarks) = (all("member_name"), all("member_kvk"), all("member_remarks"));
    let declared: HashSet<String> = all("member_uea").into_iter().collect();
    let members = (0..names.len().max(kvks.len()))
        .filter(|&i| !names.get(i).is_none_or(String::is_empty) || !kvks.get(i).is_none_or(String::is_empty))
        .map(|i| Member {
            company_name: names.get(i).cloned().unwrap_or_default(),
            kvk_number: kvks.get(i).cloned().unwrap_or_default(),
            no_exclusion_grounds: declared.contains(&i.to_string()),
            remarks: remarks.get(i).cloned().unwrap_or_default(),
        })
        .collect();
    let mut evidence = BTreeMap::new();
    let mut answers = BTreeMap::new();
    for (key, value) in pairs {
        if let Some(id) = key.strip_prefix("evidence_reference_").and_then(|s| s.parse::<i64>().ok()) {
            let field = |f: &str| one(&format!("evidence_{f}_{id}"));
            evidence.insert(
                id,
                Evidence {
                    reference: value.trim().to_owned(),
                    issued_on: field("issued_on"),
                    valid_until: field("valid_until"),
                },
            );
        }
        if let Some(id) = key.strip_prefix("answer_").and_then(|s| s.parse::<i64>().ok()) {
            answers.insert(id, value.trim().to_owned());
        }
    }
    BidContent { members, evidence, answers }
}

pub struct Parts<'a> {
    pub criteria: &'a [&'a SelectionCriterion],
    pub questions: &'a [QualityCriterion],
    pub files: &'a [BidFile],
    pub receipts: &'a [Receipt],
    pub missing: &'a [FieldError],
}

/// The form's rows, filled with the draft, every problem beside its field.
pub fn page(c: &BidContent, p: &Parts) -> Value {
    let problem = |name: String| p.missing.iter().find(|f| f.name == name).map(|f| f.reason.clone());
    let mut members: Vec<Value> = c
        .members
        .iter()
        .chain(std::iter::repeat_n(&Member::default(), SPARE_MEMBERS))
        .enumerate()
        .map(|(i, m)| {
            json!({
                "index": i, "number": i + 1, "lead": i == 0,
                "name": m.company_name, "kvk": m.kvk_number, "declared": m.no_exclusion_grounds, "remarks": m.remarks,
                "error_kvk": problem(format!("members[{i}].kvk_number")),
                "error_uea": problem(format!("members[{i}].no_exclusion_grounds")),
            })
        })
        .collect();
    if members.is_empty() {
        members.push(json!({ "index": 0, "number": 1, "lead": true, "name": "", "kvk": "", "declared": false, "remarks": "", "error_kvk": null, "error_uea": null }));
    }
    let evidence: Vec<Value> = p
        .criteria
        .iter()
        .map(|cr| {
            let e = c.evidence.get(&cr.id).cloned().unwrap_or_default();
            json!({
                "id": cr.id, "title": cr.title, "asked": cr.evidence, "rule": cr.validity_rule.describe(cr.validity_months),
                "reference": e.reference, "issued_on": e.issued_on, "valid_until": e.valid_until,
                "needs_issued_on": cr.validity_rule == ValidityRule::MaxAgeAtDeadline,
                "needs_valid_until": cr.validity_rule == ValidityRule::EndDateAfterDeadline,
                "error_reference": problem(format!("evidence[{}].reference", cr.id)),
                "error_issued_on": problem(format!("evidence[{}].issued_on", cr.id)),
                "error_valid_until": problem(format!("evidence[{}].valid_until", cr.id)),
            })
        })
        .collect();
    let answers: Vec<Value> = p
        .questions
        .iter()
        .map(|q| {
            json!({
                "id": q.id, "title": q.title, "description": q.description,
                "answer": c.answers.get(&q.id).cloned().unwrap_or_default(),
                "error": problem(format!("answers[{}]", q.id)),
            })
        })
        .collect();
    json!({
        "members": members, "evidence": evidence, "answers": answers,
        "files": p.files.iter().map(|f| json!({ "id": f.id, "name": f.name, "size": f.size, "sha256": f.sha256 })).collect::<Vec<_>>(),
        "receipts": p.receipts,
        "missing": p.missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_posted_form_becomes_the_bid_contents() {
        let c = content(&pairs(&[
            ("member_name", "Taalhuis"),
            ("member_kvk", "12345678"),
            ("member_uea", "0"),
            ("member_remarks", ""),
            ("member_name", ""),
            ("member_kvk", ""),
            ("member_remarks", ""),
            ("member_name", "Partner"),
            ("member_kvk", "87654321"),
            ("member_remarks", "nvt"),
            ("evidence_reference_5", " KM-1 "),
            ("evidence_issued_on_5", ""),
            ("evidence_valid_until_5", "2029-01-01"),
            ("answer_9", "Ons plan"),
        ]));
        assert_eq!(c.members.len(), 2, "the empty middle row is no party");
        assert!(c.members[0].no_exclusion_grounds && !c.members[1].no_exclusion_grounds);
        assert_eq!(c.members[1].remarks, "nvt");
        assert_eq!(
            c.evidence[&5],
            Evidence { reference: "KM-1".into(), issued_on: String::new(), valid_until: "2029-01-01".into() }
        );
        assert_eq!(c.answers[&9], "Ons plan");
    }
}
