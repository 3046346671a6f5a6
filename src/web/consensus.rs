//! Consensus in de browser: the inkoper sees per perceel who is still scoring, then per bid the
//! individual scores with their spread and outliers, records the committee's score with an
//! internal and an external motivation, and makes the consensus final, which shows the prices.

use actix_web::web;
use serde_json::{Value, json};

use super::page::render_shared;
use super::tenders::tender_json;
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::consensus::{BidConsensus, BidConsensusInput, overview, readiness, record, reveal, view};
use crate::api::evaluation::{Perceel, bid_perceel, opened_bid, perceel};
use crate::auth::Inkoper;
use crate::db::consensus::ConsensusInput;
use crate::db::user::User;
use crate::domain::deadline::format_nl;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

fn lot_title(p: &Perceel) -> Result<String, Error> {
    let lot = p.lot()?;
    Ok(format!("Perceel {}: {}", lot.number, lot.title))
}

fn lot_path(tender_id: i64, lot_id: i64) -> String {
    format!("/aanbestedingen/{tender_id}/percelen/{lot_id}/consensus")
}

pub async fn lot(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (tender_id, lot_id) = path.into_inner();
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    // The same for every inkoper until the evaluation changes: made once per version.
    let page = ctx.cached_page(&user, "Consensus", &p.evaluation, "page:consensus", || {
        let view = overview(&p)?;
        let bids: Vec<Value> = view
            .bids
            .iter()
            .map(|b| {
                let flagged = b.criteria.iter().filter(|c| c.spread.as_ref().is_some_and(|s| s.outlier)).count();
                json!({ "bid_id": b.bid_id, "bidder": b.bidder, "complete": b.complete, "flagged": flagged })
            })
            .collect();
        let complete = !view.bids.is_empty() && view.bids.iter().all(|b| b.complete);
        let data = json!({
            "tender": tender_json(&p.tender), "lot_id": lot_id, "lot": lot_title(&p)?, "opened": p.opened(),
            "ready": view.ready, "waiting": view.waiting, "bids": bids,
            "revealed": view.revealed_at.map(format_nl), "can_reveal": view.ready && complete && view.revealed_at.is_none(),
        });
        render_shared("pages/consensus/lot", data)
    })?;
    Ok(page)
}

/// The form of one bid: every criterion with the individual scores and the committee's fields.
fn bid_data(p: &Perceel, b: &BidConsensus, revealed: bool, typed: Option<&[(String, String)]>) -> Option<Value> {
    let bid_id = b.bid_id;
    let lot = p.lot().ok()?;
    let typed_value = |name: String| typed.and_then(|t| t.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()));
    let criteria: Vec<Value> = b
        .criteria
        .iter()
        .map(|c| {
            let id = c.criterion_id;
            let chosen = typed_value(format!("punten_{id}")).or_else(|| c.consensus.as_ref().map(|x| x.points.to_string()));
            let scale = lot.quality_criteria.iter().find(|q| q.id == id).and_then(|q| p.tender.scales.iter().find(|s| s.name == q.scale));
            let steps: Vec<Value> = scale
                .map(|s| s.steps.iter().map(|st| json!({ "points": st.points, "descriptor": st.descriptor, "checked": chosen.as_deref() == Some(st.points.to_string().as_str()) })).collect())
                .unwrap_or_default();
            json!({
                "id": id, "title": c.title, "steps": steps, "scores": c.scores,
                "spread": c.spread.as_ref().map(|s| s.steps), "flagged": c.spread.as_ref().is_some_and(|s| s.outlier),
                "internal": typed_value(format!("intern_{id}")).or_else(|| c.consensus.as_ref().map(|x| x.internal_motivation.clone())).unwrap_or_default(),
                "external": typed_value(format!("extern_{id}")).or_else(|| c.consensus.as_ref().map(|x| x.external_motivation.clone())).unwrap_or_default(),
            })
        })
        .collect();
    Some(json!({
        "tender": tender_json(&p.tender), "lot_id": p.lot_id, "lot": format!("Perceel {}: {}", lot.number, lot.title),
        "bid_id": bid_id, "bidder": b.bidder, "criteria": criteria, "revealed": revealed,
        "correction": typed_value("correctie".into()).unwrap_or_default(),
    }))
}

async fn bid_page(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    bid_id: i64,
    typed: Option<&[(String, String)]>,
    errors: &[FieldError],
) -> WebResult {
    let p = bid_perceel(state, user, bid_id, false).await?;
    let r = readiness(&p);
    if !r.waiting.is_empty() {
        return Ok(redirect(&lot_path(p.tender.id, p.lot_id), Some(&r.waiting.join(" "))));
    }
    let b = r.bids.iter().find(|b| b.row.id == bid_id).ok_or(Error::NotFound("Inschrijving"))?;
    let revealed = p.evaluation.revealed_at.is_some();
    let mut data = bid_data(&p, &view(&p, b)?, revealed, typed).ok_or(Error::NotFound("Inschrijving"))?;
    if let Value::Object(map) = &mut data {
        let form = FormView::new(json!({})).with_errors(errors, |n| n.to_owned());
        map.insert("form".into(), serde_json::to_value(form).unwrap_or_default());
        let correction_error = errors.iter().find(|f| f.name == "correction_reason").map(|f| f.reason.clone());
        map.insert("correction_error".into(), json!(correction_error));
        let by_criterion = |field: &str, c: &Value| {
            let name = format!("{field}_{}", c["id"]);
            errors.iter().find(|f| f.name == name).map(|f| f.reason.clone())
        };
        if let Some(Value::Array(list)) = map.get_mut("criteria") {
            for c in list {
                let errs = json!({ "points": by_criterion("punten", c), "internal": by_criterion("intern", c), "external": by_criterion("extern", c) });
                c["errors"] = errs;
            }
        }
    }
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(ctx.render_status(status, Some(user), "Consensus inschrijving", "pages/consensus/bid", data))
}

pub async fn bid(Inkoper(user): Inkoper, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    bid_page(&ctx, &state, &user, *id, None, &[]).await
}

/// The form posts `punten_<criterion>`, `intern_<criterion>` and `extern_<criterion>`, and
/// `correctie` once the consensus is final.
pub async fn save(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Vec<(String, String)>>,
) -> WebResult {
    let pairs = form.0?;
    let value = |name: String| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.trim().to_owned());
    let ids: Vec<i64> = pairs.iter().filter_map(|(k, _)| k.strip_prefix("intern_")?.parse().ok()).collect();
    let mut problems = Vec::new();
    let mut scores = Vec::new();
    for c in &ids {
        match value(format!("punten_{c}")).and_then(|v| v.parse::<i32>().ok()) {
            Some(points) => scores.push(ConsensusInput {
                criterion_id: *c,
                points,
                internal_motivation: value(format!("intern_{c}")).unwrap_or_default(),
                external_motivation: value(format!("extern_{c}")).unwrap_or_default(),
            }),
            None => problems.push(FieldError::new(format!("punten_{c}"), "Kies de consensusscore op de schaal.")),
        }
    }
    if !problems.is_empty() {
        return bid_page(&ctx, &state, &user, *id, Some(&pairs), &problems).await;
    }
    let criteria: Vec<i64> = scores.iter().map(|s| s.criterion_id).collect();
    let input = BidConsensusInput { scores, correction_reason: value("correctie".into()).filter(|r| !r.is_empty()) };
    let correcting = input.correction_reason.is_some();
    match record(&state, &user, *id, input).await {
        Ok(_) => {
            let (tender_id, lot_id) = opened_bid(&state, *id).await?;
            let message = if correcting {
                "De correctie van de consensus is vastgelegd."
            } else {
                "De consensus van deze inschrijving is vastgelegd."
            };
            Ok(redirect(&lot_path(tender_id, lot_id), Some(message)))
        }
        Err(Error::Validation(found)) => {
            // Storage names fields by their place in the list; the form by criterion.
            let renamed: Vec<FieldError> = found
                .into_iter()
                .map(|f| {
                    let Some(rest) = f.name.strip_prefix("scores[") else { return f };
                    let (i, field) = rest.split_once("].").unwrap_or((rest, "points"));
                    let c = i.parse::<usize>().ok().and_then(|i| criteria.get(i)).copied().unwrap_or_default();
                    let form_field = match field {
                        "internal_motivation" => "intern",
                        "external_motivation" => "extern",
                        _ => "punten",
                    };
                    FieldError::new(format!("{form_field}_{c}"), f.reason)
                })
                .collect();
            bid_page(&ctx, &state, &user, *id, Some(&pairs), &renamed).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn reveal_form(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (tender_id, lot_id) = path.into_inner();
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    let message = format!(
        "Hiermee wordt de consensus van {} definitief en worden de prijzen zichtbaar en gescoord. Daarna wijzigt een consensusscore alleen nog met een gemotiveerde correctie.",
        lot_title(&p)?
    );
    let action = format!("/aanbestedingen/{tender_id}/percelen/{lot_id}/prijzen");
    Ok(ctx.ask(
        &user,
        "Consensus definitief maken",
        &message,
        &action,
        &lot_path(tender_id, lot_id),
        "Definitief maken en prijzen tonen",
    ))
}

pub async fn reveal_prices(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    let (tender_id, lot_id) = path.into_inner();
    match reveal(&state, &user, tender_id, lot_id).await {
        Ok(()) => Ok(redirect(
            &format!("/aanbestedingen/{tender_id}/percelen/{lot_id}/rangorde"),
            Some("De consensus is definitief; de prijzen zijn zichtbaar en gescoord."),
        )),
        Err(Error::Conflict(m)) => Ok(redirect(&lot_path(tender_id, lot_id), Some(&format!("Niet gelukt: {m}")))),
        Err(e) => Err(e.into()),
    }
}
