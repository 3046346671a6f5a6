//! Test data: the shipped demo tender with a fresh reference and deadlines from today.

use chrono::{Duration, Utc};
use serde_json::Value;

/// Dutch local time `days` from now at noon, as a form or the API takes it.
pub fn local_noon(days: i64) -> String {
    let day = (Utc::now() + Duration::days(days)).with_timezone(&chrono_tz::Europe::Amsterdam).date_naive();
    format!("{}T12:00", day.format("%Y-%m-%d"))
}

/// A complete, publishable tender: three percelen, one scale, five geschiktheidseisen.
pub fn tender(reference: &str) -> Value {
    let doc: Value = serde_json::from_str(aanbesteding::demo::DEMO_TENDER).expect("demo tender fixture");
    let mut t = doc["tender"].clone();
    t["reference"] = reference.into();
    t["question_deadline"] = local_noon(21).into();
    t["submission_deadline"] = local_noon(42).into();
    t
}

/// Only the general set-up, without parts.
pub fn general(reference: &str) -> Value {
    let mut t = tender(reference);
    for part in ["scales", "lots", "selection_criteria"] {
        t.as_object_mut().map(|m| m.remove(part));
    }
    t
}

/// One perceel as the API takes it, from the demo tender.
pub fn lot(index: usize) -> Value {
    let mut l = tender("X")["lots"][index].clone();
    l.as_object_mut().map(|m| m.remove("number"));
    l
}
