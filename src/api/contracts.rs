//! Raamovereenkomsten via de API: the contracts of a tender, and their activation, which the
//! domain refuses before the Alcatel-termijn has ended.

use actix_web::web;

use super::problem::Problem;
use super::tenders::visible;
use super::{ApiResult, ok};
use crate::auth::{Inkoper, Staff};
use crate::db::award;
use crate::db::contract::{self, Contract};
use crate::db::user::User;
use crate::errors::Error;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/tenders/{id}/contracts", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Vec<Contract>)))]
pub async fn list(Staff(user): Staff, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let tender_id = *id;
    visible(&state, Some(&user), tender_id).await?;
    ok(&state.db.read(move |conn| contract::of_tender(conn, tender_id)).await?)
}

#[utoipa::path(post, path = "/api/v1/contracts/{contract_id}/activate", tag = "award", security(("bearer" = [])),
    params(("contract_id" = i64, Path)),
    description = "Makes the contract active: only after the definitive award, after the Alcatel-termijn, on or after its start.",
    responses((status = 200, body = Contract), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn activate(Inkoper(user): Inkoper, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    ok(&activate_contract(&state, &user, *id).await?)
}

/// Activates a contract as the domain allows; answers the contract as it is then.
pub async fn activate_contract(state: &AppState, user: &User, contract_id: i64) -> Result<Contract, Error> {
    let (u, now) = (user.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            let c = contract::find(conn, contract_id)?;
            let d = award::find(conn, c.lot_id, c.decision_id)?;
            contract::activate(conn, &c, &d, &u, now)?;
            contract::find(conn, contract_id)
        })
        .await
}
