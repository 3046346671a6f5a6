//! Tests of Prijsscore (price score): worked examples for every formula and edge, and the
//! property that a lower price never costs points.

use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

use super::*;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or(Decimal::MIN)
}

fn rule(formula: PriceFormula, weight_bp: i32) -> PriceRule {
    PriceRule { formula, weight_bp, ceiling_cents: None }
}

/// Points as plain decimals; `None` and refusals show as a sentinel that no expectation uses.
fn scores(r: PriceRule, prices: &[i64]) -> Vec<Decimal> {
    match r.points(prices) {
        Ok(points) => points.into_iter().map(|p| p.unwrap_or(Decimal::MAX)).collect(),
        Err(_) => vec![Decimal::MIN],
    }
}

/// To twelve decimals, for the logarithm, whose last digits no reader checks by hand.
fn to12(v: Vec<Decimal>) -> Vec<Decimal> {
    v.into_iter().map(|x| x.round_dp_with_strategy(12, RoundingStrategy::MidpointAwayFromZero).normalize()).collect()
}

const BANDWIDTH: PriceFormula = PriceFormula::Bandwidth { min_cents: 1_200_000, max_cents: 1_600_000 };
const LOG_2: PriceFormula = PriceFormula::Logarithmic { factor_milli: 2000 };

#[test]
fn relative_to_lowest_gives_the_lowest_the_full_weight() {
    // WP 30, Pmin € 10.000: 30·10000/10000 = 30, 30·10000/12000 = 25, 30·10000/15000 = 20.
    let r = rule(PriceFormula::RelativeToLowest, 3000);
    assert_eq!(scores(r, &[1_000_000, 1_200_000, 1_500_000]), [d("30"), d("25"), d("20")]);
}

#[test]
fn equal_prices_and_a_single_bid_get_the_full_weight() {
    // Pi = Pmin for every bid: WP·1, and ln(1) = 0 for the logarithm.
    for formula in [PriceFormula::RelativeToLowest, LOG_2] {
        assert_eq!(scores(rule(formula, 3000), &[1_200_000; 3]), [d("30"); 3]);
        assert_eq!(scores(rule(formula, 3000), &[1_450_000]), [d("30")]);
    }
    // The bandwidth does not look at the others: € 14.000 lies halfway, 25·2000/4000 = 12,5.
    assert_eq!(scores(rule(BANDWIDTH, 2500), &[1_400_000; 2]), [d("12.5"); 2]);
}

#[test]
fn bandwidth_scores_between_the_bounds_and_clamps_outside_them() {
    // WP 25, bounds € 12.000 – € 16.000, so 25·(16000 − Pi)/4000:
    // at the lower bound 25, at the upper bound 0, € 13.000 gives 25·3000/4000 = 18,75;
    // € 11.000 below the lower bound is held at 25, € 17.000 above the upper bound at 0.
    let r = rule(BANDWIDTH, 2500);
    let prices = [1_200_000, 1_600_000, 1_300_000, 1_100_000, 1_700_000];
    assert_eq!(scores(r, &prices), [d("25"), d("0"), d("18.75"), d("25"), d("0")]);
}

#[test]
fn the_logarithm_goes_below_zero_past_a_times_the_lowest_price() {
    // WP 20, A = 2, Pmin € 10.000, so 20·(1 − log2(Pi/Pmin)):
    // € 15.000: log2 1,5 = 0,584962500721156…, 20·0,415037499278843… = 8,300749985577;
    // € 20.000 = A·Pmin: 20·(1 − 1) = 0;
    // € 30.000: log2 3 = 1,584962500721156…, 20·(−0,584962500721156…) = −11,699250014423;
    // € 40.000: 20·(1 − 2) = −20.
    let r = rule(LOG_2, 2000);
    let prices = [1_000_000, 1_500_000, 2_000_000, 3_000_000, 4_000_000];
    assert_eq!(to12(scores(r, &prices)), [d("20"), d("8.300749985577"), d("0"), d("-11.699250014423"), d("-20")]);
}

#[test]
fn a_zero_price_is_refused_where_the_formula_divides_by_it() {
    for formula in [PriceFormula::RelativeToLowest, LOG_2] {
        assert_eq!(rule(formula, 3000).points(&[0, 1_000_000]), Err(vec![(0, PriceProblem::Zero)]));
    }
    // The bandwidth takes it: below the lower bound, the full 25.
    assert_eq!(scores(rule(BANDWIDTH, 2500), &[0, 1_400_000]), [d("25"), d("12.5")]);
}

#[test]
fn a_fixed_price_gives_no_points_and_refuses_any_other_price() {
    let r = PriceRule { formula: PriceFormula::FixedPrice, weight_bp: 0, ceiling_cents: Some(1_450_000) };
    assert_eq!(r.points(&[1_450_000, 1_450_000]), Ok(vec![None, None]));
    let lower = r.points(&[1_450_000, 1_400_000]);
    assert_eq!(lower, Err(vec![(1, PriceProblem::NotTheFixedPrice { fixed_cents: 1_450_000 })]));
    let text = PriceProblem::NotTheFixedPrice { fixed_cents: 1_450_000 }.to_string();
    assert!(text.contains("€ 14.500,00"), "{text}");
}

#[test]
fn prices_above_the_ceiling_and_below_zero_are_refused_for_every_formula() {
    for formula in [PriceFormula::RelativeToLowest, BANDWIDTH, LOG_2, PriceFormula::ValueForMoney] {
        let r = PriceRule { formula, weight_bp: 3000, ceiling_cents: Some(1_450_000) };
        let refused = r.points(&[1_450_001, -1, 1_450_000]);
        let expected = vec![(0, PriceProblem::AboveCeiling { ceiling_cents: 1_450_000 }), (1, PriceProblem::Negative)];
        assert_eq!(refused, Err(expected), "{formula:?}");
    }
}

#[test]
fn gunnen_op_waarde_subtracts_the_value_and_a_malus_adds_to_it() {
    // € 14.000 − € 1.500 earned = € 12.500; € 14.000 − (−€ 500), a malus, = € 14.500.
    assert_eq!(fictive_price(1_400_000, d("150000")), d("12500"));
    assert_eq!(fictive_price(1_400_000, d("-50000")), d("14500"));
    let r = rule(PriceFormula::ValueForMoney, 0);
    assert_eq!(r.points(&[1_400_000, 0]), Ok(vec![None, None]));
}

#[test]
fn a_factor_that_no_perceel_can_publish_is_incalculable_not_a_panic() {
    let r = rule(PriceFormula::Logarithmic { factor_milli: 1000 }, 2000);
    assert_eq!(r.points(&[1_000_000, 2_000_000]), Err(vec![(0, PriceProblem::Incalculable)]));
}

fn formula() -> impl Strategy<Value = PriceFormula> {
    prop_oneof![
        Just(PriceFormula::RelativeToLowest),
        (1i64..2_000_000, 1i64..2_000_000)
            .prop_map(|(min, extra)| PriceFormula::Bandwidth { min_cents: min, max_cents: min + extra }),
        (1500i32..=3000).prop_map(|factor_milli| PriceFormula::Logarithmic { factor_milli }),
    ]
}

proptest! {
    #[test]
    fn a_lower_price_never_lowers_a_price_score(
        formula in formula(),
        weight_bp in 1i32..=10_000,
        others in prop::collection::vec(1i64..5_000_000, 0..6),
        price in 2i64..5_000_000,
        cut in 1i64..5_000_000,
    ) {
        let r = rule(formula, weight_bp);
        let lower = (price - cut).max(1);
        let score = |own: i64| {
            let mut prices = vec![own];
            prices.extend(&others);
            r.points(&prices).ok().and_then(|p| p.first().copied().flatten())
        };
        let (high, low) = (score(price), score(lower));
        prop_assert!(high.is_some() && low.is_some());
        prop_assert!(low >= high, "{lower} scores {low:?}, {price} scores {high:?}");
    }

    #[test]
    fn a_lower_price_never_raises_a_fictive_price(price in 1i64..5_000_000, cut in 1i64..5_000_000, value in -1_000_000i64..1_000_000) {
        let lower = (price - cut).max(0);
        prop_assert!(fictive_price(lower, Decimal::from(value)) <= fictive_price(price, Decimal::from(value)));
    }
}
