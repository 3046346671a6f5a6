//! Geschiktheidseisen via de API.

use actix_web::web;

use super::problem::Problem;
use super::{ApiResult, Json, created, no_content, ok};
use crate::auth::Inkoper;
use crate::db::selection_criterion;
use crate::domain::selection_criterion::{SelectionCriterion, SelectionCriterionInput};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/tenders/{id}/selection-criteria", tag = "selection criteria", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = SelectionCriterionInput,
    responses((status = 201, body = SelectionCriterion), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<SelectionCriterionInput>,
) -> ApiResult {
    let (tender_id, input, actor) = (*id, body.0?, user.actor());
    let c = state
        .db
        .write(move |conn| {
            let input = input.validate()?;
            let id = selection_criterion::insert(conn, tender_id, &input, &actor)?;
            selection_criterion::find(conn, tender_id, id)
        })
        .await?;
    created(format!("/api/v1/tenders/{tender_id}/selection-criteria/{}", c.id), &c)
}

#[utoipa::path(put, path = "/api/v1/tenders/{id}/selection-criteria/{criterion_id}", tag = "selection criteria", security(("bearer" = [])),
    params(("id" = i64, Path), ("criterion_id" = i64, Path)), request_body = SelectionCriterionInput,
    responses((status = 200, body = SelectionCriterion), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: Json<SelectionCriterionInput>,
) -> ApiResult {
    let ((tender_id, id), input, actor) = (path.into_inner(), body.0?, user.actor());
    let c = state
        .db
        .write(move |conn| {
            let input = input.validate()?;
            selection_criterion::update(conn, tender_id, id, &input, &actor, None)?;
            selection_criterion::find(conn, tender_id, id)
        })
        .await?;
    ok(&c)
}

#[utoipa::path(delete, path = "/api/v1/tenders/{id}/selection-criteria/{criterion_id}", tag = "selection criteria", security(("bearer" = [])),
    params(("id" = i64, Path), ("criterion_id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn delete(Inkoper(user): Inkoper, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let ((tender_id, id), actor) = (path.into_inner(), user.actor());
    state.db.write(move |conn| selection_criterion::delete(conn, tender_id, id, &actor)).await?;
    no_content()
}
