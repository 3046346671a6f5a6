//! Termijn (deadline): instants entered in Dutch local time to the minute, stored in UTC.
//!
//! One rule throughout: what a person types is Europe/Amsterdam wall-clock time; what the
//! service stores and compares is UTC. Wall-clock times that do not exist (the hour skipped
//! in March) or exist twice (the hour repeated in October) are refused: a deadline must
//! never be ambiguous.

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Amsterdam;
use chrono_tz::Tz;

pub const ZONE: Tz = Amsterdam;

/// Parses `2027-01-15T12:00` (Dutch local time, as an HTML datetime-local field sends it),
/// `2027-01-15 12:00`, or an RFC 3339 instant with offset (`2027-01-15T12:00:00+01:00`).
/// Seconds are allowed only when zero: deadlines are set to the minute.
pub fn parse(input: &str) -> Result<DateTime<Utc>, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("Vul een datum en tijd in.".into());
    }
    let instant = if let Ok(with_offset) = DateTime::parse_from_rfc3339(s) {
        with_offset.with_timezone(&Utc)
    } else {
        let local = parse_naive(s)
            .ok_or_else(|| format!("'{s}' is geen geldige datum en tijd; gebruik bijvoorbeeld 2027-01-15T12:00."))?;
        from_local(local)?
    };
    if instant.second() != 0 || instant.nanosecond() != 0 {
        return Err("Een termijn wordt op de minuut gezet; laat de seconden weg.".into());
    }
    Ok(instant)
}

fn parse_naive(s: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
}

/// Dutch wall-clock time to UTC, refusing times that the clock change skips or repeats.
pub fn from_local(local: NaiveDateTime) -> Result<DateTime<Utc>, String> {
    match ZONE.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(format!(
            "{} bestaat niet in Nederland: de klok springt dan een uur vooruit (zomertijd). Kies een ander tijdstip.",
            local.format("%d-%m-%Y %H:%M")
        )),
        LocalResult::Ambiguous(_, _) => Err(format!(
            "{} komt in Nederland twee keer voor: de klok gaat dan een uur terug (wintertijd). Kies een ander tijdstip.",
            local.format("%d-%m-%Y %H:%M")
        )),
    }
}

pub fn to_local(instant: DateTime<Utc>) -> DateTime<Tz> {
    instant.with_timezone(&ZONE)
}

/// The value an HTML datetime-local field needs: `2027-01-15T12:00` in Dutch time.
pub fn input_value(instant: DateTime<Utc>) -> String {
    to_local(instant).format("%Y-%m-%dT%H:%M").to_string()
}

const WEEKDAYS: [&str; 7] = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// `vrijdag 15 januari 2027 12:00` in Dutch local time.
pub fn format_nl(instant: DateTime<Utc>) -> String {
    let t = to_local(instant);
    format!("{} {:02}:{:02}", format_date_nl(t.date_naive()), t.hour(), t.minute())
}

/// `vrijdag 15 januari 2027`: a calendar day, as letters name it.
pub fn format_date_nl(day: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        WEEKDAYS[day.weekday().num_days_from_monday() as usize],
        day.day(),
        MONTHS[day.month0() as usize],
        day.year()
    )
}

/// `vrijdag 15 januari 2027 12:00:07`: for receipts and late arrivals, to the second.
pub fn format_nl_seconds(instant: DateTime<Utc>) -> String {
    format!("{}:{:02}", format_nl(instant), to_local(instant).second())
}

/// Short form for tables: `15-01-2027 12:00`.
pub fn format_short(instant: DateTime<Utc>) -> String {
    to_local(instant).format("%d-%m-%Y %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    #[test]
    fn winter_time_is_one_hour_ahead_of_utc() {
        assert_eq!(parse("2027-01-15T12:00"), Ok(utc("2027-01-15T11:00:00Z")));
    }

    #[test]
    fn summer_time_is_two_hours_ahead_of_utc() {
        assert_eq!(parse("2027-06-15 12:00"), Ok(utc("2027-06-15T10:00:00Z")));
    }

    #[test]
    fn an_instant_with_offset_is_taken_as_given() {
        assert_eq!(parse("2027-01-15T12:00:00+01:00"), Ok(utc("2027-01-15T11:00:00Z")));
        assert_eq!(parse("2027-01-15T11:00:00Z"), Ok(utc("2027-01-15T11:00:00Z")));
    }

    #[test]
    fn the_skipped_hour_in_march_is_refused() {
        let err = parse("2027-03-28T02:30").unwrap_err();
        assert!(err.contains("bestaat niet"), "{err}");
    }

    #[test]
    fn the_repeated_hour_in_october_is_refused() {
        let err = parse("2027-10-31T02:30").unwrap_err();
        assert!(err.contains("twee keer"), "{err}");
    }

    #[test]
    fn seconds_are_refused_because_deadlines_are_to_the_minute() {
        assert!(parse("2027-01-15T12:00:30").is_err());
        assert!(parse("2027-01-15T12:00:00").is_ok());
    }

    #[test]
    fn nonsense_gets_an_example_of_the_right_form() {
        let err = parse("volgende week").unwrap_err();
        assert!(err.contains("2027-01-15T12:00"), "{err}");
        assert!(parse("  ").is_err());
    }

    #[test]
    fn dutch_formatting_uses_local_time() {
        let t = utc("2027-01-15T11:00:00Z");
        assert_eq!(format_nl(t), "vrijdag 15 januari 2027 12:00");
        assert_eq!(format_short(t), "15-01-2027 12:00");
        assert_eq!(input_value(t), "2027-01-15T12:00");
    }
}
