//! Kwaliteitspunten (quality points): what each step of each criterion is worth, worked out
//! once per ranking rather than once per bid.
//!
//! A criterion's score is `factor × points / (max points × 100)`, the factor being its weight
//! in basis points (or, with gunnen op waarde, its value in cents). When every scale's
//! `max points × 100` divides a power of ten `10^K`, each score is an exact decimal with at most
//! `K` decimals, and a bid's quality is the sum of whole numbers of `10^-K`: integer additions,
//! exact. Otherwise (a scale up to 3, say) the numerators of the criteria that share a scale are
//! added first and divided once, so that they still add up exactly.

use rust_decimal::Decimal;

use super::ranking::{BidInput, CriterionResult, Problem, Score};
use super::ranking_setup::{MAX_SCALE_POINTS, Setup};

/// One step of a criterion: its result (points and score), the numerator they give, and the
/// score in units of `10^-K` when the scales allow it.
#[derive(Clone, Copy, Debug)]
struct Step {
    result: CriterionResult,
    numerator: i64,
    units: i128,
}

/// The most decimals a terminating score may need here: `max points × 100` ≤ 10,000.
const MAX_K: u32 = 8;
/// Points lie within ±`MAX_SCALE_POINTS`: 201 possible values.
const LOOKUP: usize = 2 * MAX_SCALE_POINTS as usize + 1;
const NONE: u8 = u8::MAX;

pub struct QualityTable {
    /// Per criterion in the set-up's order, its steps.
    steps: Vec<Vec<Step>>,
    /// Per criterion, the step of each possible points value from −100 to 100 (`NONE` when the
    /// scale has no such step): a lookup instead of a search for every score.
    lookup: Vec<[u8; LOOKUP]>,
    /// Every step's units, criterion after criterion, and where each criterion starts: one
    /// lookup per score when adding up a bid.
    units: Vec<i128>,
    starts: Vec<usize>,
    /// Per criterion, its group: the criteria whose scales share their max points.
    group: Vec<usize>,
    /// Per group, the denominator `max points × 100`.
    denominators: Vec<i64>,
    /// The `K` for which every denominator divides `10^K`, when there is one.
    decimals: Option<u32>,
}

/// The smallest `K` with `n` dividing `10^K`, when `1 / n` is a short enough decimal.
fn power_of_ten_multiple(n: i64) -> Option<u32> {
    (0..=MAX_K).find(|k| n > 0 && 10i64.pow(*k) % n == 0)
}

impl QualityTable {
    pub fn of(setup: &Setup) -> QualityTable {
        let values = setup.values();
        let mut denominators: Vec<i64> = Vec::new();
        let mut group = Vec::with_capacity(setup.criteria.len());
        let mut steps: Vec<Vec<Step>> = Vec::with_capacity(setup.criteria.len());
        for c in &setup.criteria {
            let denominator = i64::from(c.max_points()) * 100;
            group.push(denominators.iter().position(|d| *d == denominator).unwrap_or_else(|| {
                denominators.push(denominator);
                denominators.len() - 1
            }));
            let factor = if values { c.value_cents.unwrap_or(0) } else { i64::from(c.weight_bp) };
            steps.push(
                c.scale_points
                    .iter()
                    .map(|p| {
                        let numerator = factor * i64::from(*p);
                        let score = Decimal::from(numerator) / Decimal::from(denominator);
                        Step {
                            result: CriterionResult { criterion_id: c.criterion_id, points: *p, score },
                            numerator,
                            units: 0,
                        }
                    })
                    .collect(),
            );
        }
        let decimals = denominators.iter().map(|d| power_of_ten_multiple(*d)).try_fold(0, |k, d| d.map(|d| k.max(d)));
        if let Some(k) = decimals {
            for (c, list) in steps.iter_mut().enumerate() {
                let multiplier = i128::from(10i64.pow(k) / denominators[group[c]]);
                list.iter_mut().for_each(|s| s.units = i128::from(s.numerator) * multiplier);
            }
        }
        let lookup = steps
            .iter()
            .map(|list| {
                let mut l = [NONE; LOOKUP];
                for (i, s) in list.iter().enumerate().take(usize::from(NONE)) {
                    if let Some(slot) =
                        usize::try_from(s.result.points + MAX_SCALE_POINTS).ok().and_then(|p| l.get_mut(p))
                        && *slot == NONE
                    {
                        *slot = u8::try_from(i).unwrap_or(NONE);
                    }
                }
                l
            })
            .collect();
        let starts = steps.iter().scan(0, |at, list| Some(std::mem::replace(at, *at + list.len()))).collect();
        let units = steps.iter().flatten().map(|s| s.units).collect();
        QualityTable { steps, units, starts, lookup, group, denominators, decimals }
    }

    /// The index of the step of criterion `c` with these points, when it is one.
    pub fn step(&self, c: usize, points: i32) -> Option<u16> {
        let at = usize::try_from(points.checked_add(MAX_SCALE_POINTS)?).ok()?;
        let step = *self.lookup.get(c)?.get(at)?;
        (step != NONE).then_some(u16::from(step))
    }

    /// Each bid's step per criterion in the set-up's order, all bids in one list, or the problems
    /// with their scores.
    pub fn steps_of(&self, setup: &Setup, bids: &[&BidInput], problems: &mut Vec<Problem>) -> Vec<u16> {
        let k = setup.criteria.len();
        let mut all = Vec::with_capacity(bids.len() * k);
        let (mut given, mut twice): (Vec<Option<&Score>>, Vec<usize>) = (vec![None; k], Vec::new());
        for b in bids {
            let bid_id = b.bid_id;
            // Usually the scores come one per criterion, in the set-up's order.
            let in_order = b.scores.len() == k
                && b.scores.iter().zip(&setup.criteria).all(|(s, c)| s.criterion_id == c.criterion_id);
            if in_order {
                for (i, s) in b.scores.iter().enumerate() {
                    match self.step(i, s.points) {
                        Some(step) => all.push(step),
                        None => {
                            problems.push(Problem::NotAStep { bid_id, criterion_id: s.criterion_id, points: s.points })
                        }
                    }
                }
                continue;
            }
            given.fill(None);
            twice.clear();
            for s in &b.scores {
                match setup.criteria.iter().position(|c| c.criterion_id == s.criterion_id) {
                    None => problems.push(Problem::UnknownCriterion { bid_id, criterion_id: s.criterion_id }),
                    Some(i) if given[i].is_some() => twice.push(i),
                    Some(i) => given[i] = Some(s),
                }
            }
            for (i, c) in setup.criteria.iter().enumerate() {
                let criterion_id = c.criterion_id;
                match given[i] {
                    None => problems.push(Problem::MissingScore { bid_id, criterion_id }),
                    Some(_) if twice.contains(&i) => problems.push(Problem::DuplicateScore { bid_id, criterion_id }),
                    Some(s) => match self.step(i, s.points) {
                        Some(step) => all.push(step),
                        None => problems.push(Problem::NotAStep { bid_id, criterion_id, points: s.points }),
                    },
                }
            }
        }
        all
    }

    /// What criterion `c` at step `s` reports: its points and unrounded score.
    pub fn result(&self, c: usize, s: u16) -> CriterionResult {
        self.steps[c][usize::from(s)].result
    }

    /// The quality of a bid with these steps as a whole number of `10^-k`, with `k` (at most
    /// `K`, fewer when the last digits are zeros), when the scales allow it.
    pub fn units(&self, steps: &[u16]) -> Option<(i128, u32)> {
        let k = self.decimals?;
        let units = steps
            .iter()
            .zip(&self.starts)
            .map(|(s, start)| self.units.get(start + usize::from(*s)).copied().unwrap_or(0));
        let (mut units, mut k): (i128, u32) = (units.sum(), k);
        // Without trailing zeros, so that a quality of 65 reads "65"; in 64 bits, where dividing
        // by ten is a multiplication.
        if let Ok(mut small) = i64::try_from(units) {
            while k > 0 && small % 10 == 0 {
                small /= 10;
                k -= 1;
            }
            units = i128::from(small);
        }
        Some((units, k))
    }

    /// The unrounded quality of a bid with these steps, one per criterion, in exact decimals.
    pub fn quality(&self, steps: &[u16]) -> Decimal {
        if let Some((units, k)) = self.units(steps) {
            return Decimal::from_i128_with_scale(units, k);
        }
        let mut numerators = vec![0i64; self.denominators.len()];
        for (c, s) in steps.iter().enumerate() {
            numerators[self.group[c]] += self.steps[c][usize::from(*s)].numerator;
        }
        numerators.iter().zip(&self.denominators).map(|(n, d)| Decimal::from(*n) / Decimal::from(*d)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::price_formula::PriceFormula;
    use crate::domain::price_score::PriceRule;
    use crate::domain::ranking_setup::CriterionSetup;
    use crate::domain::rounding::RoundingRule;

    fn setup(scales: &[&[i32]]) -> Setup {
        let criteria = scales
            .iter()
            .enumerate()
            .map(|(i, s)| CriterionSetup {
                criterion_id: i as i64,
                weight_bp: 2000,
                scale_points: s.to_vec(),
                value_cents: None,
            })
            .collect();
        let price = PriceRule { formula: PriceFormula::RelativeToLowest, weight_bp: 2000, ceiling_cents: None };
        Setup { criteria, price, rounding: RoundingRule::default(), max_winners: 1 }
    }

    #[test]
    fn scores_on_decimal_scales_add_up_exactly() {
        let t = QualityTable::of(&setup(&[&[0, 5, 10], &[0, 2, 4]]));
        assert_eq!(t.decimals, Some(4), "1000 and 400 both divide 10^4");
        // 20 × 5/10 + 20 × 2/4 = 10 + 10.
        assert_eq!(t.quality(&[1, 1]), Decimal::from(20));
        assert_eq!(t.result(0, 2).score, Decimal::from(20));
    }

    #[test]
    fn thirds_of_one_scale_are_added_before_the_one_division() {
        let t = QualityTable::of(&setup(&[&[0, 1, 3], &[0, 1, 3], &[0, 1, 3]]));
        assert_eq!(t.decimals, None);
        // Three times 20 × 1/3: exactly 20, not 19.9999… from three rounded thirds.
        assert_eq!(t.quality(&[1, 1, 1]), Decimal::from(20));
        assert_eq!(t.step(0, 3), Some(2));
        assert_eq!(t.step(0, 2), None);
    }
}
