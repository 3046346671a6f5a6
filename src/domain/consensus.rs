//! Consensus (consensus): how far the assessors' individual scores for one bid and criterion lie
//! apart, counted in steps of the scale, and which of them stand out.
//!
//! Steps, not points: on 0-2-4-6-8-10 a 4 and an 8 are two steps apart, on 10-7-5-3-0 a 3 and a
//! 7 are too, though their point gaps differ. A step is a score's place on its scale with the
//! steps sorted by points, whatever order the scale lists them in.
//!
//! The committee must discuss a set of scores whose lowest and highest lie two or more steps
//! apart ([`Spread::outlier`]). One score stands out ([`AssessorSpread::outlier`]) when it lies
//! two or more steps from the median of the *other* scores: with 6-6-6-0 that is only the 0,
//! with two assessors at 0 and 4 both (neither can be called the odd one), and with 2-4-6 none,
//! though the set as a whole is flagged.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Two steps apart is what the committee must discuss.
pub const OUTLIER_STEPS: u32 = 2;

/// One assessor's score for one bid and criterion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AssessorScore {
    /// The beoordelaar (user id).
    pub assessor_id: i64,
    /// The points chosen, one of the scale's steps.
    pub points: i32,
}

/// The spread of the scores for one bid and criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Spread {
    /// The lowest and highest points given.
    pub lowest: i32,
    pub highest: i32,
    /// How many steps of the scale lie between the lowest and the highest score.
    pub steps: u32,
    /// True when the scores lie two or more steps apart: the committee discusses them.
    pub outlier: bool,
    /// Every score, in the order given, with its own distance.
    pub scores: Vec<AssessorSpread>,
}

/// One score within its set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct AssessorSpread {
    pub assessor_id: i64,
    pub points: i32,
    /// Its step on the scale: 0 for the lowest points, counting up.
    pub step: u32,
    /// True when it lies two or more steps from the median of the other scores.
    pub outlier: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConsensusError {
    #[error("Er zijn geen scores om te vergelijken.")]
    NoScores,
    #[error("{points} punten is geen stap van deze schaal.")]
    NotAStep { assessor_id: i64, points: i32 },
}

/// The step of `points` on a scale given by its steps' points, in any order.
pub fn step_of(scale_points: &[i32], points: i32) -> Option<u32> {
    scale_points.contains(&points).then(|| {
        let below = scale_points.iter().filter(|p| **p < points).count();
        u32::try_from(below).unwrap_or(u32::MAX)
    })
}

/// The spread of the scores for one bid and criterion on the scale with these steps' points.
pub fn spread(scale_points: &[i32], scores: &[AssessorScore]) -> Result<Spread, ConsensusError> {
    let mut placed = Vec::with_capacity(scores.len());
    for s in scores {
        let step = step_of(scale_points, s.points)
            .ok_or(ConsensusError::NotAStep { assessor_id: s.assessor_id, points: s.points })?;
        placed.push((s, step));
    }
    let (Some(low), Some(high)) =
        (placed.iter().min_by_key(|(_, step)| *step), placed.iter().max_by_key(|(_, step)| *step))
    else {
        return Err(ConsensusError::NoScores);
    };
    let steps = high.1 - low.1;
    let all: Vec<u32> = placed.iter().map(|(_, step)| *step).collect();
    let scores = placed
        .iter()
        .enumerate()
        .map(|(i, (s, step))| {
            let others: Vec<u32> = all.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, s)| *s).collect();
            let outlier = twice_median(&others)
                .is_some_and(|m2| (2 * i64::from(*step) - m2).abs() >= 2 * i64::from(OUTLIER_STEPS));
            AssessorSpread { assessor_id: s.assessor_id, points: s.points, step: *step, outlier }
        })
        .collect();
    Ok(Spread { lowest: low.0.points, highest: high.0.points, steps, outlier: steps >= OUTLIER_STEPS, scores })
}

/// Twice the median, so that the median of an even count (a half step) stays a whole number.
fn twice_median(steps: &[u32]) -> Option<i64> {
    let mut sorted: Vec<i64> = steps.iter().map(|s| i64::from(*s)).collect();
    sorted.sort_unstable();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(2 * sorted[n / 2]),
        _ => Some(sorted[n / 2 - 1] + sorted[n / 2]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVEN: [i32; 6] = [0, 2, 4, 6, 8, 10];
    const DESCENDING: [i32; 5] = [10, 7, 5, 3, 0];

    fn scores(points: &[i32]) -> Vec<AssessorScore> {
        points.iter().zip(1..).map(|(p, id)| AssessorScore { assessor_id: id, points: *p }).collect()
    }

    fn flags(s: &Spread) -> Vec<bool> {
        s.scores.iter().map(|a| a.outlier).collect()
    }

    #[test]
    fn steps_count_places_on_the_scale_not_points() {
        // 4 and 8 on 0-2-4-6-8-10: steps 2 and 4, two apart (4 points).
        let a = spread(&EVEN, &scores(&[4, 8])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((a.lowest, a.highest, a.steps, a.outlier), (4, 8, 2, true));
        // 3 and 7 on 10-7-5-3-0: steps 1 and 3, two apart as well (4 points); 5 and 7 one step (2 points).
        let b = spread(&DESCENDING, &scores(&[7, 3])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((b.lowest, b.highest, b.steps, b.outlier), (3, 7, 2, true));
        let c = spread(&DESCENDING, &scores(&[5, 7])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((c.steps, c.outlier), (1, false));
        // 7 and 10 differ by three points but are neighbours on that scale.
        assert_eq!(spread(&DESCENDING, &scores(&[10, 7])).map(|s| s.steps), Ok(1));
    }

    #[test]
    fn a_score_stands_out_when_it_lies_two_steps_from_the_others_median() {
        // 6-6-6-0: the 0 is three steps from the others' median 6; each 6 zero from its others' 6.
        let s = spread(&EVEN, &scores(&[6, 6, 6, 0])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.steps, s.outlier), (3, true));
        assert_eq!(flags(&s), [false, false, false, true]);
        // Two assessors two steps apart: each is two steps from the other.
        let pair = spread(&EVEN, &scores(&[0, 4])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(flags(&pair), [true, true]);
        // 2-4-6: the set spans two steps, but the 2 is 1,5 steps from the median 5 of 4 and 6.
        let even = spread(&EVEN, &scores(&[2, 4, 6])).unwrap_or_else(|e| panic!("{e}"));
        assert!(even.outlier);
        assert_eq!(flags(&even), [false, false, false]);
    }

    #[test]
    fn agreement_and_a_single_score_have_no_spread() {
        let same = spread(&EVEN, &scores(&[8, 8, 8])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((same.steps, same.outlier), (0, false));
        let one = spread(&EVEN, &scores(&[8])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((one.steps, one.outlier, flags(&one)), (0, false, vec![false]));
    }

    #[test]
    fn points_off_the_scale_and_no_scores_are_refused() {
        assert_eq!(spread(&EVEN, &scores(&[8, 5])), Err(ConsensusError::NotAStep { assessor_id: 2, points: 5 }));
        assert_eq!(spread(&EVEN, &[]), Err(ConsensusError::NoScores));
    }

    #[test]
    fn a_malus_step_counts_as_the_lowest_step() {
        assert_eq!(step_of(&[-5, 0, 5, 10], -5), Some(0));
        assert_eq!(step_of(&[10, 5, 0, -5], 10), Some(3));
        assert_eq!(step_of(&[10, 5, 0], 4), None);
    }
}
