//! Consensus (consensus) storage: the committee's score per bid and criterion with an internal
//! motivation and an external one for the award letters; and the price reveal, which makes a
//! perceel's consensus final and its prices visible.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Change};
use super::evaluation_correction::{self, Kind, NewCorrection};
use super::schema::{consensus_scores, price_reveals};
use super::score::Scorable;
use super::user::User;
use crate::errors::{Error, Problems};

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsensusInput {
    pub criterion_id: i64,
    pub points: i32,
    /// For the committee's file: how the score was reached.
    pub internal_motivation: String,
    /// For the award letters: the characteristics and relative advantages of the bid.
    pub external_motivation: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Consensus {
    pub bid_id: i64,
    pub criterion_id: i64,
    pub points: i32,
    pub internal_motivation: String,
    pub external_motivation: String,
    pub recorded_at: DateTime<Utc>,
}

pub fn of_bids(conn: &mut DbConn, bid_ids: &[i64]) -> Result<Vec<Consensus>, Error> {
    type Row = (i64, i64, i32, String, String, NaiveDateTime);
    let rows: Vec<Row> = consensus_scores::table
        .filter(consensus_scores::bid_id.eq_any(bid_ids))
        .order((consensus_scores::bid_id, consensus_scores::criterion_id))
        .select((
            consensus_scores::bid_id,
            consensus_scores::criterion_id,
            consensus_scores::points,
            consensus_scores::internal_motivation,
            consensus_scores::external_motivation,
            consensus_scores::recorded_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(bid_id, criterion_id, points, internal_motivation, external_motivation, at)| Consensus {
            bid_id,
            criterion_id,
            points,
            internal_motivation,
            external_motivation,
            recorded_at: at.and_utc(),
        })
        .collect())
}

/// When the perceel's consensus became final and its prices visible.
pub fn revealed(conn: &mut DbConn, lot_id: i64) -> Result<Option<DateTime<Utc>>, Error> {
    let at: Option<NaiveDateTime> =
        price_reveals::table.find(lot_id).select(price_reveals::revealed_at).first(conn).optional()?;
    Ok(at.map(|t| t.and_utc()))
}

/// The bid whose consensus is recorded, with its perceel's criteria.
pub struct Target<'a> {
    pub tender_id: i64,
    pub lot_id: i64,
    pub bid_id: i64,
    pub criteria: &'a [Scorable],
}

/// Records the consensus for a bid. Once the perceel's consensus is final it changes only
/// through a correction with a reason, recorded with what it was before.
pub fn record(
    conn: &mut DbConn,
    t: &Target,
    list: &[ConsensusInput],
    correction: Option<&str>,
    by: &User,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let (tender_id, lot_id, bid_id, criteria) = (t.tender_id, t.lot_id, t.bid_id, t.criteria);
    super::evaluation::touch(conn, lot_id)?;
    let mut p = Problems::default();
    let reason = match revealed(conn, lot_id)? {
        None => None,
        Some(_) => match evaluation_correction::reason(correction, "De consensus van dit perceel") {
            Ok(r) => Some(r),
            Err(Error::Validation(found)) => {
                p.0.extend(found);
                None
            }
            Err(e) => return Err(e),
        },
    };
    for (i, c) in list.iter().enumerate() {
        match criteria.iter().find(|s| s.criterion_id == c.criterion_id) {
            None => p.add(format!("scores[{i}].criterion_id"), "Dit criterium hoort niet bij dit perceel."),
            Some(s) if !s.steps.contains(&c.points) => {
                p.add(format!("scores[{i}].points"), format!("{}: kies een stap van de schaal.", s.title))
            }
            Some(_) => {}
        }
        if c.internal_motivation.trim().chars().count() < 10 {
            p.add(
                format!("scores[{i}].internal_motivation"),
                "Leg vast hoe de commissie tot deze score kwam (minstens 10 tekens).",
            );
        }
        if c.external_motivation.trim().chars().count() < 20 {
            p.add(
                format!("scores[{i}].external_motivation"),
                "Beschrijf voor de gunningsbrieven de kenmerken en voordelen van de inschrijving (minstens 20 tekens).",
            );
        }
    }
    p.into_result(())?;
    let before = of_bids(conn, &[bid_id])?;
    for c in list {
        diesel::delete(consensus_scores::table.find((bid_id, c.criterion_id))).execute(conn)?;
        diesel::insert_into(consensus_scores::table)
            .values((
                consensus_scores::bid_id.eq(bid_id),
                consensus_scores::criterion_id.eq(c.criterion_id),
                consensus_scores::points.eq(c.points),
                consensus_scores::internal_motivation.eq(c.internal_motivation.trim()),
                consensus_scores::external_motivation.eq(c.external_motivation.trim()),
                consensus_scores::recorded_by.eq(by.id),
                consensus_scores::recorded_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
    }
    let after = of_bids(conn, &[bid_id])?;
    if let Some(reason) = &reason {
        let c =
            NewCorrection { tender_id, lot_id, bid_id, kind: Kind::Consensus, reason, before: &before, after: &after };
        return evaluation_correction::record(conn, &c, by, now);
    }
    let change = Change {
        tender_id: Some(tender_id),
        action: "consensus.recorded",
        subject: format!("consensus inschrijving {bid_id}"),
        before: audit::json(&before),
        after: audit::json(&after),
    };
    audit::record_sealed(conn, &by.actor(), tender_id, change)
}

/// Makes the perceel's consensus final and its prices visible: every admitted bid has a
/// consensus score on every criterion.
pub fn reveal(
    conn: &mut DbConn,
    tender_id: i64,
    lot_id: i64,
    admitted: &[i64],
    criteria: &[Scorable],
    by: &User,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    super::evaluation::touch(conn, lot_id)?;
    if revealed(conn, lot_id)?.is_some() {
        return Err(Error::Conflict("De prijzen van dit perceel zijn al zichtbaar.".into()));
    }
    if admitted.is_empty() {
        return Err(Error::Conflict("Dit perceel heeft geen toegelaten inschrijvingen.".into()));
    }
    let all = of_bids(conn, admitted)?;
    let missing = admitted
        .iter()
        .filter(|b| criteria.iter().any(|c| !all.iter().any(|x| x.bid_id == **b && x.criterion_id == c.criterion_id)))
        .count();
    if missing > 0 {
        return Err(Error::Conflict(format!(
            "Voor {missing} inschrijving(en) is de consensus nog niet op elk criterium vastgelegd."
        )));
    }
    diesel::insert_into(price_reveals::table)
        .values((
            price_reveals::lot_id.eq(lot_id),
            price_reveals::revealed_by.eq(by.id),
            price_reveals::revealed_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    let change = Change {
        tender_id: Some(tender_id),
        action: "consensus.final",
        subject: format!("consensus perceel {lot_id} definitief; prijzen zichtbaar"),
        before: None,
        after: None,
    };
    audit::record(conn, &by.actor(), change)
}
