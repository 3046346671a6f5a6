//! Publicatie (publication) storage: concept → gepubliceerd, after the completeness check.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::audit::{self, Actor, Change};
use super::schema::tenders;
use super::{DbConn, tender};
use crate::domain::publication::{self, Checklist};
use crate::domain::tender::TenderStatus;
use crate::errors::Error;

/// Publishes when the checklist is clear; otherwise stores nothing and returns the checklist.
pub fn publish(conn: &mut DbConn, id: i64, actor: &Actor, now: DateTime<Utc>) -> Result<Checklist, Error> {
    // Lock first, then check: what is checked is what gets published, and a second publish waits
    // for the first and then finds the tender published.
    tender::touch(conn, id)?;
    let t = tender::load(conn, id)?.ok_or(Error::NotFound("Aanbesteding"))?;
    if !t.is_draft() {
        return Err(Error::Conflict("Deze aanbesteding is al gepubliceerd.".into()));
    }
    let checklist = publication::check(&t, now);
    if !checklist.ready {
        return Err(Error::Validation(checklist.problems));
    }
    diesel::update(tenders::table.find(id))
        .set((
            tenders::status.eq(TenderStatus::Published.as_str()),
            tenders::published_at.eq(now.naive_utc()),
            tenders::published_by.eq(actor.user_id),
            tenders::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        actor,
        Change {
            tender_id: Some(id),
            action: "tender.published",
            subject: format!("aanbesteding {}", t.reference),
            before: audit::json(&serde_json::json!({ "status": "draft" })),
            after: audit::json(
                &serde_json::json!({ "status": "published", "setup": t, "warnings": checklist.warnings }),
            ),
        },
    )?;
    Ok(checklist)
}
