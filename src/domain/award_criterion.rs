//! Gunningscriterium (award criterion): a quality sub-criterion of a perceel, scored on a scale,
//! with a weight in percent or, with gunnen op waarde, a value in euros.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::money;
use super::price_formula::PriceFormulaKind;
use crate::errors::Problems;

pub const MAX_CRITERIA: usize = 20;

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityCriterionInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Weight in percent; leave 0 with gunnen op waarde.
    #[serde(default)]
    #[schema(value_type = String)]
    pub weight_percent: Decimal,
    /// Name of a scoring scale of this tender.
    pub scale: String,
    /// With gunnen op waarde: the euro value of a full score.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub value: Option<Decimal>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QualityFields {
    pub title: String,
    pub description: String,
    pub weight_bp: i32,
    pub scale: String,
    pub value_cents: Option<i64>,
}

/// Validates a perceel's quality criteria, naming problems `quality_criteria[i].field`.
pub fn validate_all(
    criteria: &[QualityCriterionInput],
    kind: PriceFormulaKind,
    p: &mut Problems,
) -> Vec<QualityFields> {
    if criteria.is_empty() {
        p.add("quality_criteria", "Een perceel heeft minstens één kwaliteitscriterium.");
    } else if criteria.len() > MAX_CRITERIA {
        p.add("quality_criteria", format!("Hoogstens {MAX_CRITERIA} kwaliteitscriteria per perceel."));
    }
    let mut out = Vec::new();
    for (i, q) in criteria.iter().enumerate() {
        let field = |f: &str| format!("quality_criteria[{i}].{f}");
        let title = q.title.trim().to_owned();
        if title.is_empty() {
            p.add(field("title"), "Geef het criterium een titel.");
        }
        if q.scale.trim().is_empty() {
            p.add(field("scale"), "Kies een beoordelingsschaal.");
        }
        let weight_bp =
            money::percent_to_bp(q.weight_percent).map_err(|e| p.add(field("weight_percent"), e)).unwrap_or(0);
        let value_cents = match (kind.uses_values(), q.value.map(money::to_cents)) {
            (true, Some(Ok(c))) if c > 0 => Some(c),
            (true, Some(Err(e))) => {
                p.add(field("value"), e);
                None
            }
            (true, _) => {
                p.add(field("value"), "Bij gunnen op waarde krijgt elk criterium een waarde in euro's.");
                None
            }
            (false, Some(_)) => {
                p.add(field("value"), "Een waarde in euro's hoort alleen bij gunnen op waarde.");
                None
            }
            (false, None) => None,
        };
        if kind.uses_values() && weight_bp != 0 {
            p.add(
                field("weight_percent"),
                "Bij gunnen op waarde telt de waarde in euro's, niet een gewicht; vul 0 in.",
            );
        }
        if !kind.uses_values() && weight_bp == 0 && q.value.is_none() {
            p.add(field("weight_percent"), "Geef het criterium een gewicht groter dan 0%.");
        }
        out.push(QualityFields {
            title,
            description: q.description.trim().to_owned(),
            weight_bp,
            scale: q.scale.trim().to_owned(),
            value_cents,
        });
    }
    out
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct QualityCriterion {
    pub id: i64,
    pub position: i32,
    pub title: String,
    pub description: String,
    #[schema(value_type = String)]
    pub weight_percent: Decimal,
    pub scale: String,
    #[schema(value_type = Option<String>)]
    pub value: Option<Decimal>,
}
