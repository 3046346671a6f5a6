//! Capaciteit (contracted places) storage: per contract and calendar year one row with the
//! regional total (no gemeente) and a row per gemeente with its allocation.

use std::collections::BTreeMap;

use chrono::Datelike;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::DbConn;
use super::audit::{self, Change};
use super::contract::Contract;
use super::schema::{contract_capacities as cap, contracts, municipalities, placements};
use super::user::User;
use crate::domain::capacity::{YearCapacity, validate};
use crate::errors::Error;

/// The first and last calendar year of a contract with every extension taken.
pub fn year_range(c: &Contract) -> (i32, i32) {
    let first = c.start_date.year();
    (first, c.final_end_date.map_or(first, |d| d.year()))
}

/// The capacity of a contract, by year.
pub fn years_of(conn: &mut DbConn, contract_id: i64) -> Result<Vec<YearCapacity>, Error> {
    let rows: Vec<(i32, Option<String>, i32)> = cap::table
        .left_join(municipalities::table.on(cap::municipality_id.eq(municipalities::id.nullable())))
        .filter(cap::contract_id.eq(contract_id))
        .order((cap::year, municipalities::cbs_code))
        .select((cap::year, municipalities::cbs_code.nullable(), cap::places))
        .load(conn)?;
    let mut years: BTreeMap<i32, YearCapacity> = BTreeMap::new();
    for (year, code, places) in rows {
        let y = years.entry(year).or_insert_with(|| YearCapacity { year, total: None, allocation: BTreeMap::new() });
        let places = u32::try_from(places).unwrap_or(0);
        match code {
            Some(code) => {
                y.allocation.insert(code, places);
            }
            None => y.total = Some(places),
        }
    }
    Ok(years.into_values().collect())
}

/// Replaces the capacity of the years given; other years stay as they are.
pub fn set(conn: &mut DbConn, c: &Contract, years: &[YearCapacity], by: &User) -> Result<Vec<YearCapacity>, Error> {
    let (first, last) = year_range(c);
    validate(years, first, last, &c.municipalities)?;
    lock(conn, c.id)?;
    let before = years_of(conn, c.id)?;
    let codes: Vec<String> = years.iter().flat_map(|y| y.allocation.keys().cloned()).collect();
    let ids: BTreeMap<String, i64> = municipalities::table
        .filter(municipalities::cbs_code.eq_any(&codes))
        .select((municipalities::cbs_code, municipalities::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    for y in years {
        diesel::delete(cap::table.filter(cap::contract_id.eq(c.id)).filter(cap::year.eq(y.year))).execute(conn)?;
        let places = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        let mut rows = vec![(None, places(y.places()))];
        for (code, n) in &y.allocation {
            let id = ids
                .get(code)
                .copied()
                .ok_or_else(|| Error::invalid("allocation", format!("Onbekende gemeente {code}.")))?;
            rows.push((Some(id), places(*n)));
        }
        for (municipality_id, places) in rows {
            diesel::insert_into(cap::table)
                .values((
                    cap::contract_id.eq(c.id),
                    cap::year.eq(y.year),
                    cap::municipality_id.eq(municipality_id),
                    cap::places.eq(places),
                ))
                .execute(conn)?;
        }
    }
    let after = years_of(conn, c.id)?;
    let change = Change {
        tender_id: Some(c.tender_id),
        action: "contract.capacity",
        subject: format!("capaciteit van raamovereenkomst {} met {}", c.id, c.company),
        before: audit::json(&before),
        after: audit::json(&after),
    };
    audit::record(conn, &by.actor(), change)?;
    Ok(after)
}

/// Serialises the placements and capacity changes of one contract: the count that decides
/// whether a contract is full holds until the transaction ends.
pub fn lock(conn: &mut DbConn, contract_id: i64) -> Result<(), Error> {
    diesel::update(contracts::table.find(contract_id)).set(contracts::id.eq(contracts::id)).execute(conn)?;
    Ok(())
}

/// The room a gemeente has on a contract in a year: the places that bind and how many of them
/// are taken. A gemeente with an allocation is held to it; the others share what the total
/// leaves unallocated. No places at all for the year: `(None, 0)`.
pub fn room(conn: &mut DbConn, contract_id: i64, year: i32, municipality_id: i64) -> Result<(Option<u32>, u32), Error> {
    let rows: Vec<(Option<i64>, i32)> = cap::table
        .filter(cap::contract_id.eq(contract_id))
        .filter(cap::year.eq(year))
        .select((cap::municipality_id, cap::places))
        .load(conn)?;
    let Some(total) = rows.iter().find(|(m, _)| m.is_none()).map(|(_, p)| i64::from(*p)) else {
        return Ok((None, 0));
    };
    let in_year = placements::table
        .filter(placements::contract_id.eq(contract_id))
        .filter(placements::start_half.between(year * 2, year * 2 + 1));
    let allocated: Vec<(i64, i64)> = rows.iter().filter_map(|(m, p)| m.map(|m| (m, i64::from(*p)))).collect();
    let (places, used): (i64, i64) = match allocated.iter().find(|(m, _)| *m == municipality_id) {
        Some((_, mine)) => {
            let used =
                in_year.filter(placements::municipality_id.eq(municipality_id)).select(count_star()).first(conn)?;
            (*mine, used)
        }
        None => {
            let ids: Vec<i64> = allocated.iter().map(|(m, _)| *m).collect();
            let used = in_year.filter(placements::municipality_id.ne_all(ids)).select(count_star()).first(conn)?;
            (total - allocated.iter().map(|(_, p)| p).sum::<i64>(), used)
        }
    };
    let n = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
    Ok((Some(n(places)), n(used)))
}
