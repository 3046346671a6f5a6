//! Beoordeling via de API, common ground: a perceel of an opened tender with its submitted bids
//! and their contents, as the assessing roles may read them.

use std::sync::Arc;

use super::tenders::visible;
use crate::db::bid::{self, BidRow};
use crate::db::snapshot::Snapshot;
use crate::db::user::User;
use crate::db::{opening, tender_key};
use crate::domain::bid::BidContent;
use crate::domain::lot::Lot;
use crate::errors::Error;
use crate::state::AppState;
use crate::vault::TenderKey;

/// A perceel under evaluation: its tender, and — once the vault is open — its submitted bids.
pub struct Perceel {
    pub tender: Arc<Snapshot>,
    pub lot_id: i64,
    /// Empty while the vault is sealed.
    pub bids: Vec<BidRow>,
    pub opened: bool,
}

impl Perceel {
    pub fn lot(&self) -> Result<&Lot, Error> {
        self.tender.lots.iter().find(|l| l.id == self.lot_id).ok_or(Error::NotFound("Perceel"))
    }
}

/// The perceel as the caller may see it; bids only after the opening.
pub async fn perceel(state: &AppState, user: &User, tender_id: i64, lot_id: i64) -> Result<Perceel, Error> {
    let t = visible(state, Some(user), tender_id).await?;
    t.lots.iter().find(|l| l.id == lot_id).ok_or(Error::NotFound("Perceel"))?;
    let (opened, bids) = state
        .db
        .read(move |conn| {
            if !opening::is_opened(conn, tender_id)? {
                return Ok((false, Vec::new()));
            }
            let all = opening::submitted(conn, tender_id)?;
            Ok((true, all.into_iter().filter(|b| b.lot_id == lot_id).collect()))
        })
        .await?;
    Ok(Perceel { tender: t, lot_id, bids, opened })
}

/// The contents of bids of an opened tender, in the order given.
pub async fn contents(
    state: &AppState,
    tender_id: i64,
    bids: &[BidRow],
) -> Result<(TenderKey, Vec<BidContent>), Error> {
    let key = tender_key::get(&state.db, &state.master_key, tender_id).await?;
    let (k, ids): (TenderKey, Vec<i64>) = (key.clone(), bids.iter().map(|b| b.id).collect());
    let list = state.db.read(move |conn| bid::contents(conn, &k, &ids)).await?;
    Ok((key, list))
}

/// A bid of an opened tender, for the assessing roles; sealed bids do not exist for them.
pub async fn opened_bid(state: &AppState, bid_id: i64) -> Result<BidRow, Error> {
    state
        .db
        .read(move |conn| {
            let b = bid::find(conn, bid_id)?.ok_or(Error::NotFound("Inschrijving"))?;
            if !opening::is_opened(conn, b.tender_id)? || b.status() != crate::domain::bid::BidStatus::Submitted {
                return Err(Error::NotFound("Inschrijving"));
            }
            Ok(b)
        })
        .await
}

/// The quality criteria of a perceel with the points their scales allow.
pub fn scorable(t: &crate::domain::tender::Tender, lot: &Lot) -> Vec<crate::db::score::Scorable> {
    lot.quality_criteria
        .iter()
        .map(|q| crate::db::score::Scorable {
            criterion_id: q.id,
            title: q.title.clone(),
            steps: t
                .scales
                .iter()
                .find(|s| s.name == q.scale)
                .map(|s| s.steps.iter().map(|x| x.points).collect())
                .unwrap_or_default(),
        })
        .collect()
}

/// The admitted bids of a perceel (suitability decided, every knock-out passed), with their
/// contents, read once.
pub async fn admitted(state: &AppState, p: &Perceel) -> Result<Vec<(BidRow, BidContent)>, Error> {
    let (s, list) = super::suitability::assess_with_contents(state, p).await?;
    let ok: std::collections::HashSet<i64> =
        s.bids.iter().filter(|b| b.standing == crate::db::suitability::Standing::Admitted).map(|b| b.bid_id).collect();
    Ok(p.bids.iter().cloned().zip(list).filter(|(b, _)| ok.contains(&b.id)).collect())
}
