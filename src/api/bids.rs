//! Inschrijvingen via de API: a bidder's draft, its files, submitting and withdrawing.
//! Only the bidder's own company reads a bid; staff learn the number of bids and nothing more.

use actix_web::web;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::problem::Problem;
use super::tenders::visible;
use super::{ApiResult, Json, created, no_content, ok};
use crate::auth::{Aanbieder, Staff};
use crate::db::DbConn;
use crate::db::bid::{self, BidRow};
use crate::db::bid_file::{self, BidFile};
use crate::db::price_sheet::{self, StoredPrices};
use crate::db::submission::{self, Receipt};
use crate::db::user::User;
use crate::db::{company, tender_key};
use crate::domain::bid::{BidContent, BidStatus, gaps};
use crate::errors::{Error, FieldError};
use crate::state::AppState;
use crate::vault::TenderKey;

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
    /// The prices read from the current prijzenblad, if one was uploaded.
    pub price_sheet: Option<StoredPrices>,
    /// What still stands in the way of submitting.
    pub missing: Vec<FieldError>,
    pub receipts: Vec<Receipt>,
}

/// The bid with everything its owner sees.
pub async fn view(state: &AppState, b: &BidRow, key: &TenderKey) -> Result<BidView, Error> {
    let t = state.snapshots.get(&state.db, b.tender_id).await?.ok_or(Error::NotFound("Aanbesteding"))?;
    let (bid, k) = (b.clone(), key.clone());
    let (content, files, receipts, price_sheet) = state
        .db
        .read(move |conn| {
            Ok((
                bid::content(conn, &k, bid.id)?,
                bid_file::list(conn, &k, bid.id)?,
                submission::receipts(conn, &k, bid.id)?,
                price_sheet::current(conn, &k, bid.id)?,
            ))
        })
        .await?;
    let lot = t.lots.iter().find(|l| l.id == b.lot_id).ok_or(Error::NotFound("Perceel"))?;
    Ok(BidView {
        id: b.id,
        tender_id: b.tender_id,
        lot_id: b.lot_id,
        status: b.status(),
        needs_reconfirmation: b.needs_reconfirmation,
        missing: gaps(&t, lot, &content, price_sheet.as_ref().map(|s| s.state())),
        content,
        files,
        price_sheet,
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

#[utoipa::path(post, path = "/api/v1/bids/{bid_id}/submission", tag = "bids", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    description = "Submits the bid as it stands, before the deadline to the second; answers with the receipt.",
    responses((status = 201, body = Receipt), (status = 409, description = "late, or already submitted", body = Problem),
              (status = 422, description = "incomplete", body = Problem)))]
pub async fn submit(Aanbieder(user): Aanbieder, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let receipt = issue_receipt(&state, &user, *id, submission::submit).await?;
    created(format!("/api/v1/bids/{}", *id), &receipt)
}

#[utoipa::path(post, path = "/api/v1/bids/{bid_id}/reconfirmation", tag = "bids", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    description = "Confirms a submitted bid again after a correction or a nota van inlichtingen was published; answers with the new receipt.",
    responses((status = 201, body = Receipt), (status = 409, description = "late, or nothing to confirm", body = Problem),
              (status = 422, description = "no longer complete under the corrected set-up", body = Problem)))]
pub async fn reconfirm(Aanbieder(user): Aanbieder, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let receipt = issue_receipt(&state, &user, *id, submission::reconfirm).await?;
    created(format!("/api/v1/bids/{}", *id), &receipt)
}

type Issue = fn(&mut DbConn, &TenderKey, &BidRow, DateTime<Utc>, &User, &str) -> Result<i64, Error>;

/// Submits or reconfirms the caller's bid in one transaction and answers with the new receipt.
pub async fn issue_receipt(state: &AppState, user: &User, bid_id: i64, issue: Issue) -> Result<Receipt, Error> {
    let (b, key) = owned(state, user, bid_id).await?;
    let (u, now, url) = (user.clone(), state.clock.now(), state.settings.public_url.clone());
    state
        .db
        .write(move |conn| {
            let submission_id = issue(conn, &key, &b, now, &u, &url)?;
            submission::receipts(conn, &key, b.id)?
                .into_iter()
                .find(|r| r.id == submission_id)
                .ok_or(Error::NotFound("Ontvangstbewijs"))
        })
        .await
}

#[utoipa::path(post, path = "/api/v1/bids/{bid_id}/withdrawal", tag = "bids", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    responses((status = 204), (status = 409, body = Problem)))]
pub async fn withdraw(Aanbieder(user): Aanbieder, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let (b, _) = owned(&state, &user, *id).await?;
    let (u, now) = (user.clone(), state.clock.now());
    state.db.write(move |conn| submission::withdraw(conn, &b, now, &u)).await?;
    no_content()
}
