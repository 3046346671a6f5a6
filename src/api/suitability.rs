//! Geschiktheid via de API: per bid of an opened perceel the service's proposals with their
//! reasons, and the inkoper's decisions; a bid that fails a knock-out is excluded.

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::evaluation::{Perceel, bid_perceel, perceel};
use super::problem::Problem;
use super::{ApiResult, Json, ok};
use crate::auth::Inkoper;
use crate::db::suitability::{self, Decision, DecisionInput, Standing};
use crate::db::user::User;
use crate::domain::suitability::Proposal;
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
pub fn assess(p: &Perceel) -> LotSuitability {
    let bids = p
        .evaluation
        .bids
        .iter()
        .map(|b| BidSuitability {
            bid_id: b.row.id,
            bidder: b.bidder(),
            proposals: b.proposals.clone(),
            decisions: b.decisions.clone(),
            standing: b.standing.clone(),
        })
        .collect();
    LotSuitability { opened: p.opened(), bids }
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/lots/{lot_id}/suitability", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), responses((status = 200, body = LotSuitability), (status = 404, body = Problem)))]
pub async fn get(Inkoper(user): Inkoper, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    ok(&assess(&p))
}

/// Records the inkoper's decisions for one bid and answers with its new standing.
pub async fn decide(
    state: &AppState,
    user: &User,
    bid_id: i64,
    input: SuitabilityInput,
) -> Result<BidSuitability, Error> {
    let p = bid_perceel(state, user, bid_id, true).await?;
    let proposals = p.evaluation.bid(bid_id).map(|b| b.proposals.clone()).unwrap_or_default();
    let (u, now, tender_id, lot_id) = (user.clone(), state.clock.now(), p.tender.id, p.lot_id);
    state
        .db
        .write(move |conn| {
            let a = suitability::Assessed { tender_id, lot_id, bid_id, proposals: &proposals };
            suitability::decide(conn, &a, &input.decisions, input.correction_reason.as_deref(), &u, now)
        })
        .await?;
    let p = bid_perceel(state, user, bid_id, true).await?;
    assess(&p).bids.into_iter().find(|x| x.bid_id == bid_id).ok_or(Error::NotFound("Inschrijving"))
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
