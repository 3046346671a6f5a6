//! Prijzenblad (price sheet) storage: the prices read from a bid's current prijzenblad, sealed
//! with its file, and the bidder's confirmation of them.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::DbConn;
use super::bid_file::PRICE_SHEET;
use super::schema::bid_files;
use crate::domain::price_sheet::PriceSheet;
use crate::errors::Error;
use crate::vault::TenderKey;

/// The prices of a prijzenblad, and when the bidder confirmed them.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StoredPrices {
    pub file_id: i64,
    pub prices: PriceSheet,
    pub confirmed_at: Option<DateTime<Utc>>,
}

impl StoredPrices {
    /// What `Prices::of` needs: the kenmerk the prices were read under, and whether confirmed.
    pub fn state(&self) -> (&str, bool) {
        (&self.prices.kenmerk, self.confirmed_at.is_some())
    }
}

/// The prices of the bid's current prijzenblad.
pub fn current(conn: &mut DbConn, key: &TenderKey, bid_id: i64) -> Result<Option<StoredPrices>, Error> {
    let row: Option<(i64, Option<Vec<u8>>, Option<NaiveDateTime>)> = bid_files::table
        .filter(bid_files::bid_id.eq(bid_id))
        .filter(bid_files::kind.eq(PRICE_SHEET))
        .filter(bid_files::removed_at.is_null())
        .order(bid_files::id.desc())
        .select((bid_files::id, bid_files::sealed_prices, bid_files::prices_confirmed_at))
        .first(conn)
        .optional()?;
    let Some((file_id, Some(sealed), confirmed_at)) = row else { return Ok(None) };
    let prices = serde_json::from_slice(&key.open(&sealed)?).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(Some(StoredPrices { file_id, prices, confirmed_at: confirmed_at.map(|t| t.and_utc()) }))
}

/// The prices of many bids' current prijzenbladen in one query, as (bid id, prices).
pub fn current_of(conn: &mut DbConn, key: &TenderKey, bid_ids: &[i64]) -> Result<Vec<(i64, StoredPrices)>, Error> {
    type Row = (i64, i64, Option<Vec<u8>>, Option<NaiveDateTime>);
    let rows: Vec<Row> = bid_files::table
        .filter(bid_files::bid_id.eq_any(bid_ids))
        .filter(bid_files::kind.eq(PRICE_SHEET))
        .filter(bid_files::removed_at.is_null())
        .order((bid_files::bid_id, bid_files::id.desc()))
        .select((bid_files::bid_id, bid_files::id, bid_files::sealed_prices, bid_files::prices_confirmed_at))
        .load(conn)?;
    let mut out: Vec<(i64, StoredPrices)> = Vec::new();
    for (bid_id, file_id, sealed, confirmed_at) in rows {
        // The newest file of each bid comes first; an older one is a replaced sheet's leftover.
        if out.last().is_some_and(|(b, _)| *b == bid_id) {
            continue;
        }
        let Some(sealed) = sealed else { continue };
        let prices = serde_json::from_slice(&key.open(&sealed)?).map_err(|e| Error::Internal(e.to_string()))?;
        out.push((bid_id, StoredPrices { file_id, prices, confirmed_at: confirmed_at.map(|t| t.and_utc()) }));
    }
    Ok(out)
}

/// The bidder confirms that the prices read back from this file are theirs.
pub fn confirm(conn: &mut DbConn, bid_id: i64, file_id: i64, now: DateTime<Utc>) -> Result<(), Error> {
    let n = diesel::update(bid_files::table.find(file_id))
        .filter(bid_files::bid_id.eq(bid_id))
        .filter(bid_files::kind.eq(PRICE_SHEET))
        .filter(bid_files::removed_at.is_null())
        .set(bid_files::prices_confirmed_at.eq(now.naive_utc()))
        .execute(conn)?;
    if n == 0 {
        return Err(Error::NotFound("Prijzenblad"));
    }
    Ok(())
}
