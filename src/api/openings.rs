//! Opening via de API: two inkopers open the vault after the deadline; then bids are readable.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::bids::{BidView, view};
use super::problem::Problem;
use super::tenders::visible;
use super::{ApiResult, ok};
use crate::auth::{Inkoper, Staff};
use crate::db::opening::{self, OpeningState, Report, Step};
use crate::db::{consensus, tender_key};
use crate::errors::Error;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Confirmation {
    /// `awaiting_second` or `opened`.
    pub status: &'static str,
    /// With `awaiting_second`: before when a second inkoper must confirm.
    pub second_before: Option<DateTime<Utc>>,
    pub report: Option<Report>,
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/opening", tag = "opening", security(("bearer" = [])), params(("id" = i64, Path)),
    description = "Confirms the opening. The first confirmation waits ten minutes for a second, different inkoper; \
                   then the vault opens and the proces-verbaal is made. Too early or alone is refused and recorded.",
    responses((status = 202, body = Confirmation), (status = 200, body = Confirmation), (status = 409, body = Problem)))]
pub async fn confirm(Inkoper(user): Inkoper, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let t = visible(&state, Some(&user), *id).await?;
    let key = tender_key::get(&state.db, &state.master_key, t.id).await?;
    let (tender_id, now, url) = (t.id, state.clock.now(), state.settings.public_url.clone());
    let step = state.db.write(move |conn| opening::confirm(conn, &key, tender_id, &user, now, &url)).await?;
    match step {
        Step::Refused(reason) => Err(Error::Conflict(reason).into()),
        Step::AwaitingSecond { until } => Ok(HttpResponse::Accepted().json(Confirmation {
            status: "awaiting_second",
            second_before: Some(until),
            report: None,
        })),
        Step::Opened(report) => ok(&Confirmation { status: "opened", second_before: None, report: Some(report) }),
    }
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/opening", tag = "opening", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = OpeningState), (status = 404, body = Problem)))]
pub async fn state(Staff(user): Staff, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let t = visible(&state, Some(&user), *id).await?;
    let tender_id = t.id;
    ok(&state.db.read(move |conn| opening::state(conn, tender_id)).await?)
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/opened-bids", tag = "opening", security(("bearer" = [])), params(("id" = i64, Path)),
    description = "Every submitted bid with its contents, once the vault is open. Before that: refused, and the attempt recorded. Prices (`price_sheet`) only once the perceel's consensus is final.",
    responses((status = 200, body = Vec<BidView>), (status = 409, description = "still sealed", body = Problem)))]
pub async fn bids(Inkoper(user): Inkoper, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let t = visible(&state, Some(&user), *id).await?;
    let tender_id = t.id;
    let refused = state
        .db
        .write(move |conn| {
            if opening::is_opened(conn, tender_id)? {
                return Ok(false);
            }
            opening::refuse_read(conn, tender_id, &user)?;
            Ok(true)
        })
        .await?;
    if refused {
        return Err(Error::Conflict(
            "De inschrijvingen zijn verzegeld tot twee inkopers de kluis na de sluitingstermijn hebben geopend.".into(),
        )
        .into());
    }
    let key = tender_key::get(&state.db, &state.master_key, tender_id).await?;
    let lots: Vec<i64> = t.lots.iter().map(|l| l.id).collect();
    let (rows, revealed) = state
        .db
        .read(move |conn| {
            let revealed = lots
                .into_iter()
                .filter_map(|l| consensus::revealed(conn, l).transpose().map(|r| r.map(|_| l)))
                .collect::<Result<Vec<i64>, Error>>()?;
            Ok((opening::submitted(conn, tender_id)?, revealed))
        })
        .await?;
    let mut views = Vec::new();
    for b in &rows {
        let mut v = view(&state, b, &key).await?;
        // Prices stay hidden until the perceel's consensus is final, for every role.
        if !revealed.contains(&b.lot_id) {
            v.price_sheet = None;
        }
        views.push(v);
    }
    ok(&views)
}
