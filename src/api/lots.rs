//! Percelen via de API: a perceel with its criteria is written as one whole.

use actix_web::web;

use super::problem::Problem;
use super::{ApiResult, Json, created, no_content, ok};
use crate::auth::Inkoper;
use crate::db::lot;
use crate::domain::lot::{Lot, LotInput};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots", tag = "lots", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = LotInput,
    responses((status = 201, body = Lot), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<LotInput>,
) -> ApiResult {
    let (tender_id, input, actor) = (*id, body.0?, user.actor());
    let l = state
        .db
        .write(move |conn| {
            let fields = input.validate()?;
            let lot_id = lot::insert(conn, tender_id, &fields, &actor)?;
            lot::find(conn, tender_id, lot_id)
        })
        .await?;
    created(format!("/api/v1/tenders/{tender_id}/lots/{}", l.id), &l)
}

#[utoipa::path(put, path = "/api/v1/tenders/{id}/lots/{lot_id}", tag = "lots", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), request_body = LotInput,
    responses((status = 200, body = Lot), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: Json<LotInput>,
) -> ApiResult {
    let ((tender_id, lot_id), input, actor) = (path.into_inner(), body.0?, user.actor());
    let l = state
        .db
        .write(move |conn| {
            let fields = input.validate()?;
            lot::update(conn, tender_id, lot_id, &fields, &actor, None)?;
            lot::find(conn, tender_id, lot_id)
        })
        .await?;
    ok(&l)
}

#[utoipa::path(delete, path = "/api/v1/tenders/{id}/lots/{lot_id}", tag = "lots", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(Inkoper(user): Inkoper, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let ((tender_id, lot_id), actor) = (path.into_inner(), user.actor());
    state.db.write(move |conn| lot::delete(conn, tender_id, lot_id, &actor)).await?;
    no_content()
}
