//! Sleutel van de aanbesteding (tender key) storage: the wrapped key, made on first use.

use diesel::prelude::*;

use super::schema::tender_keys;
use super::{Db, DbConn};
use crate::errors::Error;
use crate::vault::{MasterKey, TenderKey};

/// Whether any tender key is stored (and so a master key must already exist).
pub fn any(conn: &mut DbConn) -> Result<bool, Error> {
    Ok(tender_keys::table.count().get_result::<i64>(conn)? > 0)
}

/// The tender's key, when one was made.
pub fn find(conn: &mut DbConn, master: &MasterKey, tender_id: i64) -> Result<Option<TenderKey>, Error> {
    let wrapped: Option<Vec<u8>> =
        tender_keys::table.find(tender_id).select(tender_keys::wrapped_key).first(conn).optional()?;
    wrapped.map(|w| master.unwrap(&w)).transpose()
}

/// The tender's key, made and stored the first time a bid needs it. Making it runs in a
/// transaction of its own: when two requests race, one insert loses and both read the winner.
pub async fn get(db: &Db, master: &MasterKey, tender_id: i64) -> Result<TenderKey, Error> {
    let m = master.clone();
    if let Some(k) = db.read(move |conn| find(conn, &m, tender_id)).await? {
        return Ok(k);
    }
    let (_, wrapped) = master.new_tender_key()?;
    let _ = db
        .write(move |conn| {
            diesel::insert_into(tender_keys::table)
                .values((
                    tender_keys::tender_id.eq(tender_id),
                    tender_keys::wrapped_key.eq(wrapped),
                    tender_keys::created_at.eq(super::now()),
                ))
                .execute(conn)?;
            Ok(())
        })
        .await;
    let m = master.clone();
    db.read(move |conn| find(conn, &m, tender_id)).await?.ok_or_else(|| Error::Internal("kluis: geen sleutel".into()))
}
