//! Leerroute en module (learning route) storage: reference data, looked up by code.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::DbConn;
use super::schema::learning_routes;
use crate::errors::Error;

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = learning_routes)]
#[serde(deny_unknown_fields)]
pub struct LearningRoute {
    #[serde(skip)]
    pub id: i64,
    /// `b1-route`, `onderwijsroute`, `z-route`, `knm`, `map`, `pvt`, `alfabetisering`.
    pub code: String,
    pub name: String,
    /// `leerroute` or `module`.
    pub kind: String,
    /// Whether providers need the Keurmerk Blik op Werk Inburgeren (not for the Onderwijsroute).
    pub keurmerk_required: bool,
    #[serde(skip)]
    pub position: i32,
    pub description: String,
}

/// Adds the routes not yet known, keeping the order of the fixture; returns how many were added.
pub fn import(conn: &mut DbConn, routes: &[LearningRoute]) -> Result<usize, Error> {
    let mut added = 0;
    for (i, r) in routes.iter().enumerate() {
        let known =
            learning_routes::table.filter(learning_routes::code.eq(&r.code)).count().get_result::<i64>(conn)? > 0;
        if !known {
            diesel::insert_into(learning_routes::table)
                .values((
                    learning_routes::code.eq(&r.code),
                    learning_routes::name.eq(&r.name),
                    learning_routes::kind.eq(&r.kind),
                    learning_routes::keurmerk_required.eq(r.keurmerk_required),
                    learning_routes::position.eq(i as i32),
                    learning_routes::description.eq(&r.description),
                ))
                .execute(conn)?;
            added += 1;
        }
    }
    Ok(added)
}

pub fn list(conn: &mut DbConn) -> Result<Vec<LearningRoute>, Error> {
    Ok(learning_routes::table.order(learning_routes::position).select(LearningRoute::as_select()).load(conn)?)
}

pub fn find_by_code(conn: &mut DbConn, code: &str) -> Result<Option<LearningRoute>, Error> {
    Ok(learning_routes::table
        .filter(learning_routes::code.eq(code.trim().to_lowercase()))
        .select(LearningRoute::as_select())
        .first(conn)
        .optional()?)
}
