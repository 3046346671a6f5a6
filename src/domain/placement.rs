//! Plaatsing (placement): one cursist on one contract, known to the service only by the
//! gemeente's internal reference. A full contract refuses a placement unless a klantmanager
//! overrules it with a reason; moving many cursisten at once to another provider is warned.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::forecast::HalfYear;
use crate::errors::{Error, Problems};

/// Blik op Werk asks to be told when more than this many cursisten move to another provider.
pub const MOVE_WARNING_ABOVE: usize = 15;
/// An overruling reason says something: at least this many characters.
const REASON_MIN: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EndReason {
    /// The trajectory was completed.
    Afgerond,
    /// Ended early because the cursist moved to a lighter route or needs no more.
    Afgeschaald,
    /// The cursist dropped out.
    Uitgevallen,
}

impl EndReason {
    pub const ALL: [EndReason; 3] = [EndReason::Afgerond, EndReason::Afgeschaald, EndReason::Uitgevallen];

    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Afgerond => "afgerond",
            EndReason::Afgeschaald => "afgeschaald",
            EndReason::Uitgevallen => "uitgevallen",
        }
    }

    pub fn parse(s: &str) -> Option<EndReason> {
        EndReason::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }
}

/// The half year a date falls in.
pub fn half_of(date: NaiveDate) -> HalfYear {
    HalfYear { year: date.year(), half: if date.month() <= 6 { 1 } else { 2 } }
}

impl HalfYear {
    /// The number stored for a half year, so SQL can group and compare without date functions.
    pub fn index(self) -> i32 {
        self.year * 2 + i32::from(self.half) - 1
    }

    pub fn from_index(i: i32) -> HalfYear {
        HalfYear { year: i.div_euclid(2), half: if i.rem_euclid(2) == 0 { 1 } else { 2 } }
    }
}

/// An internal reference: a case number of the gemeente, never a name, BSN or e-mail address.
pub fn check_reference(p: &mut Problems, reference: &str) {
    let r = reference.trim();
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.');
    if r.is_empty() {
        p.add("reference", "Vul het interne kenmerk in, zoals het zaaknummer.");
    } else if r.chars().count() > 40 || !r.chars().all(allowed) {
        p.add("reference", "Een kenmerk is hoogstens 40 letters, cijfers, '-', '_', '/' of '.', zonder spaties.");
    } else if r.len() == 9 && r.chars().all(|c| c.is_ascii_digit()) {
        p.add("reference", "Dit lijkt een BSN. Gebruik een intern kenmerk: er komen geen persoonsgegevens in.");
    }
}

/// Whether a placement may go on a contract with `places` this year (none: no capacity
/// contracted) of which `used` are taken, given the klantmanager's overruling reason.
pub fn admit(places: Option<u32>, used: u32, overrule: &str) -> Result<Overruled, Error> {
    let full = places.is_none_or(|p| used >= p);
    if !full {
        return Ok(Overruled::No);
    }
    if overrule.trim().chars().count() >= REASON_MIN {
        return Ok(Overruled::Yes);
    }
    let why = match places {
        None => "Dit contract heeft voor dat jaar geen plaatsen voor deze gemeente.".to_owned(),
        Some(p) => format!("Dit contract is vol: {used} van {p} plaatsen zijn bezet."),
    };
    Err(Error::invalid(
        "overrule_reason",
        format!("{why} Plaats alleen met een reden van ten minste {REASON_MIN} tekens om toch te plaatsen."),
    ))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overruled {
    No,
    Yes,
}

/// More than [`MOVE_WARNING_ABOVE`] cursisten at once need an explicit confirmation.
pub fn check_move(count: usize, confirmed: bool) -> Result<(), Error> {
    if count > MOVE_WARNING_ABOVE && !confirmed {
        return Err(Error::invalid(
            "confirm",
            format!(
                "U verplaatst {count} cursisten naar een andere aanbieder: meer dan {MOVE_WARNING_ABOVE}. \
                 Meld dit bij Blik op Werk en bevestig de verplaatsing."
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: Problems) -> Vec<String> {
        p.0.into_iter().map(|f| f.reason).collect()
    }

    #[test]
    fn a_reference_is_internal_and_never_personal() {
        for ok in ["Z-2027-0042", "HRN/123", "a.b_c"] {
            let mut p = Problems::default();
            check_reference(&mut p, ok);
            assert!(p.is_empty(), "{ok}");
        }
        for (bad, starts) in [
            ("", "Vul"),
            ("Jan de Vries", "Een kenmerk"),
            ("jan@hoorn.nl", "Een kenmerk"),
            ("123456782", "Dit lijkt een BSN"),
        ] {
            let mut p = Problems::default();
            check_reference(&mut p, bad);
            assert!(names(p).first().is_some_and(|m| m.starts_with(starts)), "{bad}");
        }
    }

    #[test]
    fn a_full_contract_refuses_unless_overruled_with_a_reason() {
        assert_eq!(admit(Some(10), 9, "").ok(), Some(Overruled::No));
        let full = match admit(Some(10), 10, "") {
            Err(Error::Validation(list)) => list.into_iter().map(|f| f.reason).collect::<String>(),
            _ => String::new(),
        };
        assert!(full.contains("10 van 10 plaatsen"), "{full}");
        assert!(admit(Some(10), 10, "te kort").is_err(), "a reason says something");
        assert_eq!(admit(Some(10), 12, "Wachtlijst elders langer dan 10 weken").ok(), Some(Overruled::Yes));
        assert!(admit(None, 0, "").is_err(), "no capacity is no room");
    }

    #[test]
    fn more_than_fifteen_moving_need_a_confirmation() {
        assert!(check_move(15, false).is_ok());
        assert!(check_move(16, false).is_err());
        assert!(check_move(16, true).is_ok());
    }

    #[test]
    fn half_years_number_in_order() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        assert_eq!(half_of(d("2027-06-30")).to_string(), "2027-H1");
        assert_eq!(half_of(d("2027-07-01")).to_string(), "2027-H2");
        let h = half_of(d("2027-07-01"));
        assert_eq!(HalfYear::from_index(h.index()), h);
        assert_eq!(half_of(d("2028-01-01")).index(), h.index() + 1);
    }
}
