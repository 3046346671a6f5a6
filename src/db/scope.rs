//! Zicht (scope): whose capacity a user may see. Management sees every gemeente and region; a
//! klantmanager only the gemeente of the account. Another gemeente is answered as not found,
//! so a klantmanager cannot even learn which ones hold data.

use diesel::prelude::*;

use super::DbConn;
use super::municipality::{self, Municipality};
use super::schema::{municipalities, regions};
use super::user::User;
use crate::domain::role::Role;
use crate::errors::Error;

/// Whose overview: one gemeente, or a whole region.
#[derive(Clone, Debug)]
pub enum Scope {
    Gemeente(Municipality),
    Region { id: i64, code: String, name: String },
}

impl Scope {
    pub fn name(&self) -> String {
        match self {
            Scope::Gemeente(m) => m.name.clone(),
            Scope::Region { name, .. } => name.clone(),
        }
    }
}

/// A region by its code.
pub fn region(conn: &mut DbConn, code: &str) -> Result<Scope, Error> {
    let (id, code, name): (i64, String, String) = regions::table
        .filter(regions::code.eq(code))
        .select((regions::id, regions::code, regions::name))
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound("Regio"))?;
    Ok(Scope::Region { id, code, name })
}

/// The region a gemeente belongs to.
pub fn region_id_of(conn: &mut DbConn, code: &str) -> Result<i64, Error> {
    Ok(municipalities::table.filter(municipalities::cbs_code.eq(code)).select(municipalities::region_id).first(conn)?)
}

/// The gemeente `code` if the user may see it.
pub fn gemeente(conn: &mut DbConn, user: &User, code: &str) -> Result<Municipality, Error> {
    let m = municipality::find(conn, code)?.ok_or(Error::NotFound("Gemeente"))?;
    match user.role() {
        Some(Role::Management) => Ok(m),
        Some(Role::Klantmanager) if user.municipality_id == Some(m.id) => Ok(m),
        _ => Err(Error::NotFound("Gemeente")),
    }
}

/// The gemeente a klantmanager works for.
pub fn own(conn: &mut DbConn, user: &User) -> Result<Municipality, Error> {
    let id = user.municipality_id.ok_or_else(|| Error::Forbidden("Dit account hoort bij geen gemeente.".into()))?;
    municipality::by_id(conn, id)
}

/// The ids of the gemeenten whose placements the user sees, optionally narrowed to one.
pub fn municipality_ids(conn: &mut DbConn, user: &User, only: Option<&str>) -> Result<Vec<i64>, Error> {
    if let Some(code) = only {
        return Ok(vec![gemeente(conn, user, code)?.id]);
    }
    match user.role() {
        Some(Role::Management) => Ok(municipalities::table.select(municipalities::id).load(conn)?),
        Some(Role::Klantmanager) => Ok(vec![own(conn, user)?.id]),
        _ => Err(Error::NotFound("Gemeente")),
    }
}
