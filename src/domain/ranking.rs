//! Rangorde (ranking): the totals of a perceel's bids, rounded once by the published rule, in
//! order, with the groups of tied bids that a draw (loting) decides.
//!
//! - **Quality points** of a criterion: weight × points / max points of its scale, in points of
//!   the 100 a perceel hands out (a 25% criterion scored 8 on 0–10 earns 20).
//! - **Price points**: the published formula, see [`super::price_score`].
//! - **Total**: quality points plus price points, unrounded, then rounded exactly once with the
//!   tender's rule. The highest rounded total ranks first. Where the scales give exact decimal
//!   scores and the price formula is rational, the total is one fraction of whole numbers and
//!   its rounding is exact ([`super::exact_total`]); otherwise it is added in decimals.
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

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::draw::{DrawResult, Tie, TieGroup};
use super::exact_total;
use super::price_score::{PriceProblem, fictive_price};
use super::quality_table::QualityTable;
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
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
    let table = QualityTable::of(setup);
    let steps = table.steps_of(setup, &sorted, &mut problems);
    for b in &sorted {
        if let Some(problem) = setup.price.check(b.price_cents) {
            problems.push(Problem::Price { bid_id: b.bid_id, problem });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let lowest = sorted.iter().map(|b| b.price_cents).min().unwrap_or_default();
    let k = setup.criteria.len();
    let mut figures = Vec::with_capacity(sorted.len());
    for (i, b) in sorted.iter().enumerate() {
        figures.push(figures_of(setup, &table, b, &steps[i * k..(i + 1) * k], lowest).map_err(|p| vec![p])?);
    }
    let basis = if setup.values() { Basis::LowestFictivePrice } else { Basis::HighestTotal };
    // Every rounded total has the published number of decimals, so their mantissas compare as
    // the totals do; equal totals keep the order of the bid ids.
    let key = |f: &Figures| match basis {
        Basis::HighestTotal => -f.totals.total_rounded.mantissa(),
        Basis::LowestFictivePrice => f.totals.total_rounded.mantissa(),
    };
    // Real totals fit 64 bits, which sort faster; 96 would do too.
    let mut order: Vec<(i64, usize)> =
        figures.iter().enumerate().map_while(|(i, f)| Some((i64::try_from(key(f)).ok()?, i))).collect();
    if order.len() == figures.len() {
        order.sort_unstable();
    } else {
        let mut wide: Vec<(i128, usize)> = figures.iter().enumerate().map(|(i, f)| (key(f), i)).collect();
        wide.sort_unstable();
        // Only the order of the indices is used from here on.
        order = wide.into_iter().map(|(_, i)| (0, i)).collect();
    }
    let results = order.iter().map(|(_, i)| result(sorted[*i], &figures[*i])).collect();
    super::draw::place(results, basis, setup.max_winners, draws)
}

/// A bid's figures, before it has a place.
struct Figures {
    quality: Decimal,
    fictive: Option<Decimal>,
    totals: exact_total::Totals,
}

/// One bid's figures. Computed exactly in whole numbers where the scales and the price formula
/// allow it ([`super::exact_total`]), in decimals otherwise.
fn figures_of(
    setup: &Setup,
    table: &QualityTable,
    bid: &BidInput,
    steps: &[u16],
    lowest: i64,
) -> Result<Figures, Problem> {
    let units = table.units(steps);
    let quality = match units {
        Some((u, k)) => Decimal::from_i128_with_scale(u, k),
        None => table.quality(steps),
    };
    let exact = match (setup.values(), units) {
        (false, Some((units, k))) => {
            match (setup.price.gives_points(), setup.price.fraction(bid.price_cents, lowest)) {
                (false, _) => exact_total::totals(units, k, None, setup.rounding),
                (true, Some(fraction)) => exact_total::totals(units, k, Some(fraction), setup.rounding),
                (true, None) => None,
            }
        }
        _ => None,
    };
    if let Some(totals) = exact {
        return Ok(Figures { quality, fictive: None, totals });
    }
    let price_points = setup
        .price
        .points_of(bid.price_cents, lowest)
        .map_err(|problem| Problem::Price { bid_id: bid.bid_id, problem })?;
    let (fictive, total) = if setup.values() {
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
    Ok(Figures { quality, fictive, totals: exact_total::Totals { price_points, total, total_rounded } })
}

/// A bid's result, placed afterwards.
fn result(bid: &BidInput, f: &Figures) -> BidResult {
    BidResult {
        bid_id: bid.bid_id,
        price_cents: bid.price_cents,
        quality: f.quality,
        price_points: f.totals.price_points,
        fictive_price: f.fictive,
        total: f.totals.total,
        total_rounded: f.totals.total_rounded,
        rank: 0,
        tie: Tie::Untied,
        tie_group: None,
        standing: Standing::NotWinning,
    }
}

/// A bid's score per criterion, in the perceel's order: made on request, because a ranking of
/// many bids is mostly read for its totals.
pub fn criterion_results(setup: &Setup, bid: &BidInput) -> Result<Vec<CriterionResult>, Vec<Problem>> {
    let table = QualityTable::of(setup);
    let mut problems = Vec::new();
    let steps = table.steps_of(setup, &[bid], &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(steps.iter().enumerate().map(|(c, s)| table.result(c, *s)).collect())
}

#[cfg(test)]
#[path = "ranking_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "ranking_props.rs"]
mod props;
