//! Prijsscore (price score): the price points of every bid on a perceel under its published formula.
//!
//! Prices are whole cents; points are exact decimals (rust_decimal, 28 significant digits) and
//! are never rounded here: the published rounding rule applies once, to a bid's total, in
//! [`super::ranking`]. `WP` is the price weight in points of the 100 a perceel hands out
//! (a weight of 30% is 30 points); `Pmin` the lowest price among the bids scored together.
//!
//! - **relative to lowest**: `WP · Pmin / Pi`.
//! - **bandwidth**: `WP · (Pmax − Pi) / (Pmax − Pmin)` with the published bounds as `Pmin` and
//!   `Pmax`, clamped to `[0, WP]`: at or below the lower bound `WP`, at or above the upper bound 0.
//! - **logarithmic**: `WP · (1 − ln(Pi / Pmin) / ln A)`. Above `A · Pmin` the points go below
//!   zero and are not clamped: that is the formula as published, and a floor of zero would make
//!   every price beyond `A · Pmin` cost the same, so quality could buy an unlimited price.
//! - **fixed price**: no price points; quality alone decides. Every bid's price must be the fixed
//!   price (the perceel's ceiling price). A different price is refused as a problem of that bid
//!   ([`PriceProblem::NotTheFixedPrice`]) rather than scored or silently corrected: such a bid
//!   deviates from the tender's conditions, and excluding it is the inkoper's recorded decision.
//! - **gunnen op waarde**: no price points either; [`fictive_price`] ranks the bids, lowest first.
//!
//! For every formula a price is at least zero and at most the ceiling price, as the prijzenblad
//! enforces. Relative and logarithmic divide by the lowest price, so they refuse a price of zero
//! (`Pmin / 0` and `ln(Pi / 0)` have no value); bandwidth and gunnen op waarde take it.

use std::fmt;

use rust_decimal::{Decimal, MathematicalOps};

use super::lot::Lot;
use super::money;
use super::price_formula::{FormulaParams, PriceFormula};

/// A perceel's published price criterion, as the scoring needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriceRule {
    pub formula: PriceFormula,
    /// The weight of price in basis points (3000 = 30%); 0 with a fixed price and gunnen op waarde.
    pub weight_bp: i32,
    /// The ceiling price in cents; with a fixed price it is the fixed price.
    pub ceiling_cents: Option<i64>,
}

/// Why one bid's price cannot be scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriceProblem {
    Negative,
    /// Relative and logarithmic divide by the lowest price.
    Zero,
    AboveCeiling {
        ceiling_cents: i64,
    },
    NotTheFixedPrice {
        fixed_cents: i64,
    },
    /// Only for parameters no validated perceel has (a factor A of 1, say).
    Incalculable,
}

impl fmt::Display for PriceProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PriceProblem::Negative => write!(f, "Een prijs kan niet negatief zijn."),
            PriceProblem::Zero => write!(
                f,
                "Deze prijsformule deelt door de laagste prijs; een prijs van € 0,00 kan daarmee niet worden gescoord."
            ),
            PriceProblem::AboveCeiling { ceiling_cents } => write!(
                f,
                "De prijs ligt boven de plafondprijs van {}; zo'n inschrijving wordt niet aanvaard.",
                money::format_euro(*ceiling_cents)
            ),
            PriceProblem::NotTheFixedPrice { fixed_cents } => write!(
                f,
                "Bij een vaste prijs is de prijs {}; een andere prijs wijkt af van de voorwaarden en wordt niet gescoord.",
                money::format_euro(*fixed_cents)
            ),
            PriceProblem::Incalculable => write!(f, "De prijspunten zijn met deze formule niet te berekenen."),
        }
    }
}

/// The price weight as points of 100: 3000 bp is 30 points.
pub fn weight_points(weight_bp: i32) -> Decimal {
    Decimal::new(i64::from(weight_bp), 2)
}

impl PriceRule {
    /// The rule a stored perceel published; the message says what does not fit together.
    pub fn of(lot: &Lot) -> Result<PriceRule, String> {
        let p = &lot.price;
        let params =
            FormulaParams { bandwidth_min: p.bandwidth_min, bandwidth_max: p.bandwidth_max, log_factor: p.log_factor };
        let formula = PriceFormula::build(p.formula, &params)
            .map_err(|problems| problems.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "))?;
        let weight_bp = money::percent_to_bp(p.weight_percent)?;
        let ceiling_cents = lot.ceiling_price.map(money::to_cents).transpose()?;
        if formula == PriceFormula::FixedPrice && ceiling_cents.is_none() {
            return Err("Bij een vaste prijs is de plafondprijs de vaste prijs; die ontbreekt.".into());
        }
        Ok(PriceRule { formula, weight_bp, ceiling_cents })
    }

    /// Whether the formula gives price points; fixed price and gunnen op waarde do not.
    pub fn gives_points(&self) -> bool {
        !matches!(self.formula, PriceFormula::FixedPrice | PriceFormula::ValueForMoney)
    }

    /// What is wrong with one price on its own, whatever the other bids.
    pub fn check(&self, price_cents: i64) -> Option<PriceProblem> {
        let divides = matches!(self.formula, PriceFormula::RelativeToLowest | PriceFormula::Logarithmic { .. });
        match (self.formula, self.ceiling_cents) {
            _ if price_cents < 0 => Some(PriceProblem::Negative),
            (PriceFormula::FixedPrice, Some(fixed)) if price_cents != fixed => {
                Some(PriceProblem::NotTheFixedPrice { fixed_cents: fixed })
            }
            (_, Some(ceiling)) if price_cents > ceiling => Some(PriceProblem::AboveCeiling { ceiling_cents: ceiling }),
            _ if divides && price_cents == 0 => Some(PriceProblem::Zero),
            _ => None,
        }
    }

    /// The price points of each price, in the order given: `None` for every price when the
    /// formula gives no points. Fails with the position and problem of every price refused,
    /// since the others' points depend on the lowest price.
    pub fn points(&self, prices: &[i64]) -> Result<Vec<Option<Decimal>>, Vec<(usize, PriceProblem)>> {
        let refused: Vec<(usize, PriceProblem)> =
            prices.iter().enumerate().filter_map(|(i, p)| self.check(*p).map(|problem| (i, problem))).collect();
        if !refused.is_empty() {
            return Err(refused);
        }
        let Some(lowest) = prices.iter().copied().min() else { return Ok(Vec::new()) };
        prices
            .iter()
            .enumerate()
            .map(|(i, p)| self.points_of(*p, lowest).map_err(|problem| vec![(i, problem)]))
            .collect()
    }

    /// The price points of one price as an exact fraction `(numerator, denominator)`, the
    /// denominator above zero, for the formulas whose points are rational: relative to the
    /// lowest and the bandwidth. None for the others, and for prices the rule refuses.
    pub fn fraction(&self, price_cents: i64, lowest_cents: i64) -> Option<(i128, i128)> {
        let wp = i128::from(self.weight_bp);
        match self.formula {
            PriceFormula::RelativeToLowest if price_cents > 0 => {
                Some((wp * i128::from(lowest_cents), 100 * i128::from(price_cents)))
            }
            PriceFormula::Bandwidth { min_cents, max_cents } if max_cents > min_cents => {
                let p = price_cents.clamp(min_cents, max_cents);
                Some((wp * i128::from(max_cents - p), 100 * i128::from(max_cents - min_cents)))
            }
            _ => None,
        }
    }

    /// The price points of one price that passed [`Self::check`], given the lowest price.
    pub fn points_of(&self, price_cents: i64, lowest_cents: i64) -> Result<Option<Decimal>, PriceProblem> {
        let wp = weight_points(self.weight_bp);
        let (pi, pmin) = (Decimal::from(price_cents), Decimal::from(lowest_cents));
        let points = match self.formula {
            PriceFormula::FixedPrice | PriceFormula::ValueForMoney => return Ok(None),
            // Multiplying before dividing keeps results that are exact decimals exact.
            PriceFormula::RelativeToLowest => (wp * pmin).checked_div(pi),
            PriceFormula::Bandwidth { min_cents, max_cents } => {
                if price_cents <= min_cents {
                    Some(wp)
                } else if price_cents >= max_cents {
                    Some(Decimal::ZERO)
                } else {
                    let (min, max) = (Decimal::from(min_cents), Decimal::from(max_cents));
                    (wp * (max - pi)).checked_div(max - min)
                }
            }
            PriceFormula::Logarithmic { factor_milli } => {
                let ln_a = Decimal::new(i64::from(factor_milli), 3).checked_ln().filter(|l| !l.is_zero());
                let ln_ratio = pi.checked_div(pmin).and_then(|r| r.checked_ln());
                match (ln_ratio, ln_a) {
                    (Some(ln_ratio), Some(ln_a)) => (wp * ln_ratio).checked_div(ln_a).map(|share| wp - share),
                    _ => None,
                }
            }
        };
        points.map(Some).ok_or(PriceProblem::Incalculable)
    }
}

/// Gunnen op waarde: the fictive price in euros, the price less the quality value earned (in
/// cents, see [`super::ranking`]). A negative value — a malus — raises the fictive price.
pub fn fictive_price(price_cents: i64, value_cents: Decimal) -> Decimal {
    (Decimal::from(price_cents) - value_cents) / Decimal::ONE_HUNDRED
}

#[cfg(test)]
#[path = "price_score_tests.rs"]
mod tests;
