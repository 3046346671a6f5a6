//! Bestanden van een inschrijving via de API: documents streamed into the vault, and taken out
//! again, before the deadline. The prijzenblad is a file too (see `price_sheets`).

use std::path::Path;

use actix_multipart::Multipart;
use actix_web::web;

use super::bids::owned;
use super::problem::Problem;
use super::{ApiResult, created, no_content};
use crate::auth::Aanbieder;
use crate::db::DbConn;
use crate::db::audit::{self, Change};
use crate::db::bid::{self, BidRow};
use crate::db::bid_file::{self, BidFile, NewFile};
use crate::db::user::User;
use crate::db::{submission, tender};
use crate::domain::bid::BidStatus;
use crate::domain::price_sheet::{PriceSheet, Workbook};
use crate::errors::Error;
use crate::state::AppState;
use crate::vault::TenderKey;
use crate::vault::upload::{self, Accept, Limits, Uploaded};

/// What a bid's files belong to, as a refusal names it.
const WHOLE: &str = "de inschrijving";

/// Streams the upload's `file` field into the vault after the checks that can be made up
/// front: not submitted, before the deadline, room left. Not yet part of the bid.
pub async fn receive(
    state: &AppState,
    b: &BidRow,
    key: &TenderKey,
    payload: Multipart,
    accept: Accept,
) -> Result<Uploaded, Error> {
    if b.status() == BidStatus::Submitted {
        return Err(bid::submitted());
    }
    let (tender_id, bid_id, now) = (b.tender_id, b.id, state.clock.now());
    state.db.read(move |conn| submission::ensure_open(conn, tender_id, now)).await?;
    // A new prijzenblad replaces the old one, whose room it may take.
    let replaced = (accept == Accept::Spreadsheets).then_some(bid_file::PRICE_SHEET);
    let used = state.db.read(move |conn| bid_file::total_size(conn, bid_id, replaced)).await?.max(0) as u64;
    let limits =
        Limits { per_file: state.settings.max_file_bytes, in_all: state.settings.max_bid_bytes, used, whole: WHOLE };
    upload::one_file(payload, accept, &state.vault_dir(tender_id), key, limits).await
}

/// Makes a received file part of the bid. Checked again now the file is complete, under the
/// bid's lock: the deadline to the second, the bid not submitted meanwhile, and the limit with
/// uploads that ran alongside. A prijzenblad replaces the bid's earlier one, and must still
/// match its perceel as it stands. Files leave the disk, and the new one is kept, only once
/// the transaction has committed.
pub async fn record(
    state: &AppState,
    user: &User,
    b: &BidRow,
    key: &TenderKey,
    up: Uploaded,
    prices: Option<PriceSheet>,
) -> Result<i64, Error> {
    let (k, u, now) = (key.clone(), user.clone(), state.clock.now());
    let (bid_id, tender_id, lot_id, max_bid) = (b.id, b.tender_id, b.lot_id, state.settings.max_bid_bytes);
    let (name, content_type, storage_name, sealed) =
        (up.name.clone(), up.content_type.clone(), up.storage_name.clone(), up.sealed.clone());
    let (id, gone) = state
        .db
        .write(move |conn| {
            bid::claim_for_change(conn, bid_id, now)?;
            submission::ensure_open(conn, tender_id, now)?;
            let kind = if prices.is_some() { bid_file::PRICE_SHEET } else { bid_file::DOCUMENT };
            let mut gone = Vec::new();
            if let Some(p) = &prices {
                let t = tender::load(conn, tender_id)?.ok_or(Error::NotFound("Aanbesteding"))?;
                if Workbook::of(&t).sheet_for(lot_id).map(|s| s.kenmerk.as_str()) != Some(p.kenmerk.as_str()) {
                    return Err(Error::Conflict(
                        "Terwijl u uploadde is dit perceel gecorrigeerd. Download het prijzenblad opnieuw; er is niets opgeslagen.".into(),
                    ));
                }
                for earlier in bid_file::list(conn, &k, bid_id)?.into_iter().filter(|f| f.kind == kind) {
                    gone.extend(take_out(conn, bid_id, earlier.id)?);
                }
            }
            let used = bid_file::total_size(conn, bid_id, None)?.max(0) as u64;
            if used + sealed.size > max_bid {
                return Err(upload::full(&name, Limits { per_file: sealed.size, in_all: max_bid, used, whole: WHOLE }));
            }
            let new = NewFile {
                bid_id,
                kind,
                storage_name: &storage_name,
                name: &name,
                content_type: &content_type,
                sealed: &sealed,
                uploaded_by: u.id,
                prices: prices.as_ref(),
            };
            let id = bid_file::add(conn, &k, &new)?;
            if prices.is_some() {
                // Named by number and hash only: the log is not sealed on disk, file names and prices are bid content.
                let change = Change {
                    tender_id: Some(tender_id),
                    action: "bid.price_sheet_read",
                    subject: format!("inschrijving {bid_id}: prijzenblad (bestand {id}, SHA-256 {}) gelezen", sealed.sha256),
                    before: None,
                    after: None,
                };
                audit::record_sealed(conn, &u.actor(), tender_id, change)?;
            }
            Ok((id, gone))
        })
        .await?;
    up.keep();
    remove_from_disk(&state.vault_dir(b.tender_id), &gone);
    Ok(id)
}

/// Takes a file out of the bid; returns its name in the vault folder when no receipt names it
/// (a receipted one stays, as the history does), to be removed once the transaction committed.
fn take_out(conn: &mut DbConn, bid_id: i64, file_id: i64) -> Result<Option<String>, Error> {
    let storage_name = bid_file::remove(conn, bid_id, file_id)?;
    Ok((!submission::receipted(conn, bid_id, file_id)?).then_some(storage_name))
}

fn remove_from_disk(vault: &Path, names: &[String]) {
    for name in names {
        if let Err(e) = std::fs::remove_file(vault.join(name)) {
            tracing::warn!("kluisbestand {name} niet verwijderd: {e}");
        }
    }
}

/// Streams a document into the vault and adds it to the bid; refused after the deadline.
pub async fn add_file(
    state: &AppState,
    user: &User,
    b: &BidRow,
    key: &TenderKey,
    payload: Multipart,
) -> Result<i64, Error> {
    let up = receive(state, b, key, payload, Accept::Documents).await?;
    record(state, user, b, key, up, None).await
}

#[utoipa::path(post, path = "/api/v1/bids/{bid_id}/files", tag = "bids", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    description = "multipart/form-data with a field `file`: PDF, DOCX or XLSX. Streamed into the vault, encrypted, hashed.",
    responses((status = 201, body = BidFile), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn upload_file(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    payload: Multipart,
) -> ApiResult {
    let (b, key) = owned(&state, &user, *id).await?;
    let file_id = add_file(&state, &user, &b, &key, payload).await?;
    let (k, bid_id) = (key.clone(), b.id);
    let files = state.db.read(move |conn| bid_file::list(conn, &k, bid_id)).await?;
    let file = files.into_iter().find(|f| f.id == file_id).ok_or(Error::NotFound("Bestand"))?;
    created(format!("/api/v1/bids/{bid_id}/files/{file_id}"), &file)
}

#[utoipa::path(delete, path = "/api/v1/bids/{bid_id}/files/{file_id}", tag = "bids", security(("bearer" = [])),
    params(("bid_id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn remove_file(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> ApiResult {
    let (bid_id, file_id) = path.into_inner();
    let (b, _) = owned(&state, &user, bid_id).await?;
    remove_document(&state, b, file_id).await?;
    no_content()
}

/// Takes a file out of a bid that is not submitted, before the deadline.
pub async fn remove_document(state: &AppState, b: BidRow, file_id: i64) -> Result<(), Error> {
    let (now, vault) = (state.clock.now(), state.vault_dir(b.tender_id));
    let gone = state
        .db
        .write(move |conn| {
            bid::claim_for_change(conn, b.id, now)?;
            submission::ensure_open(conn, b.tender_id, now)?;
            take_out(conn, b.id, file_id)
        })
        .await?;
    remove_from_disk(&vault, gone.as_slice());
    Ok(())
}
