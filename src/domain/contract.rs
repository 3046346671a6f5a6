//! Raamovereenkomst (framework contract): the periods of a contract and when it may start.
//!
//! No contract becomes active before the Alcatel-termijn of its award has ended (art. 2.127 Aw):
//! a rule of the domain, checked wherever a contract is activated, not a button that is hidden.

use super::standstill::StandstillPeriod;
use chrono::{DateTime, Months, NaiveDate, Utc};

/// Why a contract may not become active.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ContractRefusal {
    #[error("Een contract kan pas ingaan na de definitieve gunning.")]
    NotDefinitive,
    #[error("De Alcatel-termijn loopt nog tot en met {0}; het contract kan pas daarna actief worden.")]
    StandstillRunning(String),
    #[error("Een contract wordt actief op of na zijn ingangsdatum ({0}).")]
    BeforeStart(String),
}

/// Whether a contract starting on `start` may become active at `now`, for an award whose
/// standstill is `standstill` and that is `definitive` or not.
pub fn may_activate(
    definitive: bool,
    standstill: &StandstillPeriod,
    start: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), ContractRefusal> {
    if !standstill.has_ended(now) {
        return Err(ContractRefusal::StandstillRunning(super::deadline::format_date_nl(standstill.last_day)));
    }
    if !definitive {
        return Err(ContractRefusal::NotDefinitive);
    }
    if now.with_timezone(&super::deadline::ZONE).date_naive() < start {
        return Err(ContractRefusal::BeforeStart(super::deadline::format_date_nl(start)));
    }
    Ok(())
}

/// The last day of a contract of `years` from `start`, with the extensions taken so far
/// (`4 + 2 + 2` years: `years = 4`, `extensions = [2, 2]`, `taken = 1` ends after 6 years).
pub fn end_date(start: NaiveDate, years: u32, extensions: &[u32], taken: usize) -> Option<NaiveDate> {
    let total: u32 = years + extensions.iter().take(taken).sum::<u32>();
    start.checked_add_months(Months::new(total.checked_mul(12)?))?.pred_opt()
}

/// The last day to decide on the next extension option: `notice_months` before the day after
/// the contract's current end.
pub fn decision_date(end: NaiveDate, notice_months: u32) -> Option<NaiveDate> {
    end.succ_opt()?.checked_sub_months(Months::new(notice_months))
}

/// Management is reminded this many days before a decision date.
pub const DECISION_LEADS: [i64; 2] = [60, 14];

/// The reminder due on `today` for a decision on `decision`: the shortest lead that has begun;
/// none on or after the day itself.
pub fn decision_reminder_due(today: NaiveDate, decision: NaiveDate) -> Option<i64> {
    let left = (decision - today).num_days();
    if left <= 0 {
        return None;
    }
    DECISION_LEADS.iter().rev().find(|lead| left <= **lead).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn no_contract_is_active_before_the_standstill_has_ended() {
        let Ok(p) = StandstillPeriod::starting(utc("2027-01-08T09:00:00Z"), 20) else { panic!("period") };
        let start = date("2027-01-01");
        let early = may_activate(true, &p, start, utc("2027-01-28T22:59:59Z"));
        assert_eq!(early, Err(ContractRefusal::StandstillRunning("donderdag 28 januari 2027".into())));
        assert_eq!(may_activate(true, &p, start, utc("2027-01-28T23:00:00Z")), Ok(()));
        assert_eq!(may_activate(false, &p, start, utc("2027-02-28T12:00:00Z")), Err(ContractRefusal::NotDefinitive));
        assert!(matches!(
            may_activate(true, &p, date("2027-03-01"), utc("2027-02-28T12:00:00Z")),
            Err(ContractRefusal::BeforeStart(_))
        ));
    }

    #[test]
    fn four_plus_two_plus_two_years_end_the_day_before_the_anniversary() {
        let start = date("2028-02-29");
        assert_eq!(end_date(start, 4, &[2, 2], 0), Some(date("2032-02-28")), "a leap day start ends on the 28th");
        assert_eq!(end_date(date("2027-04-01"), 4, &[2, 2], 1), Some(date("2033-03-31")));
        assert_eq!(end_date(date("2027-04-01"), 4, &[2, 2], 2), Some(date("2035-03-31")));
        assert_eq!(end_date(date("2027-04-01"), 4, &[2, 2], 9), Some(date("2035-03-31")), "no more than offered");
    }

    #[test]
    fn the_extension_decision_is_due_months_before_the_end_with_reminders_before_it() {
        let d = decision_date(date("2031-03-31"), 6);
        assert_eq!(d, Some(date("2030-10-01")));
        let day = date("2030-10-01");
        assert_eq!(decision_reminder_due(date("2030-08-01"), day), None, "61 days before");
        assert_eq!(decision_reminder_due(date("2030-08-02"), day), Some(60));
        assert_eq!(decision_reminder_due(date("2030-09-16"), day), Some(60), "15 days before");
        assert_eq!(decision_reminder_due(date("2030-09-17"), day), Some(14));
        assert_eq!(decision_reminder_due(day, day), None, "on the day it is too late to remind");
    }
}
