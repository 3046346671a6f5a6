//! Contractdocument (contract document) storage: the signed raamovereenkomst and what belongs
//! to it, sealed in the tender's vault folder. The winning bid's own documents are part of the
//! contract too; they are listed from the bid, not copied.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Change};
use super::contract::Contract;
use super::schema::contract_documents;
use super::user::User;
use crate::errors::Error;
use crate::vault::sealed_file::Sealed;
use crate::vault::upload::{self, Limits};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ContractDocument {
    pub id: i64,
    pub contract_id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
    #[serde(skip)]
    pub storage_name: String,
}

/// The stored row: the time as the database keeps it, in UTC.
#[derive(Queryable, Selectable)]
#[diesel(table_name = contract_documents)]
struct Row {
    id: i64,
    contract_id: i64,
    storage_name: String,
    name: String,
    content_type: String,
    size: i64,
    sha256: String,
    uploaded_at: NaiveDateTime,
}

impl From<Row> for ContractDocument {
    fn from(r: Row) -> ContractDocument {
        ContractDocument {
            id: r.id,
            contract_id: r.contract_id,
            name: r.name,
            content_type: r.content_type,
            size: r.size,
            sha256: r.sha256,
            uploaded_at: r.uploaded_at.and_utc(),
            storage_name: r.storage_name,
        }
    }
}

/// The documents of these contracts, oldest first.
pub fn of_contracts(conn: &mut DbConn, contract_ids: &[i64]) -> Result<Vec<ContractDocument>, Error> {
    let rows: Vec<Row> = contract_documents::table
        .filter(contract_documents::contract_id.eq_any(contract_ids))
        .order(contract_documents::id)
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(ContractDocument::from).collect())
}

pub fn find(conn: &mut DbConn, contract_id: i64, id: i64) -> Result<ContractDocument, Error> {
    let row: Option<Row> = contract_documents::table
        .filter(contract_documents::id.eq(id).and(contract_documents::contract_id.eq(contract_id)))
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    row.map(ContractDocument::from).ok_or(Error::NotFound("Document"))
}

/// What an upload sealed in the vault, to record.
pub struct NewDocument<'a> {
    pub storage_name: &'a str,
    pub name: &'a str,
    pub content_type: &'a str,
    pub sealed: &'a Sealed,
}

/// Takes the contract's row lock for a new document and returns the bytes its documents hold
/// now; a second upload at the same moment waits here until the first is stored or refused.
fn claim_room(conn: &mut DbConn, contract_id: i64) -> Result<u64, Error> {
    use super::schema::contracts;
    diesel::update(contracts::table.find(contract_id))
        .set(contracts::notice_months.eq(contracts::notice_months))
        .execute(conn)?;
    let sizes: Vec<i64> = contract_documents::table
        .filter(contract_documents::contract_id.eq(contract_id))
        .select(contract_documents::size)
        .load(conn)?;
    Ok(sizes.into_iter().map(|s| u64::try_from(s).unwrap_or(0)).sum())
}

/// Records a sealed file as one of the contract's documents, in the tender's file, if the
/// contract's documents stay within `limits` with it. Counted here, under the contract's lock:
/// two uploads at once may each have fitted in the room that only one of them has.
pub fn add(
    conn: &mut DbConn,
    c: &Contract,
    d: &NewDocument,
    limits: Limits,
    user: &User,
    now: DateTime<Utc>,
) -> Result<ContractDocument, Error> {
    let used = claim_room(conn, c.id)?;
    if used + d.sealed.size > limits.in_all {
        return Err(upload::full(d.name, Limits { per_file: d.sealed.size, used, ..limits }));
    }
    let id: i64 = diesel::insert_into(contract_documents::table)
        .values((
            contract_documents::contract_id.eq(c.id),
            contract_documents::storage_name.eq(d.storage_name),
            contract_documents::name.eq(d.name),
            contract_documents::content_type.eq(d.content_type),
            contract_documents::size.eq(i64::try_from(d.sealed.size).unwrap_or(i64::MAX)),
            contract_documents::sha256.eq(&d.sealed.sha256),
            contract_documents::uploaded_by.eq(user.id),
            contract_documents::uploaded_at.eq(now.naive_utc()),
        ))
        .returning(contract_documents::id)
        .get_result(conn)?;
    let change = Change {
        tender_id: Some(c.tender_id),
        action: "contract.document",
        subject: format!("document {} bij raamovereenkomst {} met {}", d.name, c.id, c.company),
        before: None,
        after: audit::json(&json!({ "document": id, "sha256": d.sealed.sha256, "size": d.sealed.size })),
    };
    audit::record(conn, &user.actor(), change)?;
    find(conn, c.id, id)
}
