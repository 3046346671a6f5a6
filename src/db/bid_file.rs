//! Bestand van een inschrijving (bid file) storage: sealed files, their names sealed too.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::DbConn;
use super::schema::bid_files;
use crate::domain::price_sheet::PriceSheet;
use crate::errors::Error;
use crate::vault::TenderKey;
use crate::vault::sealed_file::Sealed;

/// The kinds of file a bid holds.
pub const DOCUMENT: &str = "document";
pub const PRICE_SHEET: &str = "prijzenblad";

/// A file of a bid as its owner (and after the opening the assessors) sees it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BidFile {
    pub id: i64,
    /// `document` or `prijzenblad`.
    pub kind: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
    #[serde(skip)]
    pub storage_name: String,
}

#[derive(Serialize, Deserialize)]
struct Label {
    name: String,
    content_type: String,
}

pub struct NewFile<'a> {
    pub bid_id: i64,
    pub kind: &'a str,
    pub storage_name: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub sealed: &'a Sealed,
    pub uploaded_by: i64,
    /// The prices read from a prijzenblad, sealed with it.
    pub prices: Option<&'a PriceSheet>,
}

fn seal_json<T: Serialize>(key: &TenderKey, value: &T) -> Result<Vec<u8>, Error> {
    key.seal(&serde_json::to_vec(value).map_err(|e| Error::Internal(e.to_string()))?)
}

pub fn add(conn: &mut DbConn, key: &TenderKey, f: &NewFile) -> Result<i64, Error> {
    let label = Label { name: f.name.to_owned(), content_type: f.content_type.to_owned() };
    let prices = f.prices.map(|p| seal_json(key, p)).transpose()?;
    Ok(diesel::insert_into(bid_files::table)
        .values((
            bid_files::bid_id.eq(f.bid_id),
            bid_files::kind.eq(f.kind),
            bid_files::storage_name.eq(f.storage_name),
            bid_files::sealed_name.eq(seal_json(key, &label)?),
            bid_files::sealed_prices.eq(prices),
            bid_files::size.eq(f.sealed.size as i64),
            bid_files::sha256.eq(&f.sealed.sha256),
            bid_files::uploaded_by.eq(f.uploaded_by),
            bid_files::uploaded_at.eq(super::now()),
        ))
        .returning(bid_files::id)
        .get_result(conn)?)
}

/// The current files of a bid, oldest first.
pub fn list(conn: &mut DbConn, key: &TenderKey, bid_id: i64) -> Result<Vec<BidFile>, Error> {
    Ok(load(conn, key, &[bid_id], false)?.into_iter().map(|(_, f)| f).collect())
}

/// Every file the bid ever had, removed ones included: earlier receipts name them.
pub fn history(conn: &mut DbConn, key: &TenderKey, bid_id: i64) -> Result<Vec<BidFile>, Error> {
    Ok(load(conn, key, &[bid_id], true)?.into_iter().map(|(_, f)| f).collect())
}

/// The current files of many bids in one query, as (bid id, file), oldest first.
pub fn of_bids(conn: &mut DbConn, key: &TenderKey, bid_ids: &[i64]) -> Result<Vec<(i64, BidFile)>, Error> {
    load(conn, key, bid_ids, false)
}

fn load(conn: &mut DbConn, key: &TenderKey, bid_ids: &[i64], removed_too: bool) -> Result<Vec<(i64, BidFile)>, Error> {
    type Row = (i64, i64, String, String, Vec<u8>, i64, String, NaiveDateTime);
    let mut query = bid_files::table.filter(bid_files::bid_id.eq_any(bid_ids)).into_boxed();
    if !removed_too {
        query = query.filter(bid_files::removed_at.is_null());
    }
    let rows: Vec<Row> = query
        .order(bid_files::id)
        .select((
            bid_files::bid_id,
            bid_files::id,
            bid_files::kind,
            bid_files::storage_name,
            bid_files::sealed_name,
            bid_files::size,
            bid_files::sha256,
            bid_files::uploaded_at,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(bid_id, id, kind, storage_name, sealed_name, size, sha256, uploaded_at)| {
            let label: Label =
                serde_json::from_slice(&key.open(&sealed_name)?).map_err(|e| Error::Internal(e.to_string()))?;
            let file = BidFile {
                id,
                kind,
                name: label.name,
                content_type: label.content_type,
                size,
                sha256,
                uploaded_at: uploaded_at.and_utc(),
                storage_name,
            };
            Ok((bid_id, file))
        })
        .collect()
}

/// The total size of a bid's current files, for the limit per bid; without the files of a
/// kind that the upload will replace.
pub fn total_size(conn: &mut DbConn, bid_id: i64, replaced: Option<&str>) -> Result<i64, Error> {
    // Summed here: SUM over BIGINT is NUMERIC on PostgreSQL, which one binary for both cannot read.
    let sizes: Vec<(String, i64)> = bid_files::table
        .filter(bid_files::bid_id.eq(bid_id))
        .filter(bid_files::removed_at.is_null())
        .select((bid_files::kind, bid_files::size))
        .load(conn)?;
    Ok(sizes.iter().filter(|(kind, _)| Some(kind.as_str()) != replaced).map(|(_, size)| size).sum())
}

/// Takes a file out of the bid and returns its name in the vault folder.
pub fn remove(conn: &mut DbConn, bid_id: i64, file_id: i64) -> Result<String, Error> {
    let n = diesel::update(bid_files::table.find(file_id))
        .filter(bid_files::bid_id.eq(bid_id))
        .filter(bid_files::removed_at.is_null())
        .set(bid_files::removed_at.eq(super::now()))
        .execute(conn)?;
    if n == 0 {
        return Err(Error::NotFound("Bestand"));
    }
    Ok(bid_files::table.find(file_id).select(bid_files::storage_name).first(conn)?)
}
