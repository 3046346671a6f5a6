//! Bezwaar op de gunningspagina: the inkoper records an objection (a kort geding suspends the
//! award) and lifts a suspension with its reason.

use actix_web::web;

use super::awards::{Pairs, after};
use super::failed::field;
use super::{Ctx, WebResult};
use crate::api::awards::ReasonInput;
use crate::api::objections::{ObjectionInput, lodge};
use crate::auth::Inkoper;
use crate::state::AppState;

pub async fn object(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: Pairs,
) -> WebResult {
    let pairs = form.0?;
    let (tender_id, lot_id, id) = path.into_inner();
    let input = ObjectionInput {
        body: field(&pairs, "bezwaar").to_owned(),
        kort_geding: field(&pairs, "kort_geding") == "ja",
        bid_id: field(&pairs, "inschrijving").parse().ok(),
    };
    let result = lodge(&state, &user, tender_id, lot_id, id, input).await.map(|_| ());
    let rename = |n: &str| if n == "bid_id" { "inschrijving".to_owned() } else { "bezwaar".to_owned() };
    after(
        &ctx,
        &state,
        &user,
        (tender_id, lot_id),
        result,
        "Het bezwaar is vastgelegd.",
        (format!("bezwaar-{id}"), &pairs, &rename),
    )
    .await
}

pub async fn lift(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64, i64)>,
    form: Pairs,
) -> WebResult {
    let pairs = form.0?;
    let (tender_id, lot_id, id, objection_id) = path.into_inner();
    let input = ReasonInput { reason: field(&pairs, "reden").to_owned() };
    let result = crate::api::objections::lift(&state, &user, (tender_id, lot_id, id, objection_id), input).await;
    let rename = |_: &str| "reden".to_owned();
    after(
        &ctx,
        &state,
        &user,
        (tender_id, lot_id),
        result,
        "De opschorting is opgeheven.",
        (format!("opheffen-{objection_id}"), &pairs, &rename),
    )
    .await
}
