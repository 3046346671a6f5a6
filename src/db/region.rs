//! Regio (region) storage, with its gemeenten loaded from a fixture file.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::DbConn;
use super::schema::{municipalities, regions};
use crate::errors::Error;

/// A region as it ships in `fixtures/` and as `aanbesteding import region` reads it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionFixture {
    pub code: String,
    pub name: String,
    pub municipalities: Vec<MunicipalityFixture>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalityFixture {
    pub cbs_code: String,
    pub name: String,
    #[serde(default)]
    pub dissolved_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub municipality_count: i64,
}

/// Adds the region and any of its gemeenten not yet known; running it twice changes nothing.
/// Returns how many gemeenten were added.
pub fn import(conn: &mut DbConn, fixture: &RegionFixture) -> Result<usize, Error> {
    let existing: Option<i64> =
        regions::table.filter(regions::code.eq(&fixture.code)).select(regions::id).first(conn).optional()?;
    let region_id = match existing {
        Some(id) => id,
        None => diesel::insert_into(regions::table)
            .values((regions::code.eq(&fixture.code), regions::name.eq(&fixture.name)))
            .returning(regions::id)
            .get_result(conn)?,
    };
    let mut added = 0;
    for m in &fixture.municipalities {
        let code = m.cbs_code.trim().to_uppercase();
        if !(code.len() == 6 && code.starts_with("GM") && code[2..].chars().all(|c| c.is_ascii_digit())) {
            return Err(Error::invalid(
                "cbs_code",
                format!("'{}' is geen CBS-gemeentecode (GM gevolgd door 4 cijfers).", m.cbs_code),
            ));
        }
        let known =
            municipalities::table.filter(municipalities::cbs_code.eq(&code)).count().get_result::<i64>(conn)? > 0;
        if !known {
            diesel::insert_into(municipalities::table)
                .values((
                    municipalities::region_id.eq(region_id),
                    municipalities::cbs_code.eq(&code),
                    municipalities::name.eq(m.name.trim()),
                    municipalities::dissolved_on.eq(m.dissolved_on),
                    municipalities::note.eq(m.note.trim()),
                ))
                .execute(conn)?;
            added += 1;
        }
    }
    Ok(added)
}

pub fn list(conn: &mut DbConn) -> Result<Vec<Region>, Error> {
    let rows: Vec<(String, String, i64)> = regions::table
        .left_join(municipalities::table)
        .group_by((regions::id, regions::code, regions::name))
        .select((regions::code, regions::name, diesel::dsl::count(municipalities::id.nullable())))
        .order(regions::name)
        .load(conn)?;
    Ok(rows.into_iter().map(|(code, name, municipality_count)| Region { code, name, municipality_count }).collect())
}
