//! Indiening (submission) storage: submitting and withdrawing a bid, and the receipts.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::audit::{self, Change};
use super::bid::{self, BidRow};
use super::schema::{bids, submissions, tenders};
use super::user::User;
use super::{DbConn, bid_file, price_sheet, tender};
use crate::domain::bid::{BidStatus, gaps, in_time};
use crate::domain::deadline;
use crate::errors::Error;
use crate::mail::{self, Mail};
use crate::vault::TenderKey;

/// What a submission fixed: the files by id with their hashes, and the hash of the contents.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Manifest {
    pub files: Vec<ManifestFile>,
    pub content_sha256: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ManifestFile {
    pub id: i64,
    pub kind: String,
    pub size: i64,
    pub sha256: String,
}

/// The receipt (ontvangstbewijs) of one submission.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub id: i64,
    pub receipt_number: String,
    /// Server time of receipt, to the second.
    pub submitted_at: DateTime<Utc>,
    /// The same moment in Dutch time, as printed on the receipt.
    pub submitted_at_local: String,
    pub files: Vec<ReceiptFile>,
    pub content_sha256: String,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReceiptFile {
    pub name: String,
    pub kind: String,
    pub size: i64,
    pub sha256: String,
}

fn late(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Error {
    Error::Conflict(format!(
        "De sluitingstermijn was {}. Het is nu {} (servertijd); er wordt niets meer aangenomen.",
        deadline::format_nl(deadline),
        deadline::format_nl_seconds(now)
    ))
}

/// Refuses once the deadline has passed, to the second, by the service's clock, and in any case
/// once the vault has been opened.
pub fn ensure_open(conn: &mut DbConn, tender_id: i64, now: DateTime<Utc>) -> Result<(), Error> {
    let (_, deadline) = tender::deadlines(conn, tender_id)?.ok_or(Error::NotFound("Aanbesteding"))?;
    if !in_time(now, deadline) {
        return Err(late(deadline, now));
    }
    if super::opening::is_opened(conn, tender_id)? {
        return Err(Error::Conflict(
            "De kluis van deze aanbesteding is al geopend; er wordt niets meer aangenomen.".into(),
        ));
    }
    Ok(())
}

/// Whether any submission of the bid names this file.
pub fn receipted(conn: &mut DbConn, bid_id: i64, file_id: i64) -> Result<bool, Error> {
    let manifests: Vec<String> =
        submissions::table.filter(submissions::bid_id.eq(bid_id)).select(submissions::manifest).load(conn)?;
    Ok(manifests
        .iter()
        .filter_map(|m| serde_json::from_str::<Manifest>(m).ok())
        .any(|m| m.files.iter().any(|f| f.id == file_id)))
}

/// Submits the bid as it stands now; everything or nothing.
pub fn submit(
    conn: &mut DbConn,
    key: &TenderKey,
    b: &BidRow,
    now: DateTime<Utc>,
    user: &User,
    public_url: &str,
) -> Result<i64, Error> {
    // Claim the bid first: a second submit at the same moment finds it submitted.
    let claimed = diesel::update(bids::table.find(b.id))
        .filter(bids::status.ne(BidStatus::Submitted.as_str()))
        .set(bids::updated_at.eq(now.naive_utc()))
        .execute(conn)?;
    if claimed == 0 {
        return Err(Error::Conflict("Deze inschrijving is al ingediend.".into()));
    }
    issue(conn, key, b, now, user, public_url, "bid.submitted")
}

/// Confirms a submitted bid again after a correction or a nota van inlichtingen was published:
/// a new receipt for the same contents, checked against the set-up as it is now. The last
/// submission counts; the earlier one stays in the history.
pub fn reconfirm(
    conn: &mut DbConn,
    key: &TenderKey,
    b: &BidRow,
    now: DateTime<Utc>,
    user: &User,
    public_url: &str,
) -> Result<i64, Error> {
    let claimed = diesel::update(bids::table.find(b.id))
        .filter(bids::status.eq(BidStatus::Submitted.as_str()))
        .filter(bids::needs_reconfirmation.eq(true))
        .set(bids::updated_at.eq(now.naive_utc()))
        .execute(conn)?;
    if claimed == 0 {
        return Err(Error::Conflict("Deze inschrijving hoeft niet opnieuw bevestigd te worden.".into()));
    }
    issue(conn, key, b, now, user, public_url, "bid.reconfirmed")
}

/// Issues the receipt of a claimed bid: in time, complete, every file and the contents hashed.
fn issue(
    conn: &mut DbConn,
    key: &TenderKey,
    b: &BidRow,
    now: DateTime<Utc>,
    user: &User,
    public_url: &str,
    action: &'static str,
) -> Result<i64, Error> {
    // The tender's row lock orders this submission against the opening, which takes it too.
    tender::lock(conn, b.tender_id)?;
    ensure_open(conn, b.tender_id, now)?;
    let t = tender::load(conn, b.tender_id)?.ok_or(Error::NotFound("Aanbesteding"))?;
    let lot = t.lots.iter().find(|l| l.id == b.lot_id).ok_or(Error::NotFound("Perceel"))?;
    let content = bid::content(conn, key, b.id)?;
    let stored = price_sheet::current(conn, key, b.id)?;
    let problems = gaps(&t, lot, &content, stored.as_ref().map(|s| s.state()));
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    let files = bid_file::list(conn, key, b.id)?;
    let content_json = serde_json::to_vec(&content).map_err(|e| Error::Internal(e.to_string()))?;
    let manifest = Manifest {
        files: files
            .iter()
            .map(|f| ManifestFile { id: f.id, kind: f.kind.clone(), size: f.size, sha256: f.sha256.clone() })
            .collect(),
        content_sha256: hex::encode(Sha256::digest(&content_json)),
    };
    let manifest_json = serde_json::to_string(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
    let placeholder = format!("nieuw-{}-{}", b.id, now.timestamp_micros());
    let id: i64 = diesel::insert_into(submissions::table)
        .values((
            submissions::bid_id.eq(b.id),
            submissions::receipt_number.eq(&placeholder),
            submissions::submitted_at.eq(now.naive_utc()),
            submissions::submitted_by.eq(user.id),
            submissions::manifest.eq(&manifest_json),
        ))
        .returning(submissions::id)
        .get_result(conn)?;
    let receipt_number = format!("{}-P{}-{id:06}", t.reference, lot.number);
    diesel::update(submissions::table.find(id)).set(submissions::receipt_number.eq(&receipt_number)).execute(conn)?;
    bid::set_status(conn, b.id, BidStatus::Submitted)?;
    let subject = format!("inschrijving {} perceel {}: ontvangstbewijs {receipt_number}", b.id, lot.number);
    let change = Change { tender_id: Some(b.tender_id), action, subject, before: None, after: audit::json(&manifest) };
    audit::record_sealed(conn, &user.actor(), b.tender_id, change)?;
    let data = json!({
        "name": user.name, "tender": t.title, "reference": t.reference, "lot": format!("Perceel {}: {}", lot.number, lot.title),
        "receipt_number": receipt_number, "utc": now.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        "local": deadline::format_nl_seconds(now), "content_sha256": manifest.content_sha256,
        // Numbered, not named: the outbox is not sealed, and file names are bid content.
        "files": files.iter().enumerate().map(|(i, f)| json!({ "number": i + 1, "sha256": f.sha256, "size": f.size })).collect::<Vec<_>>(),
        "link": format!("{public_url}/inschrijvingen/{}", b.id),
    });
    let mail = Mail { kind: "receipt", to: &user.email, user_id: Some(user.id), tender_id: Some(b.tender_id), data };
    mail::queue(conn, mail, public_url)?;
    Ok(id)
}

/// Withdraws a submitted bid before the deadline; the history keeps the withdrawn submission.
pub fn withdraw(conn: &mut DbConn, b: &BidRow, now: DateTime<Utc>, user: &User) -> Result<(), Error> {
    let claimed = diesel::update(bids::table.find(b.id))
        .filter(bids::status.eq(BidStatus::Submitted.as_str()))
        .set(bids::updated_at.eq(now.naive_utc()))
        .execute(conn)?;
    if claimed == 0 {
        return Err(Error::Conflict("Alleen een ingediende inschrijving kan worden ingetrokken.".into()));
    }
    tender::lock(conn, b.tender_id)?;
    ensure_open(conn, b.tender_id, now)?;
    // Every receipt still standing is withdrawn: a reconfirmation leaves the earlier one open.
    diesel::update(submissions::table.filter(submissions::bid_id.eq(b.id)).filter(submissions::withdrawn_at.is_null()))
        .set((submissions::withdrawn_at.eq(now.naive_utc()), submissions::withdrawn_by.eq(user.id)))
        .execute(conn)?;
    bid::set_status(conn, b.id, BidStatus::Withdrawn)?;
    let change = Change {
        tender_id: Some(b.tender_id),
        action: "bid.withdrawn",
        subject: format!("inschrijving {}", b.id),
        before: None,
        after: None,
    };
    audit::record_sealed(conn, &user.actor(), b.tender_id, change)
}

/// Every receipt of a bid, newest first, with the file names unsealed.
pub fn receipts(conn: &mut DbConn, key: &TenderKey, bid_id: i64) -> Result<Vec<Receipt>, Error> {
    type Row = (i64, String, NaiveDateTime, String, Option<NaiveDateTime>);
    let rows: Vec<Row> = submissions::table
        .filter(submissions::bid_id.eq(bid_id))
        .order(submissions::id.desc())
        .select((
            submissions::id,
            submissions::receipt_number,
            submissions::submitted_at,
            submissions::manifest,
            submissions::withdrawn_at,
        ))
        .load(conn)?;
    let names = bid_file::history(conn, key, bid_id)?;
    rows.into_iter()
        .map(|(id, receipt_number, at, manifest, withdrawn_at)| {
            let m: Manifest = serde_json::from_str(&manifest).map_err(|e| Error::Internal(e.to_string()))?;
            let files = m
                .files
                .iter()
                .map(|f| ReceiptFile {
                    name: names.iter().find(|n| n.id == f.id).map(|n| n.name.clone()).unwrap_or_default(),
                    kind: f.kind.clone(),
                    size: f.size,
                    sha256: f.sha256.clone(),
                })
                .collect();
            let submitted_at = at.and_utc();
            Ok(Receipt {
                id,
                receipt_number,
                submitted_at,
                submitted_at_local: deadline::format_nl_seconds(submitted_at),
                files,
                content_sha256: m.content_sha256,
                withdrawn_at: withdrawn_at.map(|t| t.and_utc()),
            })
        })
        .collect()
}

/// The tender's submission deadline, for showing.
pub fn deadline_of(conn: &mut DbConn, tender_id: i64) -> Result<DateTime<Utc>, Error> {
    let d: NaiveDateTime = tenders::table.find(tender_id).select(tenders::submission_deadline).first(conn)?;
    Ok(d.and_utc())
}
