//! Correctie (correction): a motivated change to a published tender's set-up, numbered per tender.
//! Each is announced to the interested aanbieders afterwards (see `announcement`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Actor, Change};
use super::schema::corrections;
use super::tender::Edit;
use crate::errors::Error;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Correction {
    pub number: i32,
    pub subject: String,
    pub reason: String,
    #[schema(value_type = Object)]
    pub before: serde_json::Value,
    #[schema(value_type = Object)]
    pub after: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub announced_at: Option<DateTime<Utc>>,
}

/// Records an update of the set-up: always in the audit log, and after publication also as a
/// numbered correction. A correction that changes nothing is refused.
#[allow(clippy::too_many_arguments)]
pub fn record_update(
    conn: &mut DbConn,
    tender_id: i64,
    edit: &Edit,
    action: &str,
    subject: String,
    before: serde_json::Value,
    after: serde_json::Value,
    actor: &Actor,
) -> Result<(), Error> {
    if let Edit::Correction(reason) = edit {
        // Bookkeeping such as `updated_at` changes with every save; it is not a change bidders see.
        if crate::domain::correction::effect(&before, &after).nothing() {
            return Err(Error::Conflict("Deze correctie verandert niets aan de opzet.".into()));
        }
        let last: Option<i32> = corrections::table
            .filter(corrections::tender_id.eq(tender_id))
            .select(diesel::dsl::max(corrections::number))
            .first(conn)?;
        diesel::insert_into(corrections::table)
            .values((
                corrections::tender_id.eq(tender_id),
                corrections::number.eq(last.unwrap_or(0) + 1),
                corrections::subject.eq(&subject),
                corrections::reason.eq(reason),
                corrections::before_json.eq(before.to_string()),
                corrections::after_json.eq(after.to_string()),
                corrections::created_by.eq(actor.user_id),
                corrections::created_at.eq(super::now()),
            ))
            .execute(conn)?;
    }
    let change = Change { tender_id: Some(tender_id), action, subject, before: Some(before), after: Some(after) };
    audit::record(conn, actor, change)?;
    if let Edit::Correction(_) = edit {
        // A published set-up stays complete: a correction that breaks it is refused as a whole.
        let t = super::tender::load(conn, tender_id)?.ok_or(Error::NotFound("Aanbesteding"))?;
        let problems = crate::domain::publication::complete(&t);
        if !problems.is_empty() {
            return Err(Error::Validation(problems));
        }
    }
    Ok(())
}

type Row = (i64, i32, String, String, String, String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>);

fn to_correction(r: Row) -> (i64, Correction) {
    let (id, number, subject, reason, before, after, created_at, announced_at) = r;
    let correction = Correction {
        number,
        subject,
        reason,
        before: serde_json::from_str(&before).unwrap_or_default(),
        after: serde_json::from_str(&after).unwrap_or_default(),
        created_at: created_at.and_utc(),
        announced_at: announced_at.map(|t| t.and_utc()),
    };
    (id, correction)
}

pub fn for_tender(conn: &mut DbConn, tender_id: i64) -> Result<Vec<Correction>, Error> {
    let rows: Vec<Row> = corrections::table
        .filter(corrections::tender_id.eq(tender_id))
        .order(corrections::number)
        .select((
            corrections::id,
            corrections::number,
            corrections::subject,
            corrections::reason,
            corrections::before_json,
            corrections::after_json,
            corrections::created_at,
            corrections::announced_at,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|r| to_correction(r).1).collect())
}

/// The corrections not yet announced to bidders, by number, with their row ids.
pub fn unannounced(conn: &mut DbConn, tender_id: i64) -> Result<Vec<(i64, Correction)>, Error> {
    let rows: Vec<Row> = corrections::table
        .filter(corrections::tender_id.eq(tender_id))
        .filter(corrections::announced_at.is_null())
        .order(corrections::number)
        .select((
            corrections::id,
            corrections::number,
            corrections::subject,
            corrections::reason,
            corrections::before_json,
            corrections::after_json,
            corrections::created_at,
            corrections::announced_at,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(to_correction).collect())
}

pub fn mark_announced(conn: &mut DbConn, id: i64) -> Result<(), Error> {
    diesel::update(corrections::table.find(id)).set(corrections::announced_at.eq(super::now())).execute(conn)?;
    Ok(())
}
