//! Raamovereenkomst (framework contract) storage: one per winner per perceel, made by the
//! definitive award, activated only as [`crate::domain::contract::may_activate`] allows.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Change};
use super::award::Decision;
use super::schema::{bids, companies, contracts};
use super::user::User;
use crate::domain::award::AwardStatus;
use crate::domain::contract::{end_date, may_activate};
use crate::domain::price_sheet::PricedLine;
use crate::errors::Error;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Contract {
    pub id: i64,
    pub decision_id: i64,
    pub tender_id: i64,
    pub lot_id: i64,
    pub bid_id: i64,
    pub company: String,
    /// The participating gemeenten (CBS codes).
    pub municipalities: Vec<String>,
    pub start_date: NaiveDate,
    pub years: i32,
    /// The extension options in years, e.g. `[2, 2]`.
    pub extensions: Vec<u32>,
    pub extensions_taken: i32,
    /// The last day with the extensions taken so far.
    pub end_date: Option<NaiveDate>,
    /// The last day if every extension is taken.
    pub final_end_date: Option<NaiveDate>,
    #[schema(value_type = Object)]
    pub prices: serde_json::Value,
    /// The price per trajectory in cents, excl. btw.
    pub total_cents: i64,
    pub active: bool,
    pub activated_at: Option<DateTime<Utc>>,
    /// The decision on each extension is due this many months before the current end.
    pub notice_months: i32,
}

/// The terms every contract of one definitive award gets.
pub struct Terms {
    pub start_date: NaiveDate,
    pub years: u32,
    pub extensions: Vec<u32>,
    pub municipalities: Vec<String>,
}

/// One winner's contract to make: its bid and its prices from the prijzenblad.
pub struct Winner {
    pub bid_id: i64,
    pub lines: Vec<PricedLine>,
    pub total_cents: i64,
}

type Row =
    ((i64, i64, i64, i64, i64, String, String, NaiveDate), (i32, String, i32, String, i64, Option<NaiveDateTime>, i32));

/// The contracts of a tender, by perceel and id.
pub fn of_tender(conn: &mut DbConn, tender_id: i64) -> Result<Vec<Contract>, Error> {
    load(conn, tender_id)
}

pub fn find(conn: &mut DbConn, id: i64) -> Result<Contract, Error> {
    let tender_id: i64 = contracts::table
        .find(id)
        .select(contracts::tender_id)
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound("Contract"))?;
    of_tender(conn, tender_id)?.into_iter().find(|c| c.id == id).ok_or(Error::NotFound("Contract"))
}

fn load(conn: &mut DbConn, tender_id: i64) -> Result<Vec<Contract>, Error> {
    let rows: Vec<Row> = contracts::table
        .inner_join(companies::table.on(companies::id.eq(contracts::company_id)))
        .filter(contracts::tender_id.eq(tender_id))
        .order((contracts::lot_id, contracts::id))
        .select((
            (
                contracts::id,
                contracts::decision_id,
                contracts::tender_id,
                contracts::lot_id,
                contracts::bid_id,
                companies::name,
                contracts::municipalities,
                contracts::start_date,
            ),
            (
                contracts::years,
                contracts::extensions,
                contracts::extensions_taken,
                contracts::prices,
                contracts::total_cents,
                contracts::activated_at,
                contracts::notice_months,
            ),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|((id, decision_id, tender_id, lot_id, bid_id, company, municipalities, start), rest)| {
            let (years, extensions, taken, prices, total_cents, activated, notice_months) = rest;
            let bad = |e: serde_json::Error| Error::Internal(format!("contract {id}: {e}"));
            let extensions: Vec<u32> = serde_json::from_str(&extensions).map_err(bad)?;
            let y = u32::try_from(years).unwrap_or_default();
            Ok(Contract {
                id,
                decision_id,
                tender_id,
                lot_id,
                bid_id,
                company,
                municipalities: serde_json::from_str(&municipalities).map_err(bad)?,
                start_date: start,
                years,
                end_date: end_date(start, y, &extensions, usize::try_from(taken).unwrap_or_default()),
                final_end_date: end_date(start, y, &extensions, extensions.len()),
                extensions,
                extensions_taken: taken,
                prices: serde_json::from_str(&prices).map_err(bad)?,
                total_cents,
                active: activated.is_some(),
                activated_at: activated.map(|t| t.and_utc()),
                notice_months,
            })
        })
        .collect()
}

/// Makes a contract per winner of a decision that has just become definitive.
pub fn create(
    conn: &mut DbConn,
    d: &Decision,
    terms: &Terms,
    winners: &[Winner],
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let municipalities = serde_json::to_string(&terms.municipalities).map_err(|e| Error::Internal(e.to_string()))?;
    let extensions = serde_json::to_string(&terms.extensions).map_err(|e| Error::Internal(e.to_string()))?;
    for w in winners {
        let company_id: i64 = bids::table.find(w.bid_id).select(bids::company_id).first(conn)?;
        let prices = serde_json::to_string(&w.lines).map_err(|e| Error::Internal(e.to_string()))?;
        diesel::insert_into(contracts::table)
            .values((
                contracts::decision_id.eq(d.id),
                contracts::tender_id.eq(d.tender_id),
                contracts::lot_id.eq(d.lot_id),
                contracts::bid_id.eq(w.bid_id),
                contracts::company_id.eq(company_id),
                contracts::municipalities.eq(&municipalities),
                contracts::start_date.eq(terms.start_date),
                contracts::years.eq(i32::try_from(terms.years).unwrap_or(i32::MAX)),
                contracts::extensions.eq(&extensions),
                contracts::prices.eq(&prices),
                contracts::total_cents.eq(w.total_cents),
                contracts::created_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Activates a contract: refused by the domain before the standstill has ended, before the
/// definitive award and before its start date.
pub fn activate(conn: &mut DbConn, c: &Contract, d: &Decision, by: &User, now: DateTime<Utc>) -> Result<(), Error> {
    let standstill =
        d.standstill().ok_or_else(|| Error::Conflict("Het voornemen tot gunning is nog niet verzonden.".into()))?;
    may_activate(d.status == AwardStatus::Definitive, &standstill, c.start_date, now)
        .map_err(|e| Error::Conflict(e.to_string()))?;
    let n = diesel::update(contracts::table.find(c.id))
        .filter(contracts::activated_at.is_null())
        .set((contracts::activated_by.eq(by.id), contracts::activated_at.eq(now.naive_utc())))
        .execute(conn)?;
    if n == 0 {
        return Err(Error::Conflict("Dit contract is al actief.".into()));
    }
    let change = Change {
        tender_id: Some(c.tender_id),
        action: "contract.activated",
        subject: format!("raamovereenkomst {} met {} actief", c.id, c.company),
        before: None,
        after: audit::json(&json!({ "start_date": c.start_date, "end_date": c.end_date })),
    };
    audit::record(conn, &by.actor(), change)
}
