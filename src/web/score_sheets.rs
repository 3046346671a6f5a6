//! Scoreformulier in de browser: one page per bid for a beoordelaar — the bidder's answer to
//! each criterion, the scale as radio buttons with their descriptors, a motivation each — saved
//! as a draft and locked after a confirmation step.

use actix_web::web;
use serde_json::{Value, json};

use super::page::render_shared;
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::score_sheets::{ScoreSheet, ScoresInput, label, lock, save, scorable, scoring};
use crate::auth::Beoordelaar;
use crate::db::score::ScoreInput;
use crate::db::user::User;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

fn path(bid_id: i64) -> String {
    format!("/beoordelen/inschrijvingen/{bid_id}")
}

fn page_data(sheet: &ScoreSheet, typed: Option<&[(String, String)]>, errors: &[FieldError]) -> Value {
    let typed_value = |name: String| typed.and_then(|t| t.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()));
    let criteria: Vec<Value> = sheet
        .criteria
        .iter()
        .map(|c| {
            let own = sheet.scores.iter().find(|s| s.criterion_id == c.id);
            let chosen = typed_value(format!("punten_{}", c.id)).or_else(|| own.map(|s| s.points.to_string()));
            let motivation = typed_value(format!("motivering_{}", c.id)).or_else(|| own.map(|s| s.motivation.clone())).unwrap_or_default();
            let error = errors.iter().find(|e| e.name.starts_with(&format!("scores[{}]", c.id))).map(|e| e.reason.clone());
            json!({
                "id": c.id, "title": c.title, "description": c.description, "answer": c.answer, "motivation": motivation, "error": error,
                "steps": c.steps.iter().map(|s| json!({ "points": s.points, "descriptor": s.descriptor, "checked": chosen.as_deref() == Some(s.points.to_string().as_str()) })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "sheet": sheet, "criteria": criteria, "form": FormView::new(json!({})).with_errors(errors, |n| n.to_owned()),
        "correction": typed_value("correctie".into()).unwrap_or_default(),
        "correction_error": errors.iter().find(|e| e.name == "correction_reason").map(|e| e.reason.clone()),
    })
}

async fn page(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    bid_id: i64,
    typed: Option<&[(String, String)]>,
    errors: &[FieldError],
) -> WebResult {
    let p = scorable(state, user, bid_id).await?;
    if errors.is_empty() && typed.is_none() {
        // The sheet as it stands is the same for every request until the evaluation changes.
        let b = p.evaluation.bid(bid_id).ok_or(Error::NotFound("Inschrijving"))?;
        let title = format!("Beoordelen: {}", label(p.tender.anonymous_evaluation, &b.row, &b.content));
        let key = format!("page:score-sheet:{bid_id}:{}", user.id);
        return Ok(ctx.cached_page(user, &title, &p.evaluation, &key, || {
            render_shared("pages/score_sheets/show", page_data(&scoring(&p, user, bid_id)?.sheet, None, &[]))
        })?);
    }
    let s = scoring(&p, user, bid_id)?;
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = format!("Beoordelen: {}", s.sheet.label);
    Ok(ctx.render_status(status, Some(user), &title, "pages/score_sheets/show", page_data(&s.sheet, typed, errors)))
}

pub async fn show(
    Beoordelaar(user): Beoordelaar,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> WebResult {
    page(&ctx, &state, &user, *id, None, &[]).await
}

/// Saves the draft; with `actie=vastleggen` it goes on to the confirmation step.
pub async fn store(
    Beoordelaar(user): Beoordelaar,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Vec<(String, String)>>,
) -> WebResult {
    let pairs = form.0?;
    let value = |name: String| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.trim().to_owned());
    let mut list = Vec::new();
    let mut problems = Vec::new();
    for (k, v) in &pairs {
        let Some(criterion_id) = k.strip_prefix("punten_").and_then(|c| c.parse::<i64>().ok()) else { continue };
        match v.parse::<i32>() {
            Ok(points) => list.push(ScoreInput {
                criterion_id,
                points,
                motivation: value(format!("motivering_{criterion_id}")).unwrap_or_default(),
            }),
            Err(_) => {
                problems.push(FieldError::new(format!("scores[{criterion_id}].points"), "Kies een stap van de schaal."))
            }
        }
    }
    if !problems.is_empty() {
        return page(&ctx, &state, &user, *id, Some(&pairs), &problems).await;
    }
    let input = ScoresInput { scores: list.clone(), correction_reason: value("correctie".into()) };
    match save(&state, &user, *id, input).await {
        Ok(_) if value("actie".into()).as_deref() == Some("vastleggen") => {
            Ok(redirect(&format!("{}/vastleggen", path(*id)), None))
        }
        Ok(_) if value("actie".into()).as_deref() == Some("corrigeren") => {
            Ok(redirect(&path(*id), Some("Uw correctie is vastgelegd, met uw reden en de scores van daarvoor.")))
        }
        Ok(_) => Ok(redirect(&path(*id), Some("Uw concept is opgeslagen; het is nog niet vastgelegd."))),
        Err(Error::Validation(found)) => {
            // Storage names scores by their place in the list; the form by criterion.
            let renamed: Vec<FieldError> = found
                .into_iter()
                .map(|f| {
                    if f.name == "correction_reason" {
                        return f;
                    }
                    let k =
                        f.name.trim_start_matches("scores[").split(']').next().and_then(|k| k.parse::<usize>().ok());
                    let criterion = k.and_then(|k| list.get(k)).map_or(0, |s| s.criterion_id);
                    FieldError::new(format!("scores[{criterion}].points"), f.reason)
                })
                .collect();
            page(&ctx, &state, &user, *id, Some(&pairs), &renamed).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn confirm(
    Beoordelaar(user): Beoordelaar,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> WebResult {
    let s = scoring(&scorable(&state, &user, *id).await?, &user, *id)?;
    let title = format!("Vastleggen: {}", s.sheet.label);
    Ok(ctx.render(Some(&user), &title, "pages/score_sheets/lock", page_data(&s.sheet, None, &[])))
}

pub async fn lock_scores(
    Beoordelaar(user): Beoordelaar,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    match lock(&state, &user, *id).await {
        Ok(hash) => Ok(redirect("/beoordelen", Some(&format!("Uw scores zijn vastgelegd (SHA-256 {hash})")))),
        Err(Error::Validation(errors)) => page(&ctx, &state, &user, *id, None, &errors).await,
        Err(e) => Err(e.into()),
    }
}
