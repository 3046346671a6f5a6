//! Prijzenblad via de API: the tender's Excel price sheet to download; a filled one uploaded
//! into a bid, read in the sandbox and checked cell by cell; the prices read back confirmed.

use std::sync::Arc;

use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::bid_files::{receive, record};
use super::bids::owned;
use super::problem::Problem;
use super::tenders::visible;
use super::{ApiResult, Json, created, ok};
use crate::auth::{Aanbieder, MaybeUser};
use crate::db::audit::{self, Change};
use crate::db::bid::{self, BidRow};
use crate::db::price_sheet::{self, StoredPrices};
use crate::db::snapshot::Snapshot;
use crate::db::user::User;
use crate::db::{submission, tender};
use crate::domain::price_sheet::{COL_AMOUNT, READ_COLUMNS, Workbook};
use crate::domain::price_sheet_check::check;
use crate::errors::{Error, FieldError};
use crate::excel::reader::Bounds;
use crate::excel::sandbox::{self, Limits};
use crate::state::AppState;
use crate::vault::TenderKey;
use crate::vault::sealed_file;
use crate::vault::upload::Accept;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The blank prijzenblad of a tender as a download, written once per version of the tender.
pub async fn download(t: &Arc<Snapshot>) -> Result<HttpResponse, Error> {
    if t.workbook.sheets.is_empty() {
        return Err(Error::Conflict(
            "Deze aanbesteding vraagt geen prijzenblad: elk perceel heeft een vaste prijs.".into(),
        ));
    }
    let bytes = match t.price_sheet.get() {
        Some(bytes) => bytes.clone(),
        None => {
            let snapshot = t.clone();
            web::block(move || {
                let bytes: web::Bytes = crate::excel::price_sheet::write(&snapshot.workbook)?.into();
                Ok::<_, Error>(snapshot.price_sheet.get_or_init(|| bytes).clone())
            })
            .await
            .map_err(|e| Error::Internal(e.to_string()))??
        }
    };
    Ok(super::download::attachment(&format!("prijzenblad-{}.xlsx", t.reference), XLSX, bytes))
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/price-sheet", tag = "bids", params(("id" = i64, Path)),
    description = "The tender's prijzenblad (xlsx): a sheet per perceel, only the price cells unlocked.",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "the workbook"),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn get(MaybeUser(user): MaybeUser, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let t = visible(&state, user.as_ref(), *id).await?;
    Ok(download(&t).await?)
}

/// Reads an uploaded prijzenblad into the bid: streamed into the vault, read back through the
/// sandbox, checked against the perceel's sheet. Refused files leave nothing behind.
pub async fn add_price_sheet(
    state: &AppState,
    user: &User,
    b: &BidRow,
    key: &TenderKey,
    payload: Multipart,
) -> Result<StoredPrices, Error> {
    let t = state.snapshots.get(&state.db, b.tender_id).await?.ok_or(Error::NotFound("Aanbesteding"))?;
    let sheet =
        t.workbook.sheet_for(b.lot_id).cloned().ok_or_else(|| {
            Error::Conflict("Dit perceel heeft een vaste prijs; er hoort geen prijzenblad bij.".into())
        })?;
    let up = receive(state, b, key, payload, Accept::Spreadsheets).await?;
    let (exe, path, k, readers) =
        (state.settings.reader_exe.clone(), up.path().to_owned(), key.clone(), state.readers.clone());
    let bounds = Bounds { last_row: sheet.total_row(), last_col: COL_AMOUNT, columns: READ_COLUMNS.to_vec() };
    let sheets = vec![sheet.name.clone()];
    let read = web::block(move || {
        sandbox::read_cells(&readers, &exe, &sheets, &bounds, &Limits::default(), move |w| {
            sealed_file::copy_to(&path, &k, w)
        })
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))??;
    let extract = read.map_err(|reason| Error::invalid("file", format!("{}: {reason}", up.name)))?;
    let prices = check(&sheet, &extract)
        .map_err(|list| Error::Validation(list.into_iter().map(|r| FieldError::new("file", r)).collect()))?;
    let file_id = record(state, user, b, key, up, Some(prices)).await?;
    let (k, bid_id) = (key.clone(), b.id);
    let stored = state.db.read(move |conn| price_sheet::current(conn, &k, bid_id)).await?;
    // Another upload may have followed this one at once: answer with this file's prices only.
    stored.filter(|s| s.file_id == file_id).ok_or_else(|| {
        Error::Conflict("Er is direct na dit prijzenblad een ander geüpload; bekijk de inschrijving.".into())
    })
}

/// Which prices the bidder confirms: those of this file, as shown to them.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    pub file_id: i64,
}

/// The bidder confirms that the prices read back from this file are theirs; needed before
/// submitting. Refused when another sheet was uploaded since, or the perceel was corrected.
pub async fn confirm_prices(
    state: &AppState,
    user: &User,
    b: &BidRow,
    key: &TenderKey,
    file_id: i64,
) -> Result<StoredPrices, Error> {
    let (k, u, bid_id, tender_id, lot_id, now) =
        (key.clone(), user.clone(), b.id, b.tender_id, b.lot_id, state.clock.now());
    state
        .db
        .write(move |conn| {
            bid::claim_for_change(conn, bid_id, now)?;
            submission::ensure_open(conn, tender_id, now)?;
            let stored = price_sheet::current(conn, &k, bid_id)?
                .ok_or_else(|| Error::invalid("price_sheet", "Upload eerst het ingevulde prijzenblad."))?;
            if stored.file_id != file_id {
                return Err(Error::Conflict(
                    "Er is intussen een ander prijzenblad geüpload. Controleer de prijzen daarvan en bevestig opnieuw.".into(),
                ));
            }
            let t = tender::load(conn, tender_id)?.ok_or(Error::NotFound("Aanbesteding"))?;
            if Workbook::of(&t).sheet_for(lot_id).map(|s| s.kenmerk.as_str()) != Some(stored.prices.kenmerk.as_str()) {
                return Err(Error::Conflict(
                    "Dit prijzenblad hoort bij een eerdere versie van het perceel. Download het opnieuw, vul het in en upload het.".into(),
                ));
            }
            price_sheet::confirm(conn, bid_id, file_id, now)?;
            let change = Change {
                tender_id: Some(tender_id),
                action: "bid.prices_confirmed",
                subject: format!("inschrijving {bid_id}: prijzen uit bestand {file_id} bevestigd"),
                before: None,
                after: None,
            };
            audit::record_sealed(conn, &u.actor(), tender_id, change)?;
            price_sheet::current(conn, &k, bid_id)?.ok_or(Error::NotFound("Prijzenblad"))
        })
        .await
}

#[utoipa::path(post, path = "/api/v1/bids/{bid_id}/price-sheet", tag = "bids", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    description = "multipart/form-data with a field `file`: the filled-in prijzenblad (xlsx, xls or ods). Every problem is named by sheet and cell. Answers with the prices read, still to be confirmed.",
    responses((status = 201, body = StoredPrices), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    payload: Multipart,
) -> ApiResult {
    let (b, key) = owned(&state, &user, *id).await?;
    let stored = add_price_sheet(&state, &user, &b, &key, payload).await?;
    created(format!("/api/v1/bids/{}", b.id), &stored)
}

#[utoipa::path(post, path = "/api/v1/bids/{bid_id}/price-sheet/confirmation", tag = "bids", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    request_body = Confirmation, description = "Confirms the prices read from the uploaded prijzenblad with this file id.",
    responses((status = 200, body = StoredPrices), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn confirm(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<Confirmation>,
) -> ApiResult {
    let c = body.0?;
    let (b, key) = owned(&state, &user, *id).await?;
    ok(&confirm_prices(&state, &user, &b, &key, c.file_id).await?)
}
