//! Nota van inlichtingen (enquiry note) storage: publishing the drafted answers as a numbered
//! nota, frozen as published, public and mailed to every interested aanbieder.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::audit::{self, Change};
use super::enquiry::{EnquiryRow, lot_labels, published};
use super::schema::{enquiries, enquiry_note_items, enquiry_notes, tenders};
use super::user::User;
use super::{DbConn, PageRequest, bid, interest, tender};
use crate::domain::bid::in_time;
use crate::domain::deadline;
use crate::domain::enquiry::heading;
use crate::domain::tender::TenderStatus;
use crate::errors::Error;

/// A published nota: its number, when, and every question with its answer, without who asked.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EnquiryNote {
    pub number: i32,
    pub published_at: DateTime<Utc>,
    pub items: Vec<EnquiryNoteItem>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct EnquiryNoteItem {
    /// Consecutive per tender, across notas.
    pub question_number: i32,
    /// 1 for the first answer; higher for a corrected answer.
    pub version: i32,
    /// `Vraag 3`, or `Vraag 3, versie 2 (gewijzigd)`.
    pub heading: String,
    pub lot_id: Option<i64>,
    /// `Perceel 1: B1-route`; none for the whole tender.
    pub lot: Option<String>,
    pub question: String,
    pub answer: String,
}

/// A draft answer with the place it takes in the next nota.
pub struct Draft {
    pub enquiry_id: i64,
    pub item: EnquiryNoteItem,
}

/// What the next nota would hold: every drafted answer, new questions numbered on from the
/// last number given, corrections as the next version of their question; in question order.
pub fn pending(conn: &mut DbConn, tender_id: i64) -> Result<Vec<Draft>, Error> {
    let rows: Vec<EnquiryRow> = enquiries::table
        .filter(enquiries::tender_id.eq(tender_id))
        .filter(enquiries::draft_answer.is_not_null())
        .order(enquiries::id)
        .select(EnquiryRow::as_select())
        .load(conn)?;
    let last: Option<i32> = enquiries::table
        .filter(enquiries::tender_id.eq(tender_id))
        .select(diesel::dsl::max(enquiries::number))
        .first(conn)?;
    let lot_ids: Vec<i64> = rows.iter().filter_map(|r| r.lot_id).collect();
    let labels = lot_labels(conn, &lot_ids)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let before = published(conn, &ids)?;
    let mut next = last.unwrap_or(0);
    let mut drafts: Vec<Draft> = rows
        .into_iter()
        .map(|r| {
            let number = r.number.unwrap_or_else(|| {
                next += 1;
                next
            });
            let version = r.published_versions + 1;
            let item = EnquiryNoteItem {
                question_number: number,
                version,
                heading: heading(number, version),
                lot: r.lot_id.and_then(|id| labels.iter().find(|(l, _)| *l == id).map(|(_, s)| s.clone())),
                lot_id: r.lot_id,
                // Without a new wording a correction keeps the published one, never falling back
                // to the question as asked: that wording may have been changed to hide the asker.
                question: r
                    .draft_question
                    .or_else(|| before.iter().find(|(e, _)| *e == r.id).map(|(_, p)| p.question.clone()))
                    .unwrap_or(r.question),
                answer: r.draft_answer.unwrap_or_default(),
            };
            Draft { enquiry_id: r.id, item }
        })
        .collect();
    drafts.sort_by_key(|d| d.item.question_number);
    Ok(drafts)
}

/// A fingerprint of what the next nota would hold, so a confirmation applies to exactly that.
pub fn fingerprint(drafts: &[Draft]) -> String {
    let all: Vec<_> = drafts.iter().map(|d| json!([d.enquiry_id, d.item])).collect();
    hex::encode(Sha256::digest(serde_json::to_vec(&all).unwrap_or_default()))
}

/// What publishing now would do: the next number, what goes in, who hears of it, and how many
/// submitted bids would have to be confirmed again.
pub struct Preview {
    pub number: i32,
    pub drafts: Vec<Draft>,
    pub fingerprint: String,
    pub recipients: usize,
    pub submitted: i64,
}

pub fn preview(conn: &mut DbConn, tender_id: i64) -> Result<Preview, Error> {
    let drafts = pending(conn, tender_id)?;
    let last: Option<i32> = enquiry_notes::table
        .filter(enquiry_notes::tender_id.eq(tender_id))
        .select(diesel::dsl::max(enquiry_notes::number))
        .first(conn)?;
    Ok(Preview {
        number: last.unwrap_or(0) + 1,
        fingerprint: fingerprint(&drafts),
        drafts,
        recipients: interest::recipients(conn, tender_id)?.len(),
        submitted: bid::submitted_per_lot(conn, tender_id)?.iter().map(|(_, n)| n).sum(),
    })
}

/// Publishes the next nota of a published tender before its sluitingstermijn. Submitted bids
/// must then be confirmed again: they were made without these answers. With `expected`, the
/// nota must hold exactly what the inkoper confirmed.
pub fn publish(
    conn: &mut DbConn,
    tender_id: i64,
    user: &User,
    now: DateTime<Utc>,
    public_url: &str,
    expected: Option<&str>,
) -> Result<EnquiryNote, Error> {
    // Raises the version (the public page shows the nota) and orders this against drafts.
    tender::touch(conn, tender_id)?;
    let row: Option<(String, NaiveDateTime, String, String)> = tenders::table
        .find(tender_id)
        .select((tenders::status, tenders::submission_deadline, tenders::reference, tenders::title))
        .first(conn)
        .optional()?;
    let (status, submission_deadline, reference, title) = row.ok_or(Error::NotFound("Aanbesteding"))?;
    if status != TenderStatus::Published.as_str() {
        return Err(Error::Conflict("Een nota van inlichtingen hoort bij een gepubliceerde aanbesteding.".into()));
    }
    if !in_time(now, submission_deadline.and_utc()) {
        return Err(Error::Conflict(format!(
            "De sluitingstermijn ({}) is verstreken; er wordt geen nota van inlichtingen meer gepubliceerd.",
            deadline::format_nl(submission_deadline.and_utc())
        )));
    }
    let drafts = pending(conn, tender_id)?;
    if drafts.is_empty() {
        return Err(Error::Conflict("Er is niets om te publiceren: beantwoord eerst een of meer vragen.".into()));
    }
    if expected.is_some_and(|e| e != fingerprint(&drafts)) {
        return Err(Error::Conflict(
            "De antwoorden zijn gewijzigd sinds u de nota controleerde. Controleer wat erin komt opnieuw.".into(),
        ));
    }
    let last: Option<i32> = enquiry_notes::table
        .filter(enquiry_notes::tender_id.eq(tender_id))
        .select(diesel::dsl::max(enquiry_notes::number))
        .first(conn)?;
    let number = last.unwrap_or(0) + 1;
    let note_id: i64 = diesel::insert_into(enquiry_notes::table)
        .values((
            enquiry_notes::tender_id.eq(tender_id),
            enquiry_notes::number.eq(number),
            enquiry_notes::published_at.eq(now.naive_utc()),
            enquiry_notes::published_by.eq(user.id),
        ))
        .returning(enquiry_notes::id)
        .get_result(conn)?;
    for (position, d) in drafts.iter().enumerate() {
        let i = &d.item;
        diesel::insert_into(enquiry_note_items::table)
            .values((
                enquiry_note_items::note_id.eq(note_id),
                enquiry_note_items::enquiry_id.eq(d.enquiry_id),
                enquiry_note_items::position.eq(position as i32),
                enquiry_note_items::question_number.eq(i.question_number),
                enquiry_note_items::version.eq(i.version),
                enquiry_note_items::lot_id.eq(i.lot_id),
                enquiry_note_items::lot_label.eq(i.lot.as_deref().unwrap_or_default()),
                enquiry_note_items::question.eq(&i.question),
                enquiry_note_items::answer.eq(&i.answer),
            ))
            .execute(conn)?;
        diesel::update(enquiries::table.find(d.enquiry_id))
            .set((
                enquiries::number.eq(Some(i.question_number)),
                enquiries::published_versions.eq(i.version),
                enquiries::draft_answer.eq(None::<String>),
                enquiries::draft_question.eq(None::<String>),
            ))
            .execute(conn)?;
    }
    let note = EnquiryNote { number, published_at: now, items: drafts.into_iter().map(|d| d.item).collect() };
    let what = format!("nota van inlichtingen {number}");
    let change = Change {
        tender_id: Some(tender_id),
        action: "enquiry_note.published",
        subject: what.clone(),
        before: None,
        after: audit::json(&note),
    };
    audit::record(conn, &user.actor(), change)?;
    bid::require_reconfirmation(conn, tender_id, &user.actor(), what)?;
    // The mail asks whoever submitted to confirm again without saying whether anyone did:
    // bidders do not learn of each other's bids.
    let data = json!({
        "tender": title, "reference": reference, "number": number,
        "published_at": deadline::format_nl(now), "items": note.items,
        "link": format!("{public_url}/aanbestedingen/{tender_id}#nota-{number}"),
    });
    let recipients = interest::recipients(conn, tender_id)?;
    interest::tell(conn, tender_id, &recipients, "enquiry_note", &data, public_url)?;
    Ok(note)
}

type ItemRow = (i64, i32, i32, Option<i64>, String, String, String);

/// Loads the items of these notas, in the order published.
fn with_items(conn: &mut DbConn, notes: Vec<(i64, i32, NaiveDateTime)>) -> Result<Vec<EnquiryNote>, Error> {
    let ids: Vec<i64> = notes.iter().map(|(id, _, _)| *id).collect();
    let rows: Vec<ItemRow> = enquiry_note_items::table
        .filter(enquiry_note_items::note_id.eq_any(ids))
        .order((enquiry_note_items::note_id, enquiry_note_items::position))
        .select((
            enquiry_note_items::note_id,
            enquiry_note_items::question_number,
            enquiry_note_items::version,
            enquiry_note_items::lot_id,
            enquiry_note_items::lot_label,
            enquiry_note_items::question,
            enquiry_note_items::answer,
        ))
        .load(conn)?;
    Ok(notes
        .into_iter()
        .map(|(id, number, published_at)| EnquiryNote {
            number,
            published_at: published_at.and_utc(),
            items: rows
                .iter()
                .filter(|r| r.0 == id)
                .map(|(_, question_number, version, lot_id, lot, question, answer)| EnquiryNoteItem {
                    question_number: *question_number,
                    version: *version,
                    heading: heading(*question_number, *version),
                    lot_id: *lot_id,
                    lot: Some(lot.clone()).filter(|l| !l.is_empty()),
                    question: question.clone(),
                    answer: answer.clone(),
                })
                .collect(),
        })
        .collect())
}

/// Every published nota of a tender, the first first.
pub fn for_tender(conn: &mut DbConn, tender_id: i64) -> Result<Vec<EnquiryNote>, Error> {
    let notes = enquiry_notes::table
        .filter(enquiry_notes::tender_id.eq(tender_id))
        .order(enquiry_notes::number)
        .select((enquiry_notes::id, enquiry_notes::number, enquiry_notes::published_at))
        .load(conn)?;
    with_items(conn, notes)
}

/// A page of a tender's notas, the first first.
pub fn page(conn: &mut DbConn, tender_id: i64, page: PageRequest) -> Result<(Vec<EnquiryNote>, i64), Error> {
    let total = enquiry_notes::table.filter(enquiry_notes::tender_id.eq(tender_id)).count().get_result(conn)?;
    let notes = enquiry_notes::table
        .filter(enquiry_notes::tender_id.eq(tender_id))
        .order(enquiry_notes::number)
        .limit(page.per_page)
        .offset(page.offset())
        .select((enquiry_notes::id, enquiry_notes::number, enquiry_notes::published_at))
        .load(conn)?;
    Ok((with_items(conn, notes)?, total))
}

/// One published nota by its number.
pub fn find(conn: &mut DbConn, tender_id: i64, number: i32) -> Result<Option<EnquiryNote>, Error> {
    let notes = enquiry_notes::table
        .filter(enquiry_notes::tender_id.eq(tender_id))
        .filter(enquiry_notes::number.eq(number))
        .select((enquiry_notes::id, enquiry_notes::number, enquiry_notes::published_at))
        .load(conn)?;
    Ok(with_items(conn, notes)?.pop())
}
