//! Herinnering (reminder): 48 hours and 4 hours before the sluitingstermijn, aanbieders that
//! follow a tender and have not submitted are reminded. This decides which one is due.

use chrono::{DateTime, Duration, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderKind {
    Hours48,
    Hours4,
}

impl ReminderKind {
    /// The longest lead first: the window of a reminder reaches back this far.
    pub const ALL: [ReminderKind; 2] = [ReminderKind::Hours48, ReminderKind::Hours4];

    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::Hours48 => "48h",
            ReminderKind::Hours4 => "4h",
        }
    }

    pub fn hours(self) -> i64 {
        match self {
            ReminderKind::Hours48 => 48,
            ReminderKind::Hours4 => 4,
        }
    }

    /// `48 uur`, as the message says it.
    pub fn label(self) -> String {
        format!("{} uur", self.hours())
    }
}

/// The reminder due now for this deadline: the one with the shortest lead that has begun.
/// When the service was down at the 48-hour mark and comes back within 4 hours, only the
/// 4-hour reminder goes: two at once would say nothing more. After the deadline, none.
pub fn due(now: DateTime<Utc>, deadline: DateTime<Utc>) -> Option<ReminderKind> {
    if now >= deadline {
        return None;
    }
    ReminderKind::ALL.into_iter().rev().find(|k| deadline - Duration::hours(k.hours()) <= now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reminder_is_due_from_its_own_lead_until_the_next_one() {
        let deadline = Utc::now();
        let at = |hours: i64, minutes: i64| deadline - Duration::hours(hours) - Duration::minutes(minutes);
        assert_eq!(due(at(48, 1), deadline), None);
        assert_eq!(due(at(48, 0), deadline), Some(ReminderKind::Hours48));
        assert_eq!(due(at(4, 1), deadline), Some(ReminderKind::Hours48));
        assert_eq!(due(at(4, 0), deadline), Some(ReminderKind::Hours4));
        assert_eq!(due(at(0, 1), deadline), Some(ReminderKind::Hours4));
        assert_eq!(due(deadline, deadline), None, "at the deadline nothing is sent any more");
    }
}
