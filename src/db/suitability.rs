//! Geschiktheid (suitability) storage: the inkoper's decision per knock-out of a bid, with its
//! motivation. A bid is admitted when every subject passes and excluded when one fails.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Change};
use super::evaluation_correction::{self, Kind, NewCorrection};
use super::schema::suitability_decisions;
use super::user::User;
use crate::domain::suitability::{Proposal, Subject};
use crate::errors::{Error, Problems};

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    pub subject: Subject,
    pub passes: bool,
    pub motivation: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Decision {
    pub subject: Subject,
    pub passes: bool,
    pub motivation: String,
    pub decided_at: DateTime<Utc>,
}

/// Where a bid stands in the suitability assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Standing {
    /// Not every subject is decided yet.
    Open,
    Admitted,
    /// Failed a knock-out: not scored further. The reasons as recorded.
    Excluded {
        reasons: Vec<String>,
    },
}

pub fn of_bid(conn: &mut DbConn, bid_id: i64) -> Result<Vec<Decision>, Error> {
    Ok(of_bids(conn, &[bid_id])?.into_iter().map(|(_, d)| d).collect())
}

/// The decisions of many bids in one query, as (bid id, decision).
pub fn of_bids(conn: &mut DbConn, bid_ids: &[i64]) -> Result<Vec<(i64, Decision)>, Error> {
    let rows: Vec<(i64, String, bool, String, NaiveDateTime)> = suitability_decisions::table
        .filter(suitability_decisions::bid_id.eq_any(bid_ids))
        .order((suitability_decisions::bid_id, suitability_decisions::subject))
        .select((
            suitability_decisions::bid_id,
            suitability_decisions::subject,
            suitability_decisions::passes,
            suitability_decisions::motivation,
            suitability_decisions::decided_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(bid, s, passes, motivation, at)| {
            (bid, Decision { subject: Subject(s), passes, motivation, decided_at: at.and_utc() })
        })
        .collect())
}

/// The standing of a bid from the subjects it must meet and the decisions taken.
pub fn standing(proposals: &[Proposal], decisions: &[Decision]) -> Standing {
    let reasons: Vec<String> = decisions
        .iter()
        .filter(|d| !d.passes)
        .map(|d| {
            let title =
                proposals.iter().find(|p| p.subject == d.subject).map_or(d.subject.0.as_str(), |p| p.title.as_str());
            format!("{title}: {}", d.motivation)
        })
        .collect();
    if !reasons.is_empty() {
        Standing::Excluded { reasons }
    } else if proposals.iter().all(|p| decisions.iter().any(|d| d.subject == p.subject)) {
        Standing::Admitted
    } else {
        Standing::Open
    }
}

/// The bid whose suitability is decided, with the subjects it is assessed on.
pub struct Assessed<'a> {
    pub tender_id: i64,
    pub lot_id: i64,
    pub bid_id: i64,
    pub proposals: &'a [Proposal],
}

/// Records the decisions for a bid; each needs a motivation, and every subject must be one the
/// bid is assessed on. A decision once recorded changes only through a correction with a
/// reason; after the perceel's prices are visible a correction may exclude a bid, never admit
/// one that was not scored.
pub fn decide(
    conn: &mut DbConn,
    a: &Assessed,
    list: &[DecisionInput],
    correction: Option<&str>,
    by: &User,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let (tender_id, bid_id, proposals) = (a.tender_id, a.bid_id, a.proposals);
    let mut p = Problems::default();
    for (i, d) in list.iter().enumerate() {
        if list[..i].iter().any(|earlier| earlier.subject == d.subject) {
            p.add(format!("decisions[{i}].subject"), "Over deze eis staat al eerder een oordeel in de lijst.");
        }
        if !proposals.iter().any(|pr| pr.subject == d.subject) {
            p.add(
                format!("decisions[{i}].subject"),
                format!("'{}' wordt bij deze inschrijving niet beoordeeld.", d.subject.0),
            );
        }
        if d.motivation.trim().chars().count() < 3 {
            p.add(format!("decisions[{i}].motivation"), "Motiveer het oordeel.");
        }
    }
    super::evaluation::touch(conn, a.lot_id)?;
    let before = of_bid(conn, bid_id)?;
    let changes_recorded = list.iter().any(|d| {
        before.iter().any(|b| b.subject == d.subject && (b.passes != d.passes || b.motivation != d.motivation.trim()))
    });
    let reason = if changes_recorded {
        match evaluation_correction::reason(correction, "Het oordeel over de geschiktheid") {
            Ok(r) => Some(r),
            Err(Error::Validation(found)) => {
                p.0.extend(found);
                None
            }
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    p.into_result(())?;
    for d in list {
        // A decision sent again unchanged stays as it was recorded, by whom and when.
        if before.iter().any(|b| b.subject == d.subject && b.passes == d.passes && b.motivation == d.motivation.trim())
        {
            continue;
        }
        diesel::delete(suitability_decisions::table.find((bid_id, &d.subject.0))).execute(conn)?;
        diesel::insert_into(suitability_decisions::table)
            .values((
                suitability_decisions::bid_id.eq(bid_id),
                suitability_decisions::subject.eq(&d.subject.0),
                suitability_decisions::passes.eq(d.passes),
                suitability_decisions::motivation.eq(d.motivation.trim()),
                suitability_decisions::decided_by.eq(by.id),
                suitability_decisions::decided_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
    }
    let after = of_bid(conn, bid_id)?;
    if super::consensus::revealed(conn, a.lot_id)?.is_some()
        && standing(proposals, &after) == Standing::Admitted
        && standing(proposals, &before) != Standing::Admitted
    {
        return Err(Error::Conflict(
            "De prijzen van dit perceel zijn al zichtbaar: een inschrijving die niet is beoordeeld, kan niet meer worden toegelaten."
                .into(),
        ));
    }
    if let Some(reason) = &reason {
        let c = NewCorrection {
            tender_id,
            lot_id: a.lot_id,
            bid_id,
            kind: Kind::Suitability,
            reason,
            before: &before,
            after: &after,
        };
        return evaluation_correction::record(conn, &c, by, now);
    }
    let change = Change {
        tender_id: Some(tender_id),
        action: "bid.suitability_decided",
        subject: format!("geschiktheid inschrijving {bid_id}"),
        before: audit::json(&before),
        after: audit::json(&after),
    };
    // The decisions name what bidders submitted: they stay in the vault's chain.
    audit::record_sealed(conn, &by.actor(), tender_id, change)
}
