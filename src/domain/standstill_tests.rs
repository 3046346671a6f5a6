//! Worked examples of the Alcatel-termijn: month ends, leap years, clock changes, rest days.

use super::*;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn period(sent: &str, days: i32) -> StandstillPeriod {
    match StandstillPeriod::starting(utc(sent), days) {
        Ok(p) => p,
        Err(e) => panic!("{sent}: {e}"),
    }
}

#[test]
fn twenty_days_count_from_the_day_after_sending() {
    let p = period("2027-01-08T09:00:00Z", 20);
    assert_eq!((p.first_day, p.last_day), (date("2027-01-09"), date("2027-01-28")));
    assert_eq!(p.moved_past, None);
    assert_eq!(p.ends_at, utc("2027-01-28T23:00:00Z"), "midnight after the last day, winter time");
    assert!(!p.has_ended(utc("2027-01-28T22:59:59Z")));
    assert!(p.has_ended(utc("2027-01-28T23:00:00Z")));
}

#[test]
fn the_day_of_sending_is_the_dutch_calendar_day_not_the_utc_one() {
    // 23:30 UTC on 8 January is 00:30 on the 9th in Amsterdam: the count starts on the 10th.
    let p = period("2027-01-08T23:30:00Z", 20);
    assert_eq!((p.first_day, p.last_day), (date("2027-01-10"), date("2027-01-29")));
}

#[test]
fn across_the_end_of_february_in_a_common_and_a_leap_year() {
    assert_eq!(period("2027-02-10T10:00:00Z", 20).last_day, date("2027-03-02"));
    let leap = period("2028-02-10T10:00:00Z", 20);
    assert_eq!(leap.last_day, date("2028-03-01"), "29 February counts as a day");
    assert_eq!(leap.ends_at, utc("2028-03-01T23:00:00Z"));
}

#[test]
fn across_the_end_of_a_31_day_month_and_the_year() {
    assert_eq!(period("2027-07-20T10:00:00Z", 20).last_day, date("2027-08-09"));
    let p = period("2027-12-20T10:00:00Z", 20);
    assert_eq!(p.last_day, date("2028-01-10"), "9 January 2028 is a Sunday: moved to Monday the 10th");
    assert!(p.moved_past.is_some_and(|r| r.starts_with("zondag 9 januari 2028 is een zondag")));
}

#[test]
fn when_summer_time_starts_during_the_period_it_ends_at_midnight_summer_time() {
    let p = period("2027-03-10T10:00:00Z", 20);
    assert_eq!(p.last_day, date("2027-03-30"), "the clock moved on 28 March");
    assert_eq!(p.ends_at, utc("2027-03-30T22:00:00Z"), "00:00 CEST is 22:00 UTC");
    assert_eq!(
        p.ends_at - p.sent_at,
        Duration::hours(20 * 24 + 12),
        "11:00 CET to 00:00 CEST: one hour fewer than the clocks suggest"
    );
}

#[test]
fn when_winter_time_starts_during_the_period_it_ends_at_midnight_winter_time() {
    // Sent at 00:30 Dutch summer time on 11 October (22:30 UTC on the 10th); the clock goes back on 31 October.
    let p = period("2027-10-10T22:30:00Z", 20);
    assert_eq!(p.first_day, date("2027-10-12"));
    assert_eq!(p.last_day, date("2027-11-01"), "31 October is a Sunday");
    assert_eq!(p.ends_at, utc("2027-11-01T23:00:00Z"), "00:00 CET is 23:00 UTC");
}

#[test]
fn a_last_day_on_a_saturday_moves_to_monday() {
    let p = period("2027-10-10T10:00:00Z", 20);
    assert_eq!(p.last_day, date("2027-11-01"), "30 October 2027 is a Saturday");
    assert!(p.moved_past.is_some_and(|r| r.starts_with("zaterdag 30 oktober 2027 is een zaterdag")));
}

#[test]
fn easter_pushes_the_last_day_past_good_friday_the_weekend_and_easter_monday() {
    let p = period("2027-03-06T10:00:00Z", 20);
    assert_eq!(p.last_day, date("2027-03-30"));
    assert!(p.moved_past.is_some_and(|r| r.contains("Goede Vrijdag")));
    assert_eq!(period("2027-03-09T10:00:00Z", 20).last_day, date("2027-03-30"), "tweede paasdag");
}

#[test]
fn christmas_and_kings_day_are_no_last_days() {
    assert_eq!(period("2027-12-05T10:00:00Z", 20).last_day, date("2027-12-27"), "Christmas on a weekend");
    assert_eq!(period("2027-04-07T10:00:00Z", 20).last_day, date("2027-04-28"), "Koningsdag, a Tuesday");
}

#[test]
fn a_shorter_published_period_counts_the_same_way_and_zero_is_refused() {
    let p = period("2027-03-15T10:00:00Z", 14);
    assert_eq!(p.last_day, date("2027-03-30"), "29 March is tweede paasdag");
    assert!(StandstillPeriod::starting(utc("2027-03-15T10:00:00Z"), 0).is_err());
}

#[test]
fn the_period_is_never_shorter_than_its_days_whatever_the_hour_of_sending() {
    let mut sent = utc("2027-01-01T00:00:00Z");
    while sent < utc("2028-01-01T00:00:00Z") {
        let p = period(&sent.to_rfc3339(), 20);
        let sent_day = sent.with_timezone(&ZONE).date_naive();
        assert!((p.last_day - sent_day).num_days() >= 20, "{sent}");
        assert!((p.last_day - sent_day).num_days() <= 20 + 4, "{sent}: at most four rest days in a row");
        assert!(!holiday::is_rest_day(p.last_day), "{sent}");
        sent += Duration::minutes(397);
    }
}
