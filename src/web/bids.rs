//! Inschrijven in de browser: start a bid per perceel, fill it in, add documents, submit with a
//! confirmation step, see the receipt, withdraw. Until submitted, every page says so.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use super::bid_form::{self, Parts};
use super::tenders::tender_json;
use super::{Ctx, Form, WebError, WebResult, price_sheets, redirect, upload};
use crate::api::bid_files::{add_file, remove_document};
use crate::api::bids::{issue_receipt, owned, view};
use crate::auth::Aanbieder;
use crate::db::bid_file::{self, BidFile};
use crate::db::user::User;
use crate::db::{bid, submission};
use crate::domain::bid::{BidStatus, in_time};
use crate::domain::deadline;
use crate::errors::Error;
use crate::state::AppState;

fn bid_path(id: i64) -> String {
    format!("/inschrijvingen/{id}")
}

pub async fn start(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    let (tender_id, lot_id) = path.into_inner();
    let (b, _) = crate::api::bids::start(&state, &user, tender_id, lot_id).await?;
    Ok(redirect(&bid_path(b.id), None))
}

pub async fn show(Aanbieder(user): Aanbieder, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    page(&ctx, &state, &user, *id, &[]).await
}

/// The bid's page; `price_errors` are the problems of a prijzenblad just refused.
pub async fn page(ctx: &Ctx, state: &AppState, user: &User, bid_id: i64, price_errors: &[String]) -> WebResult {
    let (b, key) = owned(state, user, bid_id).await?;
    let v = view(state, &b, &key).await?;
    let t = state.snapshots.get(&state.db, b.tender_id).await?.ok_or(Error::NotFound("Aanbesteding"))?;
    let lot = t.lots.iter().find(|l| l.id == b.lot_id).ok_or(Error::NotFound("Perceel"))?;
    let criteria = t.selection_criteria_for(lot);
    let open = in_time(state.clock.now(), t.submission_deadline);
    let documents: Vec<BidFile> = v.files.iter().filter(|f| f.kind == bid_file::DOCUMENT).cloned().collect();
    let parts = Parts {
        criteria: &criteria,
        questions: &lot.quality_criteria,
        files: &documents,
        receipts: &v.receipts,
        missing: &v.missing,
    };
    let mut data = bid_form::page(&v.content, &parts);
    if let Value::Object(map) = &mut data {
        for (k, val) in [
            ("bid_id", json!(b.id)),
            ("tender", tender_json(&t)),
            ("lot", json!(format!("Perceel {}: {}", lot.number, lot.title))),
            ("status", json!(v.status.label())),
            ("submitted", json!(v.status == BidStatus::Submitted)),
            ("editable", json!(open && v.status != BidStatus::Submitted)),
            ("open", json!(open)),
            ("deadline", json!(deadline::format_nl(t.submission_deadline))),
            ("reconfirm", json!(v.needs_reconfirmation)),
            ("complete", json!(v.missing.is_empty())),
            ("prices", price_sheets::section(&t, lot, v.price_sheet.as_ref(), price_errors)),
        ] {
            map.insert(k.into(), val);
        }
    }
    let status = if price_errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(ctx.render_status(status, Some(user), &format!("Inschrijving {}", lot.title), "pages/bids/show", data))
}

/// Saves the form; with `X-Autosave` (the page's script) it answers 204 instead of a redirect.
pub async fn save(
    Aanbieder(user): Aanbieder,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Vec<(String, String)>>,
) -> WebResult {
    let pairs = form.0?;
    let (b, key) = owned(&state, &user, *id).await?;
    let content = bid_form::content(&pairs);
    let (bid_row, now) = (b.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            submission::ensure_open(conn, bid_row.tender_id, now)?;
            bid::save(conn, &key, &bid_row, &content)
        })
        .await?;
    if req.headers().contains_key("x-autosave") {
        return Ok(HttpResponse::NoContent().finish());
    }
    Ok(redirect(&bid_path(b.id), Some("Uw concept is opgeslagen. Het is nog niet ingediend.")))
}

/// A document, streamed into the vault; the form's CSRF token comes before the file.
pub async fn upload(
    Aanbieder(user): Aanbieder,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Payload,
) -> WebResult {
    let payload = upload::multipart(&req, body).await?;
    let (b, key) = owned(&state, &user, *id).await?;
    match add_file(&state, &user, &b, &key, payload).await {
        Ok(_) => Ok(redirect(
            &format!("{}#documenten", bid_path(b.id)),
            Some("Het document is toegevoegd en versleuteld opgeslagen. De inschrijving is nog niet ingediend."),
        )),
        Err(e @ (Error::Validation(_) | Error::Conflict(_))) => {
            let message = match &e {
                Error::Validation(list) => list.iter().map(|f| f.reason.clone()).collect::<Vec<_>>().join(" "),
                other => other.to_string(),
            };
            Ok(redirect(&format!("{}#documenten", bid_path(b.id)), Some(&format!("Niet toegevoegd: {message}"))))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_file(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    let (bid_id, file_id) = path.into_inner();
    let (b, _) = owned(&state, &user, bid_id).await?;
    remove_document(&state, b, file_id).await?;
    Ok(redirect(&format!("{}#documenten", bid_path(bid_id)), Some("Het document is verwijderd.")))
}

pub async fn confirm(
    Aanbieder(user): Aanbieder,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> WebResult {
    let (b, key) = owned(&state, &user, *id).await?;
    let v = view(&state, &b, &key).await?;
    let t = state.snapshots.get(&state.db, b.tender_id).await?.ok_or(Error::NotFound("Aanbesteding"))?;
    let data = json!({
        "bid_id": b.id, "tender": tender_json(&t), "missing": v.missing, "complete": v.missing.is_empty(),
        "files": v.files, "members": v.content.members, "deadline": deadline::format_nl(t.submission_deadline),
    });
    Ok(ctx.render(Some(&user), "Inschrijving indienen", "pages/bids/submit", data))
}

pub async fn submit(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    match issue_receipt(&state, &user, *id, submission::submit).await {
        Ok(_) => Ok(redirect(
            &format!("{}#ontvangstbewijs", bid_path(*id)),
            Some("Uw inschrijving is ingediend. Het ontvangstbewijs staat hieronder en is ook gemaild."),
        )),
        Err(Error::Validation(_)) => Ok(redirect(&format!("{}/indienen", bid_path(*id)), None)),
        Err(e) => Err(WebError(e)),
    }
}

/// Confirms a submitted bid again after a correction or a nota van inlichtingen.
pub async fn reconfirm(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    match issue_receipt(&state, &user, *id, submission::reconfirm).await {
        Ok(_) => Ok(redirect(
            &format!("{}#ontvangstbewijs", bid_path(*id)),
            Some(
                "U hebt uw inschrijving opnieuw bevestigd. Het nieuwe ontvangstbewijs staat hieronder en is ook gemaild.",
            ),
        )),
        Err(Error::Validation(list)) => {
            let gaps: Vec<String> = list.into_iter().map(|f| f.reason).collect();
            Ok(redirect(
                &bid_path(*id),
                Some(&format!(
                    "Niet bevestigd: na de wijziging is uw inschrijving niet meer compleet. Trek haar in, vul aan en dien opnieuw in. {}",
                    gaps.join(" ")
                )),
            ))
        }
        Err(e) => Err(WebError(e)),
    }
}

pub async fn withdraw(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    let (b, _) = owned(&state, &user, *id).await?;
    let (u, now, bid_id) = (user.clone(), state.clock.now(), b.id);
    state.db.write(move |conn| submission::withdraw(conn, &b, now, &u)).await?;
    Ok(redirect(
        &bid_path(bid_id),
        Some(
            "Uw inschrijving is ingetrokken en telt niet meer mee. U kunt haar wijzigen en opnieuw indienen tot de sluitingstermijn.",
        ),
    ))
}
