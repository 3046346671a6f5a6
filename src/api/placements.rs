//! Plaatsingen via de API: a klantmanager records, ends and moves the placements of the own
//! gemeente; management reads every gemeente's. Each write checks the region's capacity and
//! mails management about what newly needs attention.

use actix_web::web;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::problem::Problem;
use super::{ApiResult, Json, Page, PageQuery, created, ok};
use crate::auth::{CapacityReader, Klantmanager};
use crate::db::placement::{self, NewPlacement, Placement};
use crate::db::user::User;
use crate::db::{DbConn, capacity_notice, scope};
use crate::domain::placement::EndReason;
use crate::errors::Error;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    /// Only this gemeente (CBS code); a klantmanager sees only the own one anyway.
    pub gemeente: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/placements", tag = "capacity", security(("bearer" = [])), params(PageQuery, Filter),
    responses((status = 200, body = Page<Placement>), (status = 404, body = Problem)))]
pub async fn list(
    CapacityReader(user): CapacityReader,
    state: web::Data<AppState>,
    q: web::Query<PageQuery>,
    f: web::Query<Filter>,
) -> ApiResult {
    let (request, only) = (q.request(), f.into_inner().gemeente);
    let (items, total) = state
        .db
        .read(move |conn| {
            let ids = scope::municipality_ids(conn, &user, only.as_deref())?;
            placement::page(conn, &ids, request)
        })
        .await?;
    ok(&Page::new(items, request, total))
}

/// After a write: the region of the gemeente is checked and management told what is new.
pub fn warn(
    conn: &mut DbConn,
    municipality_id: i64,
    state_url: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Error> {
    let region = capacity_notice::region_of_municipality(conn, municipality_id)?;
    capacity_notice::region_changed(conn, &region, now, state_url)?;
    Ok(())
}

/// Records a placement for the klantmanager's gemeente.
pub async fn record(state: &AppState, user: &User, new: NewPlacement) -> Result<Placement, Error> {
    let (u, now, url) = (user.clone(), state.clock.now(), state.settings.public_url.clone());
    state
        .db
        .write(move |conn| {
            let m = scope::own(conn, &u)?;
            let p = placement::add(conn, m.id, &new, &u, now)?;
            warn(conn, m.id, &url, now)?;
            Ok(p)
        })
        .await
}

#[utoipa::path(post, path = "/api/v1/placements", tag = "capacity", security(("bearer" = [])), request_body = NewPlacement,
    description = "Places a cursist of the klantmanager's gemeente. A full contract refuses (422 on overrule_reason) unless a reason is given.",
    responses((status = 201, body = Placement), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    Klantmanager(user): Klantmanager,
    state: web::Data<AppState>,
    body: Json<NewPlacement>,
) -> ApiResult {
    let p = record(&state, &user, body.0?).await?;
    created(format!("/api/v1/placements/{}", p.id), &p)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    pub ended_on: NaiveDate,
    /// afgerond, afgeschaald or uitgevallen.
    pub reason: String,
}

/// Ends a placement of the klantmanager's gemeente.
pub async fn finish(state: &AppState, user: &User, id: i64, e: Ending) -> Result<Placement, Error> {
    let reason = EndReason::parse(&e.reason)
        .ok_or_else(|| Error::invalid("reason", "Kies afgerond, afgeschaald of uitgevallen."))?;
    let (u, now, url) = (user.clone(), state.clock.now(), state.settings.public_url.clone());
    state
        .db
        .write(move |conn| {
            let m = scope::own(conn, &u)?;
            let p = placement::end(conn, m.id, id, e.ended_on, reason, &u)?;
            warn(conn, m.id, &url, now)?;
            Ok(p)
        })
        .await
}

#[utoipa::path(post, path = "/api/v1/placements/{placement_id}/end", tag = "capacity", security(("bearer" = [])),
    params(("placement_id" = i64, Path)), request_body = Ending,
    responses((status = 200, body = Placement), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn end(
    Klantmanager(user): Klantmanager,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<Ending>,
) -> ApiResult {
    ok(&finish(&state, &user, *id, body.0?).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Move {
    pub placement_ids: Vec<i64>,
    pub to_contract_id: i64,
    /// Needed when more than 15 cursisten move at once.
    #[serde(default)]
    pub confirm: bool,
    /// Needed when the new contract is full.
    #[serde(default)]
    pub overrule_reason: String,
}

#[utoipa::path(post, path = "/api/v1/placements/move", tag = "capacity", security(("bearer" = [])), request_body = Move,
    description = "Moves running placements to another provider of the same leerroute; more than 15 at once only with confirm.",
    responses((status = 200, body = Vec<Placement>), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn relocate(Klantmanager(user): Klantmanager, state: web::Data<AppState>, body: Json<Move>) -> ApiResult {
    let m = body.0?;
    let (now, url) = (state.clock.now(), state.settings.public_url.clone());
    let moved = state
        .db
        .write(move |conn| {
            let own = scope::own(conn, &user)?;
            let moved = placement::move_to(
                conn,
                own.id,
                &m.placement_ids,
                m.to_contract_id,
                (m.confirm, &m.overrule_reason),
                &user,
            )?;
            warn(conn, own.id, &url, now)?;
            Ok(moved)
        })
        .await?;
    ok(&moved)
}
