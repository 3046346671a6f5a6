//! Perceel (lot) with its gunningscriteria: quality sub-criteria on a scale plus a price criterion.
//!
//! A perceel and its criteria are entered and validated as one whole, so the rule that the
//! weights total 100% holds for every stored perceel, not just at publication.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::award_criterion::{self, QualityCriterion, QualityCriterionInput, QualityFields};
use super::money;
use super::price_formula::{FormulaParams, PriceFormula, PriceFormulaKind};
use super::price_line::{self, PriceLine};
use crate::errors::{Error, Problems};

pub const FULL_WEIGHT_BP: i32 = 10_000;

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LotInput {
    /// Perceel number; the next free number when absent.
    #[serde(default)]
    pub number: Option<i32>,
    pub title: String,
    /// Code of the leerroute or module (`b1-route`, `onderwijsroute`, `z-route`, `knm`, …).
    pub learning_route: String,
    #[serde(default)]
    pub description: String,
    /// How many providers the raamovereenkomst takes.
    #[serde(default = "one")]
    pub max_winners: i32,
    /// Ceiling price per trajectory in euros, excl. btw (string, e.g. "14500.00").
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub ceiling_price: Option<Decimal>,
    /// The cost-price rationale; required with every ceiling price.
    #[serde(default)]
    pub ceiling_price_rationale: String,
    /// Estimated number of trajectories per participating gemeente.
    #[serde(default)]
    pub volumes: Vec<VolumeInput>,
    pub price: PriceInput,
    pub quality_criteria: Vec<QualityCriterionInput>,
    /// The lines of the prijzenblad; none means one line, the price per trajectory.
    #[serde(default)]
    pub price_lines: Vec<PriceLine>,
}

fn one() -> i32 {
    1
}

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VolumeInput {
    /// CBS code of the gemeente.
    pub municipality: String,
    pub estimated_volume: i32,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceInput {
    pub formula: PriceFormulaKind,
    /// Weight of price in percent (0 with a fixed price or gunnen op waarde).
    #[schema(value_type = String)]
    pub weight_percent: Decimal,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub bandwidth_min: Option<Decimal>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub bandwidth_max: Option<Decimal>,
    /// Factor A of the logarithmic formula, 1.5 to 3.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub log_factor: Option<Decimal>,
}

/// A validated perceel, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LotFields {
    pub number: Option<i32>,
    pub title: String,
    pub learning_route: String,
    pub description: String,
    pub max_winners: i32,
    pub ceiling_price_cents: Option<i64>,
    pub ceiling_price_rationale: String,
    pub volumes: Vec<VolumeInput>,
    pub price_formula: PriceFormula,
    pub price_weight_bp: i32,
    pub quality: Vec<QualityFields>,
    pub price_lines: Vec<PriceLine>,
}

impl LotInput {
    pub fn validate(&self) -> Result<LotFields, Error> {
        let mut p = Problems::default();
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            p.add("title", "Geef het perceel een titel.");
        }
        if let Some(n) = self.number
            && !(1..=99).contains(&n)
        {
            p.add("number", "Een perceelnummer ligt tussen 1 en 99.");
        }
        if self.learning_route.trim().is_empty() {
            p.add("learning_route", "Kies de leerroute of module.");
        }
        if !(1..=50).contains(&self.max_winners) {
            p.add("max_winners", "Het aantal te contracteren aanbieders ligt tussen 1 en 50.");
        }
        let ceiling_price_cents = match self.ceiling_price.map(money::to_cents) {
            Some(Ok(0)) => {
                p.add("ceiling_price", "Een plafondprijs is groter dan nul.");
                None
            }
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                p.add("ceiling_price", e);
                None
            }
            None => None,
        };
        let rationale = self.ceiling_price_rationale.trim().to_owned();
        if self.ceiling_price.is_some() && rationale.is_empty() {
            p.add(
                "ceiling_price_rationale",
                "Onderbouw de plafondprijs met de kostprijsberekening; rechters toetsen daarop.",
            );
        }
        if self.ceiling_price.is_none() && !rationale.is_empty() {
            p.add(
                "ceiling_price_rationale",
                "Een onderbouwing hoort bij een plafondprijs; vul die in of laat dit leeg.",
            );
        }
        for (i, v) in self.volumes.iter().enumerate() {
            if !(0..=100_000).contains(&v.estimated_volume) {
                p.add(format!("volumes[{i}].estimated_volume"), "Het geraamde aantal ligt tussen 0 en 100.000.");
            }
            if self.volumes[..i].iter().any(|w| w.municipality.trim().eq_ignore_ascii_case(v.municipality.trim())) {
                p.add(format!("volumes[{i}].municipality"), "Deze gemeente staat er al.");
            }
        }
        let kind = self.price.formula;
        let params = FormulaParams {
            bandwidth_min: self.price.bandwidth_min,
            bandwidth_max: self.price.bandwidth_max,
            log_factor: self.price.log_factor,
        };
        let formula = PriceFormula::build(kind, &params)
            .map_err(|list| list.into_iter().for_each(|(f, m)| p.add(format!("price.{f}"), m)))
            .ok();
        let price_weight_bp =
            money::percent_to_bp(self.price.weight_percent).map_err(|e| p.add("price.weight_percent", e)).unwrap_or(0);
        match kind {
            PriceFormulaKind::FixedPrice | PriceFormulaKind::ValueForMoney if price_weight_bp != 0 => {
                p.add("price.weight_percent", format!("Bij '{}' heeft prijs geen gewicht; vul 0 in.", kind.label()))
            }
            PriceFormulaKind::FixedPrice if ceiling_price_cents.is_none() => {
                p.add("ceiling_price", "Bij een vaste prijs is de plafondprijs de vaste prijs; vul die in.")
            }
            PriceFormulaKind::RelativeToLowest | PriceFormulaKind::Bandwidth | PriceFormulaKind::Logarithmic
                if price_weight_bp == 0 =>
            {
                p.add(
                    "price.weight_percent",
                    "Geef prijs een gewicht, of kies 'vaste prijs' als alleen kwaliteit telt.",
                )
            }
            _ => {}
        }
        let price_lines = price_line::validate(&self.price_lines, &mut p);
        if kind == PriceFormulaKind::FixedPrice && !price_lines.is_empty() {
            p.add("price_lines", "Bij een vaste prijs is er geen prijzenblad; laat de prijsregels leeg.");
        }
        let quality = award_criterion::validate_all(&self.quality_criteria, kind, &mut p);
        if !kind.uses_values() && !quality.is_empty() {
            let total: i32 = price_weight_bp + quality.iter().map(|q| q.weight_bp).sum::<i32>();
            if total != FULL_WEIGHT_BP {
                p.add(
                    "weights",
                    format!("De gewichten tellen op tot {} in plaats van 100%.", money::format_percent(total)),
                );
            }
        }
        match formula {
            Some(price_formula) if p.is_empty() => Ok(LotFields {
                number: self.number,
                title,
                learning_route: self.learning_route.trim().to_lowercase(),
                description: self.description.trim().to_owned(),
                max_winners: self.max_winners,
                ceiling_price_cents,
                ceiling_price_rationale: rationale,
                volumes: self
                    .volumes
                    .iter()
                    .map(|v| VolumeInput {
                        municipality: v.municipality.trim().to_uppercase(),
                        estimated_volume: v.estimated_volume,
                    })
                    .collect(),
                price_formula,
                price_weight_bp,
                quality,
                price_lines,
            }),
            _ => Err(Error::Validation(p.0)),
        }
    }
}

/// A perceel as stored and published.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Lot {
    pub id: i64,
    pub number: i32,
    pub title: String,
    pub learning_route: String,
    pub learning_route_name: String,
    pub description: String,
    pub max_winners: i32,
    #[schema(value_type = Option<String>)]
    pub ceiling_price: Option<Decimal>,
    pub ceiling_price_rationale: String,
    pub volumes: Vec<Volume>,
    pub price: PriceCriterion,
    pub quality_criteria: Vec<QualityCriterion>,
    /// The lines of the prijzenblad as set up; empty means one line, the price per trajectory.
    pub price_lines: Vec<PriceLine>,
}

impl Lot {
    /// Whether bidders fill in a prijzenblad for this perceel: not with a fixed price.
    pub fn asks_prices(&self) -> bool {
        self.price.formula != PriceFormulaKind::FixedPrice
    }

    /// The lines of its prijzenblad, with the default line when none were set up.
    pub fn sheet_lines(&self) -> Vec<PriceLine> {
        if self.price_lines.is_empty() { vec![PriceLine::whole_trajectory()] } else { self.price_lines.clone() }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Volume {
    pub municipality: String,
    pub municipality_name: String,
    pub estimated_volume: i32,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PriceCriterion {
    pub formula: PriceFormulaKind,
    #[schema(value_type = String)]
    pub weight_percent: Decimal,
    #[schema(value_type = Option<String>)]
    pub bandwidth_min: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub bandwidth_max: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub log_factor: Option<Decimal>,
    /// The formula as published, in Dutch.
    pub description: String,
}

#[cfg(test)]
#[path = "lot_tests.rs"]
mod tests;
