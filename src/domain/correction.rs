//! Correctie (correction): what a correction of a published set-up changes, read from the
//! set-up before and after. Moving deadlines only is announced as a deadline change and asks
//! no bidder to confirm again; anything else does.

use chrono::{DateTime, Utc};
use serde_json::Value;

/// Bookkeeping that changes with every save and is no part of what bidders rely on.
const BOOKKEEPING: [&str; 1] = ["updated_at"];

/// One deadline, before and after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moved {
    pub before: DateTime<Utc>,
    pub after: DateTime<Utc>,
}

/// What a correction changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effect {
    pub question_deadline: Option<Moved>,
    pub submission_deadline: Option<Moved>,
    /// Anything besides the deadlines.
    pub other: bool,
}

impl Effect {
    pub fn nothing(&self) -> bool {
        self.question_deadline.is_none() && self.submission_deadline.is_none() && !self.other
    }

    pub fn moves_deadlines(&self) -> bool {
        self.question_deadline.is_some() || self.submission_deadline.is_some()
    }
}

fn instant(v: Option<&Value>) -> Option<DateTime<Utc>> {
    v.and_then(Value::as_str).and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map(|t| t.with_timezone(&Utc))
}

fn moved(before: &Value, after: &Value, key: &str) -> Option<Moved> {
    match (instant(before.get(key)), instant(after.get(key))) {
        (Some(b), Some(a)) if a != b => Some(Moved { before: b, after: a }),
        _ => None,
    }
}

/// Compares the recorded set-up before and after. Only the tender's general part carries
/// deadlines; a perceel, scale or geschiktheidseis that changes is always `other`.
pub fn effect(before: &Value, after: &Value) -> Effect {
    let (Value::Object(b), Value::Object(a)) = (before, after) else {
        return Effect { other: before != after, ..Effect::default() };
    };
    let deadlines = ["question_deadline", "submission_deadline"];
    let other = b
        .keys()
        .chain(a.keys())
        .any(|k| !BOOKKEEPING.contains(&k.as_str()) && !deadlines.contains(&k.as_str()) && b.get(k) != a.get(k));
    Effect {
        question_deadline: moved(before, after, "question_deadline"),
        submission_deadline: moved(before, after, "submission_deadline"),
        other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn general(submission: &str, title: &str, updated: &str) -> Value {
        json!({ "title": title, "question_deadline": "2027-01-01T11:00:00Z", "submission_deadline": submission, "updated_at": updated })
    }

    #[test]
    fn moving_only_a_deadline_is_a_deadline_change() {
        let e = effect(
            &general("2027-02-01T11:00:00Z", "A", "2026-12-01T10:00:00Z"),
            &general("2027-02-08T11:00:00Z", "A", "2026-12-02T10:00:00Z"),
        );
        assert!(!e.other && e.question_deadline.is_none());
        assert_eq!(e.submission_deadline.map(|m| m.after.to_rfc3339()), Some("2027-02-08T11:00:00+00:00".into()));
    }

    #[test]
    fn another_change_beside_the_deadline_is_a_correction_too() {
        let e = effect(&general("2027-02-01T11:00:00Z", "A", "x"), &general("2027-02-08T11:00:00Z", "B", "y"));
        assert!(e.other && e.submission_deadline.is_some());
    }

    #[test]
    fn a_save_that_only_touches_the_bookkeeping_changes_nothing() {
        let e = effect(&general("2027-02-01T11:00:00Z", "A", "x"), &general("2027-02-01T11:00:00Z", "A", "y"));
        assert!(e.nothing());
    }

    #[test]
    fn a_perceel_that_changes_is_always_a_correction() {
        assert!(effect(&json!({ "ceiling_price": "14500.00" }), &json!({ "ceiling_price": "15000.00" })).other);
    }
}
