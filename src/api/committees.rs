//! Beoordelingscommissie via de API: who assesses a perceel, appointed by the inkoper.

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::evaluation::perceel;
use super::problem::Problem;
use super::{ApiResult, Json, ok};
use crate::auth::{Inkoper, Staff};
use crate::db::committee::{self, Assessor};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Committee {
    pub lot_id: i64,
    /// Every active beoordelaar; the appointed ones carry `appointed_at`.
    pub assessors: Vec<Assessor>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitteeInput {
    /// The user ids of the beoordelaars to appoint; others are taken off.
    pub assessors: Vec<i64>,
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/lots/{lot_id}/committee", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), responses((status = 200, body = Committee), (status = 404, body = Problem)))]
pub async fn get(Staff(user): Staff, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    perceel(&state, &user, tender_id, lot_id).await?;
    let assessors = state.db.read(move |conn| committee::candidates(conn, lot_id)).await?;
    ok(&Committee { lot_id, assessors })
}

#[utoipa::path(put, path = "/api/v1/tenders/{id}/lots/{lot_id}/committee", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), request_body = CommitteeInput,
    responses((status = 200, body = Committee), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: Json<CommitteeInput>,
) -> ApiResult {
    let input = body.0?;
    let (tender_id, lot_id) = path.into_inner();
    perceel(&state, &user, tender_id, lot_id).await?;
    let (u, now) = (user.clone(), state.clock.now());
    let assessors = state
        .db
        .write(move |conn| {
            committee::appoint(conn, tender_id, lot_id, &input.assessors, &u, now)?;
            committee::candidates(conn, lot_id)
        })
        .await?;
    ok(&Committee { lot_id, assessors })
}
