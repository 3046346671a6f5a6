//! Loting (draw): the groups of bids tied after rounding, and the order a draw gave them.
//!
//! The ranking hands over its results sorted by rounded total and, within equal totals, by bid
//! id. Runs of equal totals are the tied groups. A group without a draw keeps the state "draw
//! needed": its bids share the rank of its first place, and when it straddles the number of
//! winners none of them is winning or not until the draw. A draw result must name exactly the
//! bids of one group, each once; the group then takes the drawn order. Who attended and who drew
//! is recorded elsewhere: here only the outcome counts.

use std::ops::Range;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ranking::{Basis, BidResult, Problem, Ranking, Standing};

/// The outcome of a draw for one tied group: its bids in the order the lot decided, best first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawResult {
    pub bid_ids: Vec<i64>,
}

/// Whether a bid's place is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tie {
    /// Its rounded total is its own.
    Untied,
    /// Tied, and no draw yet: its place within the group is open.
    DrawNeeded,
    /// Tied, and placed by the draw.
    Drawn,
}

/// Bids with the same rounded total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct TieGroup {
    /// By bid id, or in the drawn order once drawn.
    pub bid_ids: Vec<i64>,
    /// The total they share.
    #[schema(value_type = String)]
    pub total_rounded: Decimal,
    /// The first place the group covers.
    pub first_rank: u32,
    /// The last place the group covers.
    pub last_rank: u32,
    /// True when the group straddles the number of winners: the draw decides who wins.
    pub decides_award: bool,
    /// True once a draw result for the group was given.
    pub drawn: bool,
}

fn place_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Groups the sorted results into ties, follows the draws, and gives every bid its rank and standing.
pub fn place(
    mut results: Vec<BidResult>,
    basis: Basis,
    max_winners: u32,
    draws: &[DrawResult],
) -> Result<Ranking, Vec<Problem>> {
    let runs = tied_runs(&results);
    let mut drawn: Vec<Option<&DrawResult>> = vec![None; runs.len()];
    let mut problems = Vec::new();
    for d in draws {
        let mut named = d.bid_ids.clone();
        named.sort_unstable();
        let group = runs.iter().position(|r| results[r.clone()].iter().map(|b| b.bid_id).eq(named.iter().copied()));
        match group {
            None => problems.push(Problem::DrawNotATie { bid_ids: d.bid_ids.clone() }),
            Some(g) if drawn[g].is_some() => problems.push(Problem::DrawTwice { bid_ids: d.bid_ids.clone() }),
            Some(g) => drawn[g] = Some(d),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for (i, b) in results.iter_mut().enumerate() {
        b.rank = place_number(i);
    }
    let mut ties = Vec::with_capacity(runs.len());
    for (g, run) in runs.into_iter().enumerate() {
        let (first_rank, last_rank) = (place_number(run.start), place_number(run.end - 1));
        let group = &mut results[run];
        if let Some(d) = drawn[g] {
            group.sort_by_key(|b| d.bid_ids.iter().position(|id| *id == b.bid_id));
        }
        for (i, b) in group.iter_mut().enumerate() {
            b.tie_group = Some(g);
            (b.tie, b.rank) = match drawn[g] {
                Some(_) => (Tie::Drawn, first_rank + place_number(i) - 1),
                None => (Tie::DrawNeeded, first_rank),
            };
        }
        ties.push(TieGroup {
            bid_ids: group.iter().map(|b| b.bid_id).collect(),
            total_rounded: group[0].total_rounded,
            first_rank,
            last_rank,
            decides_award: first_rank <= max_winners && max_winners < last_rank,
            drawn: drawn[g].is_some(),
        });
    }
    for b in &mut results {
        let open = b.tie == Tie::DrawNeeded && b.tie_group.is_some_and(|g| ties[g].decides_award);
        // An undrawn group that does not straddle the cut-off lies wholly on one side of it.
        b.standing = match open {
            true => Standing::DrawDecides,
            false if b.rank <= max_winners => Standing::Winning,
            false => Standing::NotWinning,
        };
    }
    let award_decided = ties.iter().all(|t| t.drawn || !t.decides_award);
    Ok(Ranking { basis, max_winners, bids: results, ties, award_decided })
}

/// The ranges of two or more neighbours with the same rounded total.
fn tied_runs(results: &[BidResult]) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = 0;
    while start < results.len() {
        // Every rounded total has the same scale: equal mantissas are equal totals.
        let first = results[start].total_rounded.mantissa();
        let same = results[start..].iter().take_while(|b| b.total_rounded.mantissa() == first).count();
        if same > 1 {
            runs.push(start..start + same);
        }
        start += same;
    }
    runs
}
