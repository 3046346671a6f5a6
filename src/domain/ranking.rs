//! Rangorde (ranking): the totals of a perceel's bids, rounded once by the published rule, in
//! order, with the groups of tied bids that a draw (loting) decides.
//!
//! - **Quality points** of a criterion: weight × points / max points of its scale, in points of
//!   the 100 a perceel hands out (a 25% criterion scored 8 on 0–10 earns 20).
//! - **Price points**: the published formula, see [`super::price_score`].
//! - **Total**: quality points plus price points, unrounded, then rounded exactly once with the
//!   tender's rule. The highest rounded total ranks first.
//! - **Gunnen op waarde**: a criterion earns value × points / max points in euros; a step with
//!   negative points earns a negative value, a malus. The total is the fictive price, price −
//!   value earned, rounded once with the same rule (to cents with two decimals); lowest first.
//!
//! Bids whose rounded totals are equal are tied: the unrounded totals never decide, because
//! the published rule says which figure counts. A tied group shares the rank of its first place
//! and is listed by bid id, in the state "draw needed", until a draw result naming exactly its
//! bids is given; then it follows the drawn order. A group *decides the award* when it straddles
//! the cut-off of `max_winners`. Bids are sorted by id first, so nothing in the answer depends
//! on the order they come in.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::draw::{DrawResult, Tie, TieGroup};
use super::price_score::{PriceProblem, fictive_price};
pub use super::ranking_setup::{CriterionSetup, Setup};

/// One consensus score of a bid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// The quality criterion's id.
    pub criterion_id: i64,
    /// The points of the consensus score, one of the criterion's scale steps.
    pub points: i32,
}

/// A bid as ranked: its consensus scores and its price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BidInput {
    pub bid_id: i64,
    /// The price per trajectory in cents (with a fixed price: the fixed price).
    pub price_cents: i64,
    /// One consensus score per quality criterion of the perceel.
    pub scores: Vec<Score>,
}

/// Which way the totals rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Points: the highest rounded total first.
    HighestTotal,
    /// Gunnen op waarde: the lowest rounded fictive price first.
    LowestFictivePrice,
}

/// Whether a bid falls within the number of winners.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Winning,
    NotWinning,
    /// In a tied group across the cut-off without a draw yet.
    DrawDecides,
}

/// The score of one bid on one criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct CriterionResult {
    pub criterion_id: i64,
    /// The consensus points on the criterion's scale.
    pub points: i32,
    /// Quality points (weight × points / max points), unrounded; with gunnen op waarde the value
    /// earned in euros (value × points / max points).
    #[schema(value_type = String)]
    pub score: Decimal,
}

/// One bid's figures and place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct BidResult {
    pub bid_id: i64,
    pub price_cents: i64,
    /// Per criterion, in the perceel's order.
    pub criteria: Vec<CriterionResult>,
    /// The sum of the criterion scores, unrounded: points, or euros with gunnen op waarde.
    #[schema(value_type = String)]
    pub quality: Decimal,
    /// Price points by the published formula, unrounded; absent with a fixed price and gunnen op waarde.
    #[schema(value_type = Option<String>)]
    pub price_points: Option<Decimal>,
    /// Gunnen op waarde only: price − value earned, in euros, unrounded.
    #[schema(value_type = Option<String>)]
    pub fictive_price: Option<Decimal>,
    /// Quality plus price points, or the fictive price; unrounded.
    #[schema(value_type = String)]
    pub total: Decimal,
    /// The total rounded once by the published rule; this figure ranks.
    #[schema(value_type = String)]
    pub total_rounded: Decimal,
    /// Place from 1; bids of a tied group without a draw share the rank of its first place.
    pub rank: u32,
    pub tie: Tie,
    /// Index into the ranking's `ties` when tied.
    pub tie_group: Option<usize>,
    pub standing: Standing,
}

/// A perceel's ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Ranking {
    pub basis: Basis,
    pub max_winners: u32,
    /// In rank order.
    pub bids: Vec<BidResult>,
    /// Every tied group, in rank order.
    pub ties: Vec<TieGroup>,
    /// False while a group that decides the award has no draw.
    pub award_decided: bool,
}

/// Why a ranking cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("{0}")]
    Setup(String),
    #[error("Inschrijving {bid_id} komt meer dan eens voor.")]
    DuplicateBid { bid_id: i64 },
    #[error("De score voor dit criterium ontbreekt.")]
    MissingScore { bid_id: i64, criterion_id: i64 },
    #[error("Dit criterium hoort niet bij dit perceel.")]
    UnknownCriterion { bid_id: i64, criterion_id: i64 },
    #[error("Dit criterium heeft meer dan één score.")]
    DuplicateScore { bid_id: i64, criterion_id: i64 },
    #[error("{points} punten is geen stap van de schaal van dit criterium.")]
    NotAStep { bid_id: i64, criterion_id: i64, points: i32 },
    #[error("{problem}")]
    Price { bid_id: i64, problem: PriceProblem },
    #[error("Een loting gaat over precies de inschrijvingen van één gelijke stand.")]
    DrawNotATie { bid_ids: Vec<i64> },
    #[error("Voor deze gelijke stand is al geloot.")]
    DrawTwice { bid_ids: Vec<i64> },
}

/// Ranks the bids of a perceel, following the draws given for tied groups.
pub fn rank(setup: &Setup, bids: &[BidInput], draws: &[DrawResult]) -> Result<Ranking, Vec<Problem>> {
    setup.check().map_err(|e| vec![Problem::Setup(e)])?;
    let mut sorted: Vec<&BidInput> = bids.iter().collect();
    sorted.sort_by_key(|b| b.bid_id);
    let mut problems = Vec::new();
    for pair in sorted.windows(2).filter(|w| w[0].bid_id == w[1].bid_id) {
        problems.push(Problem::DuplicateBid { bid_id: pair[0].bid_id });
    }
    problems.dedup();
    let points = points_per_criterion(setup, &sorted, &mut problems);
    let prices: Vec<i64> = sorted.iter().map(|b| b.price_cents).collect();
    let price_points = setup.price.points(&prices).unwrap_or_else(|refused| {
        problems.extend(refused.into_iter().map(|(i, problem)| Problem::Price { bid_id: sorted[i].bid_id, problem }));
        Vec::new()
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut results: Vec<BidResult> =
        sorted.iter().zip(points).zip(price_points).map(|((b, p), pp)| total(setup, b, &p, pp)).collect();
    let basis = if setup.values() { Basis::LowestFictivePrice } else { Basis::HighestTotal };
    results.sort_by(|a, b| match basis {
        Basis::HighestTotal => b.total_rounded.cmp(&a.total_rounded),
        Basis::LowestFictivePrice => a.total_rounded.cmp(&b.total_rounded),
    });
    super::draw::place(results, basis, setup.max_winners, draws)
}

/// Each bid's points per criterion in the set-up's order, or the problems with its scores.
fn points_per_criterion(setup: &Setup, bids: &[&BidInput], problems: &mut Vec<Problem>) -> Vec<Vec<i32>> {
    let mut all = Vec::with_capacity(bids.len());
    for b in bids {
        let bid_id = b.bid_id;
        for s in b.scores.iter().filter(|s| !setup.criteria.iter().any(|c| c.criterion_id == s.criterion_id)) {
            problems.push(Problem::UnknownCriterion { bid_id, criterion_id: s.criterion_id });
        }
        let mut points = Vec::with_capacity(setup.criteria.len());
        for c in &setup.criteria {
            let criterion_id = c.criterion_id;
            let given: Vec<i32> =
                b.scores.iter().filter(|s| s.criterion_id == criterion_id).map(|s| s.points).collect();
            match given[..] {
                [] => problems.push(Problem::MissingScore { bid_id, criterion_id }),
                [p] if !c.scale_points.contains(&p) => {
                    problems.push(Problem::NotAStep { bid_id, criterion_id, points: p })
                }
                [p] => points.push(p),
                _ => problems.push(Problem::DuplicateScore { bid_id, criterion_id }),
            }
        }
        all.push(points);
    }
    all
}

/// One bid's figures; its place is set afterwards.
fn total(setup: &Setup, bid: &BidInput, points: &[i32], price_points: Option<Decimal>) -> BidResult {
    let values = setup.values();
    // Per criterion, then per scale, the numerator over `max points × 100` before one division:
    // criteria sharing a scale then add up exactly.
    let mut per_max: BTreeMap<i32, i64> = BTreeMap::new();
    let mut criteria = Vec::with_capacity(points.len());
    for (c, p) in setup.criteria.iter().zip(points) {
        let factor = if values { c.value_cents.unwrap_or(0) } else { i64::from(c.weight_bp) };
        let numerator = factor * i64::from(*p);
        *per_max.entry(c.max_points()).or_default() += numerator;
        let score = Decimal::from(numerator) / Decimal::from(i64::from(c.max_points()) * 100);
        criteria.push(CriterionResult { criterion_id: c.criterion_id, points: *p, score });
    }
    let quality: Decimal =
        per_max.iter().map(|(max, n)| Decimal::from(*n) / Decimal::from(i64::from(*max) * 100)).sum();
    let (fictive, total) = if values {
        // `quality` is in euros here; the fictive price subtracts it as cents.
        let fictive = fictive_price(bid.price_cents, quality * Decimal::ONE_HUNDRED);
        (Some(fictive), fictive)
    } else {
        (None, quality + price_points.unwrap_or(Decimal::ZERO))
    };
    // The one rounding of this bid's figures; rescaling after it only adds zeros, so that the
    // total reads with the published number of decimals.
    let mut total_rounded = setup.rounding.apply(total);
    total_rounded.rescale(setup.rounding.decimals);
    BidResult {
        bid_id: bid.bid_id,
        price_cents: bid.price_cents,
        criteria,
        quality,
        price_points,
        fictive_price: fictive,
        total,
        total_rounded,
        rank: 0,
        tie: Tie::Untied,
        tie_group: None,
        standing: Standing::NotWinning,
    }
}

#[cfg(test)]
#[path = "ranking_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "ranking_props.rs"]
mod props;
