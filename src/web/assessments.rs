//! Beoordelen in de browser, for a beoordelaar: the percelen appointed to, the declaration of
//! interests per bidder, and the bids to score with where each stands.

use actix_web::web;
use serde_json::{Value, json};

use super::tenders::tender_json;
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::declarations::{DeclarationInput, load, record};
use crate::api::evaluation::perceel;
use crate::api::score_sheets::label;
use crate::api::tenders::visible;
use crate::auth::Beoordelaar;
use crate::db::committee;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

pub async fn list(Beoordelaar(user): Beoordelaar, ctx: Ctx, state: web::Data<AppState>) -> WebResult {
    let uid = user.id;
    let assignments = state.db.read(move |conn| committee::assignments(conn, uid)).await?;
    let mut items = Vec::new();
    for (tender_id, lot_id) in assignments {
        let p = perceel(&state, &user, tender_id, lot_id).await?;
        let lot = p.lot()?;
        let e = &p.evaluation;
        let declared = e.bids.iter().any(|b| e.declarations.contains_key(&(b.row.id, uid)));
        let mut bids: Vec<Value> = Vec::new();
        if declared {
            for b in &e.bids {
                let conflict = e.declarations.get(&(b.row.id, uid)) == Some(&true);
                let done = e.has_locked(b.row.id, uid);
                let name = if conflict {
                    "Inschrijving met een verklaard belang".to_owned()
                } else {
                    label(p.tender.anonymous_evaluation, &b.row, &b.content)
                };
                bids.push(json!({ "bid_id": b.row.id, "label": name, "conflict": conflict, "done": done }));
            }
            bids.sort_by(|a, b| a["label"].as_str().cmp(&b["label"].as_str()));
        }
        items.push(json!({
            "tender": tender_json(&p.tender), "lot_id": lot_id, "lot": format!("Perceel {}: {}", lot.number, lot.title),
            "opened": p.opened(), "declared": declared, "bids": bids,
        }));
    }
    Ok(ctx.render(Some(&user), "Beoordelen", "pages/assessments/list", json!({ "items": items })))
}

async fn declaration_page(
    ctx: &Ctx,
    state: &AppState,
    user: &crate::db::user::User,
    tender_id: i64,
    lot_id: i64,
    errors: &[FieldError],
) -> WebResult {
    let t = visible(state, Some(user), tender_id).await?;
    let lot = t.lots.iter().find(|l| l.id == lot_id).ok_or(Error::NotFound("Perceel"))?;
    let d = load(state, user, tender_id, lot_id).await?;
    let bidders: Vec<Value> = d
        .bidders
        .iter()
        .map(|b| {
            let parties: Vec<String> =
                b.parties.iter().map(|m| format!("{} (KvK {})", m.company_name, m.kvk_number)).collect();
            let error = errors
                .iter()
                .find(|e| e.name.starts_with(&format!("declarations[{}]", b.number)))
                .map(|e| e.reason.clone());
            json!({ "number": b.number, "parties": parties.join(", "), "error": error })
        })
        .collect();
    let data = json!({
        "tender": tender_json(&t), "lot_id": lot_id, "lot": format!("Perceel {}: {}", lot.number, lot.title),
        "appointed": d.appointed, "opened": d.opened, "declared": d.declared, "bidders": bidders,
        "form": FormView::new(json!({})).with_errors(errors, |n| n.to_owned()),
    });
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(ctx.render_status(status, Some(user), "Verklaring over belangen", "pages/assessments/declaration", data))
}

pub async fn declaration(
    Beoordelaar(user): Beoordelaar,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (tender_id, lot_id) = path.into_inner();
    declaration_page(&ctx, &state, &user, tender_id, lot_id, &[]).await
}

/// The form posts, per bidder by its number, `belang_<n>` (`nee`/`ja`) and `toelichting_<n>`.
pub async fn declare(
    Beoordelaar(user): Beoordelaar,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<Vec<(String, String)>>,
) -> WebResult {
    let pairs = form.0?;
    let (tender_id, lot_id) = path.into_inner();
    let value = |name: String| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.trim().to_owned());
    let list: Vec<DeclarationInput> = pairs
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("belang_")?.parse::<usize>().ok()?, v)))
        .map(|(bidder, v)| DeclarationInput {
            bidder,
            has_conflict: v == "ja",
            explanation: value(format!("toelichting_{bidder}")).unwrap_or_default(),
        })
        .collect();
    match record(&state, &user, tender_id, lot_id, list).await {
        Ok(()) => Ok(redirect("/beoordelen", Some("Uw verklaring is vastgelegd. U kunt nu beoordelen."))),
        Err(Error::Validation(errors)) => declaration_page(&ctx, &state, &user, tender_id, lot_id, &errors).await,
        Err(e) => Err(e.into()),
    }
}
