//! Raamovereenkomsten op de gunningspagina: the inkoper activates a contract, which the domain
//! refuses before the Alcatel-termijn has ended.

use actix_web::web;

use super::awards::{Pairs, after};
use super::{Ctx, WebResult};
use crate::auth::Inkoper;
use crate::state::AppState;

pub async fn activate(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Pairs,
) -> WebResult {
    form.0?;
    let contract_id = *id;
    let c = state.db.read(move |conn| crate::db::contract::find(conn, contract_id)).await?;
    let result = crate::api::contracts::activate_contract(&state, &user, contract_id).await.map(|_| ());
    let rename = |_: &str| "form".to_owned();
    after(
        &ctx,
        &state,
        &user,
        (c.tender_id, c.lot_id),
        result,
        "Het contract is actief.",
        (format!("contract-{contract_id}"), &[], &rename),
    )
    .await
}
