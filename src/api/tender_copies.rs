//! Heraanbesteden via de API: a perceel whose decision "niet gegund" went out becomes perceel 1
//! of a new concept tender, with its criteria, scales and geschiktheidseisen.

use actix_web::web;

use super::awards::lot_award;
use super::problem::Problem;
use super::{ApiResult, created};
use crate::auth::Inkoper;
use crate::db::user::User;
use crate::domain::award::AwardStatus;
use crate::errors::Error;
use crate::state::AppState;

/// Copies a perceel that ends "niet gegund" into a new concept tender; answers its id.
pub async fn copy(state: &AppState, user: &User, tender_id: i64, lot_id: i64) -> Result<i64, Error> {
    let p = super::evaluation::perceel(state, user, tender_id, lot_id).await?;
    let not_awarded = lot_award(state, tender_id, lot_id)
        .await?
        .decisions
        .into_iter()
        .rev()
        .find(|d| d.status != AwardStatus::Withdrawn);
    if !not_awarded
        .is_some_and(|d| d.winner_bid_ids.is_empty() && matches!(d.status, AwardStatus::Sent | AwardStatus::Definitive))
    {
        return Err(Error::Conflict(
            "Alleen een perceel waarvan het besluit \"niet gegund\" is verzonden, wordt opnieuw aanbesteed.".into(),
        ));
    }
    let lot = p.lot()?;
    let now = state.clock.now();
    let reference = format!("{}-P{}-{}", p.tender.reference, lot.number, now.format("%Y%m%d%H%M%S"));
    let input = crate::domain::tender_copy::copy_of(&p.tender, lot, &reference, now);
    let actor = user.actor();
    state.db.write(move |conn| crate::db::setup::create(conn, &input, now, &actor)).await
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/copy", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)),
    description = "A perceel that ends \"niet gegund\" becomes perceel 1 of a new concept tender, with its criteria, scales and geschiktheidseisen.",
    responses((status = 201, body = crate::domain::tender::Tender), (status = 409, body = Problem)))]
pub async fn post(Inkoper(user): Inkoper, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    let id = copy(&state, &user, tender_id, lot_id).await?;
    let t =
        state.db.read(move |conn| crate::db::tender::load(conn, id)).await?.ok_or(Error::NotFound("Aanbesteding"))?;
    created(format!("/api/v1/tenders/{id}"), &t)
}
