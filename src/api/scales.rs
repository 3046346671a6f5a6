//! Beoordelingsschalen via de API.

use actix_web::web;

use super::problem::Problem;
use super::{ApiResult, Json, created, no_content, ok};
use crate::auth::Inkoper;
use crate::db::scale;
use crate::domain::scale::{Scale, ScaleInput};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/v1/tenders/{id}/scales", tag = "scales", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ScaleInput,
    responses((status = 201, body = Scale), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<ScaleInput>,
) -> ApiResult {
    let (tender_id, input, actor) = (*id, body.0?, user.actor());
    let s = state
        .db
        .write(move |conn| {
            let input = input.validate()?;
            let scale_id = scale::insert(conn, tender_id, &input, &actor)?;
            scale::find(conn, tender_id, scale_id)
        })
        .await?;
    created(format!("/api/v1/tenders/{tender_id}/scales/{}", s.id), &s)
}

#[utoipa::path(put, path = "/api/v1/tenders/{id}/scales/{scale_id}", tag = "scales", security(("bearer" = [])),
    params(("id" = i64, Path), ("scale_id" = i64, Path)), request_body = ScaleInput,
    responses((status = 200, body = Scale), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: Json<ScaleInput>,
) -> ApiResult {
    let ((tender_id, scale_id), input, actor) = (path.into_inner(), body.0?, user.actor());
    let s = state
        .db
        .write(move |conn| {
            let input = input.validate()?;
            scale::update(conn, tender_id, scale_id, &input, &actor, None)?;
            scale::find(conn, tender_id, scale_id)
        })
        .await?;
    ok(&s)
}

#[utoipa::path(delete, path = "/api/v1/tenders/{id}/scales/{scale_id}", tag = "scales", security(("bearer" = [])),
    params(("id" = i64, Path), ("scale_id" = i64, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, description = "in use, or published", body = Problem)))]
pub async fn delete(Inkoper(user): Inkoper, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let ((tender_id, scale_id), actor) = (path.into_inner(), user.actor());
    state.db.write(move |conn| scale::delete(conn, tender_id, scale_id, &actor)).await?;
    no_content()
}
