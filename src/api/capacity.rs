//! Capaciteit via de API: the trajectory places per year of a contract in the register, per
//! gemeente or as a regional total with an allocation.

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problem::Problem;
use super::{ApiResult, Json, ok};
use crate::auth::{ContractKeeper, Staff};
use crate::db::user::User;
use crate::db::{capacity, capacity_notice, contract};
use crate::domain::capacity::YearCapacity;
use crate::errors::Error;
use crate::state::AppState;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    pub years: Vec<YearCapacity>,
}

#[utoipa::path(get, path = "/api/v1/contracts/{contract_id}/capacity", tag = "capacity", security(("bearer" = [])),
    params(("contract_id" = i64, Path)), responses((status = 200, body = Capacity), (status = 404, body = Problem)))]
pub async fn get(Staff(_user): Staff, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let contract_id = *id;
    let years = state
        .db
        .read(move |conn| {
            contract::find(conn, contract_id)?;
            capacity::years_of(conn, contract_id)
        })
        .await?;
    ok(&Capacity { years })
}

/// Sets the places of the years given and checks the region's capacity against the forecast.
pub async fn set(
    state: &AppState,
    user: &User,
    contract_id: i64,
    years: Vec<YearCapacity>,
) -> Result<Vec<YearCapacity>, Error> {
    let (u, now, url) = (user.clone(), state.clock.now(), state.settings.public_url.clone());
    state
        .db
        .write(move |conn| {
            let c = contract::find(conn, contract_id)?;
            let after = capacity::set(conn, &c, &years, &u)?;
            if let Some(region) = capacity_notice::region_of_contract(conn, c.id)? {
                capacity_notice::region_changed(conn, &region, now, &url)?;
            }
            Ok(after)
        })
        .await
}

#[utoipa::path(put, path = "/api/v1/contracts/{contract_id}/capacity", tag = "capacity", security(("bearer" = [])),
    params(("contract_id" = i64, Path)), request_body = Capacity,
    description = "Replaces the places of the years given; other years stay. Allocations may not exceed the total.",
    responses((status = 200, body = Capacity), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    ContractKeeper(user): ContractKeeper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<Capacity>,
) -> ApiResult {
    let years = set(&state, &user, *id, body.0?.years).await?;
    ok(&Capacity { years })
}
