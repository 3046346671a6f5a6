//! Bekendmaking (announcement): every recorded correction of a published set-up is made known
//! to the interested aanbieders in the transaction that records it. A correction that only
//! moves deadlines is a deadline change; any other asks submitted bids to be confirmed again.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};

use super::audit::{self, Actor, Change};
use super::schema::tenders;
use super::{DbConn, bid, correction, interest};
use crate::domain::bid::in_time;
use crate::domain::correction::{Moved, effect};
use crate::domain::deadline;
use crate::errors::Error;

fn moved(m: Option<Moved>) -> Value {
    match m {
        Some(m) => json!({ "before": deadline::format_nl(m.before), "after": deadline::format_nl(m.after) }),
        None => Value::Null,
    }
}

/// Announces the tender's corrections that are not announced yet (in a concept there are
/// none); returns how many messages were queued. Call after recording a correction, inside
/// the same transaction. After the sluitingstermijn no bid can be confirmed again, so none
/// is asked to.
pub fn announce(
    conn: &mut DbConn,
    tender_id: i64,
    actor: &Actor,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<usize, Error> {
    let pending = correction::unannounced(conn, tender_id)?;
    if pending.is_empty() {
        return Ok(0);
    }
    let (reference, title, deadline_at): (String, String, NaiveDateTime) = tenders::table
        .find(tender_id)
        .select((tenders::reference, tenders::title, tenders::submission_deadline))
        .first(conn)?;
    let open = in_time(now, deadline_at.and_utc());
    let recipients = interest::recipients(conn, tender_id)?;
    let link = format!("{public_url}/aanbestedingen/{tender_id}");
    let mut queued = 0;
    for (id, c) in pending {
        let what = format!("correctie {}", c.number);
        let e = effect(&c.before, &c.after);
        if e.other {
            if open {
                bid::require_reconfirmation(conn, tender_id, actor, what.clone())?;
            }
            // Whether anyone submitted is not said: bidders do not learn of each other's bids.
            let data = json!({
                "tender": title, "reference": reference, "number": c.number, "subject": c.subject,
                "reason": c.reason, "at": deadline::format_nl(c.created_at), "reconfirm": open,
                "link": format!("{link}#correcties"),
            });
            queued += interest::tell(conn, tender_id, &recipients, "correction", &data, public_url)?;
        }
        if e.moves_deadlines() {
            let data = json!({
                "tender": title, "reference": reference, "number": c.number, "reason": c.reason,
                "submission": moved(e.submission_deadline), "question": moved(e.question_deadline), "link": link,
            });
            queued += interest::tell(conn, tender_id, &recipients, "deadline_changed", &data, public_url)?;
        }
        correction::mark_announced(conn, id)?;
        let change = Change {
            tender_id: Some(tender_id),
            action: "correction.announced",
            subject: format!("{what} bekendgemaakt aan de geïnteresseerde aanbieders"),
            before: None,
            after: None,
        };
        audit::record(conn, actor, change)?;
    }
    Ok(queued)
}
