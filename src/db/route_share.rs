//! Verdeling over leerroutes (route shares) storage: a region's expected share of each route.
//! A region that set none forecasts with the seed documents' 60/25/15.

use diesel::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::json;

use super::DbConn;
use super::audit::{self, Change};
use super::schema::{learning_routes, route_shares as s};
use super::user::User;
use crate::domain::forecast::Distribution;
use crate::errors::{Error, FieldError};

/// The region's distribution, or the seed one when it set none.
pub fn of_region(conn: &mut DbConn, region_id: i64) -> Result<Distribution, Error> {
    let rows: Vec<(String, i32)> = s::table
        .inner_join(learning_routes::table.on(learning_routes::id.eq(s::learning_route_id)))
        .filter(s::region_id.eq(region_id))
        .order(learning_routes::position)
        .select((learning_routes::code, s::share_bp))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(Distribution::seed());
    }
    let codes: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let known: Vec<&str> = codes.iter().map(String::as_str).collect();
    let shares = rows.iter().map(|(c, bp)| (c.clone(), Decimal::new(i64::from(*bp), 2))).collect();
    Distribution::new(shares, &known)
        .map_err(|p| Error::Internal(format!("verdeling regio {region_id}: {}", p.join(" "))))
}

/// Replaces the region's distribution; shares in percent with at most two decimals.
pub fn set(
    conn: &mut DbConn,
    region_id: i64,
    shares: Vec<(String, Decimal)>,
    by: &User,
) -> Result<Distribution, Error> {
    let routes: Vec<(i64, String)> =
        learning_routes::table.select((learning_routes::id, learning_routes::code)).load(conn)?;
    let known: Vec<&str> = routes.iter().map(|r| r.1.as_str()).collect();
    if let Some((code, _)) = shares.iter().find(|(_, p)| p.scale() > 2 && p.normalize().scale() > 2) {
        return Err(Error::invalid("shares", format!("Het aandeel van {code} heeft meer dan twee decimalen.")));
    }
    let d = Distribution::new(shares, &known)
        .map_err(|p| Error::Validation(p.into_iter().map(|m| FieldError::new("shares", m)).collect()))?;
    let before = of_region(conn, region_id)?;
    diesel::delete(s::table.filter(s::region_id.eq(region_id))).execute(conn)?;
    for (code, pct) in d.shares() {
        let id =
            routes.iter().find(|r| &r.1 == code).map(|r| r.0).ok_or_else(|| Error::invalid("shares", code.clone()))?;
        let bp = (pct * Decimal::from(100)).to_i32().unwrap_or(0);
        diesel::insert_into(s::table)
            .values((s::region_id.eq(region_id), s::learning_route_id.eq(id), s::share_bp.eq(bp)))
            .execute(conn)?;
    }
    let show = |d: &Distribution| d.shares().iter().map(|(c, p)| format!("{c} {p}%")).collect::<Vec<_>>();
    let change = Change {
        tender_id: None,
        action: "distribution.set",
        subject: "verdeling over de leerroutes".into(),
        before: Some(json!(show(&before))),
        after: Some(json!(show(&d))),
    };
    audit::record(conn, &by.actor(), change)?;
    Ok(d)
}
