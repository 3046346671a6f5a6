//! Feestdag (public holiday): the days on which a legal period may not end.
//!
//! The Algemene termijnenwet (art. 1 and 3) moves the end of a period set by law — such as the
//! Alcatel-termijn — from a Saturday, Sunday or generally recognised holiday to the next day that
//! is none of these.

use chrono::{Datelike, NaiveDate, Weekday};

/// Whether `day` is a Saturday, Sunday or holiday: a day a legal period does not end on.
pub fn is_rest_day(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || holiday(day).is_some()
}

/// The first day from `day` on that is no rest day.
pub fn next_working_day(mut day: NaiveDate) -> NaiveDate {
    while is_rest_day(day) {
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    day
}

/// The Dutch name of the holiday on `day`, if it is one.
///
/// The list of art. 3 Algemene termijnenwet, plus Goede Vrijdag: that day is not in the law
/// itself, but a period one day longer is always lawful, while one ending on a day the
/// government treats as a holiday could be one day short.
pub fn holiday(day: NaiveDate) -> Option<&'static str> {
    let year = day.year();
    let easter = easter_sunday(year)?;
    let fixed = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let from_easter = |days: i64| easter.checked_add_signed(chrono::Duration::days(days));
    // Koningsdag is 27 April, or the 26th when the 27th is a Sunday (Wet Koningsdag, since 2014).
    let kings_day = fixed(4, 27).map(|d| if d.weekday() == Weekday::Sun { d.pred_opt().unwrap_or(d) } else { d });
    [
        (fixed(1, 1), "Nieuwjaarsdag"),
        (from_easter(-2), "Goede Vrijdag"),
        (from_easter(1), "tweede paasdag"),
        (kings_day, "Koningsdag"),
        (fixed(5, 5), "Bevrijdingsdag"),
        (from_easter(39), "Hemelvaartsdag"),
        (from_easter(50), "tweede pinksterdag"),
        (fixed(12, 25), "eerste kerstdag"),
        (fixed(12, 26), "tweede kerstdag"),
    ]
    .into_iter()
    .find(|(d, _)| *d == Some(day))
    .map(|(_, name)| name)
}

/// Easter Sunday in the Gregorian calendar (the anonymous algorithm of Meeus, Jones and Butcher).
fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let (a, b, c) = (year % 19, year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn easter_falls_on_the_published_sundays() {
        for (year, sunday) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter_sunday(year), Some(date(sunday)), "{year}");
        }
    }

    #[test]
    fn the_holidays_of_2027_are_named() {
        let named: Vec<_> = [
            "2027-01-01",
            "2027-03-26",
            "2027-03-29",
            "2027-04-27",
            "2027-05-05",
            "2027-05-06",
            "2027-05-17",
            "2027-12-25",
            "2027-12-26",
        ]
        .into_iter()
        .map(|d| holiday(date(d)))
        .collect();
        assert!(named.iter().all(Option::is_some), "{named:?}");
        assert_eq!(holiday(date("2027-03-28")), None, "eerste paasdag is a Sunday anyway, not in the list");
        assert_eq!(holiday(date("2027-04-26")), None);
    }

    #[test]
    fn kings_day_moves_to_saturday_when_the_27th_is_a_sunday() {
        assert_eq!(holiday(date("2025-04-26")), Some("Koningsdag"));
        assert_eq!(holiday(date("2025-04-27")), None);
    }

    #[test]
    fn the_next_working_day_skips_weekends_and_holidays_together() {
        assert_eq!(next_working_day(date("2027-03-26")), date("2027-03-30"), "Goede Vrijdag, weekend, tweede paasdag");
        assert_eq!(next_working_day(date("2027-12-25")), date("2027-12-27"));
        assert_eq!(next_working_day(date("2027-03-02")), date("2027-03-02"), "a Tuesday stays");
    }
}
