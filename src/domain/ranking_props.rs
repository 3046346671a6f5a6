//! Properties of Rangorde (ranking): the order bids come in changes nothing, and each total is
//! rounded exactly once — checked against an independent computation in exact fractions.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::tests::{ZERO_TO_TEN, bid, criterion};
use super::*;
use crate::domain::price_formula::PriceFormula;
use crate::domain::price_score::PriceRule;
use crate::domain::rounding::{RoundingMode, RoundingRule};

/// Coarse prices and few steps, so that ties after rounding are common.
fn bids() -> impl Strategy<Value = Vec<BidInput>> {
    let one =
        (prop::sample::select(vec![1_000_000i64, 1_000_100, 1_100_000, 1_200_000, 1_250_000]), [0usize..6, 0..6, 0..4]);
    prop::collection::vec(one, 1..9).prop_map(|rows| {
        rows.into_iter()
            .zip(1i64..)
            .map(|((price, [a, b, c]), id)| bid(id * 7, price, &[ZERO_TO_TEN[a], ZERO_TO_TEN[b], [0, 1, 2, 3][c]]))
            .collect()
    })
}

fn formula() -> impl Strategy<Value = PriceFormula> {
    prop_oneof![
        Just(PriceFormula::RelativeToLowest),
        Just(PriceFormula::Bandwidth { min_cents: 1_050_000, max_cents: 1_230_000 }),
        Just(PriceFormula::Logarithmic { factor_milli: 1500 }),
        Just(PriceFormula::FixedPrice),
    ]
}

fn rounding() -> impl Strategy<Value = RoundingRule> {
    let mode = prop::sample::select(vec![RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Down]);
    (0u32..=3, mode).prop_map(|(decimals, mode)| RoundingRule { decimals, mode })
}

/// The third criterion's scale: 0–3, whose thirds go through decimal arithmetic, or 0–5, whose
/// scores are exact decimals and go through the exact whole-number path.
const THIRD_SCALES: [[i32; 4]; 2] = [[0, 1, 2, 3], [0, 1, 2, 5]];

fn third_scale() -> impl Strategy<Value = [i32; 4]> {
    prop::sample::select(THIRD_SCALES.to_vec())
}

/// The bids with the third criterion's points (generated as steps 0–3) on the given scale.
fn on_scale(mut bids: Vec<BidInput>, third: [i32; 4]) -> Vec<BidInput> {
    for s in bids.iter_mut().flat_map(|b| b.scores.iter_mut()).filter(|s| s.criterion_id == 3) {
        s.points = third[s.points as usize];
    }
    bids
}

/// 30% and 25% on 0–10, 15% on the third scale, and price 30% (quality alone at 70% with a
/// fixed price).
fn setup(formula: PriceFormula, rounding: RoundingRule, max_winners: u32, third: [i32; 4]) -> Setup {
    let (weight_bp, ceiling_cents) = match formula {
        PriceFormula::FixedPrice => (0, Some(1_000_000)),
        _ => (3000, None),
    };
    Setup {
        criteria: vec![criterion(1, 3000, &ZERO_TO_TEN), criterion(2, 2500, &ZERO_TO_TEN), criterion(3, 1500, &third)],
        price: PriceRule { formula, weight_bp, ceiling_cents },
        rounding,
        max_winners,
    }
}

fn with_fixed_prices(setup: &Setup, mut bids: Vec<BidInput>) -> Vec<BidInput> {
    if let (PriceFormula::FixedPrice, Some(fixed)) = (setup.price.formula, setup.price.ceiling_cents) {
        bids.iter_mut().for_each(|b| b.price_cents = fixed);
    }
    bids
}

/// `n / d` in lowest terms, `d > 0`.
#[derive(Clone, Copy, Debug)]
struct Fraction(i128, i128);

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs().max(1) } else { gcd(b, a % b) }
}

impl Fraction {
    fn add(self, o: Fraction) -> Fraction {
        let (n, d) = (self.0 * o.1 + o.0 * self.1, self.1 * o.1);
        let g = gcd(n, d);
        Fraction(n / g, d / g)
    }

    /// Rounded to `decimals` by the rule's mode, as a decimal.
    fn round(self, rule: RoundingRule) -> Decimal {
        let scaled = self.0 * 10i128.pow(rule.decimals);
        let (q, r) = (scaled.div_euclid(self.1), scaled.rem_euclid(self.1));
        // q is the floor; compare the remainder with half the denominator.
        let up = match rule.mode {
            RoundingMode::Down => scaled < 0 && r != 0,
            RoundingMode::HalfUp => 2 * r > self.1 || (2 * r == self.1 && scaled > 0),
            RoundingMode::HalfEven => 2 * r > self.1 || (2 * r == self.1 && q % 2 != 0),
        };
        Decimal::from_i128_with_scale(q + i128::from(up), rule.decimals)
    }
}

/// The exact total of a bid from the raw inputs, without the ranking's code.
fn exact_total(setup: &Setup, bids: &[BidInput], b: &BidInput) -> Fraction {
    let mut total = Fraction(0, 1);
    for (c, s) in setup.criteria.iter().zip(&b.scores) {
        total = total.add(Fraction(i128::from(c.weight_bp) * i128::from(s.points), i128::from(c.max_points()) * 100));
    }
    let wp = i128::from(setup.price.weight_bp);
    let pi = i128::from(b.price_cents);
    let lowest = bids.iter().map(|b| i128::from(b.price_cents)).min().unwrap_or(1);
    let price = match setup.price.formula {
        PriceFormula::RelativeToLowest => Fraction(wp * lowest, 100 * pi),
        PriceFormula::Bandwidth { min_cents, max_cents } => {
            let (min, max) = (i128::from(min_cents), i128::from(max_cents));
            Fraction(wp * (max - pi.clamp(min, max)), 100 * (max - min))
        }
        _ => Fraction(0, 1),
    };
    total.add(price)
}

proptest! {
    #[test]
    fn the_ranking_does_not_depend_on_the_order_bids_are_stored_in(
        (bids, shuffled) in bids().prop_flat_map(|b| (Just(b.clone()), Just(b).prop_shuffle())),
        formula in formula(),
        rounding in rounding(),
        max_winners in 1u32..4,
        reverse_scores in any::<bool>(),
        third in third_scale(),
    ) {
        let setup = setup(formula, rounding, max_winners, third);
        let (bids, shuffled) = (on_scale(bids, third), on_scale(shuffled, third));
        let (bids, mut shuffled) = (with_fixed_prices(&setup, bids), with_fixed_prices(&setup, shuffled));
        if reverse_scores {
            shuffled.iter_mut().for_each(|b| b.scores.reverse());
        }
        let first = rank(&setup, &bids, &[]);
        prop_assert_eq!(&first, &rank(&setup, &shuffled, &[]));
        // With every tie drawn in reverse order, given in reverse order too.
        let draws: Vec<DrawResult> = first.iter().flat_map(|r| &r.ties)
            .map(|t| DrawResult { bid_ids: t.bid_ids.iter().rev().copied().collect() }).collect();
        let reversed: Vec<DrawResult> = draws.iter().rev().cloned().collect();
        let drawn = rank(&setup, &bids, &draws);
        prop_assert_eq!(&drawn, &rank(&setup, &shuffled, &reversed));
        prop_assert!(drawn.is_ok_and(|r| r.award_decided && r.bids.iter().all(|b| b.tie != Tie::DrawNeeded)));
    }

    #[test]
    fn each_total_is_the_exact_sum_rounded_exactly_once(
        bids in bids(),
        formula in prop::sample::select(vec![
            PriceFormula::RelativeToLowest,
            PriceFormula::Bandwidth { min_cents: 1_050_000, max_cents: 1_230_000 },
            PriceFormula::FixedPrice,
        ]),
        rounding in rounding(),
        third in third_scale(),
    ) {
        let setup = setup(formula, rounding, 1, third);
        let bids = with_fixed_prices(&setup, on_scale(bids, third));
        let ranking = rank(&setup, &bids, &[]);
        prop_assert!(ranking.is_ok(), "{:?}", ranking);
        for r in ranking.iter().flat_map(|r| &r.bids) {
            let input = bids.iter().find(|b| b.bid_id == r.bid_id);
            prop_assert!(input.is_some());
            let exact = input.map(|b| exact_total(&setup, &bids, b)).unwrap_or(Fraction(0, 1));
            prop_assert_eq!(r.total_rounded, exact.round(rounding), "bid {} exact {:?}", r.bid_id, exact);
            // The reported total is the unrounded sum of the reported parts.
            prop_assert_eq!(r.total, r.quality + r.price_points.unwrap_or_default());
        }
    }
}
