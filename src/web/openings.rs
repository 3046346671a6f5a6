//! Opening in de browser: the vault's state, the confirmation by two inkopers, the proces-verbaal.

use actix_web::web;
use serde_json::{Value, json};

use super::tenders::tender_json;
use super::{Ctx, Form, WebResult, redirect};
use crate::api::tenders::visible;
use crate::auth::{Inkoper, Staff};
use crate::db::opening::{self, Step};
use crate::db::{bid, tender_key};
use crate::domain::bid::in_time;
use crate::domain::deadline;
use crate::domain::role::Role;
use crate::errors::Error;
use crate::state::AppState;

pub async fn show(Staff(user): Staff, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    let tender_id = t.id;
    let (status, counts) = state
        .db
        .read(move |conn| Ok((opening::state(conn, tender_id)?, bid::submitted_per_lot(conn, tender_id)?)))
        .await?;
    let counts: Vec<Value> = t
        .lots
        .iter()
        .map(|l| json!({ "lot": format!("Perceel {}: {}", l.number, l.title), "submitted": counts.iter().find(|(id, _)| *id == l.id).map_or(0, |(_, n)| *n) }))
        .collect();
    let data = json!({
        "tender": tender_json(&t),
        "closed": !in_time(state.clock.now(), t.submission_deadline),
        "deadline": deadline::format_nl(t.submission_deadline),
        "state": status,
        "first_at": status.first_confirmation_at.map(deadline::format_nl_seconds),
        "counts": counts,
        "can_confirm": user.role() == Some(Role::Inkoper) && !status.opened,
    });
    Ok(ctx.render(Some(&user), "Opening van de kluis", "pages/tenders/opening", data))
}

pub async fn confirm(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    let t = visible(&state, Some(&user), *id).await?;
    let key = tender_key::get(&state.db, &state.master_key, t.id).await?;
    let (tender_id, now, url) = (t.id, state.clock.now(), state.settings.public_url.clone());
    let back = format!("/aanbestedingen/{tender_id}/opening");
    let step = state.db.write(move |conn| opening::confirm(conn, &key, tender_id, &user, now, &url)).await;
    let message = match step {
        Ok(Step::Refused(reason)) => format!("Niet geopend: {reason}"),
        Ok(Step::AwaitingSecond { until }) => format!(
            "Uw bevestiging is vastgelegd. Een tweede inkoper moet vóór {} bevestigen.",
            deadline::format_nl_seconds(until)
        ),
        Ok(Step::Opened(_)) => "De kluis is geopend. Het proces-verbaal staat hieronder.".into(),
        Err(Error::Conflict(reason)) => reason,
        Err(e) => return Err(e.into()),
    };
    Ok(redirect(&back, Some(&message)))
}
