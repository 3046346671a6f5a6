//! Vraag (enquiry) storage: questions asked before the question deadline and the inkoper's
//! draft answers. Who asked is stored, and shown to nobody but the asking company itself.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::audit::{self, Actor, Change};
use super::schema::{enquiries, enquiry_note_items, enquiry_notes, lots, tenders};
use super::user::User;
use super::{DbConn, PageRequest, interest, tender};
use crate::domain::bid::in_time;
use crate::domain::deadline;
use crate::domain::enquiry::{Answer, EnquiryStatus};
use crate::domain::tender::TenderStatus;
use crate::errors::Error;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = enquiries)]
pub struct EnquiryRow {
    pub id: i64,
    pub tender_id: i64,
    pub lot_id: Option<i64>,
    pub company_id: i64,
    pub asked_by: i64,
    pub asked_at: NaiveDateTime,
    pub question: String,
    pub number: Option<i32>,
    pub draft_answer: Option<String>,
    pub draft_question: Option<String>,
    pub drafted_by: Option<i64>,
    pub drafted_at: Option<NaiveDateTime>,
    pub published_versions: i32,
}

impl EnquiryRow {
    pub fn status(&self) -> EnquiryStatus {
        EnquiryStatus::of(self.published_versions, self.draft_answer.is_some())
    }
}

/// The answer as last published.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PublishedAnswer {
    pub note_number: i32,
    pub version: i32,
    pub question: String,
    pub answer: String,
}

/// A question as the inkoper works on it: never who asked.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Enquiry {
    pub id: i64,
    pub tender_id: i64,
    pub lot_id: Option<i64>,
    /// `Perceel 1: B1-route`; none for the whole tender.
    pub lot: Option<String>,
    /// Given when first published.
    pub number: Option<i32>,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    pub status: EnquiryStatus,
    pub draft_answer: Option<String>,
    pub draft_question: Option<String>,
    pub published_versions: i32,
    pub published: Option<PublishedAnswer>,
}

/// A question as the asking company sees it ("uw vraag"): what it asked and what is published.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OwnEnquiry {
    pub id: i64,
    pub tender_id: i64,
    pub lot: Option<String>,
    pub number: Option<i32>,
    pub question: String,
    pub asked_at: DateTime<Utc>,
    pub status: String,
    pub published: Option<PublishedAnswer>,
}

fn late(question_deadline: DateTime<Utc>, now: DateTime<Utc>) -> Error {
    Error::Conflict(format!(
        "De termijn voor vragen was {}. Het is nu {} (servertijd); er kunnen geen vragen meer worden gesteld.",
        deadline::format_nl(question_deadline),
        deadline::format_nl_seconds(now)
    ))
}

/// Stores a question on a published tender, before its question deadline by the service's
/// clock; the asking company follows the tender from then on.
pub fn ask(
    conn: &mut DbConn,
    tender_id: i64,
    lot_id: Option<i64>,
    question: &str,
    user: &User,
    now: DateTime<Utc>,
) -> Result<i64, Error> {
    let company_id = user.company_id.ok_or(Error::NotFound("Bedrijf"))?;
    let row: Option<(String, NaiveDateTime)> =
        tenders::table.find(tender_id).select((tenders::status, tenders::question_deadline)).first(conn).optional()?;
    let (status, question_deadline) = row.ok_or(Error::NotFound("Aanbesteding"))?;
    if status != TenderStatus::Published.as_str() {
        return Err(Error::NotFound("Aanbesteding"));
    }
    if !in_time(now, question_deadline.and_utc()) {
        return Err(late(question_deadline.and_utc(), now));
    }
    if let Some(lot) = lot_id {
        let found: i64 =
            lots::table.filter(lots::id.eq(lot)).filter(lots::tender_id.eq(tender_id)).count().get_result(conn)?;
        if found == 0 {
            return Err(Error::invalid(
                "lot_id",
                "Kies een perceel van deze aanbesteding, of de aanbesteding als geheel.",
            ));
        }
    }
    let id: i64 = diesel::insert_into(enquiries::table)
        .values((
            enquiries::tender_id.eq(tender_id),
            enquiries::lot_id.eq(lot_id),
            enquiries::company_id.eq(company_id),
            enquiries::asked_by.eq(user.id),
            enquiries::asked_at.eq(now.naive_utc()),
            enquiries::question.eq(question),
        ))
        .returning(enquiries::id)
        .get_result(conn)?;
    interest::register(conn, tender_id, company_id, user)?;
    // The tender's log shows that a question came in; who asked goes into the sealed chain.
    let anonymous = Actor { user_id: None, name: "aanbieder (verzegeld)".into() };
    let received = |subject: String| Change {
        tender_id: Some(tender_id),
        action: "enquiry.asked",
        subject,
        before: None,
        after: None,
    };
    audit::record(conn, &anonymous, received(format!("vraag {id} ontvangen")))?;
    audit::record_sealed(
        conn,
        &user.actor(),
        tender_id,
        received(format!("vraag {id} gesteld door bedrijf {company_id}")),
    )?;
    Ok(id)
}

pub fn find(conn: &mut DbConn, id: i64) -> Result<Option<EnquiryRow>, Error> {
    Ok(enquiries::table.find(id).select(EnquiryRow::as_select()).first(conn).optional()?)
}

/// Saves the inkoper's answer (or the correction of a published one) as a draft for the next
/// nota. With `tender_id` the question must belong to that tender.
pub fn answer(conn: &mut DbConn, id: i64, tender_id: Option<i64>, a: &Answer, user: &User) -> Result<(), Error> {
    let row = find(conn, id)?.filter(|r| tender_id.is_none_or(|t| t == r.tender_id)).ok_or(Error::NotFound("Vraag"))?;
    // Publishing takes the same lock: a draft lands either wholly in a nota or after it.
    tender::lock(conn, row.tender_id)?;
    // A correction that repeats the published text would only add a version that changes nothing.
    if let Some((_, p)) = published(conn, &[id])?.pop()
        && p.answer == a.answer
        && a.question.as_ref().is_none_or(|q| *q == p.question)
    {
        return Err(Error::invalid(
            "answer",
            "Dit is het gepubliceerde antwoord. Wijzig het om een correctie op te stellen.",
        ));
    }
    diesel::update(enquiries::table.find(id))
        .set((
            enquiries::draft_answer.eq(Some(a.answer.as_str())),
            enquiries::draft_question.eq(a.question.as_deref()),
            enquiries::drafted_by.eq(user.id),
            enquiries::drafted_at.eq(super::now()),
        ))
        .execute(conn)?;
    let (action, subject) = match row.number {
        Some(n) => ("enquiry.answer_corrected", format!("correctie van het antwoord op vraag {n}")),
        None => ("enquiry.answered", format!("antwoord op vraag {id} opgesteld")),
    };
    let before = row.draft_answer.map(|answer| json!({ "question": row.draft_question, "answer": answer }));
    let after = Some(json!({ "question": a.question, "answer": a.answer }));
    audit::record(conn, &user.actor(), Change { tender_id: Some(row.tender_id), action, subject, before, after })
}

/// `Perceel 1: B1-route` per lot id.
pub fn lot_labels(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<(i64, String)>, Error> {
    let rows: Vec<(i64, i32, String)> =
        lots::table.filter(lots::id.eq_any(ids)).select((lots::id, lots::number, lots::title)).load(conn)?;
    Ok(rows.into_iter().map(|(id, number, title)| (id, format!("Perceel {number}: {title}"))).collect())
}

fn label(labels: &[(i64, String)], lot_id: Option<i64>) -> Option<String> {
    lot_id.and_then(|id| labels.iter().find(|(l, _)| *l == id).map(|(_, s)| s.clone()))
}

/// The last published answer of each of these questions.
pub fn published(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<(i64, PublishedAnswer)>, Error> {
    let rows: Vec<(i64, i32, i32, String, String)> = enquiry_note_items::table
        .inner_join(enquiry_notes::table)
        .filter(enquiry_note_items::enquiry_id.eq_any(ids))
        .order(enquiry_note_items::version.desc())
        .select((
            enquiry_note_items::enquiry_id,
            enquiry_notes::number,
            enquiry_note_items::version,
            enquiry_note_items::question,
            enquiry_note_items::answer,
        ))
        .load(conn)?;
    let mut last: Vec<(i64, PublishedAnswer)> = Vec::new();
    for (id, note_number, version, question, answer) in rows {
        if !last.iter().any(|(e, _)| *e == id) {
            last.push((id, PublishedAnswer { note_number, version, question, answer }));
        }
    }
    Ok(last)
}

fn take(found: &mut Vec<(i64, PublishedAnswer)>, id: i64) -> Option<PublishedAnswer> {
    found.iter().position(|(e, _)| *e == id).map(|i| found.swap_remove(i).1)
}

/// Every question of a tender for the inkoper: unanswered first, then those waiting for the
/// next nota, then the published ones; each group in the order received.
pub fn for_tender(conn: &mut DbConn, tender_id: i64) -> Result<Vec<Enquiry>, Error> {
    let rows: Vec<EnquiryRow> = enquiries::table
        .filter(enquiries::tender_id.eq(tender_id))
        .order(enquiries::id)
        .select(EnquiryRow::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let lot_ids: Vec<i64> = rows.iter().filter_map(|r| r.lot_id).collect();
    let labels = lot_labels(conn, &lot_ids)?;
    let mut answers = published(conn, &ids)?;
    let mut list: Vec<Enquiry> = rows
        .into_iter()
        .map(|r| Enquiry {
            status: r.status(),
            published: take(&mut answers, r.id),
            lot: label(&labels, r.lot_id),
            id: r.id,
            tender_id: r.tender_id,
            lot_id: r.lot_id,
            number: r.number,
            question: r.question,
            asked_at: r.asked_at.and_utc(),
            draft_answer: r.draft_answer,
            draft_question: r.draft_question,
            published_versions: r.published_versions,
        })
        .collect();
    list.sort_by_key(|e| e.status);
    Ok(list)
}

/// The company's own questions, newest first; of one tender, or of all.
pub fn of_company(
    conn: &mut DbConn,
    company_id: i64,
    tender_id: Option<i64>,
    page: PageRequest,
) -> Result<(Vec<OwnEnquiry>, i64), Error> {
    let filtered = || {
        let q = enquiries::table.filter(enquiries::company_id.eq(company_id)).into_boxed();
        match tender_id {
            Some(t) => q.filter(enquiries::tender_id.eq(t)),
            None => q,
        }
    };
    let total = filtered().count().get_result(conn)?;
    let rows: Vec<EnquiryRow> = filtered()
        .order(enquiries::id.desc())
        .limit(page.per_page)
        .offset(page.offset())
        .select(EnquiryRow::as_select())
        .load(conn)?;
    Ok((own(conn, rows)?, total))
}

/// One question of the company's own, "uw vraag"; to anyone else it does not exist.
pub fn own_one(conn: &mut DbConn, company_id: i64, id: i64) -> Result<OwnEnquiry, Error> {
    let row = find(conn, id)?.filter(|r| r.company_id == company_id).ok_or(Error::NotFound("Vraag"))?;
    own(conn, vec![row])?.pop().ok_or(Error::NotFound("Vraag"))
}

fn own(conn: &mut DbConn, rows: Vec<EnquiryRow>) -> Result<Vec<OwnEnquiry>, Error> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let lot_ids: Vec<i64> = rows.iter().filter_map(|r| r.lot_id).collect();
    let labels = lot_labels(conn, &lot_ids)?;
    let mut answers = published(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| OwnEnquiry {
            status: EnquiryStatus::label_for_asker(r.published_versions).to_owned(),
            published: take(&mut answers, r.id),
            lot: label(&labels, r.lot_id),
            id: r.id,
            tender_id: r.tender_id,
            number: r.number,
            question: r.question,
            asked_at: r.asked_at.and_utc(),
        })
        .collect())
}
