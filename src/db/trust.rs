//! Vertrouwen (trust): when a copy kept in memory — a tender snapshot, an evaluation, a user —
//! may be used without asking the database again.
//!
//! After any write of this process every request looks again, so a person sees their own change
//! at once. Otherwise a copy is trusted for [`TRUSTED_FOR`], so that a change made through another
//! instance shows within about that time. When the time is up, the copy is still answered with and
//! one look is started in the background: no request waits for a routine look, and a burst of
//! requests does not become a burst of identical queries. On a fully loaded PostgreSQL such a
//! look now and then takes up to a second or two; a request waiting for it is then that late.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long a checked copy is used without asking the database again.
pub const TRUSTED_FOR: Duration = Duration::from_secs(1);

/// When a copy was last found current, and the process's write count at that time.
#[derive(Clone, Debug)]
pub struct Checked {
    at: Instant,
    writes: u64,
    /// Set by the one request that looks again once the time is up.
    checking: Arc<AtomicBool>,
}

impl Checked {
    /// A copy found current now, with the process at `writes` writes.
    pub fn now(writes: u64) -> Checked {
        Checked { at: Instant::now(), writes, checking: Arc::default() }
    }

    /// What a request with the process at `writes` writes does with the copy.
    pub fn trust(&self, writes: u64) -> Trust {
        if self.writes != writes {
            return Trust::LookNow;
        }
        let age = self.at.elapsed();
        if age < TRUSTED_FOR {
            return Trust::Use;
        }
        // A look that failed or hangs must not keep the copy trusted for good.
        if age >= TRUSTED_FOR * 3 {
            return Trust::LookNow;
        }
        // The first request to get here starts the look; the others find the flag set.
        if self.checking.swap(true, Ordering::AcqRel) { Trust::Use } else { Trust::UseAndLookAgain }
    }
}

/// What to do with a copy kept in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Use it as it is.
    Use,
    /// Use it, and start a look at the database in the background.
    UseAndLookAgain,
    /// Look at the database before answering.
    LookNow,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_of_this_process_makes_everyone_look_again() {
        let c = Checked::now(7);
        assert_eq!(c.trust(7), Trust::Use);
        assert_eq!(c.trust(8), Trust::LookNow);
    }

    #[test]
    fn once_the_time_is_up_one_look_starts_and_every_request_uses_the_copy() {
        let (Some(late), Some(later)) =
            (Instant::now().checked_sub(TRUSTED_FOR), Instant::now().checked_sub(TRUSTED_FOR * 3))
        else {
            return;
        };
        let c = Checked { at: late, writes: 1, checking: Arc::default() };
        assert_eq!(c.trust(1), Trust::UseAndLookAgain, "the first request starts one look");
        assert_eq!(c.trust(1), Trust::Use, "the second goes on with the copy");
        assert_eq!(c.clone().trust(1), Trust::Use, "clones share the flag");
        let old = Checked { at: later, ..c };
        assert_eq!(old.trust(1), Trust::LookNow, "a look that never came back does not keep the copy trusted");
    }
}
