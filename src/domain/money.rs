//! Bedragen en gewichten (money and weights): exact decimals in code, integers in the database.
//!
//! Money is stored as whole cents, weights as basis points (1% = 100 bp). Converting refuses
//! anything that would need rounding: an amount with three decimals is an input error, not
//! something to round away silently.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Euros to cents; refuses negatives, more than two decimals and absurd amounts.
pub fn to_cents(euros: Decimal) -> Result<i64, String> {
    if euros.is_sign_negative() && !euros.is_zero() {
        return Err("Een bedrag kan niet negatief zijn.".into());
    }
    let cents = euros.checked_mul(Decimal::ONE_HUNDRED).ok_or("Dit bedrag is te groot.")?;
    if cents.fract() != Decimal::ZERO {
        return Err("Een bedrag heeft hoogstens twee decimalen (centen).".into());
    }
    cents.to_i64().filter(|c| *c <= 1_000_000_000_000).ok_or_else(|| "Dit bedrag is te groot.".into())
}

pub fn from_cents(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// A percentage to basis points; two decimals at most, between 0 and 100.
pub fn percent_to_bp(percent: Decimal) -> Result<i32, String> {
    if percent < Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
        return Err("Een gewicht ligt tussen 0 en 100 procent.".into());
    }
    let bp = percent * Decimal::ONE_HUNDRED;
    if bp.fract() != Decimal::ZERO {
        return Err("Een gewicht heeft hoogstens twee decimalen.".into());
    }
    bp.to_i32().ok_or_else(|| "Dit gewicht is ongeldig.".into())
}

pub fn bp_to_percent(bp: i32) -> Decimal {
    Decimal::new(i64::from(bp), 2).normalize()
}

/// Reads a number as people type it in a Dutch form: `1234,56`, `1.234,56` or `1234.56`.
pub fn parse_decimal_nl(input: &str) -> Result<Decimal, String> {
    let s: String = input.trim().chars().filter(|c| !c.is_whitespace() && *c != '€').collect();
    if s.is_empty() {
        return Err("Vul een getal in.".into());
    }
    let normalised = if s.contains(',') { s.replace('.', "").replace(',', ".") } else { s.clone() };
    normalised
        .parse::<Decimal>()
        .map_err(|_| format!("'{}' is geen getal; gebruik bijvoorbeeld 1234,50.", input.trim()))
}

/// `€ 1.234,56`
pub fn format_euro(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("€ {sign}{},{:02}", group_thousands(abs / 100), abs % 100)
}

/// `12,5%`
pub fn format_percent(bp: i32) -> String {
    format!("{}%", bp_to_percent(bp).to_string().replace('.', ","))
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Points and amounts the Dutch way; `decimals` only for display, the figures are computed exactly.
pub fn format_decimal_nl(value: Decimal, decimals: u32) -> String {
    let mut v = value.round_dp_with_strategy(decimals, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    v.rescale(decimals);
    let text = v.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let grouped: Vec<String> = whole.as_bytes().rchunks(3).rev().map(|c| String::from_utf8_lossy(c).into()).collect();
    let sign = if v.is_sign_negative() && !v.is_zero() { "-" } else { "" };
    let comma = if fraction.is_empty() { "" } else { "," };
    format!("{sign}{}{comma}{fraction}", grouped.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn cents_are_exact_and_never_rounded() {
        assert_eq!(to_cents(d("12345.67")), Ok(1_234_567));
        assert_eq!(to_cents(d("0")), Ok(0));
        assert!(to_cents(d("1.005")).is_err());
        assert!(to_cents(d("-1")).is_err());
        assert_eq!(to_cents(Decimal::MAX), Err("Dit bedrag is te groot.".to_string()));
        assert_eq!(from_cents(1_234_567), d("12345.67"));
    }

    #[test]
    fn large_amounts_survive_the_round_trip() {
        let cents = to_cents(d("9999999999.99")).unwrap_or_default();
        assert_eq!(from_cents(cents), d("9999999999.99"));
    }

    #[test]
    fn weights_are_basis_points() {
        assert_eq!(percent_to_bp(d("12.5")), Ok(1250));
        assert_eq!(percent_to_bp(d("100")), Ok(10_000));
        assert!(percent_to_bp(d("100.01")).is_err());
        assert!(percent_to_bp(d("33.333")).is_err());
        assert_eq!(bp_to_percent(1250), d("12.5"));
    }

    #[test]
    fn dutch_number_input_is_understood() {
        assert_eq!(parse_decimal_nl("1.234,56"), Ok(d("1234.56")));
        assert_eq!(parse_decimal_nl("€ 1234,5"), Ok(d("1234.5")));
        assert_eq!(parse_decimal_nl("1234.56"), Ok(d("1234.56")));
        assert!(parse_decimal_nl("twaalf").is_err());
    }

    #[test]
    fn amounts_are_shown_the_dutch_way() {
        assert_eq!(format_euro(123_456_789), "€ 1.234.567,89");
        assert_eq!(format_euro(5), "€ 0,05");
        assert_eq!(format_percent(1250), "12,5%");
        assert_eq!(format_percent(4000), "40%");
    }
}
