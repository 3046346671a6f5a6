//! Exacte totaalscore (exact total): a bid's quality and price points added as one fraction of
//! whole numbers and rounded once, exactly, by the published rule — no intermediate rounding at
//! all. Used whenever the scales give exact decimal scores and the price formula is rational
//! (relative to the lowest, bandwidth, or none); the logarithm and scales such as 0–3 go through
//! decimal arithmetic instead ([`super::ranking`]).
//!
//! The price points `n / d` are worked out to [`SHOWN`] decimals, cut off, with a note whether
//! anything was cut; the quality is exact at that scale. Whether the exact total lies below,
//! on or above a rounding midpoint follows from those digits and that note, so the rounding is
//! that of the exact fraction. The unrounded figures reported beside it show [`SHOWN`] decimals.

use rust_decimal::Decimal;

use super::rounding::{RoundingMode, RoundingRule};

/// Decimals of the unrounded price points and total as reported and worked with.
pub const SHOWN: u32 = 16;

const POWERS: [i128; 17] = {
    let mut p = [1i128; 17];
    let mut i = 1;
    while i < p.len() {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

#[derive(Clone, Copy, Debug)]
pub struct Totals {
    pub price_points: Option<Decimal>,
    pub total: Decimal,
    pub total_rounded: Decimal,
}

/// The totals of a bid with `quality_units / 10^k` quality points and price points `n / d`
/// (none for a formula without them; `n` at least 0, `d` above 0). None when a figure would
/// not fit: the caller then computes in decimals.
pub fn totals(quality_units: i128, k: u32, price: Option<(i128, i128)>, rule: RoundingRule) -> Option<Totals> {
    let (n, d) = price.unwrap_or((0, 1));
    if d <= 0 || n < 0 {
        return None;
    }
    let scaled = n.checked_mul(POWERS[SHOWN as usize])?;
    // Both are at least zero: unsigned division, which takes a faster path for a small divisor.
    let price_units = i128::try_from(u128::try_from(scaled).ok()? / u128::try_from(d).ok()?).ok()?;
    let cut = scaled - price_units * d != 0;
    // floor(total × 10^SHOWN): the quality part is a whole number there, the price part floored.
    let total_units =
        quality_units.checked_mul(*POWERS.get(SHOWN.checked_sub(k)? as usize)?)?.checked_add(price_units)?;
    let unit = *POWERS.get(SHOWN.checked_sub(rule.decimals)? as usize)?;
    // One division, in 64 bits when the total fits (it does for any perceel's points).
    let q = match (i64::try_from(total_units), i64::try_from(unit)) {
        (Ok(t), Ok(u)) => i128::from(t.div_euclid(u)),
        _ => total_units.div_euclid(unit),
    };
    let r = total_units - q * unit;
    // The exact total is q + (r + a cut-off part below one) / unit, the cut-off part above zero
    // exactly when `cut`.
    let above_floor = r != 0 || cut;
    let up = match rule.mode {
        RoundingMode::Down => total_units < 0 && above_floor,
        RoundingMode::HalfUp => 2 * r > unit || (2 * r == unit && (cut || total_units > 0)),
        RoundingMode::HalfEven => 2 * r > unit || (2 * r == unit && (cut || q % 2 != 0)),
    };
    let shown = |units: i128, scale: u32| Decimal::try_from_i128_with_scale(units, scale).ok();
    Some(Totals {
        price_points: match price {
            Some(_) => Some(shown(price_units, SHOWN)?),
            None => None,
        },
        total: shown(total_units, SHOWN)?,
        total_rounded: shown(q + i128::from(up), rule.decimals)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or(Decimal::MIN)
    }

    const HALF_UP: RoundingRule = RoundingRule { decimals: 2, mode: RoundingMode::HalfUp };

    #[test]
    fn quality_and_a_price_fraction_round_once() {
        // 56 quality points and 30 · 6440 / 6500 = 29,7230769… price points: 85,7230769… → 85,72.
        let t = totals(56_000, 3, Some((3000 * 644_000, 100 * 650_000)), HALF_UP).expect("fits");
        assert_eq!(t.total_rounded, d("85.72"));
        assert_eq!(t.total_rounded.scale(), 2);
        assert_eq!(t.price_points, Some(d("29.7230769230769230")));
        assert_eq!(t.total, d("85.7230769230769230"));
    }

    #[test]
    fn a_midpoint_follows_the_mode_and_a_hair_above_it_goes_up() {
        // 10,005 exactly: up, even (10,00), down.
        let exact = |mode| totals(10_005, 3, None, RoundingRule { decimals: 2, mode }).map(|t| t.total_rounded);
        assert_eq!(exact(RoundingMode::HalfUp), Some(d("10.01")));
        assert_eq!(exact(RoundingMode::HalfEven), Some(d("10.00")));
        assert_eq!(exact(RoundingMode::Down), Some(d("10.00")));
        // 10,004 + 1/1000 + 1/10^20: past the midpoint, though its first 16 decimals sit on it.
        let hair = Some((100_000_000_000_000_001, 100_000_000_000_000_000_000));
        let above = |mode| totals(10_004, 3, hair, RoundingRule { decimals: 2, mode }).map(|t| t.total_rounded);
        assert_eq!(above(RoundingMode::HalfEven), Some(d("10.01")));
        assert_eq!(above(RoundingMode::HalfUp), Some(d("10.01")));
        assert_eq!(above(RoundingMode::Down), Some(d("10.00")));
    }

    #[test]
    fn a_negative_total_rounds_away_from_zero_half_up_and_towards_it_down() {
        let minus = |mode| totals(-10_005, 3, None, RoundingRule { decimals: 2, mode }).map(|t| t.total_rounded);
        assert_eq!(minus(RoundingMode::HalfUp), Some(d("-10.01")));
        assert_eq!(minus(RoundingMode::Down), Some(d("-10.00")));
    }
}
