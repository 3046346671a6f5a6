//! Gunningsbrief (award letter) storage: every letter of a decision written at one moment, kept
//! for the bidder's portal and put in the outbox for each of the bidder's users, as one text.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::DbConn;
use super::award::Decision;
use super::schema::{award_letters, bids};
use crate::domain::award_letter::Letter;
use crate::errors::Error;
use crate::mail::{self, Envelope};

/// One letter to write: the bid it answers and its content; every user of the bidder gets it.
pub struct Outgoing {
    pub bid_id: i64,
    pub letter: Letter,
}

/// Sends every letter of the decision at one moment; refused whole when any letter is
/// incomplete. `kind` is the mail folder: `award_intent` or `award_definitive`.
pub fn send(
    conn: &mut DbConn,
    d: &Decision,
    kind: &str,
    letters: &[Outgoing],
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<usize, Error> {
    let incomplete: Vec<String> = letters
        .iter()
        .filter_map(|o| {
            let missing = o.letter.missing();
            (!missing.is_empty()).then(|| format!("de brief aan {} mist {}", o.letter.bidder, missing.join(", ")))
        })
        .collect();
    if !incomplete.is_empty() {
        return Err(Error::Conflict(format!("Geen brief verzonden: {}.", incomplete.join("; "))));
    }
    for o in letters {
        let data = serde_json::to_value(&o.letter).map_err(|e| Error::Internal(e.to_string()))?;
        let r = mail::message::render(kind, data, public_url)?;
        diesel::insert_into(award_letters::table)
            .values((
                award_letters::decision_id.eq(d.id),
                award_letters::bid_id.eq(o.bid_id),
                award_letters::kind.eq(kind),
                award_letters::subject.eq(&r.subject),
                award_letters::text_body.eq(&r.text_body),
                award_letters::html_body.eq(&r.html_body),
                award_letters::sent_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        for (uid, email, _) in &super::bid::bidders_to_mail(conn, &[o.bid_id])? {
            let e = Envelope { kind, to: email, user_id: Some(*uid), tender_id: Some(d.tender_id) };
            let copy = mail::Rendered {
                subject: r.subject.clone(),
                text_body: r.text_body.clone(),
                html_body: r.html_body.clone(),
            };
            mail::message::queue_rendered(conn, &e, copy)?;
        }
    }
    Ok(letters.len())
}

/// A letter as its bidder reads it in the portal.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StoredLetter {
    pub id: i64,
    pub decision_id: i64,
    pub bid_id: i64,
    pub kind: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub sent_at: DateTime<Utc>,
}

type LetterRow = (i64, i64, i64, String, String, String, String, NaiveDateTime);

fn letters_where(rows: Vec<LetterRow>) -> Vec<StoredLetter> {
    rows.into_iter()
        .map(|(id, decision_id, bid_id, kind, subject, text_body, html_body, at)| StoredLetter {
            id,
            decision_id,
            bid_id,
            kind,
            subject,
            text_body,
            html_body,
            sent_at: at.and_utc(),
        })
        .collect()
}

const LETTER_COLUMNS: (
    award_letters::id,
    award_letters::decision_id,
    award_letters::bid_id,
    award_letters::kind,
    award_letters::subject,
    award_letters::text_body,
    award_letters::html_body,
    award_letters::sent_at,
) = (
    award_letters::id,
    award_letters::decision_id,
    award_letters::bid_id,
    award_letters::kind,
    award_letters::subject,
    award_letters::text_body,
    award_letters::html_body,
    award_letters::sent_at,
);

/// The letters to a company's bids, the newest first.
pub fn of_company(conn: &mut DbConn, company_id: i64) -> Result<Vec<StoredLetter>, Error> {
    let rows = award_letters::table
        .inner_join(bids::table.on(bids::id.eq(award_letters::bid_id)))
        .filter(bids::company_id.eq(company_id))
        .order(award_letters::id.desc())
        .select(LETTER_COLUMNS)
        .load(conn)?;
    Ok(letters_where(rows))
}

/// Every letter of a decision, in the order written.
pub fn letters_of_decision(conn: &mut DbConn, decision_id: i64) -> Result<Vec<StoredLetter>, Error> {
    let rows = award_letters::table
        .filter(award_letters::decision_id.eq(decision_id))
        .order(award_letters::id)
        .select(LETTER_COLUMNS)
        .load(conn)?;
    Ok(letters_where(rows))
}
