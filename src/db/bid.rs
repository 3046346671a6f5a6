//! Inschrijving (bid) storage: one bid per company per perceel, its contents sealed.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::audit::{self, Change};
use super::schema::bids;
use super::user::User;
use crate::domain::bid::{BidContent, BidStatus, Member};
use crate::domain::company::Company;
use crate::errors::Error;
use crate::vault::TenderKey;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = bids)]
pub struct BidRow {
    pub id: i64,
    pub tender_id: i64,
    pub lot_id: i64,
    pub company_id: i64,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub needs_reconfirmation: bool,
    /// The code assessors see in anonymous evaluation, drawn at the opening.
    pub code: Option<String>,
}

impl BidRow {
    pub fn status(&self) -> BidStatus {
        BidStatus::parse(&self.status).unwrap_or(BidStatus::Draft)
    }
}

fn seal(key: &TenderKey, content: &BidContent) -> Result<Vec<u8>, Error> {
    let json = serde_json::to_vec(content).map_err(|e| Error::Internal(e.to_string()))?;
    key.seal(&json)
}

/// The company's bid on the perceel: the existing one, or a new draft with the company filled in.
pub fn create(
    conn: &mut DbConn,
    key: &TenderKey,
    tender_id: i64,
    lot_id: i64,
    company: &Company,
    user: &User,
) -> Result<i64, Error> {
    let existing: Option<i64> = bids::table
        .filter(bids::lot_id.eq(lot_id))
        .filter(bids::company_id.eq(company.id))
        .select(bids::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let content = BidContent {
        members: vec![Member {
            company_name: company.name.clone(),
            kvk_number: company.kvk_number.clone(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let now = super::now();
    let id: i64 = diesel::insert_into(bids::table)
        .values((
            bids::tender_id.eq(tender_id),
            bids::lot_id.eq(lot_id),
            bids::company_id.eq(company.id),
            bids::status.eq(BidStatus::Draft.as_str()),
            bids::sealed_content.eq(seal(key, &content)?),
            bids::created_by.eq(user.id),
            bids::created_at.eq(now),
            bids::updated_at.eq(now),
        ))
        .returning(bids::id)
        .get_result(conn)?;
    let change = Change {
        tender_id: Some(tender_id),
        action: "bid.created",
        subject: format!("inschrijving {id} van {}", company.name),
        before: None,
        after: None,
    };
    audit::record_sealed(conn, &user.actor(), tender_id, change)?;
    Ok(id)
}

/// The bid, when the user works for the company that owns it; to anyone else it does not exist.
pub fn owned(conn: &mut DbConn, id: i64, user: &User) -> Result<BidRow, Error> {
    find(conn, id)?.filter(|b| Some(b.company_id) == user.company_id).ok_or(Error::NotFound("Inschrijving"))
}

pub fn find(conn: &mut DbConn, id: i64) -> Result<Option<BidRow>, Error> {
    Ok(bids::table.find(id).select(BidRow::as_select()).first(conn).optional()?)
}

/// The bids of one company in one tender.
pub fn of_company(conn: &mut DbConn, tender_id: i64, company_id: i64) -> Result<Vec<BidRow>, Error> {
    Ok(bids::table
        .filter(bids::tender_id.eq(tender_id))
        .filter(bids::company_id.eq(company_id))
        .select(BidRow::as_select())
        .load(conn)?)
}

/// How many bids stand submitted per perceel: all that staff may know before the opening.
pub fn submitted_per_lot(conn: &mut DbConn, tender_id: i64) -> Result<Vec<(i64, i64)>, Error> {
    Ok(bids::table
        .filter(bids::tender_id.eq(tender_id))
        .filter(bids::status.eq(BidStatus::Submitted.as_str()))
        .group_by(bids::lot_id)
        .select((bids::lot_id, diesel::dsl::count(bids::id)))
        .load(conn)?)
}

pub fn content(conn: &mut DbConn, key: &TenderKey, id: i64) -> Result<BidContent, Error> {
    let sealed: Vec<u8> = bids::table.find(id).select(bids::sealed_content).first(conn)?;
    serde_json::from_slice(&key.open(&sealed)?).map_err(|e| Error::Internal(format!("inschrijving {id}: {e}")))
}

/// The contents of many bids in one query, in the order of `ids`.
pub fn contents(conn: &mut DbConn, key: &TenderKey, ids: &[i64]) -> Result<Vec<BidContent>, Error> {
    let rows: Vec<(i64, Vec<u8>)> =
        bids::table.filter(bids::id.eq_any(ids)).select((bids::id, bids::sealed_content)).load(conn)?;
    let by_id: std::collections::HashMap<i64, Vec<u8>> = rows.into_iter().collect();
    ids.iter()
        .map(|id| {
            let sealed = by_id.get(id).ok_or(Error::NotFound("Inschrijving"))?;
            serde_json::from_slice(&key.open(sealed)?).map_err(|e| Error::Internal(format!("inschrijving {id}: {e}")))
        })
        .collect()
}

/// The active users of the companies behind these bids, to write to: (user id, e-mail, name).
pub fn bidders_to_mail(conn: &mut DbConn, bid_ids: &[i64]) -> Result<Vec<(i64, String, String)>, Error> {
    use super::schema::users;
    let companies: Vec<i64> = bids::table.filter(bids::id.eq_any(bid_ids)).select(bids::company_id).load(conn)?;
    Ok(users::table
        .filter(users::company_id.eq_any(companies))
        .filter(users::active.eq(true))
        .filter(users::role.eq(crate::domain::role::Role::Aanbieder.as_str()))
        .order(users::id)
        .select((users::id, users::email, users::name))
        .load(conn)?)
}

/// The answer to any change of a submitted bid.
pub fn submitted() -> Error {
    Error::Conflict("Deze inschrijving is ingediend. Trek haar eerst in om haar te wijzigen.".into())
}

/// Stores a new draft of the contents; a submitted bid must be withdrawn first.
pub fn save(conn: &mut DbConn, key: &TenderKey, bid: &BidRow, content: &BidContent) -> Result<(), Error> {
    let changed = diesel::update(bids::table.find(bid.id))
        .filter(bids::status.ne(BidStatus::Submitted.as_str()))
        .set((bids::sealed_content.eq(seal(key, content)?), bids::updated_at.eq(super::now())))
        .execute(conn)?;
    if changed == 0 {
        return Err(submitted());
    }
    Ok(())
}

/// Takes the bid's row lock for a change of its files; refused once the bid is submitted.
/// Submitting takes the same lock, so a change and a submission never interleave.
pub fn claim_for_change(conn: &mut DbConn, id: i64, now: chrono::DateTime<chrono::Utc>) -> Result<(), Error> {
    let claimed = diesel::update(bids::table.find(id))
        .filter(bids::status.ne(BidStatus::Submitted.as_str()))
        .set(bids::updated_at.eq(now.naive_utc()))
        .execute(conn)?;
    if claimed == 0 {
        return Err(submitted());
    }
    Ok(())
}

pub fn set_status(conn: &mut DbConn, id: i64, status: BidStatus) -> Result<(), Error> {
    diesel::update(bids::table.find(id))
        .set((
            bids::status.eq(status.as_str()),
            bids::updated_at.eq(super::now()),
            bids::needs_reconfirmation.eq(false),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks every submitted bid of the tender "opnieuw bevestigen": what the bidders submitted
/// against has changed. Submitting again clears the mark. Returns how many were marked.
pub fn require_reconfirmation(
    conn: &mut DbConn,
    tender_id: i64,
    actor: &audit::Actor,
    why: String,
) -> Result<usize, Error> {
    let marked = diesel::update(bids::table)
        .filter(bids::tender_id.eq(tender_id))
        .filter(bids::status.eq(BidStatus::Submitted.as_str()))
        .set(bids::needs_reconfirmation.eq(true))
        .execute(conn)?;
    if marked > 0 {
        let change = Change {
            tender_id: Some(tender_id),
            action: "bid.reconfirmation_required",
            subject: format!("{marked} ingediende inschrijving(en) opnieuw te bevestigen na {why}"),
            before: None,
            after: None,
        };
        audit::record_sealed(conn, actor, tender_id, change)?;
    }
    Ok(marked)
}

/// `A` … `Z`, then `AA`, `AB` …: the n-th bid code, from 0.
fn code(n: usize) -> String {
    let mut out = Vec::new();
    let mut n = n + 1;
    while n > 0 {
        out.push((b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Gives every submitted bid of each perceel a code in random order, so that a code tells
/// nothing about who bid or when.
pub fn assign_codes(conn: &mut DbConn, tender_id: i64) -> Result<(), Error> {
    use rand::seq::SliceRandom;
    let rows: Vec<(i64, i64)> = bids::table
        .filter(bids::tender_id.eq(tender_id))
        .filter(bids::status.eq(BidStatus::Submitted.as_str()))
        .select((bids::lot_id, bids::id))
        .load(conn)?;
    let mut lots: Vec<i64> = rows.iter().map(|(l, _)| *l).collect();
    lots.sort_unstable();
    lots.dedup();
    for lot in lots {
        let mut ids: Vec<i64> = rows.iter().filter(|(l, _)| *l == lot).map(|(_, id)| *id).collect();
        ids.shuffle(&mut rand::rngs::OsRng);
        for (n, id) in ids.iter().enumerate() {
            diesel::update(bids::table.find(id)).set(bids::code.eq(code(n))).execute(conn)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_run_from_a_to_z_and_on() {
        assert_eq!([0, 1, 25, 26, 27, 701, 702].map(super::code), ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
    }
}
