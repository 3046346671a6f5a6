//! Gemeente (municipality) storage: reference data, looked up by CBS code.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::DbConn;
use super::schema::{municipalities, regions};
use crate::errors::{Error, Problems};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Municipality {
    #[serde(skip)]
    pub id: i64,
    pub cbs_code: String,
    pub name: String,
    pub region: String,
    pub region_name: String,
    /// Set when the gemeente merged into another; it can no longer take part in new tenders.
    pub dissolved_on: Option<NaiveDate>,
    pub note: String,
}

type Row = (i64, String, String, String, String, Option<NaiveDate>, String);

fn columns() -> (
    municipalities::id,
    municipalities::cbs_code,
    municipalities::name,
    regions::code,
    regions::name,
    municipalities::dissolved_on,
    municipalities::note,
) {
    (
        municipalities::id,
        municipalities::cbs_code,
        municipalities::name,
        regions::code,
        regions::name,
        municipalities::dissolved_on,
        municipalities::note,
    )
}

fn from_row((id, cbs_code, name, region, region_name, dissolved_on, note): Row) -> Municipality {
    Municipality { id, cbs_code, name, region, region_name, dissolved_on, note }
}

/// All gemeenten, by region and name; optionally of one region only.
pub fn list(conn: &mut DbConn, region: Option<&str>) -> Result<Vec<Municipality>, Error> {
    let mut query = municipalities::table.inner_join(regions::table).select(columns()).into_boxed();
    if let Some(code) = region {
        query = query.filter(regions::code.eq(code.to_owned()));
    }
    let rows: Vec<Row> = query.order((regions::name, municipalities::name)).load(conn)?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// One gemeente by its CBS code, or by id.
pub fn find(conn: &mut DbConn, code: &str) -> Result<Option<Municipality>, Error> {
    let query = municipalities::table.inner_join(regions::table).filter(municipalities::cbs_code.eq(code));
    Ok(query.select(columns()).first::<Row>(conn).optional()?.map(from_row))
}

pub fn by_id(conn: &mut DbConn, id: i64) -> Result<Municipality, Error> {
    let query = municipalities::table.inner_join(regions::table).filter(municipalities::id.eq(id));
    query.select(columns()).first::<Row>(conn).optional()?.map(from_row).ok_or(Error::NotFound("Gemeente"))
}

/// Maps CBS codes to ids, naming every unknown code under `field[i]`.
pub fn resolve(conn: &mut DbConn, field: &str, codes: &[String]) -> Result<Vec<i64>, Error> {
    let rows: Vec<(String, i64)> = municipalities::table
        .filter(municipalities::cbs_code.eq_any(codes))
        .select((municipalities::cbs_code, municipalities::id))
        .load(conn)?;
    let mut p = Problems::default();
    let mut ids = Vec::with_capacity(codes.len());
    for (i, code) in codes.iter().enumerate() {
        match rows.iter().find(|(c, _)| c == code) {
            Some((_, id)) => ids.push(*id),
            None => p.add(
                format!("{field}[{i}]"),
                format!("Onbekende gemeente '{code}'; gebruik de CBS-code, zoals GM0405 voor Hoorn."),
            ),
        }
    }
    p.into_result(ids)
}

/// Refuses gemeenten that no longer exist as such (merged), so new tenders use the successor.
pub fn ensure_current(conn: &mut DbConn, field: &str, ids: &[i64]) -> Result<(), Error> {
    let dissolved: Vec<(String, String)> = municipalities::table
        .filter(municipalities::id.eq_any(ids))
        .filter(municipalities::dissolved_on.is_not_null())
        .select((municipalities::cbs_code, municipalities::name))
        .load(conn)?;
    let mut p = Problems::default();
    for (code, name) in dissolved {
        p.add(field, format!("{name} ({code}) bestaat niet meer als zelfstandige gemeente; kies de opvolger."));
    }
    p.into_result(())
}
