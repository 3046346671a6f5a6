//! Geschiktheid via de API: per bid of an opened perceel the service's proposals with their
//! reasons, and the inkoper's decisions; a bid that fails a knock-out is excluded.

use std::collections::HashMap;

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::evaluation::{Perceel, contents, opened_bid, perceel};
use super::problem::Problem;
use super::{ApiResult, Json, ok};
use crate::auth::Inkoper;
use crate::db::suitability::{self, Decision, DecisionInput, Standing};
use crate::db::user::User;
use crate::domain::bid::BidContent;
use crate::domain::suitability::{Proposal, propose};
use crate::errors::Error;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct BidSuitability {
    pub bid_id: i64,
    /// The bidder (the penvoerder of a combination).
    pub bidder: String,
    pub proposals: Vec<Proposal>,
    pub decisions: Vec<Decision>,
    pub standing: Standing,
}

#[derive(Serialize, ToSchema)]
pub struct LotSuitability {
    pub opened: bool,
    pub bids: Vec<BidSuitability>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuitabilityInput {
    pub decisions: Vec<DecisionInput>,
    /// A recorded decision changes only through a correction with this reason.
    #[serde(default)]
    pub correction_reason: Option<String>,
}

/// Every bid of the perceel with proposals, decisions and standing.
pub async fn assess(state: &AppState, p: &Perceel) -> Result<LotSuitability, Error> {
    Ok(assess_with_contents(state, p).await?.0)
}

/// As `assess`, with the bids' contents (in the order of `p.bids`) for whoever needs them next.
pub async fn assess_with_contents(state: &AppState, p: &Perceel) -> Result<(LotSuitability, Vec<BidContent>), Error> {
    if !p.opened {
        return Ok((LotSuitability { opened: false, bids: vec![] }, vec![]));
    }
    let lot = p.lot()?;
    let criteria = p.tender.selection_criteria_for(lot);
    let (_, list) = contents(state, p.tender.id, &p.bids).await?;
    let ids: Vec<i64> = p.bids.iter().map(|b| b.id).collect();
    let decided = state.db.read(move |conn| suitability::of_bids(conn, &ids)).await?;
    let mut per_bid: HashMap<i64, Vec<Decision>> = HashMap::new();
    for (bid, d) in decided {
        per_bid.entry(bid).or_default().push(d);
    }
    let bids = p
        .bids
        .iter()
        .zip(&list)
        .map(|(b, content)| {
            let decisions = per_bid.remove(&b.id).unwrap_or_default();
            let proposals = propose(p.tender.submission_deadline, &criteria, content);
            BidSuitability {
                bid_id: b.id,
                bidder: content.members.first().map(|m| m.company_name.clone()).unwrap_or_default(),
                standing: suitability::standing(&proposals, &decisions),
                proposals,
                decisions,
            }
        })
        .collect();
    Ok((LotSuitability { opened: true, bids }, list))
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/lots/{lot_id}/suitability", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), responses((status = 200, body = LotSuitability), (status = 404, body = Problem)))]
pub async fn get(Inkoper(user): Inkoper, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    ok(&assess(&state, &p).await?)
}

/// Records the inkoper's decisions for one bid and answers with its new standing.
pub async fn decide(
    state: &AppState,
    user: &User,
    bid_id: i64,
    input: SuitabilityInput,
) -> Result<BidSuitability, Error> {
    let b = opened_bid(state, bid_id).await?;
    let p = perceel(state, user, b.tender_id, b.lot_id).await?;
    let entry =
        |s: LotSuitability| s.bids.into_iter().find(|x| x.bid_id == bid_id).ok_or(Error::NotFound("Inschrijving"));
    let proposals = entry(assess(state, &p).await?)?.proposals;
    let (u, now, tender_id, lot_id) = (user.clone(), state.clock.now(), b.tender_id, b.lot_id);
    state
        .db
        .write(move |conn| {
            let a = suitability::Assessed { tender_id, lot_id, bid_id, proposals: &proposals };
            suitability::decide(conn, &a, &input.decisions, input.correction_reason.as_deref(), &u, now)
        })
        .await?;
    entry(assess(state, &p).await?)
}

#[utoipa::path(put, path = "/api/v1/bids/{bid_id}/suitability", tag = "evaluation", security(("bearer" = [])),
    params(("bid_id" = i64, Path)), request_body = SuitabilityInput,
    description = "Pass or fail per subject (`exclusion_grounds`, `kvk`, `criterion:<id>`), each with a motivation. \
        Changing a recorded decision is a correction and needs a `correction_reason`.",
    responses((status = 200, body = BidSuitability), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<SuitabilityInput>,
) -> ApiResult {
    let input = body.0?;
    ok(&decide(&state, &user, *id, input).await?)
}
