//! Uitgaande post (outbox) storage: messages stored with their event, delivered afterwards.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::schema::outbox;
use super::{DbConn, PageRequest};
use crate::errors::Error;

/// A rendered message, ready to store.
pub struct Outgoing {
    pub tender_id: Option<i64>,
    pub user_id: Option<i64>,
    pub recipient: String,
    pub kind: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

pub fn insert(conn: &mut DbConn, m: &Outgoing, now: NaiveDateTime) -> Result<(), Error> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::tender_id.eq(m.tender_id),
            outbox::user_id.eq(m.user_id),
            outbox::recipient.eq(&m.recipient),
            outbox::kind.eq(&m.kind),
            outbox::subject.eq(&m.subject),
            outbox::text_body.eq(&m.text_body),
            outbox::html_body.eq(&m.html_body),
            outbox::created_at.eq(now),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether any message waits for delivery now.
pub fn any_due(conn: &mut DbConn, now: NaiveDateTime) -> Result<bool, Error> {
    let n: i64 = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::next_attempt_at.le(now))
        .filter(outbox::claimed_until.is_null().or(outbox::claimed_until.lt(now)))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A message a worker has claimed for delivery.
pub struct Claimed {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

/// Claims up to `limit` due messages for `hold`: another worker (another instance) skips them
/// meanwhile, and takes them over when this one dies before marking them.
pub fn claim_due(conn: &mut DbConn, now: NaiveDateTime, limit: i64, hold: Duration) -> Result<Vec<Claimed>, Error> {
    let due: Vec<i64> = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::next_attempt_at.le(now))
        .filter(outbox::claimed_until.is_null().or(outbox::claimed_until.lt(now)))
        .order(outbox::id)
        .limit(limit)
        .select(outbox::id)
        .load(conn)?;
    let mut claimed = Vec::new();
    for id in due {
        let won = diesel::update(outbox::table.find(id))
            .filter(outbox::claimed_until.is_null().or(outbox::claimed_until.lt(now)))
            .set(outbox::claimed_until.eq(now + hold))
            .execute(conn)?
            == 1;
        if won {
            let (recipient, subject, text_body, html_body) = outbox::table
                .find(id)
                .select((outbox::recipient, outbox::subject, outbox::text_body, outbox::html_body))
                .first(conn)?;
            claimed.push(Claimed { id, recipient, subject, text_body, html_body });
        }
    }
    Ok(claimed)
}

pub fn mark_sent(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> Result<(), Error> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::sent_at.eq(now),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Delivery failed: try again later, waiting twice as long each time, at most an hour.
pub fn mark_failed(conn: &mut DbConn, id: i64, now: NaiveDateTime, error: &str) -> Result<(), Error> {
    let attempts: i32 = outbox::table.find(id).select(outbox::attempts).first(conn)?;
    let wait = Duration::minutes((1_i64 << attempts.clamp(0, 6)).min(60));
    diesel::update(outbox::table.find(id))
        .set((
            outbox::attempts.eq(attempts + 1),
            outbox::next_attempt_at.eq(now + wait),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::last_error.eq(error.chars().take(500).collect::<String>()),
        ))
        .execute(conn)?;
    Ok(())
}

/// One message as shown in the tender file or to its recipient.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Message {
    pub id: i64,
    pub recipient: String,
    pub kind: String,
    pub subject: String,
    pub text_body: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    pub last_error: String,
}

type Row = (i64, String, String, String, String, NaiveDateTime, Option<NaiveDateTime>, i32, String);

fn to_message(r: Row) -> Message {
    let (id, recipient, kind, subject, text_body, created_at, sent_at, attempts, last_error) = r;
    Message {
        id,
        recipient,
        kind,
        subject,
        text_body,
        created_at: created_at.and_utc(),
        sent_at: sent_at.map(|t| t.and_utc()),
        attempts,
        last_error,
    }
}

/// Whose messages a list shows.
#[derive(Clone, Copy, Debug)]
pub enum About {
    /// A tender's file; messages that name a bidder only once the vault is open.
    Tender {
        id: i64,
        opened: bool,
    },
    User(i64),
}

/// Messages that name a bidder, kept out of the tender file until the opening. A reminder goes
/// only to those without a submitted bid, so its recipients tell who has submitted.
pub const SEALED_KINDS: [&str; 2] = ["receipt", "reminder"];

pub fn page(conn: &mut DbConn, about: About, page: PageRequest) -> Result<(Vec<Message>, i64), Error> {
    let filtered = || {
        let q = outbox::table.into_boxed();
        match about {
            About::Tender { id, opened: true } => q.filter(outbox::tender_id.eq(id)),
            About::Tender { id, opened: false } => {
                q.filter(outbox::tender_id.eq(id)).filter(outbox::kind.ne_all(SEALED_KINDS))
            }
            About::User(id) => q.filter(outbox::user_id.eq(id)),
        }
    };
    let total = filtered().count().get_result(conn)?;
    let rows: Vec<Row> = filtered()
        .order(outbox::id.desc())
        .limit(page.per_page)
        .offset(page.offset())
        .select((
            outbox::id,
            outbox::recipient,
            outbox::kind,
            outbox::subject,
            outbox::text_body,
            outbox::created_at,
            outbox::sent_at,
            outbox::attempts,
            outbox::last_error,
        ))
        .load(conn)?;
    Ok((rows.into_iter().map(to_message).collect(), total))
}

/// A page of a tender's file: messages that name a bidder appear once the vault is open.
pub fn page_of_tender(conn: &mut DbConn, tender_id: i64, request: PageRequest) -> Result<(Vec<Message>, i64), Error> {
    let opened = super::opening::is_opened(conn, tender_id)?;
    page(conn, About::Tender { id: tender_id, opened }, request)
}
