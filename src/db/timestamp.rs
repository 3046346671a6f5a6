//! Tijdstip (timestamp) columns read in bulk: as text in the layout both databases give
//! ("2026-12-03 18:02:11.123456"; PostgreSQL's connections are set to DateStyle ISO for it)
//! and parsed by position. diesel reads a SQLite timestamp by
//! trying a list of chrono format strings, which for the 150,000 scores of a large
//! aanbesteding cost more than reading the rows themselves.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::expression::SqlLiteral;
use diesel::sql_types::{Nullable, Text};

use crate::errors::Error;

/// `column` ("table.column", a timestamp) as text.
pub fn as_text(column: &'static str) -> SqlLiteral<Nullable<Text>> {
    sql::<Nullable<Text>>(&format!("CAST({column} AS TEXT)"))
}

/// A timestamp as [`as_text`] gives it.
pub fn parse(s: &str) -> Result<NaiveDateTime, Error> {
    let bad = || Error::Internal(format!("tijdstip '{s}' niet leesbaar"));
    let b = s.as_bytes();
    let layout = b.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b' ' || b[10] == b'T')
        && b[13] == b':'
        && b[16] == b':';
    if !layout {
        return Err(bad());
    }
    let number = |from: usize, to: usize| s.get(from..to).and_then(|x| x.parse::<u32>().ok()).ok_or_else(bad);
    let nanos = match s.get(19..) {
        None | Some("") => 0,
        Some(f) => {
            let digits = f.strip_prefix('.').filter(|d| (1..=9).contains(&d.len())).ok_or_else(bad)?;
            let value: u32 = digits.parse().map_err(|_| bad())?;
            value * 10u32.pow(9 - digits.len() as u32)
        }
    };
    let year = i32::try_from(number(0, 4)?).map_err(|_| bad())?;
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)
        .and_then(|d| d.and_hms_nano_opt(hour, minute, second, nanos))
        .ok_or_else(bad)
}

/// As [`parse`], for a column that may be empty.
pub fn parse_optional(s: Option<String>) -> Result<Option<NaiveDateTime>, Error> {
    s.map(|s| parse(&s)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_databases_layouts_are_read_to_the_nanosecond() {
        let at = |s: &str| parse(s).map(|t| t.format("%F %T%.9f").to_string()).unwrap_or_default();
        assert_eq!(at("2026-12-03 18:02:11.123456"), "2026-12-03 18:02:11.123456000");
        assert_eq!(at("2026-12-03 18:02:11.12"), "2026-12-03 18:02:11.120000000", "PostgreSQL drops trailing zeros");
        assert_eq!(at("2026-12-03 18:02:11"), "2026-12-03 18:02:11.000000000");
        assert_eq!(at("2026-12-03T18:02:11.000000001"), "2026-12-03 18:02:11.000000001");
        for wrong in [
            "",
            "2026-12-03",
            "2026-13-03 18:02:11",
            "2026-12-03 18:02:11.",
            "2026-12-03 18:02:11+01",
            "20a6-12-03 18:02:11",
        ] {
            assert!(parse(wrong).is_err(), "{wrong}");
        }
    }
}
