//! Aanbesteding (tender) storage: the general set-up, the full read model, the list and publication.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::audit::{self, Actor, Change};
use super::schema::{municipalities, tender_municipalities, tenders};
use super::{DbConn, PageRequest, correction, lot, municipality, scale, selection_criterion};
use crate::domain::rounding::{RoundingMode, RoundingRule};
use crate::domain::tender::{Deadlines, MunicipalityRef, Procedure, Tender, TenderFields, TenderStatus};
use crate::errors::Error;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = tenders)]
pub struct TenderRow {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub procedure: String,
    pub description: String,
    pub lead_municipality_id: Option<i64>,
    pub question_deadline: NaiveDateTime,
    pub submission_deadline: NaiveDateTime,
    pub standstill_days: i32,
    pub standstill_reason: String,
    pub rounding_decimals: i32,
    pub rounding_mode: String,
    pub status: String,
    pub version: i64,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub published_by: Option<i64>,
    pub anonymous_evaluation: bool,
}

impl TenderRow {
    pub fn status(&self) -> TenderStatus {
        TenderStatus::parse(&self.status).unwrap_or(TenderStatus::Published)
    }
}

/// How a change may be made: freely in concept, or after publication only as a motivated correction.
pub enum Edit {
    Draft,
    Correction(String),
}

/// Checks that the tender exists and may be changed now, the way the caller proposes.
pub fn editable(conn: &mut DbConn, tender_id: i64, correction_reason: Option<&str>) -> Result<Edit, Error> {
    touch(conn, tender_id)?;
    let status: String = tenders::table
        .find(tender_id)
        .select(tenders::status)
        .first(conn)
        .optional()?
        .ok_or(Error::NotFound("Aanbesteding"))?;
    match (TenderStatus::parse(&status), correction_reason.map(str::trim)) {
        (Some(TenderStatus::Draft), _) => Ok(Edit::Draft),
        (_, Some(reason)) if !reason.is_empty() => Ok(Edit::Correction(reason.to_owned())),
        _ => Err(Error::Conflict(
            "Deze aanbesteding is gepubliceerd; de opzet ligt vast. Wijzigen kan alleen met een gemotiveerde correctie.".into(),
        )),
    }
}

/// Marks the tender as changing: raises its version, so caches reload it, and on PostgreSQL
/// takes its row lock, so two edits of one tender queue instead of interleaving. Rolled back
/// with the rest when the change fails.
pub fn touch(conn: &mut DbConn, tender_id: i64) -> Result<(), Error> {
    diesel::update(tenders::table.find(tender_id))
        .set((tenders::version.eq(tenders::version + 1), tenders::updated_at.eq(super::now())))
        .execute(conn)?;
    Ok(())
}

/// The stored question and submission deadlines of a tender.
pub fn deadlines(conn: &mut DbConn, tender_id: i64) -> Result<Option<Deadlines>, Error> {
    let row: Option<(NaiveDateTime, NaiveDateTime)> = tenders::table
        .find(tender_id)
        .select((tenders::question_deadline, tenders::submission_deadline))
        .first(conn)
        .optional()?;
    Ok(row.map(|(q, s)| (q.and_utc(), s.and_utc())))
}

/// Takes the tender's row lock without changing anything (on PostgreSQL; SQLite's write
/// transaction already holds the whole database).
pub fn lock(conn: &mut DbConn, tender_id: i64) -> Result<(), Error> {
    diesel::update(tenders::table.find(tender_id)).set(tenders::id.eq(tenders::id)).execute(conn)?;
    Ok(())
}

/// The current version of a tender, or none when it does not exist: one indexed lookup.
pub fn version(conn: &mut DbConn, tender_id: i64) -> Result<Option<i64>, Error> {
    Ok(tenders::table.find(tender_id).select(tenders::version).first(conn).optional()?)
}

/// Adding or removing parts is for concepts only; a published set-up can only be corrected.
pub fn ensure_draft(conn: &mut DbConn, tender_id: i64) -> Result<(), Error> {
    match editable(conn, tender_id, None) {
        Ok(_) => Ok(()),
        Err(Error::Conflict(_)) => Err(Error::Conflict(
            "Deze aanbesteding is gepubliceerd: onderdelen toevoegen of verwijderen kan niet meer.".into(),
        )),
        Err(e) => Err(e),
    }
}

fn resolve_parties(conn: &mut DbConn, f: &TenderFields) -> Result<(Vec<i64>, Option<i64>), Error> {
    let ids = municipality::resolve(conn, "municipalities", &f.municipalities)?;
    municipality::ensure_current(conn, "municipalities", &ids)?;
    let lead =
        f.lead_municipality.as_ref().and_then(|code| f.municipalities.iter().position(|c| c == code)).map(|i| ids[i]);
    Ok((ids, lead))
}

fn ensure_unique_reference(conn: &mut DbConn, reference: &str, except: Option<i64>) -> Result<(), Error> {
    let other: Option<i64> =
        tenders::table.filter(tenders::reference.eq(reference)).select(tenders::id).first(conn).optional()?;
    match other {
        Some(id) if Some(id) != except => {
            Err(Error::invalid("reference", format!("Er is al een aanbesteding met kenmerk {reference}.")))
        }
        _ => Ok(()),
    }
}

fn set_municipalities(conn: &mut DbConn, tender_id: i64, ids: &[i64]) -> Result<(), Error> {
    diesel::delete(tender_municipalities::table.filter(tender_municipalities::tender_id.eq(tender_id)))
        .execute(conn)?;
    for id in ids {
        diesel::insert_into(tender_municipalities::table)
            .values((tender_municipalities::tender_id.eq(tender_id), tender_municipalities::municipality_id.eq(id)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert(conn: &mut DbConn, f: &TenderFields, actor: &Actor) -> Result<i64, Error> {
    ensure_unique_reference(conn, &f.reference, None)?;
    let (ids, lead) = resolve_parties(conn, f)?;
    let now = super::now();
    let id: i64 = diesel::insert_into(tenders::table)
        .values((
            tenders::reference.eq(&f.reference),
            tenders::title.eq(&f.title),
            tenders::procedure.eq(f.procedure.as_str()),
            tenders::description.eq(&f.description),
            tenders::lead_municipality_id.eq(lead),
            tenders::question_deadline.eq(f.question_deadline.naive_utc()),
            tenders::submission_deadline.eq(f.submission_deadline.naive_utc()),
            tenders::standstill_days.eq(f.standstill_days),
            tenders::standstill_reason.eq(&f.standstill_reason),
            tenders::anonymous_evaluation.eq(f.anonymous_evaluation),
            tenders::rounding_decimals.eq(f.rounding.decimals as i32),
            tenders::rounding_mode.eq(f.rounding.mode.as_str()),
            tenders::status.eq(TenderStatus::Draft.as_str()),
            tenders::created_by.eq(actor.user_id),
            tenders::created_at.eq(now),
            tenders::updated_at.eq(now),
        ))
        .returning(tenders::id)
        .get_result(conn)?;
    set_municipalities(conn, id, &ids)?;
    let after = general(conn, id)?;
    audit::record(
        conn,
        actor,
        Change {
            tender_id: Some(id),
            action: "tender.created",
            subject: format!("aanbesteding {}", f.reference),
            before: None,
            after: Some(after),
        },
    )?;
    Ok(id)
}

pub fn update(
    conn: &mut DbConn,
    id: i64,
    f: &TenderFields,
    actor: &Actor,
    correction_reason: Option<&str>,
) -> Result<(), Error> {
    let edit = editable(conn, id, correction_reason)?;
    ensure_unique_reference(conn, &f.reference, Some(id))?;
    let (ids, lead) = resolve_parties(conn, f)?;
    let before = general(conn, id)?;
    diesel::update(tenders::table.find(id))
        .set((
            tenders::reference.eq(&f.reference),
            tenders::title.eq(&f.title),
            tenders::procedure.eq(f.procedure.as_str()),
            tenders::description.eq(&f.description),
            tenders::lead_municipality_id.eq(lead),
            tenders::question_deadline.eq(f.question_deadline.naive_utc()),
            tenders::submission_deadline.eq(f.submission_deadline.naive_utc()),
            tenders::standstill_days.eq(f.standstill_days),
            tenders::standstill_reason.eq(&f.standstill_reason),
            tenders::anonymous_evaluation.eq(f.anonymous_evaluation),
            tenders::rounding_decimals.eq(f.rounding.decimals as i32),
            tenders::rounding_mode.eq(f.rounding.mode.as_str()),
            tenders::updated_at.eq(super::now()),
        ))
        .execute(conn)?;
    set_municipalities(conn, id, &ids)?;
    let after = general(conn, id)?;
    let subject = format!("aanbesteding {}", f.reference);
    correction::record_update(conn, id, &edit, "tender.updated", subject, before, after, actor)
}

/// The general part of the set-up as recorded in the audit log (everything but the parts under it).
pub fn general(conn: &mut DbConn, id: i64) -> Result<serde_json::Value, Error> {
    let t = load_general(conn, id)?.ok_or(Error::NotFound("Aanbesteding"))?;
    Ok(audit::json(&t).unwrap_or_default())
}

fn load_general(conn: &mut DbConn, id: i64) -> Result<Option<Tender>, Error> {
    let Some(row) = tenders::table.find(id).select(TenderRow::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    let parties: Vec<(i64, String, String)> = tender_municipalities::table
        .inner_join(municipalities::table)
        .filter(tender_municipalities::tender_id.eq(id))
        .select((municipalities::id, municipalities::cbs_code, municipalities::name))
        .order(municipalities::name)
        .load(conn)?;
    let lead = row.lead_municipality_id.and_then(|l| parties.iter().find(|(id, _, _)| *id == l));
    let to_ref = |(_, cbs_code, name): &(i64, String, String)| MunicipalityRef {
        cbs_code: cbs_code.clone(),
        name: name.clone(),
    };
    Ok(Some(Tender {
        id: row.id,
        reference: row.reference.clone(),
        title: row.title.clone(),
        procedure: Procedure::parse(&row.procedure).unwrap_or_default(),
        description: row.description.clone(),
        status: row.status(),
        lead_municipality: lead.map(to_ref),
        municipalities: parties.iter().map(to_ref).collect(),
        question_deadline: row.question_deadline.and_utc(),
        submission_deadline: row.submission_deadline.and_utc(),
        standstill_days: row.standstill_days,
        standstill_reason: row.standstill_reason.clone(),
        anonymous_evaluation: row.anonymous_evaluation,
        rounding: RoundingRule {
            decimals: row.rounding_decimals.max(0) as u32,
            mode: RoundingMode::parse(&row.rounding_mode).unwrap_or(RoundingMode::HalfUp),
        },
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
        published_at: row.published_at.map(|t| t.and_utc()),
        scales: vec![],
        lots: vec![],
        selection_criteria: vec![],
    }))
}

/// The whole set-up of one tender, as shown and published.
pub fn load(conn: &mut DbConn, id: i64) -> Result<Option<Tender>, Error> {
    let Some(mut t) = load_general(conn, id)? else {
        return Ok(None);
    };
    t.scales = scale::for_tender(conn, id)?;
    t.lots = lot::for_tender(conn, id)?;
    t.selection_criteria = selection_criterion::for_tender(conn, id)?;
    Ok(Some(t))
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TenderSummary {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub status: TenderStatus,
    pub question_deadline: DateTime<Utc>,
    pub submission_deadline: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// Which tenders a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Everything, concepts included: staff of the contracting gemeenten.
    All,
    /// Published tenders still open for submissions: the public list.
    Open(NaiveDateTime),
}

pub fn page(conn: &mut DbConn, scope: Scope, page: PageRequest) -> Result<(Vec<TenderSummary>, i64), Error> {
    let filtered = || {
        let mut q = tenders::table.into_boxed();
        if let Scope::Open(now) = scope {
            q = q
                .filter(tenders::status.eq(TenderStatus::Published.as_str()))
                .filter(tenders::submission_deadline.gt(now));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows: Vec<TenderRow> = filtered()
        .order((tenders::submission_deadline.desc(), tenders::id.desc()))
        .limit(page.per_page)
        .offset(page.offset())
        .select(TenderRow::as_select())
        .load(conn)?;
    let items = rows
        .into_iter()
        .map(|r| TenderSummary {
            id: r.id,
            status: r.status(),
            reference: r.reference,
            title: r.title,
            question_deadline: r.question_deadline.and_utc(),
            submission_deadline: r.submission_deadline.and_utc(),
            published_at: r.published_at.map(|t| t.and_utc()),
        })
        .collect();
    Ok((items, total))
}
