//! Momentopname (snapshot): a tender's whole read model, kept in memory per version.
//!
//! A published tender is read by every bidder and visitor and changed almost never. A snapshot
//! is rebuilt only when the tender's version has moved. Within this process a snapshot is
//! re-checked after any write; changes made by another instance on the same PostgreSQL show
//! within [`TRUSTED_FOR`](super::trust::TRUSTED_FOR). What must be exact (a deadline at submission) is read from the
//! database itself, never from here.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, OnceLock, RwLock};

use super::correction::{self, Correction};
use super::enquiry_note::{self, EnquiryNote};
use super::trust::{Checked, Trust};
use super::{Db, DbConn, tender};
use crate::domain::price_sheet::Workbook;
use crate::domain::tender::Tender;
use crate::errors::Error;

/// Enough for every tender a region has open, small enough to never matter for memory.
const CAPACITY: usize = 512;

pub struct Snapshot {
    pub version: i64,
    pub tender: Tender,
    pub corrections: Vec<Correction>,
    /// The published notas van inlichtingen, the first first.
    pub notes: Vec<EnquiryNote>,
    /// The API representation, serialised once; cloning it shares the bytes.
    pub json: actix_web::web::Bytes,
    /// The content of the public tender page, rendered once when first asked for.
    pub public_page: OnceLock<String>,
    /// The layout and kenmerken of the tender's prijzenblad.
    pub workbook: Workbook,
    /// The blank prijzenblad as downloaded, written once when first asked for.
    pub price_sheet: OnceLock<actix_web::web::Bytes>,
}

/// A snapshot reads as the tender it holds.
impl Deref for Snapshot {
    type Target = Tender;

    fn deref(&self) -> &Tender {
        &self.tender
    }
}

/// A snapshot with when it was last found current.
#[derive(Clone)]
struct Entry {
    snapshot: Arc<Snapshot>,
    checked: Checked,
}

#[derive(Default)]
pub struct Snapshots {
    entries: RwLock<HashMap<i64, Entry>>,
}

impl Snapshots {
    /// The current snapshot of a tender; none when it does not exist.
    pub async fn get(self: &Arc<Self>, db: &Db, id: i64) -> Result<Option<Arc<Snapshot>>, Error> {
        let writes = db.writes();
        let entry = self.entries.read().ok().and_then(|m| m.get(&id).cloned());
        if let Some(e) = &entry {
            match e.checked.trust(writes) {
                Trust::Use => return Ok(Some(e.snapshot.clone())),
                Trust::UseAndLookAgain => {
                    let (this, db, known) = (self.clone(), db.clone(), e.snapshot.clone());
                    actix_web::rt::spawn(async move {
                        if let Err(e) = db.read(move |conn| this.check(conn, id, Some(known), writes)).await {
                            e.log();
                        }
                    });
                    return Ok(Some(e.snapshot.clone()));
                }
                Trust::LookNow => {}
            }
        }
        let this = self.clone();
        db.read(move |conn| this.check(conn, id, entry.map(|e| e.snapshot), writes)).await
    }

    /// Compares the version with the database and rebuilds the snapshot when it moved.
    fn check(
        &self,
        conn: &mut DbConn,
        id: i64,
        known: Option<Arc<Snapshot>>,
        writes: u64,
    ) -> Result<Option<Arc<Snapshot>>, Error> {
        // The version is read before the tender: a change in between makes the snapshot look
        // older than it is (and reload next time), never newer.
        let Some(version) = tender::version(conn, id)? else {
            if let Ok(mut m) = self.entries.write() {
                m.remove(&id);
            }
            return Ok(None);
        };
        let snapshot = match known.filter(|s| s.version == version) {
            Some(s) => s,
            None => {
                let Some(tender) = tender::load(conn, id)? else { return Ok(None) };
                let json = serde_json::to_vec(&tender).map_err(|e| Error::Internal(e.to_string()))?.into();
                let corrections = correction::for_tender(conn, id)?;
                let notes = enquiry_note::for_tender(conn, id)?;
                let workbook = Workbook::of(&tender);
                Arc::new(Snapshot {
                    version,
                    tender,
                    corrections,
                    notes,
                    json,
                    public_page: OnceLock::new(),
                    workbook,
                    price_sheet: OnceLock::new(),
                })
            }
        };
        if let Ok(mut m) = self.entries.write() {
            if m.len() >= CAPACITY {
                m.clear();
            }
            m.insert(id, Entry { snapshot: snapshot.clone(), checked: Checked::now(writes) });
        }
        Ok(Some(snapshot))
    }
}
