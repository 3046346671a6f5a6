//! Inschrijvingen via de API: a bidder's draft, its files, submitting and withdrawing.
//! Only the bidder's own company reads a bid; staff learn the number of bids and nothing more.

use actix_multipart::Multipart;
use actix_web::web;
use futures_util::StreamExt;
use serde::Serialize;
use utoipa::ToSchema;

use super::problem::Problem;
use super::tenders::visible;
use super::{ApiResult, Json, created, no_content, ok};
use crate::auth::{Aanbieder, Staff};
use crate::db::bid::{self, BidRow};
use crate::db::bid_file::{self, BidFile, NewFile};
use crate::db::submission::{self, Receipt};
use crate::db::user::User;
use crate::db::{company, tender_key};
use crate::domain::bid::{BidContent, BidStatus, missing};
use crate::errors::{Error, FieldError};
use crate::state::AppState;
use crate::vault::{TenderKey, upload};

#[derive(Serialize, ToSchema)]
pub struct BidView {
    pub id: i64,
    pub tender_id: i64,
    pub lot_id: i64,
    pub status: BidStatus,
    /// True when a correction was published after submitting: confirm by submitting again.
    pub needs_reconfirmation: bool,
    pub content: BidContent,
    pub files: Vec<BidFile>,
    /// What still stands in the way of submitting.
    pub missing: Vec<FieldError>,
    pub receipts: Vec<Receipt>,
}

/// The bid with everything its owner sees.
pub async fn view(state: &AppState, b: &BidRow, key: &TenderKey) -> Result<BidView, Error> {
    let t = state.snapshots.get(&state.db, b.tender_id).await?.ok_or(Error::NotFound("Aanbesteding"))?;
    let (bid, k) = (b.clone(), key.clone());
    let (content, files, receipts) = state
        .db
        .read(move |conn| {
            Ok((
                bid::content(conn, &k, bid.id)?,
                bid_file::list(conn, &k, bid.id)?,
                submission::receipts(conn, &k, bid.id)?,
            ))
        })
        .await?;
    let lot = t.lots.iter().find(|l| l.id == b.lot_id).ok_or(Error::NotFound("Perceel"))?;
    let criteria: Vec<_> = t.selection_criteria.iter().filter(|c| c.lot.is_none_or(|n| n == lot.number)).collect();
    Ok(BidView {
        id: b.id,
        tender_id: b.tender_id,
        lot_id: b.lot_id,
        status: b.status(),
        needs_reconfirmation: b.needs_reconfirmation,
        missing: missing(&content, &criteria, &lot.quality_criteria),
        content,
        files,
        receipts,
    })
}

/// The caller's own bid and the key to its contents; anyone else's bid does not exist.
pub async fn owned(state: &AppState, user: &User, bid_id: i64) -> Result<(BidRow, TenderKey), Error> {
    let u = user.clone();
    let b = state.db.read(move |conn| bid::owned(conn, bid_id, &u)).await?;
    let key = tender_key::get(&state.db, &state.master_key, b.tender_id).await?;
    Ok((b, key))
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/bids", tag = "bids", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)),
    description = "Starts the company's bid on the perceel, or returns the one it already has.",
    responses((status = 201, body = BidView), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn create(Aanbieder(user): Aanbieder, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    let (b, key) = start(&state, &user, tender_id, lot_id).await?;
    created(format!("/api/v1/bids/{}", b.id), &view(&state, &b, &key).await?)
}

/// The company's bid on a perceel of a published tender, started now if it has none yet.
pub async fn start(state: &AppState, user: &User, tender_id: i64, lot_id: i64) -> Result<(BidRow, TenderKey), Error> {
    let t = visible(state, Some(user), tender_id).await?;
    if t.is_draft() {
        return Err(Error::NotFound("Aanbesteding"));
    }
    let lot = t.lots.iter().find(|l| l.id == lot_id).ok_or(Error::NotFound("Perceel"))?.id;
    let key = tender_key::get(&state.db, &state.master_key, tender_id).await?;
    let company_id = user.company_id.ok_or(Error::NotFound("Bedrijf"))?;
    let (now, k, u) = (state.clock.now(), key.clone(), user.clone());
    let b = state
        .db
        .write(move |conn| {
            submission::ensure_open(conn, tender_id, now)?;
            let c = company::find(conn, company_id)?.ok_or(Error::NotFound("Bedrijf"))?;
            let id = bid::create(conn, &k, tender_id, lot, &c, &u)?;
            crate::db::interest::register(conn, tender_id, c.id, &u)?;
            bid::find(conn, id)?.ok_or(Error::NotFound("Inschrijving"))
        })
        .await?;
    Ok((b, key))
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/bids", tag = "bids", security(("bearer" = [])), params(("id" = i64, Path)),
    description = "The caller's own bids in this tender.",
    responses((status = 200, body = Vec<BidView>), (status = 404, body = Problem)))]
pub async fn mine(Aanbieder(user): Aanbieder, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let t = visible(&state, Some(&user), *id).await?;
    let (tender_id, company_id) = (t.id, user.company_id.ok_or(Error::NotFound("Bedrijf"))?);
    let rows = state.db.read(move |conn| bid::of_company(conn, tender_id, company_id)).await?;
    let key = tender_key::get(&state.db, &state.master_key, tender_id).await?;
    let mut views = Vec::new();
    for b in &rows {
        views.push(view(&state, b, &key).await?);
    }
    ok(&views)
}

#[derive(Serialize, ToSchema)]
pub struct LotCount {
    pub lot_id: i64,
    pub lot_number: i32,
    pub submitted: i64,
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/bid-counts", tag = "bids", security(("bearer" = [])), params(("id" = i64, Path)),
    description = "How many bids stand submitted per perceel: all that staff learn before the opening.",
    responses((status = 200, body = Vec<LotCount>), (status = 404, body = Problem)))]
pub async fn counts(Staff(user): Staff, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let t = visible(&state, Some(&user), *id).await?;
    let tender_id = t.id;
    let per_lot = state.db.read(move |conn| bid::submitted_per_lot(conn, tender_id)).await?;
    let counts: Vec<LotCount> = t
        .lots
        .iter()
        .map(|l| LotCount {
            lot_id: l.id,
            lot_number: l.number,
            submitted: per_lot.iter().find(|(id, _)| *id == l.id).map_or(0, |(_, n)| *n),
        })
        .collect();
    ok(&counts)
}

#[utoipa::path(get, path = "/api/v1/bids/{bid_id}", tag = "bids", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    responses((status = 200, body = BidView), (status = 404, body = Problem)))]
pub async fn get(Aanbieder(user): Aanbieder, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let (b, key) = owned(&state, &user, *id).await?;
    ok(&view(&state, &b, &key).await?)
}

#[utoipa::path(put, path = "/api/v1/bids/{bid_id}", tag = "bids", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    request_body = BidContent, description = "Saves the draft as it stands; incomplete is fine until submitting.",
    responses((status = 200, body = BidView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn save(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<BidContent>,
) -> ApiResult {
    let content = body.0?;
    let (b, key) = owned(&state, &user, *id).await?;
    let (bid_row, k, now) = (b.clone(), key.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            submission::ensure_open(conn, bid_row.tender_id, now)?;
            bid::save(conn, &k, &bid_row, &content)
        })
        .await?;
    ok(&view(&state, &b, &key).await?)
}

/// Streams the uploaded document into the vault, then records it; refused after the deadline.
pub async fn add_file(
    state: &AppState,
    user: &User,
    b: &BidRow,
    key: &TenderKey,
    mut payload: Multipart,
) -> Result<i64, Error> {
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
            stored = Some(upload::store(field, &state.vault_dir(tender_id), key, max_file, room).await?);
        }
    }
    let up = stored.ok_or_else(|| Error::invalid("file", "Kies een bestand om te uploaden."))?;
    let (k, uid, now) = (key.clone(), user.id, state.clock.now());
    state
        .db
        .write(move |conn| {
            // Checked again now the file is complete, under the bid's lock: the deadline to the
            // second, the bid not submitted meanwhile, and the limit with uploads that ran alongside.
            bid::claim_for_change(conn, bid_id, now)?;
            submission::ensure_open(conn, tender_id, now)?;
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
                kind: "document",
                storage_name: &up.storage_name,
                name: &up.name,
                content_type: &up.content_type,
                sealed: &up.sealed,
                uploaded_by: uid,
            };
            let id = bid_file::add(conn, &k, &new)?;
            up.keep();
            Ok(id)
        })
        .await
}

fn submitted() -> Error {
    Error::Conflict("Deze inschrijving is ingediend. Trek haar eerst in om haar te wijzigen.".into())
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

/// Takes a document out of a bid that is not submitted, before the deadline.
pub async fn remove_document(state: &AppState, b: BidRow, file_id: i64) -> Result<(), Error> {
    let (now, vault) = (state.clock.now(), state.vault_dir(b.tender_id));
    state
        .db
        .write(move |conn| {
            bid::claim_for_change(conn, b.id, now)?;
            submission::ensure_open(conn, b.tender_id, now)?;
            let storage_name = bid_file::remove(conn, b.id, file_id)?;
            // A file no receipt names is gone for good; a receipted one stays, as the history does.
            if !submission::receipted(conn, b.id, file_id)? {
                let _ = std::fs::remove_file(vault.join(storage_name));
            }
            Ok(())
        })
        .await
}

#[utoipa::path(post, path = "/api/v1/bids/{bid_id}/submission", tag = "bids", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    description = "Submits the bid as it stands, before the deadline to the second; answers with the receipt.",
    responses((status = 201, body = Receipt), (status = 409, description = "late, or already submitted", body = Problem),
              (status = 422, description = "incomplete", body = Problem)))]
pub async fn submit(Aanbieder(user): Aanbieder, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let (b, key) = owned(&state, &user, *id).await?;
    let (k, u, now, url) = (key.clone(), user.clone(), state.clock.now(), state.settings.public_url.clone());
    let bid_id = b.id;
    let receipt = state
        .db
        .write(move |conn| {
            let submission_id = submission::submit(conn, &k, &b, now, &u, &url)?;
            submission::receipts(conn, &k, bid_id)?
                .into_iter()
                .find(|r| r.id == submission_id)
                .ok_or(Error::NotFound("Ontvangstbewijs"))
        })
        .await?;
    created(format!("/api/v1/bids/{bid_id}"), &receipt)
}

#[utoipa::path(post, path = "/api/v1/bids/{bid_id}/withdrawal", tag = "bids", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    responses((status = 204), (status = 409, body = Problem)))]
pub async fn withdraw(Aanbieder(user): Aanbieder, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let (b, _) = owned(&state, &user, *id).await?;
    let (u, now) = (user.clone(), state.clock.now());
    state.db.write(move |conn| submission::withdraw(conn, &b, now, &u)).await?;
    no_content()
}
