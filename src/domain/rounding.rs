//! Afrondingsregel (rounding rule): published with the tender, applied exactly once to a total.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Rekenkundig afronden: 0,5 away from zero (the common Dutch convention).
    HalfUp,
    /// Bankiersafronding: 0,5 to the even neighbour.
    HalfEven,
    /// Afkappen: drop the remaining decimals.
    Down,
}

impl RoundingMode {
    pub const ALL: [RoundingMode; 3] = [RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Down];

    pub fn as_str(self) -> &'static str {
        match self {
            RoundingMode::HalfUp => "half_up",
            RoundingMode::HalfEven => "half_even",
            RoundingMode::Down => "down",
        }
    }

    pub fn parse(s: &str) -> Option<RoundingMode> {
        RoundingMode::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            RoundingMode::HalfUp => "rekenkundig afronden (0,5 naar boven)",
            RoundingMode::HalfEven => "bankiersafronding (0,5 naar even)",
            RoundingMode::Down => "afkappen",
        }
    }

    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Down => RoundingStrategy::ToZero,
        }
    }
}

/// How scores are rounded: to this many decimals, in this way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundingRule {
    pub decimals: u32,
    pub mode: RoundingMode,
}

impl Default for RoundingRule {
    fn default() -> Self {
        RoundingRule { decimals: 2, mode: RoundingMode::HalfUp }
    }
}

impl RoundingRule {
    pub const MAX_DECIMALS: u32 = 6;

    pub fn validate(self) -> Result<RoundingRule, String> {
        if self.decimals > Self::MAX_DECIMALS {
            return Err(format!("Rond af op 0 tot {} decimalen.", Self::MAX_DECIMALS));
        }
        Ok(self)
    }

    pub fn apply(self, value: Decimal) -> Decimal {
        value.round_dp_with_strategy(self.decimals, self.mode.strategy())
    }

    /// The sentence published in the tender documents.
    pub fn describe(self) -> String {
        format!("Scores worden afgerond op {} decimalen, {}.", self.decimals, self.mode.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn each_mode_rounds_a_midpoint_its_own_way() {
        let up = RoundingRule { decimals: 2, mode: RoundingMode::HalfUp };
        let even = RoundingRule { decimals: 2, mode: RoundingMode::HalfEven };
        let down = RoundingRule { decimals: 2, mode: RoundingMode::Down };
        assert_eq!(up.apply(d("2.345")), d("2.35"));
        assert_eq!(even.apply(d("2.345")), d("2.34"));
        assert_eq!(down.apply(d("2.349")), d("2.34"));
    }

    #[test]
    fn too_many_decimals_are_refused() {
        assert!(RoundingRule { decimals: 7, mode: RoundingMode::HalfUp }.validate().is_err());
    }
}
