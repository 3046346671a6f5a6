//! Opzet van de rangorde (ranking set-up): what a perceel published that its ranking needs —
//! the criteria with weights, scales and values, the price rule, the rounding rule and the
//! number of winners — read from a stored perceel or built by the database side directly.

use serde::{Deserialize, Serialize};

use super::lot::{FULL_WEIGHT_BP, Lot};
use super::money;
use super::price_formula::PriceFormula;
use super::price_score::PriceRule;
use super::rounding::RoundingRule;
use super::scale::Scale;

/// A quality criterion as the ranking needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionSetup {
    pub criterion_id: i64,
    /// Weight in basis points (2500 = 25%); 0 with gunnen op waarde.
    pub weight_bp: i32,
    /// The points of its scale's steps, in any order; the highest is the max points.
    pub scale_points: Vec<i32>,
    /// With gunnen op waarde: the value in cents of the max points.
    pub value_cents: Option<i64>,
}

impl CriterionSetup {
    pub fn max_points(&self) -> i32 {
        self.scale_points.iter().copied().max().unwrap_or(0)
    }
}

/// A perceel's published set-up: criteria, price rule, rounding rule and number of winners.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    /// The quality criteria in the perceel's order; results list them in this order.
    pub criteria: Vec<CriterionSetup>,
    pub price: PriceRule,
    /// The tender's published rounding rule, applied once to each total.
    pub rounding: RoundingRule,
    /// How many bids the raamovereenkomst takes (`max_winners` of the perceel).
    pub max_winners: u32,
}

pub const MAX_CRITERIA: usize = 100;
/// Scale points lie within ±100; negative steps are a malus.
pub const MAX_SCALE_POINTS: i32 = 100;
const MAX_VALUE_CENTS: i64 = 1_000_000_000_000;

impl Setup {
    /// The set-up a stored perceel published, with its tender's scales and rounding rule.
    pub fn of(lot: &Lot, scales: &[Scale], rounding: RoundingRule) -> Result<Setup, String> {
        let mut criteria = Vec::with_capacity(lot.quality_criteria.len());
        for q in &lot.quality_criteria {
            let scale = scales
                .iter()
                .find(|s| s.name == q.scale)
                .ok_or_else(|| format!("Criterium '{}' verwijst naar een schaal die niet bestaat.", q.title))?;
            criteria.push(CriterionSetup {
                criterion_id: q.id,
                weight_bp: money::percent_to_bp(q.weight_percent)?,
                scale_points: scale.steps.iter().map(|s| s.points).collect(),
                value_cents: q.value.map(money::to_cents).transpose()?,
            });
        }
        let max_winners = u32::try_from(lot.max_winners).map_err(|_| "Het aantal winnaars is ongeldig.".to_string())?;
        let setup = Setup { criteria, price: PriceRule::of(lot)?, rounding, max_winners };
        setup.check()?;
        Ok(setup)
    }

    /// Whether this is gunnen op waarde: criteria carry values, and the fictive price ranks.
    pub fn values(&self) -> bool {
        self.price.formula == PriceFormula::ValueForMoney
    }

    /// The limits that keep every sum far from overflowing, and a max above zero to divide by.
    pub fn check(&self) -> Result<(), String> {
        self.rounding.validate()?;
        if self.max_winners == 0 || self.criteria.len() > MAX_CRITERIA {
            return Err("Het perceel heeft geen winnaars of te veel criteria.".into());
        }
        if !(0..=FULL_WEIGHT_BP).contains(&self.price.weight_bp) {
            return Err("Het gewicht van prijs ligt tussen 0 en 100%.".into());
        }
        for (i, c) in self.criteria.iter().enumerate() {
            let n = i + 1;
            if self.criteria[..i].iter().any(|o| o.criterion_id == c.criterion_id) {
                return Err(format!("Criterium {n} komt twee keer voor."));
            }
            if c.max_points() <= 0 || c.scale_points.iter().any(|p| p.abs() > MAX_SCALE_POINTS) {
                return Err(format!("De schaal van criterium {n} heeft geen stap boven 0, of punten buiten ±100."));
            }
            if !(0..=FULL_WEIGHT_BP).contains(&c.weight_bp) {
                return Err(format!("Het gewicht van criterium {n} ligt tussen 0 en 100%."));
            }
            match (self.values(), c.value_cents) {
                (true, Some(v)) if (0..=MAX_VALUE_CENTS).contains(&v) => {}
                (false, None) => {}
                _ => return Err(format!("Criterium {n} heeft een waarde in euro's alleen bij gunnen op waarde.")),
            }
        }
        Ok(())
    }
}
