//! Klok (clock): the one source of "now" for every deadline decision and receipt time.
//!
//! In production it is the system clock. Tests move it forward to cross a deadline to the
//! second without waiting; the offset belongs to one app, so parallel tests do not meet.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Timelike, Utc};

#[derive(Clone, Default)]
pub struct Clock {
    offset_micros: Arc<AtomicI64>,
}

impl Clock {
    /// Now, to the microsecond (what both databases store exactly).
    pub fn now(&self) -> DateTime<Utc> {
        let t = Utc::now() + Duration::microseconds(self.offset_micros.load(Ordering::Relaxed));
        t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
    }

    /// Moves this clock; used by tests only.
    pub fn advance(&self, by: Duration) {
        self.offset_micros.fetch_add(by.num_microseconds().unwrap_or(0), Ordering::Relaxed);
    }

    /// Sets this clock to an instant, keeping it running from there; used by tests only.
    pub fn set(&self, to: DateTime<Utc>) {
        let offset = (to - Utc::now()).num_microseconds().unwrap_or(0);
        self.offset_micros.store(offset, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_clock_keeps_running_from_where_it_was_set() {
        let clock = Clock::default();
        let target = Utc::now() + Duration::days(30);
        clock.set(target);
        let now = clock.now();
        assert!(now >= target - Duration::seconds(1) && now <= target + Duration::seconds(1));
        clock.advance(Duration::seconds(90));
        assert!(clock.now() >= target + Duration::seconds(89));
        assert_eq!(clock.now().nanosecond() % 1000, 0);
    }
}
