//! Bestanden van een inschrijving via de API: documents streamed into the vault, and taken out
//! again, before the deadline. The prijzenblad is a file too (see `price_sheets`).

use actix_multipart::Multipart;
use actix_web::web;
use futures_util::StreamExt;

use super::bids::owned;
use super::problem::Problem;
use super::{ApiResult, created, no_content};
use crate::auth::Aanbieder;
use crate::db::bid::{self, BidRow};
use crate::db::bid_file::{self, BidFile, NewFile};
use crate::db::submission;
use crate::db::user::User;
use crate::domain::bid::BidStatus;
use crate::domain::price_sheet::PriceSheet;
use crate::errors::Error;
use crate::state::AppState;
use crate::vault::TenderKey;
use crate::vault::upload::{self, Accept, Uploaded};

fn submitted() -> Error {
    Error::Conflict("Deze inschrijving is ingediend. Trek haar eerst in om haar te wijzigen.".into())
}

/// Streams the upload's `file` field into the vault after the checks that can be made up
/// front: not submitted, before the deadline, room left. Not yet part of the bid.
pub async fn receive(
    state: &AppState,
    b: &BidRow,
    key: &TenderKey,
    mut payload: Multipart,
    accept: Accept,
) -> Result<Uploaded, Error> {
    if b.status() == BidStatus::Submitted {
        return Err(submitted());
    }
    let (tender_id, bid_id, now) = (b.tender_id, b.id, state.clock.now());
    state.db.read(move |conn| submission::ensure_open(conn, tender_id, now)).await?;
    let used = state.db.read(move |conn| bid_file::total_size(conn, bid_id)).await?.max(0) as u64;
    let (max_file, max_bid) = (state.settings.max_file_bytes, state.settings.max_bid_bytes);
    let mut stored = None;
    while let Some(field) = payload.next().await {
        let field = field.map_err(|e| Error::invalid("file", format!("Het uploaden is afgebroken: {e}")))?;
        if field.name() == Some("file") && stored.is_none() {
            let room = max_bid.saturating_sub(used);
            stored = Some(upload::store(field, accept, &state.vault_dir(tender_id), key, max_file, room).await?);
        }
    }
    stored.ok_or_else(|| Error::invalid("file", "Kies een bestand om te uploaden."))
}

/// Makes a received file part of the bid. Checked again now the file is complete, under the
/// bid's lock: the deadline to the second, the bid not submitted meanwhile, and the limit with
/// uploads that ran alongside. A prijzenblad replaces the bid's earlier one.
pub async fn record(
    state: &AppState,
    user: &User,
    b: &BidRow,
    key: &TenderKey,
    up: Uploaded,
    prices: Option<PriceSheet>,
) -> Result<i64, Error> {
    let (k, uid, now, vault) = (key.clone(), user.id, state.clock.now(), state.vault_dir(b.tender_id));
    let (bid_id, tender_id, max_bid) = (b.id, b.tender_id, state.settings.max_bid_bytes);
    state
        .db
        .write(move |conn| {
            bid::claim_for_change(conn, bid_id, now)?;
            submission::ensure_open(conn, tender_id, now)?;
            let kind = if prices.is_some() { bid_file::PRICE_SHEET } else { bid_file::DOCUMENT };
            if kind == bid_file::PRICE_SHEET {
                for earlier in bid_file::list(conn, &k, bid_id)?.into_iter().filter(|f| f.kind == kind) {
                    take_out(conn, bid_id, earlier.id, &vault)?;
                }
            }
            if bid_file::total_size(conn, bid_id)?.max(0) as u64 + up.sealed.size > max_bid {
                return Err(Error::invalid(
                    "file",
                    format!(
                        "{} past niet meer: de inschrijving mag samen hoogstens {} MB aan bestanden bevatten.",
                        up.name,
                        max_bid / 1024 / 1024
                    ),
                ));
            }
            let new = NewFile {
                bid_id,
                kind,
                storage_name: &up.storage_name,
                name: &up.name,
                content_type: &up.content_type,
                sealed: &up.sealed,
                uploaded_by: uid,
                prices: prices.as_ref(),
            };
            let id = bid_file::add(conn, &k, &new)?;
            up.keep();
            Ok(id)
        })
        .await
}

/// Takes a file out of the bid. A file no receipt names is gone for good; a receipted one
/// stays in the vault, as the history does.
fn take_out(conn: &mut crate::db::DbConn, bid_id: i64, file_id: i64, vault: &std::path::Path) -> Result<(), Error> {
    let storage_name = bid_file::remove(conn, bid_id, file_id)?;
    if !submission::receipted(conn, bid_id, file_id)? {
        let _ = std::fs::remove_file(vault.join(storage_name));
    }
    Ok(())
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
    state
        .db
        .write(move |conn| {
            bid::claim_for_change(conn, b.id, now)?;
            submission::ensure_open(conn, b.tender_id, now)?;
            take_out(conn, b.id, file_id, &vault)
        })
        .await
}
