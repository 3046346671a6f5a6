//! Prijsformule (price scoring formula): which of the formulas in Dutch use a perceel publishes.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::money;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriceFormulaKind {
    /// Relatief ten opzichte van de laagste prijs: WP · Pmin / Pi.
    RelativeToLowest,
    /// Bandbreedte: WP · (Pmax − Pi) / (Pmax − Pmin), begrensd op 0 en 1, met gepubliceerde grenzen.
    Bandwidth,
    /// Logaritmisch: WP · (1 − ln(Pi / Pmin) / ln A).
    Logarithmic,
    /// Vaste prijs: alleen kwaliteit telt.
    FixedPrice,
    /// Gunnen op waarde: fictieve prijs = prijs − kwaliteitswaarde in euro's; laagste wint.
    ValueForMoney,
}

impl PriceFormulaKind {
    pub const ALL: [PriceFormulaKind; 5] = [
        PriceFormulaKind::RelativeToLowest,
        PriceFormulaKind::Bandwidth,
        PriceFormulaKind::Logarithmic,
        PriceFormulaKind::FixedPrice,
        PriceFormulaKind::ValueForMoney,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PriceFormulaKind::RelativeToLowest => "relative_to_lowest",
            PriceFormulaKind::Bandwidth => "bandwidth",
            PriceFormulaKind::Logarithmic => "logarithmic",
            PriceFormulaKind::FixedPrice => "fixed_price",
            PriceFormulaKind::ValueForMoney => "value_for_money",
        }
    }

    pub fn parse(s: &str) -> Option<PriceFormulaKind> {
        PriceFormulaKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            PriceFormulaKind::RelativeToLowest => "Relatief t.o.v. laagste prijs",
            PriceFormulaKind::Bandwidth => "Bandbreedte",
            PriceFormulaKind::Logarithmic => "Logaritmisch",
            PriceFormulaKind::FixedPrice => "Vaste prijs (alleen kwaliteit)",
            PriceFormulaKind::ValueForMoney => "Gunnen op waarde",
        }
    }

    /// Whether quality criteria carry a value in euros instead of a weight.
    pub fn uses_values(self) -> bool {
        self == PriceFormulaKind::ValueForMoney
    }
}

/// A formula with its published parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriceFormula {
    RelativeToLowest,
    Bandwidth { min_cents: i64, max_cents: i64 },
    Logarithmic { factor_milli: i32 },
    FixedPrice,
    ValueForMoney,
}

/// The raw parameters as they come in; which ones are needed depends on the kind.
#[derive(Clone, Debug, Default)]
pub struct FormulaParams {
    pub bandwidth_min: Option<Decimal>,
    pub bandwidth_max: Option<Decimal>,
    pub log_factor: Option<Decimal>,
}

pub const LOG_FACTOR_MIN: Decimal = Decimal::from_parts(15, 0, 0, false, 1);
pub const LOG_FACTOR_MAX: Decimal = Decimal::from_parts(3, 0, 0, false, 0);

impl PriceFormula {
    /// Builds the formula, naming the parameter field (`bandwidth_min`, …) of every problem.
    pub fn build(kind: PriceFormulaKind, p: &FormulaParams) -> Result<PriceFormula, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let mut unused = |field: &'static str, present: bool| {
            if present {
                problems.push((
                    field,
                    format!("Deze formule ({}) gebruikt dit gegeven niet; laat het leeg.", kind.label()),
                ));
            }
        };
        if kind != PriceFormulaKind::Bandwidth {
            unused("bandwidth_min", p.bandwidth_min.is_some());
            unused("bandwidth_max", p.bandwidth_max.is_some());
        }
        if kind != PriceFormulaKind::Logarithmic {
            unused("log_factor", p.log_factor.is_some());
        }
        let formula = match kind {
            PriceFormulaKind::RelativeToLowest => Some(PriceFormula::RelativeToLowest),
            PriceFormulaKind::FixedPrice => Some(PriceFormula::FixedPrice),
            PriceFormulaKind::ValueForMoney => Some(PriceFormula::ValueForMoney),
            PriceFormulaKind::Bandwidth => {
                let bound = |field: &'static str, v: Option<Decimal>, problems: &mut Vec<_>| match v {
                    None => {
                        problems.push((field, "Vul de grens van de bandbreedte in (in euro's).".to_string()));
                        None
                    }
                    Some(v) => match money::to_cents(v) {
                        Ok(c) if c > 0 => Some(c),
                        Ok(_) => {
                            problems.push((field, "Een grens van de bandbreedte is groter dan nul.".to_string()));
                            None
                        }
                        Err(e) => {
                            problems.push((field, e));
                            None
                        }
                    },
                };
                let min = bound("bandwidth_min", p.bandwidth_min, &mut problems);
                let max = bound("bandwidth_max", p.bandwidth_max, &mut problems);
                match (min, max) {
                    (Some(min_cents), Some(max_cents)) if min_cents < max_cents => {
                        Some(PriceFormula::Bandwidth { min_cents, max_cents })
                    }
                    (Some(_), Some(_)) => {
                        problems.push(("bandwidth_max", "De bovengrens moet hoger zijn dan de ondergrens.".into()));
                        None
                    }
                    _ => None,
                }
            }
            PriceFormulaKind::Logarithmic => match p.log_factor {
                None => {
                    problems.push(("log_factor", "Vul de factor A in (tussen 1,5 en 3).".into()));
                    None
                }
                Some(a) if a < LOG_FACTOR_MIN || a > LOG_FACTOR_MAX => {
                    problems.push(("log_factor", "De factor A ligt tussen 1,5 en 3.".into()));
                    None
                }
                Some(a) => match (a * Decimal::ONE_THOUSAND).to_i32() {
                    Some(milli) if (a * Decimal::ONE_THOUSAND).fract().is_zero() => {
                        Some(PriceFormula::Logarithmic { factor_milli: milli })
                    }
                    _ => {
                        problems.push(("log_factor", "De factor A heeft hoogstens drie decimalen.".into()));
                        None
                    }
                },
            },
        };
        match formula {
            Some(f) if problems.is_empty() => Ok(f),
            _ => Err(problems),
        }
    }

    pub fn kind(self) -> PriceFormulaKind {
        match self {
            PriceFormula::RelativeToLowest => PriceFormulaKind::RelativeToLowest,
            PriceFormula::Bandwidth { .. } => PriceFormulaKind::Bandwidth,
            PriceFormula::Logarithmic { .. } => PriceFormulaKind::Logarithmic,
            PriceFormula::FixedPrice => PriceFormulaKind::FixedPrice,
            PriceFormula::ValueForMoney => PriceFormulaKind::ValueForMoney,
        }
    }

    /// Rebuilds a stored formula; `None` when the stored columns do not fit together.
    pub fn from_columns(kind: &str, min: Option<i64>, max: Option<i64>, factor: Option<i32>) -> Option<PriceFormula> {
        Some(match PriceFormulaKind::parse(kind)? {
            PriceFormulaKind::RelativeToLowest => PriceFormula::RelativeToLowest,
            PriceFormulaKind::Bandwidth => PriceFormula::Bandwidth { min_cents: min?, max_cents: max? },
            PriceFormulaKind::Logarithmic => PriceFormula::Logarithmic { factor_milli: factor? },
            PriceFormulaKind::FixedPrice => PriceFormula::FixedPrice,
            PriceFormulaKind::ValueForMoney => PriceFormula::ValueForMoney,
        })
    }

    /// The published description, in Dutch.
    pub fn describe(self) -> String {
        match self {
            PriceFormula::RelativeToLowest => "Score = gewicht × laagste prijs / uw prijs.".into(),
            PriceFormula::Bandwidth { min_cents, max_cents } => format!(
                "Score = gewicht × ({max} − uw prijs) / ({max} − {min}), begrensd tussen 0 en het volle gewicht. \
                 Ondergrens {min}, bovengrens {max}.",
                min = money::format_euro(min_cents),
                max = money::format_euro(max_cents)
            ),
            PriceFormula::Logarithmic { factor_milli } => format!(
                "Score = gewicht × (1 − ln(uw prijs / laagste prijs) / ln {}). Boven {} × de laagste prijs wordt de score negatief.",
                format_factor(factor_milli),
                format_factor(factor_milli)
            ),
            PriceFormula::FixedPrice => "Vaste prijs: de prijs is gegeven en telt niet mee; alleen kwaliteit bepaalt de rangorde.".into(),
            PriceFormula::ValueForMoney => "Gunnen op waarde: fictieve prijs = uw prijs − de waarde van uw kwaliteitsscores in euro's; de laagste fictieve prijs wint.".into(),
        }
    }
}

fn format_factor(milli: i32) -> String {
    Decimal::new(i64::from(milli), 3).normalize().to_string().replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Option<Decimal> {
        Decimal::from_str(s).ok()
    }

    #[test]
    fn bandwidth_needs_both_bounds_in_order() {
        let ok = FormulaParams { bandwidth_min: d("1000"), bandwidth_max: d("1500"), log_factor: None };
        assert_eq!(
            PriceFormula::build(PriceFormulaKind::Bandwidth, &ok),
            Ok(PriceFormula::Bandwidth { min_cents: 100_000, max_cents: 150_000 })
        );
        let reversed = FormulaParams { bandwidth_min: d("1500"), bandwidth_max: d("1000"), log_factor: None };
        let err = PriceFormula::build(PriceFormulaKind::Bandwidth, &reversed).unwrap_err();
        assert_eq!(err[0].0, "bandwidth_max");
        let missing = FormulaParams::default();
        assert_eq!(PriceFormula::build(PriceFormulaKind::Bandwidth, &missing).unwrap_err().len(), 2);
    }

    #[test]
    fn log_factor_lies_between_one_and_a_half_and_three() {
        let p = |a: &str| FormulaParams { log_factor: d(a), ..Default::default() };
        assert_eq!(
            PriceFormula::build(PriceFormulaKind::Logarithmic, &p("2")),
            Ok(PriceFormula::Logarithmic { factor_milli: 2000 })
        );
        assert!(PriceFormula::build(PriceFormulaKind::Logarithmic, &p("1.4")).is_err());
        assert!(PriceFormula::build(PriceFormulaKind::Logarithmic, &p("3.5")).is_err());
        assert!(PriceFormula::build(PriceFormulaKind::Logarithmic, &p("2.0005")).is_err());
    }

    #[test]
    fn parameters_a_formula_does_not_use_are_refused_not_dropped() {
        let p = FormulaParams { log_factor: d("2"), ..Default::default() };
        let err = PriceFormula::build(PriceFormulaKind::RelativeToLowest, &p).unwrap_err();
        assert_eq!(err[0].0, "log_factor");
    }

    #[test]
    fn stored_columns_rebuild_the_same_formula() {
        let f = PriceFormula::Bandwidth { min_cents: 1, max_cents: 2 };
        assert_eq!(PriceFormula::from_columns("bandwidth", Some(1), Some(2), None), Some(f));
        assert_eq!(PriceFormula::from_columns("bandwidth", None, Some(2), None), None);
        assert!(PriceFormula::Logarithmic { factor_milli: 2500 }.describe().contains("ln 2,5"));
    }
}
