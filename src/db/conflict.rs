//! Belangenverklaring (declaration of interest) storage: before seeing any bid of a perceel,
//! each assessor declares per bidder that no conflict of interest exists, or that one does —
//! which keeps that assessor away from that bid.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::DbConn;
use super::audit::{self, Change};
use super::schema::conflict_declarations;
use super::user::User;
use crate::errors::Error;

/// A declaration about one bid, as stored.
#[derive(Clone, Debug)]
pub struct Declaration {
    pub bid_id: i64,
    pub has_conflict: bool,
    /// Required with a conflict: what the tie to the bidder is.
    pub explanation: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Declared {
    pub bid_id: i64,
    pub has_conflict: bool,
    pub explanation: String,
    pub declared_at: DateTime<Utc>,
}

/// The assessor's declarations for these bids.
pub fn of_assessor(conn: &mut DbConn, user_id: i64, bid_ids: &[i64]) -> Result<Vec<Declared>, Error> {
    let rows: Vec<(i64, bool, String, NaiveDateTime)> = conflict_declarations::table
        .filter(conflict_declarations::user_id.eq(user_id))
        .filter(conflict_declarations::bid_id.eq_any(bid_ids))
        .select((
            conflict_declarations::bid_id,
            conflict_declarations::has_conflict,
            conflict_declarations::explanation,
            conflict_declarations::declared_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(bid_id, has_conflict, explanation, at)| Declared {
            bid_id,
            has_conflict,
            explanation,
            declared_at: at.and_utc(),
        })
        .collect())
}

/// Who declared a conflict with which of these bids: (bid id, assessor id), in one query.
pub fn conflicts(conn: &mut DbConn, bid_ids: &[i64]) -> Result<Vec<(i64, i64)>, Error> {
    Ok(conflict_declarations::table
        .filter(conflict_declarations::bid_id.eq_any(bid_ids))
        .filter(conflict_declarations::has_conflict.eq(true))
        .select((conflict_declarations::bid_id, conflict_declarations::user_id))
        .load(conn)?)
}

/// Records the declaration for every bid of the perceel at once; each is final, because an
/// assessor who read a bid can no longer declare independently about it.
pub fn declare(
    conn: &mut DbConn,
    tender_id: i64,
    bid_ids: &[i64],
    user: &User,
    list: &[Declaration],
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if let Some(first) = bid_ids.first() {
        let lot_id = super::evaluation::lot_of(conn, *first)?;
        super::evaluation::touch(conn, lot_id)?;
    }
    let mut p = crate::errors::Problems::default();
    for id in bid_ids {
        match list.iter().find(|d| d.bid_id == *id) {
            None => p.add(format!("declarations[{id}]"), "Verklaar voor deze inschrijver of er een belang is."),
            Some(d) if d.has_conflict && d.explanation.trim().chars().count() < 5 => {
                p.add(format!("declarations[{id}].explanation"), "Beschrijf het belang in een paar woorden.")
            }
            Some(_) => {}
        }
    }
    if let Some(d) = list.iter().find(|d| !bid_ids.contains(&d.bid_id)) {
        p.add("declarations", format!("Inschrijving {} hoort niet bij dit perceel.", d.bid_id));
    }
    p.into_result(())?;
    if !of_assessor(conn, user.id, bid_ids)?.is_empty() {
        return Err(Error::Conflict("U hebt voor dit perceel al een verklaring afgelegd.".into()));
    }
    for d in list {
        diesel::insert_into(conflict_declarations::table)
            .values((
                conflict_declarations::bid_id.eq(d.bid_id),
                conflict_declarations::user_id.eq(user.id),
                conflict_declarations::has_conflict.eq(d.has_conflict),
                conflict_declarations::explanation.eq(d.explanation.trim()),
                conflict_declarations::declared_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
    }
    let conflicts: Vec<i64> = list.iter().filter(|d| d.has_conflict).map(|d| d.bid_id).collect();
    let change = Change {
        tender_id: Some(tender_id),
        action: "assessor.declared",
        subject: format!("verklaring over belangen voor {} inschrijvingen", list.len()),
        before: None,
        after: audit::json(&serde_json::json!({ "conflict_with_bids": conflicts })),
    };
    audit::record_sealed(conn, &user.actor(), tender_id, change)
}
