//! Logboek (audit log) storage: appends to a chain, reads a tender's log and verifies chains.

use diesel::prelude::*;
use serde::Serialize;

use super::schema::{audit_heads, audit_log};
use super::{DbConn, PageRequest};
use crate::domain::audit::{self as rules, Break, Entry, Stored};
use crate::errors::Error;

/// Who did it: the logged-in user, or the service itself (demo data, CLI).
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn system(what: &str) -> Actor {
        Actor { user_id: None, name: format!("systeem ({what})") }
    }
}

/// One change to record: what happened to which subject, with the values before and after.
pub struct Change<'a> {
    pub tender_id: Option<i64>,
    pub action: &'a str,
    pub subject: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

pub fn json(value: &impl Serialize) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// Appends one entry to its chain. Call inside the transaction that makes the change, so
/// the change and its record commit or fail together.
pub fn record(conn: &mut DbConn, actor: &Actor, change: Change) -> Result<(), Error> {
    let chain = change.tender_id.map(rules::tender_chain).unwrap_or_else(|| rules::SYSTEM_CHAIN.to_owned());
    record_in(conn, actor, chain, change)
}

/// Records what happens inside a tender's vault (bids) in its own chain, which staff cannot
/// read before the opening: it names the bidders.
pub fn record_sealed(conn: &mut DbConn, actor: &Actor, tender_id: i64, change: Change) -> Result<(), Error> {
    record_in(conn, actor, rules::vault_chain(tender_id), change)
}

fn record_in(conn: &mut DbConn, actor: &Actor, chain: String, change: Change) -> Result<(), Error> {
    // Bumping the head first takes its row lock, so concurrent writers of one chain queue here.
    let bumped =
        diesel::update(audit_heads::table.find(&chain)).set(audit_heads::seq.eq(audit_heads::seq + 1)).execute(conn)?;
    if bumped == 0 {
        // The chain's first entry. On PostgreSQL two transactions may begin one chain at once:
        // the second insert waits for the first, then does nothing, and its bump queues behind.
        let head = (audit_heads::chain.eq(&chain), audit_heads::seq.eq(0), audit_heads::last_hash.eq(rules::GENESIS));
        let insert = diesel::insert_into(audit_heads::table).values(head).on_conflict_do_nothing();
        match conn {
            DbConn::Pg(c) => insert.execute(c)?,
            DbConn::Sqlite(c) => insert.execute(c)?,
        };
        diesel::update(audit_heads::table.find(&chain)).set(audit_heads::seq.eq(audit_heads::seq + 1)).execute(conn)?;
    }
    let (seq, prev_hash): (i64, String) =
        audit_heads::table.find(&chain).select((audit_heads::seq, audit_heads::last_hash)).first(conn)?;
    let entry = Entry {
        chain: chain.clone(),
        seq,
        at: super::now(),
        actor_id: actor.user_id,
        actor: actor.name.clone(),
        action: change.action.to_owned(),
        subject: change.subject,
        before: change.before.map(|v| v.to_string()),
        after: change.after.map(|v| v.to_string()),
    };
    let hash = entry.hash(&prev_hash);
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::chain.eq(&entry.chain),
            audit_log::seq.eq(entry.seq),
            audit_log::tender_id.eq(change.tender_id),
            audit_log::at.eq(entry.at),
            audit_log::actor_id.eq(entry.actor_id),
            audit_log::actor.eq(&entry.actor),
            audit_log::action.eq(&entry.action),
            audit_log::subject.eq(&entry.subject),
            audit_log::before_json.eq(&entry.before),
            audit_log::after_json.eq(&entry.after),
            audit_log::prev_hash.eq(&prev_hash),
            audit_log::hash.eq(&hash),
        ))
        .execute(conn)?;
    diesel::update(audit_heads::table.find(&chain)).set(audit_heads::last_hash.eq(&hash)).execute(conn)?;
    Ok(())
}

type Row = (
    i64,
    String,
    i64,
    chrono::NaiveDateTime,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

fn to_stored(r: Row) -> Stored {
    let (id, chain, seq, at, actor_id, actor, action, subject, before, after, prev_hash, hash) = r;
    Stored { id, entry: Entry { chain, seq, at, actor_id, actor, action, subject, before, after }, prev_hash, hash }
}

const COLUMNS: (
    audit_log::id,
    audit_log::chain,
    audit_log::seq,
    audit_log::at,
    audit_log::actor_id,
    audit_log::actor,
    audit_log::action,
    audit_log::subject,
    audit_log::before_json,
    audit_log::after_json,
    audit_log::prev_hash,
    audit_log::hash,
) = (
    audit_log::id,
    audit_log::chain,
    audit_log::seq,
    audit_log::at,
    audit_log::actor_id,
    audit_log::actor,
    audit_log::action,
    audit_log::subject,
    audit_log::before_json,
    audit_log::after_json,
    audit_log::prev_hash,
    audit_log::hash,
);

/// The last `limit` entries of a tender's file, both chains (the tender's and its vault's),
/// the newest first: the Logboek of the award report.
pub fn excerpt(conn: &mut DbConn, tender_id: i64, limit: i64) -> Result<Vec<Stored>, Error> {
    // The newest of each chain by its (chain, seq) index, then merged: sorting a whole tender's
    // log by time would read every entry of it. Within a chain the time rises with seq (it is
    // taken under the head's lock); only a clock set back could make the two orders differ.
    let mut rows: Vec<Row> = Vec::new();
    for chain in [rules::tender_chain(tender_id), rules::vault_chain(tender_id)] {
        rows.extend(
            audit_log::table
                .filter(audit_log::chain.eq(&chain))
                .order(audit_log::seq.desc())
                .limit(limit)
                .select(COLUMNS)
                .load::<Row>(conn)?,
        );
    }
    let mut stored: Vec<Stored> = rows.into_iter().map(to_stored).collect();
    stored.sort_by_key(|s| std::cmp::Reverse((s.entry.at, s.id)));
    stored.truncate(usize::try_from(limit).unwrap_or_default());
    Ok(stored)
}

/// A page of one tender's log, newest first, with the total count.
pub fn page_for_tender(conn: &mut DbConn, tender_id: i64, page: PageRequest) -> Result<(Vec<Stored>, i64), Error> {
    let chain = rules::tender_chain(tender_id);
    let total = audit_log::table.filter(audit_log::chain.eq(&chain)).count().get_result(conn)?;
    let rows: Vec<Row> = audit_log::table
        .filter(audit_log::chain.eq(&chain))
        .order(audit_log::seq.desc())
        .limit(page.per_page)
        .offset(page.offset())
        .select(COLUMNS)
        .load(conn)?;
    Ok((rows.into_iter().map(to_stored).collect(), total))
}

pub fn chains(conn: &mut DbConn) -> Result<Vec<String>, Error> {
    Ok(audit_log::table.select(audit_log::chain).distinct().order(audit_log::chain).load(conn)?)
}

/// Verifies one chain from its first entry; also checks that the head agrees with the last entry.
pub fn verify_chain(conn: &mut DbConn, chain: &str) -> Result<Result<usize, Break>, Error> {
    let rows: Vec<Row> =
        audit_log::table.filter(audit_log::chain.eq(chain)).order(audit_log::seq.asc()).select(COLUMNS).load(conn)?;
    let stored: Vec<Stored> = rows.into_iter().map(to_stored).collect();
    let result = rules::verify(&stored);
    if let (Ok(_), Some(last)) = (&result, stored.last()) {
        let head: Option<(i64, String)> =
            audit_heads::table.find(chain).select((audit_heads::seq, audit_heads::last_hash)).first(conn).optional()?;
        if head.as_ref() != Some(&(last.entry.seq, last.hash.clone())) {
            return Ok(Err(Break {
                id: last.id,
                seq: last.entry.seq,
                reason: "de laatste regel(s) van de keten ontbreken: de kop van de keten wijst verder".into(),
            }));
        }
    }
    Ok(result)
}
