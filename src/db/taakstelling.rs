//! Taakstelling (housing target) storage: the statushouders per gemeente and half year, set
//! from a form or an imported sheet; one import is one transaction.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Change};
use super::schema::{municipalities, taakstellingen as t};
use super::user::User;
use crate::domain::forecast::HalfYear;
use crate::domain::taakstelling::Target;
use crate::errors::Error;

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The gemeente's CBS code.
    pub municipality: String,
    /// "2027-H1".
    pub half_year: String,
    pub people: u32,
}

/// The targets of the given gemeenten from `from` through `to`: (gemeente id, half, people).
pub fn of(conn: &mut DbConn, ids: &[i64], from: HalfYear, to: HalfYear) -> Result<Vec<(i64, HalfYear, u32)>, Error> {
    let rows: Vec<(i64, i32, i32)> = t::table
        .filter(t::municipality_id.eq_any(ids))
        .filter(t::half_year.between(from.index(), to.index()))
        .select((t::municipality_id, t::half_year, t::people))
        .load(conn)?;
    Ok(rows.into_iter().map(|(m, h, p)| (m, HalfYear::from_index(h), u32::try_from(p).unwrap_or(0))).collect())
}

/// The targets of the given gemeenten as entered, by gemeente and half year.
pub fn entries(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<Entry>, Error> {
    let rows: Vec<(String, i32, i32)> = t::table
        .inner_join(municipalities::table.on(municipalities::id.eq(t::municipality_id)))
        .filter(t::municipality_id.eq_any(ids))
        .order((municipalities::name, t::half_year))
        .select((municipalities::cbs_code, t::half_year, t::people))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(m, h, p)| Entry {
            municipality: m,
            half_year: HalfYear::from_index(h).to_string(),
            people: u32::try_from(p).unwrap_or(0),
        })
        .collect())
}

/// Sets every target given, replacing what was there for that gemeente and half year. The
/// targets are already checked against the region's gemeenten.
pub fn put(conn: &mut DbConn, targets: &[Target], source: &str, by: &User, now: DateTime<Utc>) -> Result<usize, Error> {
    let codes: Vec<&str> = targets.iter().map(|x| x.municipality.as_str()).collect();
    let ids: std::collections::HashMap<String, i64> = municipalities::table
        .filter(municipalities::cbs_code.eq_any(&codes))
        .select((municipalities::cbs_code, municipalities::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    for x in targets {
        let id = *ids
            .get(&x.municipality)
            .ok_or_else(|| Error::invalid("municipality", format!("Onbekende gemeente {}.", x.municipality)))?;
        diesel::delete(t::table.filter(t::municipality_id.eq(id)).filter(t::half_year.eq(x.half.index())))
            .execute(conn)?;
        diesel::insert_into(t::table)
            .values((
                t::municipality_id.eq(id),
                t::half_year.eq(x.half.index()),
                t::people.eq(i32::try_from(x.people).unwrap_or(i32::MAX)),
                t::updated_by.eq(by.id),
                t::updated_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
    }
    let listed: Vec<String> = targets.iter().map(|x| format!("{} {} {}", x.municipality, x.half, x.people)).collect();
    let change = Change {
        tender_id: None,
        action: "taakstelling.set",
        subject: format!("taakstelling: {} regels ({source})", targets.len()),
        before: None,
        after: Some(json!({ "targets": listed })),
    };
    audit::record(conn, &by.actor(), change)?;
    Ok(targets.len())
}
