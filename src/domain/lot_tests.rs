//! Tests of the rules for Perceel (lot).
use std::str::FromStr;

use super::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_default()
}

fn criterion(title: &str, weight: &str) -> QualityCriterionInput {
    QualityCriterionInput {
        title: title.into(),
        description: String::new(),
        weight_percent: d(weight),
        scale: "0-10".into(),
        value: None,
    }
}

fn lot(price_weight: &str, criteria: Vec<QualityCriterionInput>) -> LotInput {
    LotInput {
        number: None,
        title: "B1-route".into(),
        learning_route: "b1-route".into(),
        description: String::new(),
        max_winners: 2,
        ceiling_price: Some(d("14500")),
        ceiling_price_rationale: "Kostprijs: 600 uur × € 22 + lesmateriaal".into(),
        volumes: vec![VolumeInput { municipality: "gm0405".into(), estimated_volume: 40 }],
        price: PriceInput {
            formula: PriceFormulaKind::RelativeToLowest,
            weight_percent: d(price_weight),
            bandwidth_min: None,
            bandwidth_max: None,
            log_factor: None,
        },
        quality_criteria: criteria,
        price_lines: vec![],
    }
}

fn error_fields(input: &LotInput) -> Vec<String> {
    match input.validate() {
        Err(Error::Validation(list)) => list.into_iter().map(|f| f.name).collect(),
        _ => vec![],
    }
}

#[test]
fn weights_totalling_one_hundred_percent_pass() {
    let input = lot("30", vec![criterion("Samenwerking", "40"), criterion("Geen dubbel aanbod", "30")]);
    let Ok(fields) = input.validate() else { panic!("should be valid") };
    assert_eq!(fields.price_weight_bp, 3000);
    assert_eq!(fields.volumes[0].municipality, "GM0405");
}

#[test]
fn weights_not_totalling_one_hundred_percent_are_refused_with_the_total() {
    let input = lot("30", vec![criterion("Samenwerking", "40"), criterion("Geen dubbel aanbod", "20.5")]);
    let Err(Error::Validation(list)) = input.validate() else { panic!("should be refused") };
    assert_eq!(list[0].name, "weights");
    assert!(list[0].reason.contains("90,5%"), "{}", list[0].reason);
}

#[test]
fn a_fixed_price_needs_the_ceiling_price_and_no_price_weight() {
    let mut input = lot("0", vec![criterion("Kwaliteit", "100")]);
    input.price.formula = PriceFormulaKind::FixedPrice;
    assert!(input.validate().is_ok());
    input.ceiling_price = None;
    input.ceiling_price_rationale.clear();
    assert_eq!(error_fields(&input), ["ceiling_price"]);
}

#[test]
fn a_ceiling_price_without_rationale_is_refused() {
    let mut input = lot("30", vec![criterion("Kwaliteit", "70")]);
    input.ceiling_price_rationale = "  ".into();
    assert_eq!(error_fields(&input), ["ceiling_price_rationale"]);
}

#[test]
fn value_for_money_asks_euros_per_criterion_instead_of_weights() {
    let mut input = lot("0", vec![criterion("Kwaliteit", "0")]);
    input.price.formula = PriceFormulaKind::ValueForMoney;
    assert_eq!(error_fields(&input), ["quality_criteria[0].value"]);
    input.quality_criteria[0].value = Some(d("2500"));
    assert!(input.validate().is_ok());
    input.quality_criteria[0].weight_percent = d("50");
    assert_eq!(error_fields(&input), ["quality_criteria[0].weight_percent"]);
}

#[test]
fn a_perceel_without_quality_criteria_is_refused() {
    assert_eq!(error_fields(&lot("100", vec![])), ["quality_criteria"]);
}

#[test]
fn formula_parameter_problems_carry_the_price_prefix() {
    let mut input = lot("30", vec![criterion("Kwaliteit", "70")]);
    input.price.formula = PriceFormulaKind::Logarithmic;
    assert_eq!(error_fields(&input), ["price.log_factor"]);
}

#[test]
fn a_volume_for_the_same_gemeente_twice_is_refused() {
    let mut input = lot("30", vec![criterion("Kwaliteit", "70")]);
    input.volumes.push(VolumeInput { municipality: "GM0405".into(), estimated_volume: 3 });
    assert_eq!(error_fields(&input), ["volumes[1].municipality"]);
}
