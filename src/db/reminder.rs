//! Herinnering (reminder) storage: 48 hours and 4 hours before the sluitingstermijn, the
//! interested aanbieders without a submitted bid are reminded, once per deadline value.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use super::audit::{self, Actor, Change};
use super::schema::{tender_reminders, tenders};
use super::{DbConn, interest, tender};
use crate::domain::deadline;
use crate::domain::reminder::{ReminderKind, due};
use crate::domain::tender::TenderStatus;
use crate::errors::Error;

/// A reminder due now: the tender, which one, and the deadline it is for.
pub type Due = (i64, ReminderKind, DateTime<Utc>);

fn sent(conn: &mut DbConn, tender_id: i64, kind: ReminderKind, at: NaiveDateTime) -> Result<bool, Error> {
    let n: i64 = tender_reminders::table
        .filter(tender_reminders::tender_id.eq(tender_id))
        .filter(tender_reminders::kind.eq(kind.as_str()))
        .filter(tender_reminders::deadline.eq(at))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// The reminders due at `now` and not sent yet for the current deadline of their tender.
pub fn due_now(conn: &mut DbConn, now: DateTime<Utc>) -> Result<Vec<Due>, Error> {
    let lead = Duration::hours(ReminderKind::ALL.iter().map(|k| k.hours()).max().unwrap_or(0));
    let soon: Vec<(i64, NaiveDateTime)> = tenders::table
        .filter(tenders::status.eq(TenderStatus::Published.as_str()))
        .filter(tenders::submission_deadline.gt(now.naive_utc()))
        .filter(tenders::submission_deadline.le((now + lead).naive_utc()))
        .select((tenders::id, tenders::submission_deadline))
        .load(conn)?;
    let mut list = Vec::new();
    for (id, at) in soon {
        if let Some(kind) = due(now, at.and_utc())
            && !sent(conn, id, kind, at)?
        {
            list.push((id, kind, at.and_utc()));
        }
    }
    Ok(list)
}

/// Queues the reminders due at `now` (the service's clock); returns how many messages were
/// queued. Each reminder goes once per deadline value: a moved deadline gets its own.
pub fn queue_due_reminders(conn: &mut DbConn, now: DateTime<Utc>, public_url: &str) -> Result<usize, Error> {
    let mut queued = 0;
    for (tender_id, kind, at) in due_now(conn, now)? {
        // Under the tender's lock another instance doing the same waits, then finds it sent.
        tender::lock(conn, tender_id)?;
        let current = tender::deadlines(conn, tender_id)?.map(|(_, s)| s);
        if current != Some(at) || sent(conn, tender_id, kind, at.naive_utc())? {
            continue;
        }
        diesel::insert_into(tender_reminders::table)
            .values((
                tender_reminders::tender_id.eq(tender_id),
                tender_reminders::kind.eq(kind.as_str()),
                tender_reminders::deadline.eq(at.naive_utc()),
                tender_reminders::sent_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        let (reference, title): (String, String) =
            tenders::table.find(tender_id).select((tenders::reference, tenders::title)).first(conn)?;
        let data = json!({
            "tender": title, "reference": reference, "lead": kind.label(), "deadline": deadline::format_nl(at),
            "link": format!("{public_url}/aanbestedingen/{tender_id}"),
        });
        let recipients = interest::recipients_without_submission(conn, tender_id)?;
        queued += interest::tell(conn, tender_id, &recipients, "reminder", &data, public_url)?;
        let change = Change {
            tender_id: Some(tender_id),
            action: "reminder.sent",
            subject: format!("herinnering {} voor de sluitingstermijn {}", kind.label(), deadline::format_nl(at)),
            before: None,
            after: None,
        };
        audit::record(conn, &Actor::system("herinneringen"), change)?;
    }
    Ok(queued)
}
