//! Belangstelling via de API: an aanbieder follows a published tender, and from then on hears
//! of every nota van inlichtingen, correction, deadline change and reminder.

use actix_web::web;
use serde::Serialize;
use utoipa::ToSchema;

use super::problem::Problem;
use super::tenders::visible;
use super::{ApiResult, created, ok};
use crate::auth::Aanbieder;
use crate::db::interest;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Interest {
    pub tender_id: i64,
    /// Always true: following is what this records.
    pub following: bool,
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/interest", tag = "enquiries", security(("bearer" = [])),
    params(("id" = i64, Path)),
    description = "The caller's company follows the published tender. Asking a question or starting a bid does the same. \
                   201 the first time, 200 when the company already follows it.",
    responses((status = 201, body = Interest), (status = 200, body = Interest), (status = 404, body = Problem)))]
pub async fn create(Aanbieder(user): Aanbieder, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let t = visible(&state, Some(&user), *id).await?;
    let (tender_id, u) = (t.id, user.clone());
    let new = state.db.write(move |conn| interest::follow(conn, tender_id, &u)).await?;
    let body = Interest { tender_id, following: true };
    if new { created(format!("/api/v1/tenders/{tender_id}/interest"), &body) } else { ok(&body) }
}
