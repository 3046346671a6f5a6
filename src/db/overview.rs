//! Capaciteitsoverzicht (capacity dashboard) storage side: gathers the counts an overview is
//! built from. Placements are counted by SQL per contract, gemeente and half year; none is loaded.

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::DbConn;
use super::route_share;
use super::schema::{
    companies, contract_capacities as cap, contracts, learning_routes, lots, municipalities, placements, tenders,
};
use super::scope::{Scope, region_id_of};

use crate::domain::forecast::{Distribution, HalfYear};
use crate::domain::overview::{ContractIn, Inputs, Overview, halves};
use crate::errors::Error;

/// The distribution the scope forecasts with, and the gemeenten of its region.
pub fn region_of(conn: &mut DbConn, scope: &Scope) -> Result<(i64, Distribution, Vec<i64>), Error> {
    let region_id = match scope {
        Scope::Gemeente(m) => region_id_of(conn, &m.cbs_code)?,
        Scope::Region { id, .. } => *id,
    };
    let ids =
        municipalities::table.filter(municipalities::region_id.eq(region_id)).select(municipalities::id).load(conn)?;
    Ok((region_id, route_share::of_region(conn, region_id)?, ids))
}

/// The active contracts of the region (by the lead gemeente of their tender), and for a
/// gemeente only those it takes part in.
pub fn contracts_of(conn: &mut DbConn, scope: &Scope, region_id: i64) -> Result<Vec<ContractIn>, Error> {
    let rows: Vec<(i64, String, String, String)> = contracts::table
        .inner_join(tenders::table.on(tenders::id.eq(contracts::tender_id)))
        .inner_join(municipalities::table.on(tenders::lead_municipality_id.eq(municipalities::id.nullable())))
        .inner_join(companies::table.on(companies::id.eq(contracts::company_id)))
        .inner_join(lots::table.on(lots::id.eq(contracts::lot_id)))
        .inner_join(learning_routes::table.on(learning_routes::id.eq(lots::learning_route_id)))
        .filter(municipalities::region_id.eq(region_id))
        .filter(contracts::activated_at.is_not_null())
        .order((learning_routes::position, companies::name, contracts::id))
        .select((contracts::id, companies::name, learning_routes::code, contracts::municipalities))
        .load(conn)?;
    let rows: Vec<_> = match scope {
        Scope::Gemeente(m) => rows.into_iter().filter(|r| r.3.contains(&format!("\"{}\"", m.cbs_code))).collect(),
        Scope::Region { .. } => rows,
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let places: Vec<(i64, i32, Option<i64>, i32)> = cap::table
        .filter(cap::contract_id.eq_any(&ids))
        .select((cap::contract_id, cap::year, cap::municipality_id, cap::places))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, company, route, _)| ContractIn {
            id,
            company,
            route,
            capacity: places
                .iter()
                .filter(|p| p.0 == id)
                .map(|(_, y, m, n)| (*y, *m, u32::try_from(*n).unwrap_or(0)))
                .collect(),
        })
        .collect())
}

/// The overview of a scope over the half years `from` through `to` (at most 20).
pub fn build(conn: &mut DbConn, scope: &Scope, from: HalfYear, to: HalfYear) -> Result<Overview, Error> {
    let (region_id, distribution, region_ids) = region_of(conn, scope)?;
    let ids = match scope {
        Scope::Gemeente(m) => vec![m.id],
        Scope::Region { .. } => region_ids,
    };
    let contracts = contracts_of(conn, scope, region_id)?;
    let contract_ids: Vec<i64> = contracts.iter().map(|c| c.id).collect();
    let counted: Vec<(i64, i64, i32, i64)> = placements::table
        .filter(placements::contract_id.eq_any(&contract_ids))
        .filter(placements::municipality_id.eq_any(&ids))
        // Whole years: a contract's use per year counts both its halves, also when the period
        // shown starts or ends halfway.
        .filter(placements::start_half.between(from.year * 2, to.year * 2 + 1))
        .group_by((placements::contract_id, placements::municipality_id, placements::start_half))
        .select((placements::contract_id, placements::municipality_id, placements::start_half, count_star()))
        .load(conn)?;
    let routes: Vec<(String, String)> = learning_routes::table
        .order(learning_routes::position)
        .select((learning_routes::code, learning_routes::name))
        .load(conn)?;
    let routes = routes
        .into_iter()
        .filter(|(code, _)| {
            distribution.shares().iter().any(|(c, _)| c == code) || contracts.iter().any(|c| &c.route == code)
        })
        .collect();
    let inputs = Inputs {
        halves: halves(from, to, 20),
        routes,
        distribution: &distribution,
        taakstelling: super::taakstelling::of(conn, &ids, from, to)?,
        placed: counted
            .into_iter()
            .map(|(c, m, h, n)| (c, m, HalfYear::from_index(h), u32::try_from(n).unwrap_or(u32::MAX)))
            .collect(),
        contracts,
        scope: ids,
        region: matches!(scope, Scope::Region { .. }),
    };
    Ok(Overview::build(&inputs))
}
