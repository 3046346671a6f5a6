//! Bewijsstukken opvragen (evidence request): after the ranking, the inkoper asks a provisional
//! winner — and only a provisional winner — for the evidence behind its declarations (Keurmerk,
//! GVA, references). The request is mailed to the bidder's users and kept in the tender's file.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Change};
use super::schema::{evidence_requests, users};
use super::user::User;
use crate::domain::deadline;
use crate::errors::{Error, Problems};
use crate::mail::{self, Mail};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EvidenceRequest {
    pub id: i64,
    pub bid_id: i64,
    pub message: String,
    pub due_at: DateTime<Utc>,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
}

/// A request to record: the bid, what is asked and by when, and the mail's context.
pub struct NewRequest<'a> {
    pub tender_id: i64,
    pub lot_id: i64,
    pub bid_id: i64,
    pub message: &'a str,
    pub due_at: DateTime<Utc>,
    /// Tender, reference and perceel, for the mail.
    pub about: Value,
}

pub fn of_lot(conn: &mut DbConn, lot_id: i64) -> Result<Vec<EvidenceRequest>, Error> {
    let rows: Vec<(i64, i64, String, NaiveDateTime, String, NaiveDateTime)> = evidence_requests::table
        .inner_join(users::table.on(users::id.eq(evidence_requests::requested_by)))
        .filter(evidence_requests::lot_id.eq(lot_id))
        .order(evidence_requests::id)
        .select((
            evidence_requests::id,
            evidence_requests::bid_id,
            evidence_requests::message,
            evidence_requests::due_at,
            users::name,
            evidence_requests::requested_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, bid_id, message, due, by, at)| EvidenceRequest {
            id,
            bid_id,
            message,
            due_at: due.and_utc(),
            requested_by: by,
            requested_at: at.and_utc(),
        })
        .collect())
}

/// Records the request and mails every user of the bidder. Whether the bid is a provisional
/// winner is the caller's check: it needs the ranking.
pub fn request(
    conn: &mut DbConn,
    r: &NewRequest,
    by: &User,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<i64, Error> {
    let mut p = Problems::default();
    if r.message.trim().chars().count() < 10 {
        p.add("message", "Beschrijf welke bewijsstukken u vraagt (minstens 10 tekens).");
    }
    if r.due_at <= now {
        p.add("due_at", "De termijn voor de bewijsstukken ligt in de toekomst.");
    }
    p.into_result(())?;
    let id: i64 = diesel::insert_into(evidence_requests::table)
        .values((
            evidence_requests::lot_id.eq(r.lot_id),
            evidence_requests::bid_id.eq(r.bid_id),
            evidence_requests::message.eq(r.message.trim()),
            evidence_requests::due_at.eq(r.due_at.naive_utc()),
            evidence_requests::requested_by.eq(by.id),
            evidence_requests::requested_at.eq(now.naive_utc()),
        ))
        .returning(evidence_requests::id)
        .get_result(conn)?;
    let recipients = super::bid::bidders_to_mail(conn, &[r.bid_id])?;
    for (uid, email, name) in &recipients {
        let mut data = r.about.clone();
        if let Value::Object(map) = &mut data {
            map.insert("name".into(), json!(name));
            map.insert("message".into(), json!(r.message.trim()));
            map.insert("due".into(), json!(deadline::format_nl(r.due_at)));
        }
        let mail =
            Mail { kind: "evidence_request", to: email, user_id: Some(*uid), tender_id: Some(r.tender_id), data };
        mail::queue(conn, mail, public_url)?;
    }
    let change = Change {
        tender_id: Some(r.tender_id),
        action: "bid.evidence_requested",
        subject: format!("bewijsstukken gevraagd van inschrijving {} voor {}", r.bid_id, deadline::format_nl(r.due_at)),
        before: None,
        after: audit::json(&json!({ "message": r.message.trim(), "mailed": recipients.len() })),
    };
    audit::record_sealed(conn, &by.actor(), r.tender_id, change)?;
    Ok(id)
}
