//! Alcatel-termijn (standstill period): the days after the voornemen tot gunning in which
//! bidders may object, before the definitieve gunning and before any contract starts.
//!
//! Art. 2.127 Aw: at least 20 calendar days, counted from the day after the day the decision was
//! sent. Days are Dutch calendar days (Europe/Amsterdam), whatever the clock says in UTC. When
//! the last day is a Saturday, Sunday or holiday, the Algemene termijnenwet moves it to the next
//! working day. The period ends at midnight after its last day.

use super::deadline::ZONE;
use super::holiday;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};

/// One standstill period, as the award letters state it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandstillPeriod {
    /// When the letters went out, all at once.
    pub sent_at: DateTime<Utc>,
    /// The calendar days the tender published (20 unless a shorter period was motivated).
    pub days: i32,
    /// The day after the day of sending: the first day of the period.
    pub first_day: NaiveDate,
    /// The last day on which an objection is in time, after moving it past rest days.
    pub last_day: NaiveDate,
    /// Why the last day lies beyond `days` calendar days, when it does.
    pub moved_past: Option<String>,
    /// Midnight after the last day, Dutch time: from then on the award may become definitive.
    pub ends_at: DateTime<Utc>,
}

impl StandstillPeriod {
    /// The period that starts with letters sent at `sent_at`, lasting `days` calendar days.
    pub fn starting(sent_at: DateTime<Utc>, days: i32) -> Result<StandstillPeriod, String> {
        if days < 1 {
            return Err("De Alcatel-termijn is ten minste 1 kalenderdag.".into());
        }
        let sent_day = sent_at.with_timezone(&ZONE).date_naive();
        let first_day = add_days(sent_day, 1)?;
        let nominal = add_days(sent_day, i64::from(days))?;
        let last_day = holiday::next_working_day(nominal);
        let moved_past = (last_day != nominal).then(|| reason(nominal));
        let after = add_days(last_day, 1)?;
        let midnight = after.and_hms_opt(0, 0, 0).ok_or("Geen geldige middernacht.")?;
        // Midnight exists exactly once in Amsterdam: the clock changes at 02:00 and 03:00.
        let ends_at = ZONE
            .from_local_datetime(&midnight)
            .single()
            .ok_or("Het einde van de Alcatel-termijn is geen eenduidig tijdstip.")?
            .with_timezone(&Utc);
        Ok(StandstillPeriod { sent_at, days, first_day, last_day, moved_past, ends_at })
    }

    /// Whether the period is over at `now`: the award may then become definitive, if nothing
    /// suspends it.
    pub fn has_ended(&self, now: DateTime<Utc>) -> bool {
        now >= self.ends_at
    }
}

fn add_days(day: NaiveDate, n: i64) -> Result<NaiveDate, String> {
    day.checked_add_signed(Duration::days(n)).ok_or_else(|| "Deze datum ligt buiten de kalender.".into())
}

/// "30 oktober 2027 is een zaterdag": why the last day moved.
fn reason(nominal: NaiveDate) -> String {
    let what = match (holiday::holiday(nominal), nominal.weekday()) {
        (Some(name), _) => name,
        (None, Weekday::Sat) => "een zaterdag",
        (None, _) => "een zondag",
    };
    format!(
        "{} is {what}; de termijn loopt daarom door tot de eerstvolgende werkdag (Algemene termijnenwet).",
        super::deadline::format_date_nl(nominal)
    )
}

#[cfg(test)]
#[path = "standstill_tests.rs"]
mod tests;
