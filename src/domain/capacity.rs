//! Capaciteit (contracted places): the trajectory places a contract offers per calendar year,
//! either per gemeente or as a regional total with an allocation per gemeente.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::{Error, Problems};

/// More places per year than a region buys on one contract: a typing error.
const MOST: u32 = 100_000;

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct YearCapacity {
    pub year: i32,
    /// The regional total; without it, the total is the sum of the allocations.
    #[serde(default)]
    pub total: Option<u32>,
    /// Places per gemeente (CBS code); may leave part of the total unallocated.
    #[serde(default)]
    pub allocation: BTreeMap<String, u32>,
}

impl YearCapacity {
    /// The places of the whole contract in this year.
    pub fn places(&self) -> u32 {
        self.total.unwrap_or_else(|| u32::try_from(self.allocated()).unwrap_or(u32::MAX))
    }

    /// The places allocated to gemeenten, summed without overflow.
    pub fn allocated(&self) -> u64 {
        self.allocation.values().map(|n| u64::from(*n)).sum()
    }
}

/// Checks the years against the contract: within its period with every extension, each year
/// once, only participating gemeenten, and allocations within the total.
pub fn validate(years: &[YearCapacity], first: i32, last: i32, participants: &[String]) -> Result<(), Error> {
    let mut p = Problems::default();
    for (i, y) in years.iter().enumerate() {
        let at = |f: &str| format!("years[{i}].{f}");
        if !(first..=last).contains(&y.year) {
            p.add(at("year"), format!("Het contract loopt van {first} tot en met {last}; {} valt erbuiten.", y.year));
        }
        if years[..i].iter().any(|o| o.year == y.year) {
            p.add(at("year"), format!("{} staat er twee keer in.", y.year));
        }
        if y.total.is_none() && y.allocation.is_empty() {
            p.add(at("total"), "Vul het regionale totaal in, of de plaatsen per gemeente.");
        }
        if y.total.is_some_and(|t| t > MOST) || y.allocation.values().any(|n| *n > MOST) {
            p.add(at("total"), format!("Hoogstens {MOST} plaatsen per jaar."));
        }
        for code in y.allocation.keys().filter(|c| !participants.contains(c)) {
            p.add(at(&format!("allocation.{code}")), format!("{code} neemt niet deel aan dit contract."));
        }
        let allocated = y.allocated();
        if let Some(total) = y.total.filter(|t| allocated > u64::from(*t)) {
            p.add(
                at("allocation"),
                format!("De gemeenten krijgen samen {allocated} plaatsen, meer dan het totaal van {total}."),
            );
        }
    }
    p.into_result(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(year: i32, total: Option<u32>, allocation: &[(&str, u32)]) -> YearCapacity {
        YearCapacity { year, total, allocation: allocation.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect() }
    }

    fn fields(years: &[YearCapacity]) -> Vec<String> {
        let participants = vec!["GM0405".to_owned(), "GM0388".to_owned()];
        match validate(years, 2027, 2034, &participants) {
            Err(Error::Validation(list)) => list.into_iter().map(|f| f.name).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn per_gemeente_or_a_total_with_an_allocation() {
        let per_gemeente = year(2027, None, &[("GM0405", 30), ("GM0388", 8)]);
        assert_eq!(per_gemeente.places(), 38);
        let pooled = year(2028, Some(40), &[("GM0405", 30)]);
        assert_eq!(pooled.places(), 40);
        assert!(fields(&[per_gemeente, pooled]).is_empty());
    }

    #[test]
    fn every_wrong_year_is_named() {
        let wrong = [
            year(2026, Some(10), &[]),
            year(2027, Some(10), &[("GM0405", 8), ("GM0388", 3)]),
            year(2027, None, &[("GM0498", 1)]),
            year(2029, None, &[]),
        ];
        assert_eq!(
            fields(&wrong),
            ["years[0].year", "years[1].allocation", "years[2].year", "years[2].allocation.GM0498", "years[3].total"]
        );
    }
}
