//! Capaciteitsoverzicht (capacity dashboard): per leerroute and half year what a gemeente or a
//! region expects, contracted and placed, and per contract and year how full it is. Built from
//! counts the database made; nothing here loads a placement.

use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::forecast::{Balance, Distribution, HalfYear, capacity_in};

/// A contract as the overview needs it.
pub struct ContractIn {
    pub id: i64,
    pub company: String,
    pub route: String,
    /// (year, gemeente or none for the regional total, places)
    pub capacity: Vec<(i32, Option<i64>, u32)>,
}

/// What the overview is made of, for the gemeenten in `scope`.
pub struct Inputs<'a> {
    pub halves: Vec<HalfYear>,
    /// (code, name) of the routes shown, in order.
    pub routes: Vec<(String, String)>,
    pub distribution: &'a Distribution,
    /// (gemeente, half year, people)
    pub taakstelling: Vec<(i64, HalfYear, u32)>,
    pub contracts: Vec<ContractIn>,
    /// (contract, gemeente, half year, placements started)
    pub placed: Vec<(i64, i64, HalfYear, u32)>,
    pub scope: Vec<i64>,
    /// A region sees the regional totals; a gemeente its allocation.
    pub region: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Period {
    pub half: String,
    pub expected: u32,
    pub capacity: u32,
    pub placed: u32,
    /// Places over (positive) or short (negative).
    pub surplus: i64,
    pub utilisation_percent: Option<u32>,
    pub attention: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RouteLine {
    pub code: String,
    pub name: String,
    pub periods: Vec<Period>,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ContractYear {
    pub year: i32,
    pub places: u32,
    pub placed: u32,
    pub utilisation_percent: Option<u32>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ContractLine {
    pub id: i64,
    pub company: String,
    pub route: String,
    pub years: Vec<ContractYear>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Overview {
    pub halves: Vec<String>,
    pub routes: Vec<RouteLine>,
    pub contracts: Vec<ContractLine>,
}

/// Above this share of its places a contract is nearly full.
pub const NEARLY_FULL: u32 = 90;

impl Overview {
    pub fn build(i: &Inputs) -> Overview {
        let in_scope = |g: &i64| i.scope.contains(g);
        let places = |c: &ContractIn, year: i32| -> u32 {
            let mine = |m: &Option<i64>| if i.region { m.is_none() } else { m.is_some_and(|g| in_scope(&g)) };
            c.capacity.iter().filter(|(y, m, _)| *y == year && mine(m)).map(|(_, _, p)| p).sum()
        };
        let mut placed_by: HashMap<(i64, HalfYear), u32> = HashMap::new();
        for (contract, _, half, n) in i.placed.iter().filter(|p| in_scope(&p.1)) {
            *placed_by.entry((*contract, *half)).or_default() += n;
        }
        let mut expected: HashMap<(&str, HalfYear), u32> = HashMap::new();
        for (_, half, people) in i.taakstelling.iter().filter(|t| in_scope(&t.0)) {
            for (route, n) in i.distribution.split(*people) {
                if let Some((code, _)) = i.routes.iter().find(|(c, _)| *c == route) {
                    *expected.entry((code.as_str(), *half)).or_default() += n;
                }
            }
        }
        let routes = i
            .routes
            .iter()
            .map(|(code, name)| {
                let mine: Vec<&ContractIn> = i.contracts.iter().filter(|c| &c.route == code).collect();
                let periods = i
                    .halves
                    .iter()
                    .map(|h| {
                        let b = Balance {
                            expected: expected.get(&(code.as_str(), *h)).copied().unwrap_or(0),
                            capacity: mine.iter().map(|c| capacity_in(*h, places(c, h.year))).sum(),
                            placed: mine.iter().map(|c| placed_by.get(&(c.id, *h)).copied().unwrap_or(0)).sum(),
                        };
                        Period {
                            half: h.to_string(),
                            expected: b.expected,
                            capacity: b.capacity,
                            placed: b.placed,
                            surplus: b.surplus(),
                            utilisation_percent: b.utilisation_percent(),
                            attention: b.needs_attention(),
                        }
                    })
                    .collect();
                RouteLine { code: code.clone(), name: name.clone(), periods }
            })
            .collect();
        let mut years: Vec<i32> = i.halves.iter().map(|h| h.year).collect();
        years.dedup();
        let contracts = i
            .contracts
            .iter()
            .map(|c| ContractLine {
                id: c.id,
                company: c.company.clone(),
                route: c.route.clone(),
                years: years
                    .iter()
                    .map(|&year| {
                        let placed = [1, 2]
                            .iter()
                            .map(|&half| placed_by.get(&(c.id, HalfYear { year, half })).copied().unwrap_or(0))
                            .sum();
                        let places = places(c, year);
                        let utilisation_percent =
                            (places > 0).then(|| (u64::from(placed) * 100 / u64::from(places)) as u32);
                        ContractYear { year, places, placed, utilisation_percent }
                    })
                    .collect(),
            })
            .collect();
        Overview { halves: i.halves.iter().map(|h| h.to_string()).collect(), routes, contracts }
    }

    /// What management is told about: every shortage against the forecast and every contract
    /// year above [`NEARLY_FULL`]; each with a stable key so it is mailed once.
    pub fn warnings(&self) -> Vec<(String, String)> {
        let mut list = Vec::new();
        for r in &self.routes {
            for p in r.periods.iter().filter(|p| p.surplus < 0) {
                let text = format!(
                    "{} {}: {} trajecten verwacht, {} plaatsen gecontracteerd (tekort {}).",
                    r.name, p.half, p.expected, p.capacity, -p.surplus
                );
                list.push((format!("tekort:{}:{}", r.code, p.half), text));
            }
        }
        for c in &self.contracts {
            for y in c.years.iter().filter(|y| y.utilisation_percent.is_some_and(|u| u > NEARLY_FULL)) {
                let pct = y.utilisation_percent.unwrap_or(0);
                let text = format!(
                    "{} ({}) {}: {} van {} plaatsen bezet ({pct}%).",
                    c.company, c.route, y.year, y.placed, y.places
                );
                list.push((format!("vol:{}:{}", c.id, y.year), text));
            }
        }
        list
    }
}

/// The half years from `from` through `to`, at most `most` of them.
pub fn halves(from: HalfYear, to: HalfYear, most: usize) -> Vec<HalfYear> {
    (from.index()..=to.index()).take(most).map(HalfYear::from_index).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOORN: i64 = 1;
    const ENKHUIZEN: i64 = 2;

    fn h(year: i32, half: u8) -> HalfYear {
        HalfYear { year, half }
    }

    fn inputs(d: &Distribution, scope: Vec<i64>, region: bool) -> Inputs<'_> {
        Inputs {
            halves: halves(h(2027, 1), h(2027, 2), 10),
            routes: vec![("b1-route".into(), "B1-route".into()), ("z-route".into(), "Z-route".into())],
            distribution: d,
            // Hoorn 47 and 20 people, Enkhuizen 10 in the first half.
            taakstelling: vec![(HOORN, h(2027, 1), 47), (HOORN, h(2027, 2), 20), (ENKHUIZEN, h(2027, 1), 10)],
            contracts: vec![
                // B1: 50 places in 2027, of which Hoorn 30 and Enkhuizen 12.
                ContractIn {
                    id: 7,
                    company: "Taalschool A".into(),
                    route: "b1-route".into(),
                    capacity: vec![(2027, None, 50), (2027, Some(HOORN), 30), (2027, Some(ENKHUIZEN), 12)],
                },
                ContractIn {
                    id: 8,
                    company: "Zorg B".into(),
                    route: "z-route".into(),
                    capacity: vec![(2027, None, 9)],
                },
            ],
            placed: vec![
                (7, HOORN, h(2027, 1), 26),
                (7, HOORN, h(2027, 2), 2),
                (7, ENKHUIZEN, h(2027, 1), 5),
                (8, HOORN, h(2027, 1), 3),
            ],
            scope,
            region,
        }
    }

    #[test]
    fn a_gemeente_sees_its_forecast_against_its_allocation() {
        let d = Distribution::seed();
        let o = Overview::build(&inputs(&d, vec![HOORN], false));
        let b1 = &o.routes[0].periods;
        // 47 people: 28 B1 (see forecast); 30 places a year: 15 in each half; 26 placed.
        assert_eq!((b1[0].expected, b1[0].capacity, b1[0].placed, b1[0].surplus), (28, 15, 26, -13));
        // 20 people: 12 B1; 15 places; 2 placed.
        assert_eq!((b1[1].expected, b1[1].capacity, b1[1].placed, b1[1].surplus), (12, 15, 2, 3));
        // Z-route: 7 and 3 expected; no allocation for Hoorn on a pooled contract: 0 places.
        let z = &o.routes[1].periods;
        assert_eq!((z[0].expected, z[0].capacity, z[1].expected), (7, 0, 3));
        assert_eq!(
            o.contracts[0].years[0],
            ContractYear { year: 2027, places: 30, placed: 28, utilisation_percent: Some(93) }
        );
        let keys: Vec<String> = o.warnings().into_iter().map(|w| w.0).collect();
        assert_eq!(keys, ["tekort:b1-route:2027-H1", "tekort:z-route:2027-H1", "tekort:z-route:2027-H2", "vol:7:2027"]);
        assert_eq!(o.contracts[1].years[0].utilisation_percent, None, "a pooled contract without an allocation");
    }

    #[test]
    fn the_region_adds_its_gemeenten_up_against_the_regional_totals() {
        let d = Distribution::seed();
        let o = Overview::build(&inputs(&d, vec![HOORN, ENKHUIZEN], true));
        let b1 = &o.routes[0].periods;
        // 28 + 6 (10 people: 6/2.5/1.5 -> 6, 3, 1) expected; 50 places: 25 a half.
        assert_eq!((b1[0].expected, b1[0].capacity, b1[0].placed), (34, 25, 31));
        let z = &o.routes[1].periods;
        // Z: 7 + 1 expected; 9 places: 5 and 4.
        assert_eq!((z[0].expected, z[0].capacity, z[1].capacity), (8, 5, 4));
        assert_eq!(
            o.contracts[0].years[0],
            ContractYear { year: 2027, places: 50, placed: 33, utilisation_percent: Some(66) }
        );
        assert_eq!(o.contracts[1].years[0].utilisation_percent, Some(33));
    }
}
