//! Gunningsbeslissing (award decision) storage: the voornemen tot gunning of a perceel from
//! proposal to definitive award, with its letters. The steps' rules are the domain's
//! ([`crate::domain::award`]); here every step is written with a guard on the status it was
//! decided on, so two people pressing at once cannot both succeed.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Change};
use super::award_letter::{self, Outgoing};
use super::objection::{self, Objection};
use super::schema::{award_decisions, users};
use super::user::User;
use crate::domain::award::{AwardDecision, AwardStatus};
use crate::domain::standstill::StandstillPeriod;
use crate::errors::{Error, Problems};

/// The shortest Alcatel-termijn the law allows without a recorded reason.
pub const STANDSTILL_DAYS: i32 = 20;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Decision {
    pub id: i64,
    pub tender_id: i64,
    pub lot_id: i64,
    #[schema(value_type = String)]
    pub status: AwardStatus,
    pub status_label: &'static str,
    /// The winning bids, best first; empty when the perceel is not awarded.
    pub winner_bid_ids: Vec<i64>,
    pub not_awarded_reason: String,
    pub standstill_days: i32,
    pub standstill_reason: String,
    pub proposed_by_id: i64,
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// Last day of the standstill ("maandag 1 februari 2027"), once the letters went.
    pub standstill_last_day: Option<String>,
    pub standstill_ends_at: Option<DateTime<Utc>>,
    pub standstill_moved_past: Option<String>,
    pub definitive_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_reason: String,
    pub objections: Vec<Objection>,
}

impl Decision {
    /// The facts the domain decides the next step on.
    pub fn domain(&self) -> AwardDecision {
        AwardDecision {
            status: self.status,
            proposed_by: self.proposed_by_id,
            standstill: self.standstill(),
            suspension: self.objections.iter().find(|o| o.suspends()).map(|o| o.suspension()),
        }
    }

    pub fn standstill(&self) -> Option<StandstillPeriod> {
        self.sent_at.and_then(|at| StandstillPeriod::starting(at, self.standstill_days).ok())
    }

    /// Still deciding: not withdrawn and not yet definitive.
    pub fn is_open(&self) -> bool {
        !matches!(self.status, AwardStatus::Withdrawn | AwardStatus::Definitive)
    }
}

type Row = (
    (i64, i64, i64, String, String, String, i32, String),
    (i64, String, NaiveDateTime, Option<String>, Option<NaiveDateTime>, Option<NaiveDateTime>),
    (Option<NaiveDateTime>, Option<NaiveDateTime>, String),
);

/// Every decision of a perceel, the first first, with their objections.
pub fn of_lot(conn: &mut DbConn, lot_id: i64) -> Result<Vec<Decision>, Error> {
    let (proposer, approver) = diesel::alias!(users as proposer, users as approver);
    let rows: Vec<Row> = award_decisions::table
        .inner_join(proposer.on(proposer.field(users::id).eq(award_decisions::proposed_by)))
        .left_join(approver.on(approver.field(users::id).nullable().eq(award_decisions::approved_by)))
        .filter(award_decisions::lot_id.eq(lot_id))
        .order(award_decisions::id)
        .select((
            (
                award_decisions::id,
                award_decisions::tender_id,
                award_decisions::lot_id,
                award_decisions::status,
                award_decisions::winner_bid_ids,
                award_decisions::not_awarded_reason,
                award_decisions::standstill_days,
                award_decisions::standstill_reason,
            ),
            (
                award_decisions::proposed_by,
                proposer.field(users::name),
                award_decisions::proposed_at,
                approver.field(users::name).nullable(),
                award_decisions::approved_at,
                award_decisions::sent_at,
            ),
            (award_decisions::definitive_at, award_decisions::withdrawn_at, award_decisions::withdrawn_reason),
        ))
        .load(conn)?;
    let mut objections = objection::of_lot(conn, lot_id)?;
    rows.into_iter()
        .map(
            |((id, tender_id, lot_id, status, winners, not_awarded, days, reason), p, (definitive, withdrawn, why))| {
                let (proposed_by_id, proposed_by, proposed_at, approved_by, approved_at, sent_at) = p;
                let status = AwardStatus::from_code(&status).ok_or_else(|| {
                    Error::Internal(format!("onbekende status van gunningsbeslissing {id}: {status}"))
                })?;
                let mut d = Decision {
                    id,
                    tender_id,
                    lot_id,
                    status,
                    status_label: status.label(),
                    winner_bid_ids: serde_json::from_str(&winners).map_err(|e| Error::Internal(e.to_string()))?,
                    not_awarded_reason: not_awarded,
                    standstill_days: days,
                    standstill_reason: reason,
                    proposed_by_id,
                    proposed_by,
                    proposed_at: proposed_at.and_utc(),
                    approved_by,
                    approved_at: approved_at.map(|t| t.and_utc()),
                    sent_at: sent_at.map(|t| t.and_utc()),
                    standstill_last_day: None,
                    standstill_ends_at: None,
                    standstill_moved_past: None,
                    definitive_at: definitive.map(|t| t.and_utc()),
                    withdrawn_at: withdrawn.map(|t| t.and_utc()),
                    withdrawn_reason: why,
                    objections: Vec::new(),
                };
                d.objections = objections.extract_if(.., |o| o.decision_id == id).collect();
                if let Some(p) = d.standstill() {
                    d.standstill_last_day = Some(crate::domain::deadline::format_date_nl(p.last_day));
                    d.standstill_ends_at = Some(p.ends_at);
                    d.standstill_moved_past = p.moved_past;
                }
                Ok(d)
            },
        )
        .collect()
}

/// The tender and perceel of a decision.
pub fn place_of(conn: &mut DbConn, id: i64) -> Result<(i64, i64), Error> {
    award_decisions::table
        .find(id)
        .select((award_decisions::tender_id, award_decisions::lot_id))
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound("Gunningsbeslissing"))
}

pub fn find(conn: &mut DbConn, lot_id: i64, id: i64) -> Result<Decision, Error> {
    of_lot(conn, lot_id)?.into_iter().find(|d| d.id == id).ok_or(Error::NotFound("Gunningsbeslissing"))
}

/// What an inkoper proposes: the winners from the ranking, or none with the reason.
pub struct Proposal<'a> {
    pub tender_id: i64,
    pub lot_id: i64,
    pub winner_bid_ids: &'a [i64],
    pub not_awarded_reason: &'a str,
    pub standstill_days: i32,
    pub standstill_reason: &'a str,
}

/// Records a voornemen tot gunning; an open decision of the perceel must be withdrawn first.
pub fn propose(conn: &mut DbConn, p: &Proposal, by: &User, now: DateTime<Utc>) -> Result<i64, Error> {
    let mut problems = Problems::default();
    if p.standstill_days < 1 {
        problems.add("standstill_days", "De Alcatel-termijn is ten minste 1 kalenderdag.");
    } else if p.standstill_days < STANDSTILL_DAYS && p.standstill_reason.trim().chars().count() < 10 {
        problems.add(
            "standstill_reason",
            "Een Alcatel-termijn korter dan 20 kalenderdagen vraagt een vastgelegde reden (art. 2.127 Aw).",
        );
    }
    if p.winner_bid_ids.is_empty() && p.not_awarded_reason.trim().chars().count() < 10 {
        problems.add("not_awarded_reason", "Geef aan waarom dit perceel niet gegund wordt.");
    }
    problems.into_result(())?;
    let existing = of_lot(conn, p.lot_id)?;
    if let Some(d) = existing.iter().find(|d| d.status == AwardStatus::Definitive) {
        return Err(Error::Conflict(format!("Dit perceel is al definitief gegund (beslissing {}).", d.id)));
    }
    if let Some(d) = existing.iter().find(|d| d.is_open()) {
        return Err(Error::Conflict(format!(
            "Beslissing {} is {}. Trek die eerst in met een reden; een nieuwe beslissing start een nieuwe Alcatel-termijn.",
            d.id,
            d.status.label()
        )));
    }
    let winners = serde_json::to_string(p.winner_bid_ids).map_err(|e| Error::Internal(e.to_string()))?;
    let id: i64 = diesel::insert_into(award_decisions::table)
        .values((
            award_decisions::tender_id.eq(p.tender_id),
            award_decisions::lot_id.eq(p.lot_id),
            award_decisions::status.eq(AwardStatus::Proposed.code()),
            award_decisions::winner_bid_ids.eq(&winners),
            award_decisions::not_awarded_reason.eq(p.not_awarded_reason.trim()),
            award_decisions::standstill_days.eq(p.standstill_days),
            award_decisions::standstill_reason.eq(p.standstill_reason.trim()),
            award_decisions::proposed_by.eq(by.id),
            award_decisions::proposed_at.eq(now.naive_utc()),
        ))
        .returning(award_decisions::id)
        .get_result(conn)?;
    let after = json!({ "winners": p.winner_bid_ids, "standstill_days": p.standstill_days,
        "standstill_reason": p.standstill_reason.trim(), "not_awarded_reason": p.not_awarded_reason.trim() });
    record(conn, by, p.tender_id, "award.proposed", format!("voornemen {id} perceel {}", p.lot_id), after)?;
    Ok(id)
}

/// A second person approves.
pub fn approve(conn: &mut DbConn, d: &Decision, by: &User, now: DateTime<Utc>) -> Result<(), Error> {
    d.domain().approve(by.id).map_err(|e| Error::Conflict(e.to_string()))?;
    step(conn, d, AwardStatus::Approved)?;
    diesel::update(award_decisions::table.find(d.id))
        .set((award_decisions::approved_by.eq(by.id), award_decisions::approved_at.eq(now.naive_utc())))
        .execute(conn)?;
    record(conn, by, d.tender_id, "award.approved", format!("voornemen {} goedgekeurd", d.id), json!({}))
}

/// The letters of the voornemen go out; the Alcatel-termijn starts at `now`.
pub fn send(
    conn: &mut DbConn,
    d: &Decision,
    letters: &[Outgoing],
    by: &User,
    now: DateTime<Utc>,
    url: &str,
) -> Result<(), Error> {
    d.domain().send().map_err(|e| Error::Conflict(e.to_string()))?;
    step(conn, d, AwardStatus::Sent)?;
    let n = tell(conn, d, AwardStatus::Sent, letters, now, url)?;
    record(
        conn,
        by,
        d.tender_id,
        "award.sent",
        format!("voornemen {}: {n} brieven verzonden", d.id),
        json!({ "letters": n }),
    )
}

/// The definitive award, told to every bidder.
pub fn make_definitive(
    conn: &mut DbConn,
    d: &Decision,
    letters: &[Outgoing],
    by: &User,
    now: DateTime<Utc>,
    url: &str,
) -> Result<(), Error> {
    d.domain().make_definitive(now).map_err(|e| Error::Conflict(e.to_string()))?;
    step(conn, d, AwardStatus::Definitive)?;
    // The step holds the decision's row: an objection lodged meanwhile has committed by now, and
    // a kort geding among them still stops the award.
    if let Some(o) = objection::of_lot(conn, d.lot_id)?.iter().find(|o| o.decision_id == d.id && o.suspends()) {
        return Err(Error::Conflict(crate::domain::award::AwardRefusal::Suspended(o.suspension()).to_string()));
    }
    let n = tell(conn, d, AwardStatus::Definitive, letters, now, url)?;
    record(
        conn,
        by,
        d.tender_id,
        "award.definitive",
        format!("beslissing {} definitief: {n} brieven", d.id),
        json!({ "letters": n }),
    )
}

/// A step every bidder is told of, once the status has moved: its moment is set and the letters
/// go (`award_intent` for the voornemen, `award_definitive` for the definitive award).
fn tell(
    conn: &mut DbConn,
    d: &Decision,
    to: AwardStatus,
    letters: &[Outgoing],
    now: DateTime<Utc>,
    url: &str,
) -> Result<usize, Error> {
    let (at, target) = (now.naive_utc(), award_decisions::table.find(d.id));
    let kind = match to {
        AwardStatus::Sent => {
            diesel::update(target).set(award_decisions::sent_at.eq(at)).execute(conn)?;
            "award_intent"
        }
        _ => {
            diesel::update(target).set(award_decisions::definitive_at.eq(at)).execute(conn)?;
            "award_definitive"
        }
    };
    award_letter::send(conn, d, kind, letters, now, url)
}

/// Withdraws an open decision, so that a new one can be made.
pub fn withdraw(conn: &mut DbConn, d: &Decision, reason: &str, by: &User, now: DateTime<Utc>) -> Result<(), Error> {
    d.domain().withdraw().map_err(|e| Error::Conflict(e.to_string()))?;
    if reason.trim().chars().count() < 10 {
        return Err(Error::invalid("reason", "Geef aan waarom deze beslissing wordt ingetrokken."));
    }
    let set = (award_decisions::withdrawn_at.eq(now.naive_utc()), award_decisions::withdrawn_reason.eq(reason.trim()));
    step(conn, d, AwardStatus::Withdrawn)?;
    diesel::update(award_decisions::table.find(d.id)).set(set).execute(conn)?;
    record(
        conn,
        by,
        d.tender_id,
        "award.withdrawn",
        format!("beslissing {} ingetrokken", d.id),
        json!({ "reason": reason.trim() }),
    )
}

/// Moves the decision to `to`, but only from the status it was read with; the step's other
/// columns are set after, in the same transaction.
fn step(conn: &mut DbConn, d: &Decision, to: AwardStatus) -> Result<(), Error> {
    let n = diesel::update(award_decisions::table.find(d.id))
        .filter(award_decisions::status.eq(d.status.code()))
        .set(award_decisions::status.eq(to.code()))
        .execute(conn)?;
    if n == 0 {
        return Err(Error::Conflict(
            "Deze beslissing is intussen door iemand anders gewijzigd. Laad de pagina opnieuw.".into(),
        ));
    }
    Ok(())
}

fn record(
    conn: &mut DbConn,
    by: &User,
    tender_id: i64,
    action: &str,
    subject: String,
    after: serde_json::Value,
) -> Result<(), Error> {
    let change = Change { tender_id: Some(tender_id), action, subject, before: None, after: Some(after) };
    audit::record_sealed(conn, &by.actor(), tender_id, change)
}
