//! Prijzenblad via de API: the tender's Excel price sheet to download; a filled one uploaded
//! into a bid, read in the sandbox and checked cell by cell; the prices read back confirmed.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};

use super::bid_files::{receive, record};
use super::bids::owned;
use super::problem::Problem;
use super::tenders::visible;
use super::{ApiResult, created, ok};
use crate::auth::{Aanbieder, MaybeUser};
use crate::db::bid::{self, BidRow};
use crate::db::bid_file::{self, StoredPrices};
use crate::db::snapshot::Snapshot;
use crate::db::submission;
use crate::db::user::User;
use crate::domain::price_sheet::INSTRUCTIONS_SHEET;
use crate::domain::price_sheet_check::check;
use crate::errors::{Error, FieldError};
use crate::excel::sandbox::{self, Limits};
use crate::state::AppState;
use crate::vault::TenderKey;
use crate::vault::sealed_file;
use crate::vault::upload::Accept;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The blank prijzenblad of a tender as a download.
pub async fn download(t: &Snapshot) -> Result<HttpResponse, Error> {
    if t.workbook.sheets.is_empty() {
        return Err(Error::Conflict(
            "Deze aanbesteding vraagt geen prijzenblad: elk perceel heeft een vaste prijs.".into(),
        ));
    }
    let workbook = t.workbook.clone();
    let bytes = web::block(move || crate::excel::price_sheet::write(&workbook))
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
    let name: String =
        t.reference.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    Ok(HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"prijzenblad-{name}.xlsx\"")))
        .body(bytes))
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
    let (exe, path, k) = (state.settings.reader_exe.clone(), up.path().to_owned(), key.clone());
    let sheets = vec![INSTRUCTIONS_SHEET.to_owned(), sheet.name.clone()];
    let read = web::block(move || {
        sandbox::read_cells(&exe, &sheets, &Limits::default(), move |w| sealed_file::copy_to(&path, &k, w))
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))??;
    let extract = read.map_err(|reason| Error::invalid("file", format!("{}: {reason}", up.name)))?;
    let prices = check(&t.workbook, &sheet, &extract)
        .map_err(|list| Error::Validation(list.into_iter().map(|r| FieldError::new("file", r)).collect()))?;
    record(state, user, b, key, up, Some(prices)).await?;
    current(state, b, key).await
}

async fn current(state: &AppState, b: &BidRow, key: &TenderKey) -> Result<StoredPrices, Error> {
    let (k, bid_id) = (key.clone(), b.id);
    state.db.read(move |conn| bid_file::prices(conn, &k, bid_id)).await?.ok_or(Error::NotFound("Prijzenblad"))
}

/// The bidder confirms that the prices read back are theirs; needed before submitting.
pub async fn confirm_prices(state: &AppState, b: &BidRow, key: &TenderKey) -> Result<StoredPrices, Error> {
    let (k, bid_id, tender_id, now) = (key.clone(), b.id, b.tender_id, state.clock.now());
    state
        .db
        .write(move |conn| {
            bid::claim_for_change(conn, bid_id, now)?;
            submission::ensure_open(conn, tender_id, now)?;
            let stored = bid_file::prices(conn, &k, bid_id)?
                .ok_or_else(|| Error::invalid("price_sheet", "Upload eerst het ingevulde prijzenblad."))?;
            bid_file::confirm_prices(conn, bid_id, stored.file_id)
        })
        .await?;
    current(state, b, key).await
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
    description = "Confirms the prices read from the uploaded prijzenblad.",
    responses((status = 200, body = StoredPrices), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn confirm(Aanbieder(user): Aanbieder, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let (b, key) = owned(&state, &user, *id).await?;
    ok(&confirm_prices(&state, &b, &key).await?)
}
