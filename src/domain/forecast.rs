//! Prognose (demand forecast): from a gemeente's taakstelling per half year and the expected
//! distribution over the leerroutes, the trajectories it will need per route, set against the
//! places it contracted. Whole trajectories only: the routes of one half year add up to its
//! taakstelling exactly (largest remainder), so a forecast never loses or invents a person.

use std::fmt;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A half year, the period of a taakstelling: "2027-H1" is January to June 2027.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HalfYear {
    pub year: i32,
    /// 1 or 2.
    pub half: u8,
}

impl HalfYear {
    /// Reads "2027-H1" or "2027-h2"; a Dutch message otherwise.
    pub fn parse(s: &str) -> Result<HalfYear, String> {
        let wrong = || format!("'{s}' is geen halfjaar; schrijf bijvoorbeeld 2027-H1 of 2027-H2.");
        let (year, half) = s.trim().split_once('-').ok_or_else(wrong)?;
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y)).ok_or_else(wrong)?;
        match half {
            "H1" | "h1" => Ok(HalfYear { year, half: 1 }),
            "H2" | "h2" => Ok(HalfYear { year, half: 2 }),
            _ => Err(wrong()),
        }
    }
}

impl fmt::Display for HalfYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-H{}", self.year, self.half)
    }
}

/// The expected share of each leerroute, in percent, by route code.
#[derive(Clone, Debug, PartialEq)]
pub struct Distribution(Vec<(String, Decimal)>);

impl Distribution {
    /// 60% B1-route, 25% onderwijsroute, 15% Z-route: the Ministerie van SZW's expectation
    /// quoted in the region's council letter.
    pub fn seed() -> Distribution {
        Distribution(vec![
            ("b1-route".into(), Decimal::from(60)),
            ("onderwijsroute".into(), Decimal::from(25)),
            ("z-route".into(), Decimal::from(15)),
        ])
    }

    /// Shares of known routes, none negative, together exactly 100%; every problem named.
    pub fn new(shares: Vec<(String, Decimal)>, known: &[&str]) -> Result<Distribution, Vec<String>> {
        let mut problems = Vec::new();
        for (i, (code, pct)) in shares.iter().enumerate() {
            if !known.contains(&code.as_str()) {
                problems.push(format!("Onbekende leerroute '{code}'."));
            }
            if pct.is_sign_negative() {
                problems.push(format!("Het aandeel van {code} is negatief."));
            }
            if *pct > Decimal::from(100) {
                problems.push(format!("Het aandeel van {code} is meer dan 100%."));
            }
            if shares[..i].iter().any(|(c, _)| c == code) {
                problems.push(format!("{code} staat er twee keer in."));
            }
        }
        // Checked: each share may be any number typed in, however large.
        let total = shares.iter().try_fold(Decimal::ZERO, |t, (_, p)| t.checked_add(*p)).unwrap_or(Decimal::MAX);
        if total != Decimal::from(100) {
            problems.push(format!("De aandelen tellen op tot {total}%, niet tot 100%."));
        }
        if problems.is_empty() { Ok(Distribution(shares)) } else { Err(problems) }
    }

    pub fn shares(&self) -> &[(String, Decimal)] {
        &self.0
    }

    /// The trajectories a taakstelling of `people` needs per route, in whole numbers that add
    /// up to `people`: each route first gets the whole part of its share, and the people left
    /// go one each to the routes with the largest remainders (on a tie the larger share, then
    /// the route listed first).
    pub fn split(&self, people: u32) -> Vec<(String, u32)> {
        let exact: Vec<Decimal> =
            self.0.iter().map(|(_, pct)| Decimal::from(people) * pct / Decimal::from(100)).collect();
        let mut whole: Vec<u32> = exact.iter().map(|e| e.trunc().to_u32().unwrap_or(0)).collect();
        let left = people.saturating_sub(whole.iter().sum());
        let mut order: Vec<usize> = (0..self.0.len()).collect();
        order.sort_by(|&a, &b| (exact[b].fract(), self.0[b].1).cmp(&(exact[a].fract(), self.0[a].1)).then(a.cmp(&b)));
        for &i in order.iter().take(left as usize) {
            whole[i] += 1;
        }
        self.0.iter().map(|(code, _)| code.clone()).zip(whole).collect()
    }
}

/// Places contracted per year, as available in one half of it: the odd place in the first half.
pub fn capacity_in(half: HalfYear, places_per_year: u32) -> u32 {
    match half.half {
        1 => places_per_year.div_ceil(2),
        _ => places_per_year / 2,
    }
}

/// One gemeente, route and half year: what is expected, contracted and placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Balance {
    pub expected: u32,
    pub capacity: u32,
    pub placed: u32,
}

impl Balance {
    /// Places over (positive) or short (negative) against the forecast.
    pub fn surplus(&self) -> i64 {
        i64::from(self.capacity) - i64::from(self.expected)
    }

    /// Placed as a share of the places, in whole percent; `None` without places.
    pub fn utilisation_percent(&self) -> Option<u32> {
        (self.capacity > 0).then(|| (u64::from(self.placed) * 100 / u64::from(self.capacity)) as u32)
    }

    /// Management is told when more than 90% of the places are used, or more are expected
    /// than contracted.
    pub fn needs_attention(&self) -> bool {
        self.utilisation_percent().is_some_and(|p| p > 90) || self.surplus() < 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTES: &[&str] = &["b1-route", "onderwijsroute", "z-route", "alfabetisering"];

    fn split(d: &Distribution, people: u32) -> Vec<u32> {
        d.split(people).into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn the_seed_distribution_splits_by_hand() {
        let d = Distribution::seed();
        // 47 people: 28.2, 11.75 and 7.05; one left over goes to the largest remainder (0.75).
        assert_eq!(split(&d, 47), [28, 12, 7]);
        // 20 people: exactly 12, 5 and 3.
        assert_eq!(split(&d, 20), [12, 5, 3]);
        // 1 person: 0.6, 0.25, 0.15; the one goes to the B1-route.
        assert_eq!(split(&d, 1), [1, 0, 0]);
        // 3 people: 1.8, 0.75, 0.45: 1 + 1 + 1.
        assert_eq!(split(&d, 3), [2, 1, 0]);
        assert_eq!(split(&d, 0), [0, 0, 0]);
    }

    #[test]
    fn the_routes_always_add_up_to_the_taakstelling() {
        let d = Distribution::new(
            vec![
                ("b1-route".into(), Decimal::new(3333, 2)),
                ("onderwijsroute".into(), Decimal::new(3333, 2)),
                ("z-route".into(), Decimal::new(3334, 2)),
            ],
            ROUTES,
        )
        .unwrap_or_else(|p| panic!("{p:?}"));
        for people in 0..500 {
            assert_eq!(split(&d, people).iter().sum::<u32>(), people, "{people}");
        }
        // 2 people: 0.6666, 0.6666 and 0.6668: the largest remainder first, then on a full tie
        // the route listed first.
        assert_eq!(split(&d, 2), [1, 0, 1]);
    }

    #[test]
    fn a_distribution_must_be_whole_known_and_positive() {
        let wrong = Distribution::new(
            vec![
                ("b1-route".into(), Decimal::from(70)),
                ("x-route".into(), Decimal::from(-5)),
                ("b1-route".into(), Decimal::from(20)),
            ],
            ROUTES,
        )
        .err()
        .unwrap_or_default();
        assert_eq!(
            wrong,
            [
                "Onbekende leerroute 'x-route'.",
                "Het aandeel van x-route is negatief.",
                "b1-route staat er twee keer in.",
                "De aandelen tellen op tot 85%, niet tot 100%."
            ]
        );
    }

    #[test]
    fn shares_of_any_size_are_refused_without_overflow() {
        let huge = vec![("b1-route".to_owned(), Decimal::MAX), ("z-route".to_owned(), Decimal::MAX)];
        let problems = Distribution::new(huge, ROUTES).err().unwrap_or_default();
        assert!(problems.iter().any(|p| p.contains("meer dan 100%")), "{problems:?}");
    }

    #[test]
    fn half_years_read_and_hold_half_the_yearly_places() {
        let h1 = HalfYear::parse("2027-H1").unwrap_or(HalfYear { year: 0, half: 0 });
        assert_eq!((h1.year, h1.half, h1.to_string()), (2027, 1, "2027-H1".to_owned()));
        assert!(
            HalfYear::parse("2027-H3").is_err() && HalfYear::parse("27-H1").is_err() && HalfYear::parse("").is_err()
        );
        assert!(HalfYear { year: 2027, half: 2 } < HalfYear { year: 2028, half: 1 });
        let h2 = HalfYear { year: 2027, half: 2 };
        assert_eq!((capacity_in(h1, 25), capacity_in(h2, 25)), (13, 12));
    }

    #[test]
    fn a_balance_warns_above_ninety_percent_or_short() {
        let b = Balance { expected: 28, capacity: 30, placed: 27 };
        assert_eq!((b.surplus(), b.utilisation_percent(), b.needs_attention()), (2, Some(90), false));
        let full = Balance { placed: 28, ..b };
        assert_eq!((full.utilisation_percent(), full.needs_attention()), (Some(93), true));
        let short = Balance { expected: 31, capacity: 30, placed: 0 };
        assert_eq!((short.surplus(), short.needs_attention()), (-1, true));
        assert_eq!(Balance { expected: 0, capacity: 0, placed: 0 }.utilisation_percent(), None);
    }
}
