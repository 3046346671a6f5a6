//! Correctie op de beoordeling (evaluation correction): what was locked — an assessor's scores,
//! a final consensus, a suitability decision — changes only through one of these: who, when,
//! why, and the records before and after. Kept for good (database triggers refuse changes) and
//! written to the vault's audit chain in the same transaction.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Change};
use super::schema::{evaluation_corrections, users};
use super::user::User;
use crate::errors::Error;

/// Shortest reason accepted: a correction must say why.
const MIN_REASON: usize = 10;

/// What was corrected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An assessor's locked scores of a bid.
    Scores,
    /// The committee's consensus of a bid after it became final.
    Consensus,
    /// A suitability decision of a bid.
    Suitability,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Scores => "scores",
            Kind::Consensus => "consensus",
            Kind::Suitability => "suitability",
        }
    }

    fn parse(s: &str) -> Kind {
        match s {
            "scores" => Kind::Scores,
            "consensus" => Kind::Consensus,
            _ => Kind::Suitability,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Scores => "individuele scores",
            Kind::Consensus => "consensusscore",
            Kind::Suitability => "geschiktheid",
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Correction {
    pub id: i64,
    pub bid_id: i64,
    pub kind: Kind,
    pub reason: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
    pub corrected_by: String,
    pub corrected_at: DateTime<Utc>,
}

/// One correction to record.
pub struct NewCorrection<'a, B: Serialize, A: Serialize> {
    pub tender_id: i64,
    pub lot_id: i64,
    pub bid_id: i64,
    pub kind: Kind,
    pub reason: &'a str,
    pub before: &'a B,
    pub after: &'a A,
}

/// The reason of a correction, checked: a change to something locked needs one.
pub fn reason(given: Option<&str>, what: &str) -> Result<String, Error> {
    let r = given.map(str::trim).unwrap_or_default();
    if r.chars().count() < MIN_REASON {
        return Err(Error::invalid(
            "correction_reason",
            format!(
                "{what} is vastgelegd; wijzigen kan alleen met een correctie. Motiveer de correctie (minstens {MIN_REASON} tekens)."
            ),
        ));
    }
    Ok(r.to_owned())
}

pub fn record<B: Serialize, A: Serialize>(
    conn: &mut DbConn,
    c: &NewCorrection<B, A>,
    by: &User,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let text = |v: serde_json::Result<String>| v.map_err(|e| Error::Internal(e.to_string()));
    let (before, after) = (text(serde_json::to_string(c.before))?, text(serde_json::to_string(c.after))?);
    diesel::insert_into(evaluation_corrections::table)
        .values((
            evaluation_corrections::tender_id.eq(c.tender_id),
            evaluation_corrections::lot_id.eq(c.lot_id),
            evaluation_corrections::bid_id.eq(c.bid_id),
            evaluation_corrections::kind.eq(c.kind.as_str()),
            evaluation_corrections::reason.eq(c.reason),
            evaluation_corrections::before_json.eq(&before),
            evaluation_corrections::after_json.eq(&after),
            evaluation_corrections::corrected_by.eq(by.id),
            evaluation_corrections::corrected_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    let change = Change {
        tender_id: Some(c.tender_id),
        action: match c.kind {
            Kind::Scores => "scores.corrected",
            Kind::Consensus => "consensus.corrected",
            Kind::Suitability => "bid.suitability_corrected",
        },
        subject: format!("correctie {} inschrijving {}: {}", c.kind.label(), c.bid_id, c.reason),
        before: audit::json(c.before),
        after: audit::json(c.after),
    };
    audit::record_sealed(conn, &by.actor(), c.tender_id, change)
}

/// Every correction of a perceel, oldest first.
pub fn of_lot(conn: &mut DbConn, lot_id: i64) -> Result<Vec<Correction>, Error> {
    type Row = (i64, i64, String, String, String, String, String, NaiveDateTime);
    let rows: Vec<Row> = evaluation_corrections::table
        .inner_join(users::table.on(users::id.eq(evaluation_corrections::corrected_by)))
        .filter(evaluation_corrections::lot_id.eq(lot_id))
        .order(evaluation_corrections::id)
        .select((
            evaluation_corrections::id,
            evaluation_corrections::bid_id,
            evaluation_corrections::kind,
            evaluation_corrections::reason,
            evaluation_corrections::before_json,
            evaluation_corrections::after_json,
            users::name,
            evaluation_corrections::corrected_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, bid_id, kind, reason, before, after, by, at)| Correction {
            id,
            bid_id,
            kind: Kind::parse(&kind),
            reason,
            before: serde_json::from_str(&before).unwrap_or_default(),
            after: serde_json::from_str(&after).unwrap_or_default(),
            corrected_by: by,
            corrected_at: at.and_utc(),
        })
        .collect())
}
