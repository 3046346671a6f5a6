//! Beoordeling in de browser: the overview per perceel for staff, and the inkoper's committee
//! form. Everything shown is counted, never a bid's contents.

use actix_web::web;
use serde_json::json;

use super::tenders::tender_json;
use super::{Ctx, Form, WebResult, redirect};
use crate::api::evaluation::perceel;
use crate::api::suitability::assess;
use crate::auth::{Inkoper, Staff};
use crate::db::committee;
use crate::db::suitability::Standing;
use crate::domain::role::Role;
use crate::errors::Error;
use crate::state::AppState;

pub async fn overview(Staff(user): Staff, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    let t = crate::api::tenders::visible(&state, Some(&user), *id).await?;
    let mut lots = Vec::new();
    let mut opened = false;
    for lot in &t.lots {
        let p = perceel(&state, &user, t.id, lot.id).await?;
        opened = p.opened();
        let s = assess(&p);
        let e = &p.evaluation;
        let appointed: Vec<String> = e.members.iter().map(|m| m.name.clone()).collect();
        let locks = e.scores.values().filter(|list| list.iter().any(|x| x.locked_at.is_some())).count();
        let count = |f: fn(&Standing) -> bool| s.bids.iter().filter(|b| f(&b.standing)).count();
        lots.push(json!({
            "id": lot.id, "title": format!("Perceel {}: {}", lot.number, lot.title),
            "committee": appointed.join(", "), "bids": e.bids.len(),
            "admitted": count(|s| *s == Standing::Admitted),
            "excluded": count(|s| matches!(s, Standing::Excluded { .. })),
            "open": count(|s| *s == Standing::Open),
            "locks": locks,
        }));
    }
    let data = json!({ "tender": tender_json(&t), "opened": opened, "lots": lots, "inkoper": user.role() == Some(Role::Inkoper) });
    Ok(ctx.render(Some(&user), "Beoordeling", "pages/evaluation/overview", data))
}

pub async fn committee_form(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (tender_id, lot_id) = path.into_inner();
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    let lot = p.lot()?;
    let candidates = state.db.read(move |conn| committee::candidates(conn, lot_id)).await?;
    let data = json!({
        "tender": tender_json(&p.tender), "lot_id": lot_id, "lot": format!("Perceel {}: {}", lot.number, lot.title),
        "candidates": candidates.iter().map(|c| json!({ "id": c.user_id, "name": c.name, "email": c.email, "appointed": c.appointed_at.is_some() })).collect::<Vec<_>>(),
    });
    Ok(ctx.render(Some(&user), "Beoordelingscommissie", "pages/evaluation/committee", data))
}

pub async fn appoint(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<Vec<(String, String)>>,
) -> WebResult {
    let pairs = form.0?;
    let (tender_id, lot_id) = path.into_inner();
    perceel(&state, &user, tender_id, lot_id).await?;
    let ids: Vec<i64> = pairs.iter().filter(|(k, _)| k == "assessor").filter_map(|(_, v)| v.parse().ok()).collect();
    let (u, now) = (user.clone(), state.clock.now());
    let back = format!("/aanbestedingen/{tender_id}/percelen/{lot_id}/commissie");
    match state.db.write(move |conn| committee::appoint(conn, tender_id, lot_id, &ids, &u, now)).await {
        Ok(()) => Ok(redirect(
            &format!("/aanbestedingen/{tender_id}/beoordeling"),
            Some("De beoordelingscommissie is vastgelegd."),
        )),
        Err(e @ (Error::Conflict(_) | Error::Validation(_))) => {
            let message = match &e {
                Error::Validation(list) => list.iter().map(|f| f.reason.clone()).collect::<Vec<_>>().join(" "),
                other => other.to_string(),
            };
            Ok(redirect(&back, Some(&format!("Niet vastgelegd: {message}"))))
        }
        Err(e) => Err(e.into()),
    }
}
