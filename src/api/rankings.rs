//! Rangorde via de API: once a perceel's consensus is final, its prices are scored with the
//! published formula and the bids ranked; a tie after rounding is settled by a recorded draw.

use std::collections::HashMap;

use actix_web::web;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::evaluation::{Perceel, perceel};
use super::problem::Problem;
use super::{ApiResult, Json, created, ok};
use crate::auth::{Inkoper, Staff};
use crate::db::draw::{self, Announcement, Draw};
use crate::db::evaluation_correction::{self, Correction};
use crate::db::evidence_request::{self, EvidenceRequest};
use crate::db::price_sheet;
use crate::db::user::User;
use crate::domain::money;
use crate::domain::price_formula::PriceFormulaKind;
use crate::domain::ranking::{BidInput, DrawResult, Ranking, Score, Setup, rank};
use crate::errors::Error;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Bidder {
    pub bid_id: i64,
    pub bidder: String,
}

#[derive(Serialize, ToSchema)]
pub struct LotRanking {
    pub tender_id: i64,
    pub lot_id: i64,
    pub revealed_at: DateTime<Utc>,
    pub ranking: Ranking,
    pub bidders: Vec<Bidder>,
    pub draws: Vec<Draw>,
    /// Every recorded correction of the perceel's evaluation, oldest first.
    pub corrections: Vec<Correction>,
    /// Evidence asked of provisional winners.
    pub evidence_requests: Vec<EvidenceRequest>,
    /// What was ranked: each bid's price and consensus scores (for the letters and the report).
    #[serde(skip)]
    pub inputs: Vec<BidInput>,
}

/// The perceel's ranking from its consensus scores, its prices and the draws held.
pub async fn ranking(state: &AppState, p: &Perceel) -> Result<LotRanking, Error> {
    let lot = p.lot()?;
    let lot_id = lot.id;
    let revealed_at = p.evaluation.revealed_at.ok_or_else(|| {
        Error::Conflict(
            "De prijzen zijn nog niet zichtbaar: de consensus van dit perceel is nog niet definitief.".into(),
        )
    })?;
    let bids = p.admitted();
    let key = crate::db::tender_key::get(&state.db, &state.master_key, p.tender.id).await?;
    let ids: Vec<i64> = bids.iter().map(|b| b.row.id).collect();
    let (prices, draws, corrections, evidence_requests) = state
        .db
        .read(move |conn| {
            Ok((
                price_sheet::current_of(conn, &key, &ids)?,
                draw::of_lot(conn, lot_id)?,
                evaluation_correction::of_lot(conn, lot_id)?,
                evidence_request::of_lot(conn, lot_id)?,
            ))
        })
        .await?;
    let prices: HashMap<i64, i64> = prices.into_iter().map(|(b, s)| (b, s.prices.total_cents)).collect();
    let mut per_bid: HashMap<i64, Vec<Score>> = HashMap::new();
    for s in &p.evaluation.consensus {
        per_bid.entry(s.bid_id).or_default().push(Score { criterion_id: s.criterion_id, points: s.points });
    }
    let fixed = (lot.price.formula == PriceFormulaKind::FixedPrice)
        .then(|| lot.ceiling_price.and_then(|c| money::to_cents(c).ok()))
        .flatten();
    let inputs: Vec<BidInput> = bids
        .iter()
        .map(|b| BidInput {
            bid_id: b.row.id,
            price_cents: fixed.or_else(|| prices.get(&b.row.id).copied()).unwrap_or_default(),
            scores: per_bid.remove(&b.row.id).unwrap_or_default(),
        })
        .collect();
    let setup = Setup::of(lot, &p.tender.scales, p.tender.rounding).map_err(Error::Internal)?;
    let results: Vec<DrawResult> =
        draws.iter().filter_map(|d| d.outcome.clone()).map(|bid_ids| DrawResult { bid_ids }).collect();
    let ranking = rank(&setup, &inputs, &results).map_err(|problems| {
        Error::Conflict(format!(
            "De rangorde kan niet worden berekend: {}",
            problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(" ")
        ))
    })?;
    let bidders = bids.iter().map(|b| Bidder { bid_id: b.row.id, bidder: b.bidder() }).collect();
    Ok(LotRanking {
        tender_id: p.tender.id,
        lot_id,
        revealed_at,
        ranking,
        bidders,
        draws,
        corrections,
        evidence_requests,
        inputs,
    })
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/lots/{lot_id}/ranking", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)),
    responses((status = 200, body = LotRanking), (status = 409, description = "consensus not final yet", body = Problem)))]
pub async fn get(Staff(user): Staff, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    ok(&ranking(&state, &p).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawInput {
    /// The tied bids; exactly one tied group of the ranking.
    pub bid_ids: Vec<i64>,
    /// RFC 3339, or Dutch local time to the minute (`2027-02-01T10:00`).
    pub scheduled_at: String,
    pub place: String,
    /// Who draws: for example a notary.
    pub conducted_by: String,
}

/// Announces a draw for one tied group and invites its bidders.
pub async fn announce(
    state: &AppState,
    user: &User,
    tender_id: i64,
    lot_id: i64,
    input: DrawInput,
) -> Result<i64, Error> {
    let p = perceel(state, user, tender_id, lot_id).await?;
    let r = ranking(state, &p).await?;
    let mut asked = input.bid_ids.clone();
    asked.sort_unstable();
    let group = r.ranking.ties.iter().find(|g| {
        !g.drawn && {
            let mut ids = g.bid_ids.clone();
            ids.sort_unstable();
            ids == asked
        }
    });
    let Some(group) = group else {
        return Err(Error::invalid(
            "bid_ids",
            "Een loting gaat over precies de inschrijvingen van één gelijke stand waarover nog niet is geloot.",
        ));
    };
    let scheduled_at =
        crate::domain::deadline::parse(&input.scheduled_at).map_err(|e| Error::invalid("scheduled_at", e))?;
    let lot = p.lot()?;
    let about = json!({
        "tender": p.tender.title, "reference": p.tender.reference,
        "lot": format!("perceel {} ({})", lot.number, lot.title), "total": group.total_rounded.to_string().replace('.', ","),
    });
    let (u, now, url, ids) =
        (user.clone(), state.clock.now(), state.settings.public_url.clone(), input.bid_ids.clone());
    state
        .db
        .write(move |conn| {
            let a = Announcement {
                tender_id,
                lot_id,
                bid_ids: &ids,
                scheduled_at,
                place: &input.place,
                conducted_by: &input.conducted_by,
                about,
            };
            draw::announce(conn, &a, &u, now, &url)
        })
        .await
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/draws", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), request_body = DrawInput,
    description = "Announces a draw for a tie after rounding; every user of each tied bidder is mailed when, where and by whom.",
    responses((status = 201, body = LotRanking), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn post(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: Json<DrawInput>,
) -> ApiResult {
    let input = body.0?;
    let (tender_id, lot_id) = path.into_inner();
    let id = announce(&state, &user, tender_id, lot_id, input).await?;
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    created(format!("/api/v1/tenders/{tender_id}/lots/{lot_id}/draws/{id}"), &ranking(&state, &p).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawOutcome {
    #[serde(default)]
    pub attendees: String,
    /// The witnesses or the notary.
    pub witnesses: String,
    /// The tied bids in the order drawn, best first.
    pub outcome: Vec<i64>,
}

/// Records the draw's outcome; the ranking follows it.
pub async fn record(
    state: &AppState,
    user: &User,
    tender_id: i64,
    lot_id: i64,
    draw_id: i64,
    o: DrawOutcome,
) -> Result<LotRanking, Error> {
    let p = perceel(state, user, tender_id, lot_id).await?;
    let (u, now) = (user.clone(), state.clock.now());
    let known = state.db.read(move |conn| draw::of_lot(conn, lot_id)).await?;
    if !known.iter().any(|d| d.id == draw_id) {
        return Err(Error::NotFound("Loting"));
    }
    state
        .db
        .write(move |conn| draw::record(conn, tender_id, draw_id, &o.attendees, &o.witnesses, &o.outcome, &u, now))
        .await?;
    ranking(state, &p).await
}

#[utoipa::path(put, path = "/api/v1/tenders/{id}/lots/{lot_id}/draws/{draw_id}", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path), ("draw_id" = i64, Path)), request_body = DrawOutcome,
    responses((status = 200, body = LotRanking), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    body: Json<DrawOutcome>,
) -> ApiResult {
    let o = body.0?;
    let (tender_id, lot_id, draw_id) = path.into_inner();
    ok(&record(&state, &user, tender_id, lot_id, draw_id, o).await?)
}
