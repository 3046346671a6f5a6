//! Tests of Rangorde (ranking): worked examples on the demo tender's B1-route and on gunnen op
//! waarde, ties and draws, and every refusal.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;
use crate::domain::award_criterion::QualityCriterion;
use crate::domain::lot::{Lot, PriceCriterion};
use crate::domain::price_formula::{PriceFormula, PriceFormulaKind};
use crate::domain::price_score::{PriceProblem, PriceRule};
use crate::domain::rounding::{RoundingMode, RoundingRule};
use crate::domain::scale::{Scale, ScaleStep};

pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or(Decimal::MIN)
}

pub const ZERO_TO_TEN: [i32; 6] = [0, 2, 4, 6, 8, 10];

pub fn criterion(criterion_id: i64, weight_bp: i32, scale_points: &[i32]) -> CriterionSetup {
    CriterionSetup { criterion_id, weight_bp, scale_points: scale_points.to_vec(), value_cents: None }
}

/// The demo tender's B1-route: 25/15/20/10% quality on 0–10, 30% relative to lowest, two winners.
pub fn b1_route() -> Setup {
    let criteria = [(1, 2500), (2, 1500), (3, 2000), (4, 1000)].map(|(id, bp)| criterion(id, bp, &ZERO_TO_TEN));
    Setup {
        criteria: criteria.to_vec(),
        price: PriceRule { formula: PriceFormula::RelativeToLowest, weight_bp: 3000, ceiling_cents: Some(1_450_000) },
        rounding: RoundingRule::default(),
        max_winners: 2,
    }
}

pub fn bid(bid_id: i64, price_cents: i64, points: &[i32]) -> BidInput {
    let scores = points.iter().zip(1..).map(|(p, criterion_id)| Score { criterion_id, points: *p }).collect();
    BidInput { bid_id, price_cents, scores }
}

fn ranked(setup: &Setup, bids: &[BidInput], draws: &[DrawResult]) -> Ranking {
    rank(setup, bids, draws).unwrap_or_else(|p| panic!("{p:?}"))
}

fn order(r: &Ranking) -> Vec<(i64, u32, Standing)> {
    r.bids.iter().map(|b| (b.bid_id, b.rank, b.standing)).collect()
}

#[test]
fn quality_and_price_points_add_up_to_the_ranked_total() {
    // Quality: 25·s1/10 + 15·s2/10 + 20·s3/10 + 10·s4/10; price: 30 · € 10.000 / Pi.
    // Bid 1: 20 + 9 + 16 + 6 = 51, € 12.000 → 25, total 76.
    // Bid 2: 15 + 9 + 12 + 6 = 42, € 10.000 → 30, total 72.
    // Bid 3: 25 + 12 + 20 + 8 = 65, € 14.000 → 21,428571…, total 86,428571… → 86,43.
    let bids = [bid(1, 1_200_000, &[8, 6, 8, 6]), bid(2, 1_000_000, &[6; 4]), bid(3, 1_400_000, &[10, 8, 10, 8])];
    let r = ranked(&b1_route(), &bids, &[]);
    let totals: Vec<Decimal> = r.bids.iter().map(|b| b.total_rounded).collect();
    assert_eq!(totals, [d("86.43"), d("76.00"), d("72.00")]);
    assert_eq!(order(&r), [(3, 1, Standing::Winning), (1, 2, Standing::Winning), (2, 3, Standing::NotWinning)]);
    let third = &r.bids[0];
    assert_eq!(third.quality, d("65"));
    let scores: Vec<Decimal> =
        criterion_results(&b1_route(), &bids[2]).unwrap_or_default().iter().map(|c| c.score).collect();
    assert_eq!(scores, [d("25"), d("12"), d("20"), d("8")]);
    assert_eq!(
        third.price_points.map(|p| p.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero)),
        Some(d("21.428571"))
    );
    assert_eq!(third.total, d("65") + third.price_points.unwrap_or_default());
    assert!(r.ties.is_empty() && r.award_decided);
    assert_eq!(r.basis, Basis::HighestTotal);
}

/// Two criteria of 35% on a 0–3 scale, scored 1 each: 35/3 = 11,666… twice; price 30 for the lowest.
fn thirds() -> (Setup, Vec<BidInput>) {
    let setup = Setup {
        criteria: vec![criterion(1, 3500, &[0, 1, 2, 3]), criterion(2, 3500, &[0, 1, 2, 3])],
        price: PriceRule { formula: PriceFormula::RelativeToLowest, weight_bp: 3000, ceiling_cents: None },
        rounding: RoundingRule { decimals: 2, mode: RoundingMode::HalfUp },
        max_winners: 1,
    };
    (setup, vec![bid(1, 1_000_000, &[1, 1])])
}

#[test]
fn the_total_is_rounded_once_not_its_parts() {
    // Unrounded: 11,666… + 11,666… + 30 = 53,333… → 53,33.
    // Parts first: 11,67 + 11,67 + 30,00 = 53,34, which is not what the rule publishes.
    let (setup, bids) = thirds();
    let b = &ranked(&setup, &bids, &[]).bids[0];
    assert_eq!(b.total_rounded, d("53.33"));
    let parts = criterion_results(&setup, &bids[0]).unwrap_or_default();
    let parts_first: Decimal = parts.iter().map(|c| setup.rounding.apply(c.score)).sum::<Decimal>()
        + b.price_points.map(|p| setup.rounding.apply(p)).unwrap_or_default();
    assert_eq!(parts_first, d("53.34"));
    // And criteria on one scale add up before dividing: 70/3, not 35/3 + 35/3 with two cuts.
    assert_eq!(b.quality, Decimal::from(70) / Decimal::from(3));
}

#[test]
fn a_tie_after_rounding_waits_for_a_draw_across_the_cut_off() {
    // Bid 30: 51 + 25 = 76. Bid 10: 42 + 30 = 72. Bid 20: 42 + 30·10000/10001 = 71,997… → 72,00.
    // Two winners: bid 30, and one of the bids tied at 72,00 on places 2 and 3.
    let bids = [bid(20, 1_000_100, &[6; 4]), bid(30, 1_200_000, &[8, 6, 8, 6]), bid(10, 1_000_000, &[6; 4])];
    let r = ranked(&b1_route(), &bids, &[]);
    assert_eq!(order(&r), [(30, 1, Standing::Winning), (10, 2, Standing::DrawDecides), (20, 2, Standing::DrawDecides)]);
    assert_eq!(r.bids[1].tie, Tie::DrawNeeded);
    let group = TieGroup {
        bid_ids: vec![10, 20],
        total_rounded: d("72.00"),
        first_rank: 2,
        last_rank: 3,
        decides_award: true,
        drawn: false,
    };
    assert_eq!(r.ties, [group]);
    assert!(!r.award_decided);
    // The lot falls on bid 20: the ranking follows the draw, not the unrounded totals.
    let drawn = ranked(&b1_route(), &bids, &[DrawResult { bid_ids: vec![20, 10] }]);
    assert_eq!(order(&drawn), [(30, 1, Standing::Winning), (20, 2, Standing::Winning), (10, 3, Standing::NotWinning)]);
    assert_eq!((drawn.bids[1].tie, drawn.ties[0].drawn, drawn.award_decided), (Tie::Drawn, true, true));
}

#[test]
fn a_tie_below_the_cut_off_is_reported_but_does_not_decide_the_award() {
    let setup = Setup { max_winners: 1, ..b1_route() };
    let r = ranked(
        &setup,
        &[bid(1, 1_200_000, &[8, 6, 8, 6]), bid(2, 1_000_000, &[6; 4]), bid(3, 1_000_000, &[6; 4])],
        &[],
    );
    assert_eq!(order(&r), [(1, 1, Standing::Winning), (2, 2, Standing::NotWinning), (3, 2, Standing::NotWinning)]);
    assert!(!r.ties[0].decides_award && r.award_decided);
}

#[test]
fn one_bid_alone_wins_with_the_full_price_weight() {
    // 42 + 30·Pi/Pi = 72.
    let r = ranked(&b1_route(), &[bid(7, 1_450_000, &[6; 4])], &[]);
    assert_eq!(order(&r), [(7, 1, Standing::Winning)]);
    assert_eq!(r.bids[0].total_rounded, d("72.00"));
}

/// Gunnen op waarde: € 2.000 on 0–10 and € 1.000 on a scale with a malus step of −5.
fn value_for_money() -> Setup {
    let mut first = criterion(1, 0, &ZERO_TO_TEN);
    first.value_cents = Some(200_000);
    let mut second = criterion(2, 0, &[-5, 0, 5, 10]);
    second.value_cents = Some(100_000);
    Setup {
        criteria: vec![first, second],
        price: PriceRule { formula: PriceFormula::ValueForMoney, weight_bp: 0, ceiling_cents: Some(1_450_000) },
        rounding: RoundingRule::default(),
        max_winners: 1,
    }
}

#[test]
fn gunnen_op_waarde_ranks_the_lowest_fictive_price_first_and_a_malus_costs() {
    // Value earned = value × points / 10.
    // Bid 1: € 14.000 − (2000·8/10 + 1000·10/10 = € 2.600) = € 11.400.
    // Bid 2: € 13.000 − (2000·4/10 + 1000·(−5)/10 = 800 − 500 = € 300) = € 12.700; the malus costs € 500.
    // Bid 3: € 12.000 − (2000·6/10 + 0 = € 1.200) = € 10.800.
    let bids = [bid(1, 1_400_000, &[8, 10]), bid(2, 1_300_000, &[4, -5]), bid(3, 1_200_000, &[6, 0])];
    let r = ranked(&value_for_money(), &bids, &[]);
    assert_eq!(r.basis, Basis::LowestFictivePrice);
    let rows: Vec<(i64, Option<Decimal>, Decimal)> =
        r.bids.iter().map(|b| (b.bid_id, b.fictive_price, b.quality)).collect();
    assert_eq!(
        rows,
        [(3, Some(d("10800")), d("1200")), (1, Some(d("11400")), d("2600")), (2, Some(d("12700")), d("300"))]
    );
    let malus = criterion_results(&value_for_money(), &bids[1]).unwrap_or_default();
    assert_eq!(malus.get(1).map(|c| c.score), Some(d("-500")));
    assert_eq!(r.bids[0].price_points, None);
    assert_eq!(r.bids[0].total_rounded, d("10800.00"));
}

#[test]
fn a_fixed_price_ranks_on_quality_alone_and_refuses_another_price() {
    let setup = Setup {
        criteria: vec![criterion(1, 4000, &ZERO_TO_TEN), criterion(2, 6000, &ZERO_TO_TEN)],
        price: PriceRule { formula: PriceFormula::FixedPrice, weight_bp: 0, ceiling_cents: Some(1_450_000) },
        rounding: RoundingRule::default(),
        max_winners: 1,
    };
    // Bid 1: 40·8/10 + 60·6/10 = 32 + 36 = 68; bid 2: 40·10/10 + 60·4/10 = 40 + 24 = 64.
    let r = ranked(&setup, &[bid(2, 1_450_000, &[10, 4]), bid(1, 1_450_000, &[8, 6])], &[]);
    let rows: Vec<(i64, Decimal, Option<Decimal>)> =
        r.bids.iter().map(|b| (b.bid_id, b.total_rounded, b.price_points)).collect();
    assert_eq!(rows, [(1, d("68.00"), None), (2, d("64.00"), None)]);
    let other = rank(&setup, &[bid(1, 1_450_000, &[8, 6]), bid(2, 1_399_900, &[10, 4])], &[]);
    let problem = PriceProblem::NotTheFixedPrice { fixed_cents: 1_450_000 };
    assert_eq!(other, Err(vec![Problem::Price { bid_id: 2, problem }]));
}

#[test]
fn scores_that_do_not_fit_the_set_up_are_named_by_bid_and_criterion() {
    let mut odd = bid(2, 1_000_000, &[6, 6, 6]);
    odd.scores.push(Score { criterion_id: 9, points: 4 });
    let mut twice = bid(3, 1_000_000, &[6; 4]);
    twice.scores.push(Score { criterion_id: 1, points: 8 });
    let bids = [bid(1, 1_000_000, &[6, 5, 6, 6]), odd, twice, bid(1, 1_000_000, &[6; 4]), bid(4, 0, &[6; 4])];
    let problems = rank(&b1_route(), &bids, &[]).err().unwrap_or_default();
    assert_eq!(
        problems,
        [
            Problem::DuplicateBid { bid_id: 1 },
            Problem::NotAStep { bid_id: 1, criterion_id: 2, points: 5 },
            Problem::UnknownCriterion { bid_id: 2, criterion_id: 9 },
            Problem::MissingScore { bid_id: 2, criterion_id: 4 },
            Problem::DuplicateScore { bid_id: 3, criterion_id: 1 },
            Problem::Price { bid_id: 4, problem: PriceProblem::Zero },
        ]
    );
}

#[test]
fn a_draw_must_name_exactly_one_tied_group_once() {
    let bids = [bid(1, 1_000_000, &[6; 4]), bid(2, 1_000_000, &[6; 4]), bid(3, 1_200_000, &[8, 6, 8, 6])];
    let wrong = [DrawResult { bid_ids: vec![1, 3] }, DrawResult { bid_ids: vec![1, 1] }];
    assert_eq!(
        rank(&b1_route(), &bids, &wrong),
        Err(vec![Problem::DrawNotATie { bid_ids: vec![1, 3] }, Problem::DrawNotATie { bid_ids: vec![1, 1] }])
    );
    let twice = [DrawResult { bid_ids: vec![1, 2] }, DrawResult { bid_ids: vec![2, 1] }];
    assert_eq!(rank(&b1_route(), &bids, &twice), Err(vec![Problem::DrawTwice { bid_ids: vec![2, 1] }]));
}

#[test]
fn the_set_up_of_a_stored_perceel_is_read_from_its_criteria_and_scales() {
    let q = |id: i64, weight: &str| QualityCriterion {
        id,
        position: 1,
        title: format!("Criterium {id}"),
        description: String::new(),
        weight_percent: d(weight),
        scale: "Kwaliteit 0-10".into(),
        value: None,
    };
    let lot = Lot {
        id: 5,
        number: 2,
        title: "Onderwijsroute".into(),
        learning_route: "onderwijsroute".into(),
        learning_route_name: "Onderwijsroute".into(),
        description: String::new(),
        max_winners: 1,
        ceiling_price: Some(d("16000.00")),
        ceiling_price_rationale: "kostprijs".into(),
        volumes: vec![],
        price: PriceCriterion {
            formula: PriceFormulaKind::Bandwidth,
            weight_percent: d("25"),
            bandwidth_min: Some(d("12000.00")),
            bandwidth_max: Some(d("16000.00")),
            log_factor: None,
            description: String::new(),
        },
        quality_criteria: vec![q(11, "45"), q(12, "30")],
        price_lines: vec![],
    };
    let steps = ZERO_TO_TEN.iter().map(|p| ScaleStep { points: *p, descriptor: "stap".into() }).collect();
    let scale = Scale { id: 1, name: "Kwaliteit 0-10".into(), steps };
    let setup = Setup::of(&lot, std::slice::from_ref(&scale), RoundingRule::default());
    let expected = Setup {
        criteria: vec![criterion(11, 4500, &ZERO_TO_TEN), criterion(12, 3000, &ZERO_TO_TEN)],
        price: PriceRule {
            formula: PriceFormula::Bandwidth { min_cents: 1_200_000, max_cents: 1_600_000 },
            weight_bp: 2500,
            ceiling_cents: Some(1_600_000),
        },
        rounding: RoundingRule::default(),
        max_winners: 1,
    };
    assert_eq!(setup, Ok(expected));
    assert!(Setup::of(&lot, &[], RoundingRule::default()).is_err(), "a scale that is not there");
}
