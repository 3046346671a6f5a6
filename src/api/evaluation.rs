//! Beoordeling via de API, common ground: a perceel of a tender with its evaluation as the
//! assessing roles may read it — submitted bids and their contents only after the opening.

use std::sync::Arc;

use super::tenders::visible;
use crate::db::bid;
use crate::db::evaluation::{EvaluatedBid, Evaluation};
use crate::db::snapshot::Snapshot;
use crate::db::user::User;
use crate::domain::bid::BidStatus;
use crate::domain::lot::Lot;
use crate::errors::Error;
use crate::state::AppState;

/// A perceel under evaluation: its tender and, in memory, its evaluation.
pub struct Perceel {
    pub tender: Arc<Snapshot>,
    pub lot_id: i64,
    pub evaluation: Arc<Evaluation>,
}

impl Perceel {
    pub fn lot(&self) -> Result<&Lot, Error> {
        self.tender.lots.iter().find(|l| l.id == self.lot_id).ok_or(Error::NotFound("Perceel"))
    }

    pub fn opened(&self) -> bool {
        self.evaluation.opened
    }

    /// The bids admitted by the suitability assessment: the ones that are scored.
    pub fn admitted(&self) -> Vec<&EvaluatedBid> {
        self.evaluation.admitted().collect()
    }
}

/// The perceel as the caller may see it, for reading.
pub async fn perceel(state: &AppState, user: &User, tender_id: i64, lot_id: i64) -> Result<Perceel, Error> {
    load(state, user, tender_id, lot_id, false).await
}

/// The perceel as the database has it now, for deciding a write.
pub async fn perceel_fresh(state: &AppState, user: &User, tender_id: i64, lot_id: i64) -> Result<Perceel, Error> {
    load(state, user, tender_id, lot_id, true).await
}

async fn load(state: &AppState, user: &User, tender_id: i64, lot_id: i64, fresh: bool) -> Result<Perceel, Error> {
    let t = visible(state, Some(user), tender_id).await?;
    t.lots.iter().find(|l| l.id == lot_id).ok_or(Error::NotFound("Perceel"))?;
    let (db, master) = (&state.db, &state.master_key);
    let evaluation = match fresh {
        true => state.evaluations.fresh(db, master, t.clone(), lot_id).await?,
        false => state.evaluations.get(db, master, t.clone(), lot_id).await?,
    };
    Ok(Perceel { tender: t, lot_id, evaluation })
}

/// Where a bid of an opened tender is: (tender id, perceel id). Sealed or unsubmitted bids do
/// not exist for the assessing roles.
pub async fn opened_bid(state: &AppState, bid_id: i64) -> Result<(i64, i64), Error> {
    if let Some(home) = state.evaluations.locate(bid_id) {
        return Ok(home);
    }
    state
        .db
        .read(move |conn| {
            let b = bid::find(conn, bid_id)?.ok_or(Error::NotFound("Inschrijving"))?;
            if !crate::db::opening::is_opened(conn, b.tender_id)? || b.status() != BidStatus::Submitted {
                return Err(Error::NotFound("Inschrijving"));
            }
            Ok((b.tender_id, b.lot_id))
        })
        .await
}

/// The perceel of an opened bid with the bid itself, as the caller may see it.
pub async fn bid_perceel(state: &AppState, user: &User, bid_id: i64, fresh: bool) -> Result<Perceel, Error> {
    let (tender_id, lot_id) = opened_bid(state, bid_id).await?;
    let p = load(state, user, tender_id, lot_id, fresh).await?;
    p.evaluation.bid(bid_id).ok_or(Error::NotFound("Inschrijving"))?;
    Ok(p)
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
