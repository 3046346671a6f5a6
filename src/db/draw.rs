//! Loting (draw) storage: a draw between bids tied after rounding — announced to the tied
//! bidders with when, where and by whom — and its outcome with who attended and witnessed.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::DbConn;
use super::audit::{self, Change};
use super::schema::draws;
use super::user::User;
use crate::domain::deadline;
use crate::errors::{Error, Problems};
use crate::mail::{self, Mail};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Draw {
    pub id: i64,
    pub lot_id: i64,
    pub bid_ids: Vec<i64>,
    pub scheduled_at: DateTime<Utc>,
    pub place: String,
    pub conducted_by: String,
    pub announced_at: DateTime<Utc>,
    pub attendees: String,
    pub witnesses: String,
    /// The tied bids in the order drawn, best first; none until the draw took place.
    pub outcome: Option<Vec<i64>>,
    pub recorded_at: Option<DateTime<Utc>>,
}

pub struct Announcement<'a> {
    pub tender_id: i64,
    pub lot_id: i64,
    pub bid_ids: &'a [i64],
    pub scheduled_at: DateTime<Utc>,
    pub place: &'a str,
    pub conducted_by: &'a str,
    /// Tender, reference, perceel and the tied total, for the invitation.
    pub about: serde_json::Value,
}

pub fn of_lot(conn: &mut DbConn, lot_id: i64) -> Result<Vec<Draw>, Error> {
    type Row = (
        i64,
        i64,
        String,
        NaiveDateTime,
        String,
        String,
        NaiveDateTime,
        String,
        String,
        Option<String>,
        Option<NaiveDateTime>,
    );
    let rows: Vec<Row> = draws::table
        .filter(draws::lot_id.eq(lot_id))
        .order(draws::id)
        .select((
            draws::id,
            draws::lot_id,
            draws::bid_ids,
            draws::scheduled_at,
            draws::place,
            draws::conducted_by,
            draws::announced_at,
            draws::attendees,
            draws::witnesses,
            draws::outcome,
            draws::recorded_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, lot_id, ids, at, place, conducted_by, announced, attendees, witnesses, outcome, recorded)| Draw {
            id,
            lot_id,
            bid_ids: serde_json::from_str(&ids).unwrap_or_default(),
            scheduled_at: at.and_utc(),
            place,
            conducted_by,
            announced_at: announced.and_utc(),
            attendees,
            witnesses,
            outcome: outcome.and_then(|o| serde_json::from_str(&o).ok()),
            recorded_at: recorded.map(|t| t.and_utc()),
        })
        .collect())
}

/// Announces a draw and invites every user of each tied bidder, in the tender's file.
pub fn announce(
    conn: &mut DbConn,
    a: &Announcement,
    by: &User,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<i64, Error> {
    let mut p = Problems::default();
    if a.scheduled_at <= now {
        p.add("scheduled_at", "De loting ligt in de toekomst, zodat de inschrijvers erbij kunnen zijn.");
    }
    if a.place.trim().chars().count() < 3 {
        p.add("place", "Geef aan waar de loting plaatsvindt.");
    }
    if a.conducted_by.trim().chars().count() < 3 {
        p.add("conducted_by", "Geef aan wie de loting verricht (bijvoorbeeld een notaris).");
    }
    p.into_result(())?;
    if of_lot(conn, a.lot_id)?.iter().any(|d| d.outcome.is_none() && d.bid_ids.iter().any(|b| a.bid_ids.contains(b))) {
        return Err(Error::Conflict("Voor deze inschrijvingen is al een loting aangekondigd.".into()));
    }
    let id: i64 = diesel::insert_into(draws::table)
        .values((
            draws::lot_id.eq(a.lot_id),
            draws::bid_ids.eq(serde_json::to_string(a.bid_ids).map_err(|e| Error::Internal(e.to_string()))?),
            draws::scheduled_at.eq(a.scheduled_at.naive_utc()),
            draws::place.eq(a.place.trim()),
            draws::conducted_by.eq(a.conducted_by.trim()),
            draws::announced_by.eq(by.id),
            draws::announced_at.eq(now.naive_utc()),
        ))
        .returning(draws::id)
        .get_result(conn)?;
    let invited = super::bid::bidders_to_mail(conn, a.bid_ids)?;
    for (uid, email, name) in &invited {
        let mut data = a.about.clone();
        if let serde_json::Value::Object(map) = &mut data {
            for (k, v) in [
                ("name", json!(name)),
                ("when", json!(deadline::format_nl(a.scheduled_at))),
                ("place", json!(a.place.trim())),
                ("conducted_by", json!(a.conducted_by.trim())),
                ("count", json!(a.bid_ids.len())),
            ] {
                map.insert(k.into(), v);
            }
        }
        mail::queue(
            conn,
            Mail { kind: "draw_invitation", to: email, user_id: Some(*uid), tender_id: Some(a.tender_id), data },
            public_url,
        )?;
    }
    let change = Change {
        tender_id: Some(a.tender_id),
        action: "draw.announced",
        subject: format!(
            "loting {id} perceel {} op {}, {}",
            a.lot_id,
            deadline::format_nl(a.scheduled_at),
            a.place.trim()
        ),
        before: None,
        after: audit::json(&json!({ "bids": a.bid_ids, "conducted_by": a.conducted_by, "invited": invited.len() })),
    };
    audit::record_sealed(conn, &by.actor(), a.tender_id, change)?;
    Ok(id)
}

/// Records how the draw went: who attended, who witnessed, and the order drawn.
#[allow(clippy::too_many_arguments)]
pub fn record(
    conn: &mut DbConn,
    tender_id: i64,
    draw_id: i64,
    attendees: &str,
    witnesses: &str,
    outcome: &[i64],
    by: &User,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let d = draws::table
        .find(draw_id)
        .select(draws::bid_ids)
        .first::<String>(conn)
        .optional()?
        .ok_or(Error::NotFound("Loting"))?;
    let tied: Vec<i64> = serde_json::from_str(&d).unwrap_or_default();
    let mut p = Problems::default();
    let (mut a, mut b) = (tied.clone(), outcome.to_vec());
    a.sort_unstable();
    b.sort_unstable();
    if a != b {
        p.add("outcome", "Noem elke gelote inschrijving precies één keer, in de getrokken volgorde.");
    }
    if witnesses.trim().chars().count() < 3 {
        p.add("witnesses", "Leg vast wie de loting hebben bijgewoond als getuige of notaris.");
    }
    p.into_result(())?;
    let n = diesel::update(draws::table.find(draw_id))
        .filter(draws::outcome.is_null())
        .set((
            draws::attendees.eq(attendees.trim()),
            draws::witnesses.eq(witnesses.trim()),
            draws::outcome.eq(serde_json::to_string(outcome).map_err(|e| Error::Internal(e.to_string()))?),
            draws::recorded_by.eq(by.id),
            draws::recorded_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(Error::Conflict("De uitslag van deze loting is al vastgelegd.".into()));
    }
    let change = Change {
        tender_id: Some(tender_id),
        action: "draw.recorded",
        subject: format!("uitslag loting {draw_id}"),
        before: None,
        after: audit::json(&json!({ "order": outcome, "attendees": attendees.trim(), "witnesses": witnesses.trim() })),
    };
    audit::record_sealed(conn, &by.actor(), tender_id, change)
}
