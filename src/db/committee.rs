//! Beoordelingscommissie (committee) storage: the assessors the inkoper appoints per perceel.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Change};
use super::schema::{committee_members, scores, users};
use super::user::User;
use crate::domain::role::Role;
use crate::errors::Error;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Assessor {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// When appointed to this perceel; none for a beoordelaar who is not (yet).
    pub appointed_at: Option<DateTime<Utc>>,
}

/// Every active beoordelaar, the appointed ones of this perceel first.
pub fn candidates(conn: &mut DbConn, lot_id: i64) -> Result<Vec<Assessor>, Error> {
    let all: Vec<(i64, String, String)> = users::table
        .filter(users::role.eq(Role::Beoordelaar.as_str()))
        .filter(users::active.eq(true))
        .order(users::name)
        .select((users::id, users::name, users::email))
        .load(conn)?;
    let appointed: Vec<(i64, NaiveDateTime)> = committee_members::table
        .filter(committee_members::lot_id.eq(lot_id))
        .select((committee_members::user_id, committee_members::appointed_at))
        .load(conn)?;
    let mut list: Vec<Assessor> = all
        .into_iter()
        .map(|(user_id, name, email)| Assessor {
            user_id,
            name,
            email,
            appointed_at: appointed.iter().find(|(u, _)| *u == user_id).map(|(_, at)| at.and_utc()),
        })
        .collect();
    list.sort_by_key(|a| a.appointed_at.is_none());
    Ok(list)
}

/// The appointed assessors of a perceel.
pub fn members(conn: &mut DbConn, lot_id: i64) -> Result<Vec<i64>, Error> {
    Ok(committee_members::table
        .filter(committee_members::lot_id.eq(lot_id))
        .select(committee_members::user_id)
        .order(committee_members::user_id)
        .load(conn)?)
}

pub fn is_member(conn: &mut DbConn, lot_id: i64, user_id: i64) -> Result<bool, Error> {
    Ok(members(conn, lot_id)?.contains(&user_id))
}

/// Sets the perceel's committee. Every member is an active beoordelaar; one who has already
/// locked a score stays, since their judgement is part of the record.
pub fn appoint(
    conn: &mut DbConn,
    tender_id: i64,
    lot_id: i64,
    user_ids: &[i64],
    by: &User,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    super::evaluation::touch(conn, lot_id)?;
    let candidates = candidates(conn, lot_id)?;
    for id in user_ids {
        if !candidates.iter().any(|c| c.user_id == *id) {
            return Err(Error::invalid("assessors", format!("Gebruiker {id} is geen actieve beoordelaar.")));
        }
    }
    let before = members(conn, lot_id)?;
    for gone in before.iter().filter(|id| !user_ids.contains(id)) {
        let locked: i64 = scores::table
            .filter(scores::assessor_id.eq(gone))
            .filter(scores::locked_at.is_not_null())
            .filter(
                scores::criterion_id.eq_any(
                    super::schema::award_criteria::table
                        .filter(super::schema::award_criteria::lot_id.eq(lot_id))
                        .select(super::schema::award_criteria::id),
                ),
            )
            .count()
            .get_result(conn)?;
        if locked > 0 {
            let name = candidates.iter().find(|c| c.user_id == *gone).map_or("Deze beoordelaar", |c| c.name.as_str());
            return Err(Error::Conflict(format!(
                "{name} heeft al scores vastgelegd voor dit perceel en blijft in de commissie."
            )));
        }
        diesel::delete(committee_members::table.find((lot_id, gone))).execute(conn)?;
    }
    for id in user_ids.iter().filter(|id| !before.contains(id)) {
        diesel::insert_into(committee_members::table)
            .values((
                committee_members::lot_id.eq(lot_id),
                committee_members::user_id.eq(id),
                committee_members::appointed_by.eq(by.id),
                committee_members::appointed_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
    }
    let names = |ids: &[i64]| -> Vec<String> {
        ids.iter().filter_map(|id| candidates.iter().find(|c| c.user_id == *id).map(|c| c.name.clone())).collect()
    };
    let change = Change {
        tender_id: Some(tender_id),
        action: "committee.appointed",
        subject: format!("beoordelingscommissie perceel {lot_id}"),
        before: audit::json(&names(&before)),
        after: audit::json(&names(user_ids)),
    };
    audit::record(conn, &by.actor(), change)
}

/// The percelen a beoordelaar is appointed to, as (tender id, lot id).
pub fn assignments(conn: &mut DbConn, user_id: i64) -> Result<Vec<(i64, i64)>, Error> {
    Ok(committee_members::table
        .inner_join(super::schema::lots::table)
        .filter(committee_members::user_id.eq(user_id))
        .order((super::schema::lots::tender_id, super::schema::lots::number))
        .select((super::schema::lots::tender_id, committee_members::lot_id))
        .load(conn)?)
}
