//! Bezwaar (objection) storage: objections against a voornemen tot gunning during the
//! Alcatel-termijn, lodged by a bidder through the portal or recorded by the inkoper. One marked
//! kort geding suspends the award until it is lifted with a reason.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Change};
use super::award::Decision;
use super::schema::{award_decisions, objections, users};
use super::user::User;
use crate::domain::award::AwardStatus;
use crate::errors::Error;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Objection {
    pub id: i64,
    pub decision_id: i64,
    /// The objecting bid; none when the inkoper recorded one from elsewhere.
    pub bid_id: Option<i64>,
    pub body: String,
    pub kort_geding: bool,
    pub lodged_by: String,
    pub lodged_at: DateTime<Utc>,
    pub lifted_at: Option<DateTime<Utc>>,
    pub lifted_reason: String,
}

impl Objection {
    /// A kort geding not yet lifted holds the award.
    pub fn suspends(&self) -> bool {
        self.kort_geding && self.lifted_at.is_none()
    }

    /// The suspension as the refusal names it.
    pub fn suspension(&self) -> String {
        format!("kort geding (bezwaar {}, ingediend {})", self.id, crate::domain::deadline::format_nl(self.lodged_at))
    }
}

type Row = (i64, i64, Option<i64>, String, bool, String, NaiveDateTime, Option<NaiveDateTime>, String);

/// The objections against every decision of a perceel, the first first.
pub fn of_lot(conn: &mut DbConn, lot_id: i64) -> Result<Vec<Objection>, Error> {
    let rows: Vec<Row> = objections::table
        .inner_join(award_decisions::table.on(award_decisions::id.eq(objections::decision_id)))
        .inner_join(users::table.on(users::id.eq(objections::lodged_by)))
        .filter(award_decisions::lot_id.eq(lot_id))
        .order(objections::id)
        .select((
            objections::id,
            objections::decision_id,
            objections::bid_id,
            objections::body,
            objections::kort_geding,
            users::name,
            objections::lodged_at,
            objections::lifted_at,
            objections::lifted_reason,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, decision_id, bid_id, body, kort_geding, by, at, lifted, why)| Objection {
            id,
            decision_id,
            bid_id,
            body,
            kort_geding,
            lodged_by: by,
            lodged_at: at.and_utc(),
            lifted_at: lifted.map(|t| t.and_utc()),
            lifted_reason: why,
        })
        .collect())
}

/// Lodges an objection against a decision whose letters went out and that is not yet definitive.
pub fn lodge(
    conn: &mut DbConn,
    d: &Decision,
    bid_id: Option<i64>,
    body: &str,
    kort_geding: bool,
    by: &User,
    now: DateTime<Utc>,
) -> Result<i64, Error> {
    if d.status != AwardStatus::Sent {
        return Err(Error::Conflict(format!(
            "Bezwaar kan alleen tegen een verzonden voornemen dat nog niet definitief is; deze beslissing is {}.",
            d.status.label()
        )));
    }
    if body.trim().chars().count() < 10 {
        return Err(Error::invalid("body", "Beschrijf het bezwaar (ten minste 10 tekens)."));
    }
    // Holds the decision's row, so a definitive award decided at this moment waits for this
    // objection and sees it; and checks the status as the database has it now.
    let open = diesel::update(award_decisions::table.find(d.id))
        .filter(award_decisions::status.eq(AwardStatus::Sent.code()))
        .set(award_decisions::status.eq(AwardStatus::Sent.code()))
        .execute(conn)?;
    if open == 0 {
        return Err(Error::Conflict(
            "Deze beslissing is intussen definitief of ingetrokken; bezwaar is niet meer mogelijk.".into(),
        ));
    }
    let id: i64 = diesel::insert_into(objections::table)
        .values((
            objections::decision_id.eq(d.id),
            objections::bid_id.eq(bid_id),
            objections::body.eq(body.trim()),
            objections::kort_geding.eq(kort_geding),
            objections::lodged_by.eq(by.id),
            objections::lodged_at.eq(now.naive_utc()),
        ))
        .returning(objections::id)
        .get_result(conn)?;
    let change = Change {
        tender_id: Some(d.tender_id),
        action: "award.objection",
        subject: format!("bezwaar {id} tegen beslissing {}", d.id),
        before: None,
        after: audit::json(&json!({ "bid": bid_id, "kort_geding": kort_geding })),
    };
    audit::record_sealed(conn, &by.actor(), d.tender_id, change)?;
    Ok(id)
}

/// Lifts the suspension of a kort geding, with its reason (the judgment, a withdrawal).
pub fn lift(
    conn: &mut DbConn,
    d: &Decision,
    id: i64,
    reason: &str,
    by: &User,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    if !d.objections.iter().any(|o| o.id == id && o.suspends()) {
        return Err(Error::Conflict("Dit bezwaar schort de gunning niet (meer) op.".into()));
    }
    if reason.trim().chars().count() < 10 {
        return Err(Error::invalid(
            "reason",
            "Geef aan waarom de opschorting wordt opgeheven (bijvoorbeeld het vonnis).",
        ));
    }
    let n = diesel::update(objections::table.find(id))
        .filter(objections::lifted_at.is_null())
        .set((
            objections::lifted_by.eq(by.id),
            objections::lifted_at.eq(now.naive_utc()),
            objections::lifted_reason.eq(reason.trim()),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(Error::Conflict("Deze opschorting is al opgeheven.".into()));
    }
    let change = Change {
        tender_id: Some(d.tender_id),
        action: "award.suspension_lifted",
        subject: format!("opschorting door bezwaar {id} opgeheven"),
        before: None,
        after: audit::json(&json!({ "reason": reason.trim() })),
    };
    audit::record_sealed(conn, &by.actor(), d.tender_id, change)
}
