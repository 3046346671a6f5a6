//! Prijzenblad in de browser: download the tender's sheet, upload the filled one into a bid,
//! see the prices read back and confirm them. Problems are listed by sheet and cell.

use actix_web::{HttpRequest, web};
use serde::Deserialize;
use serde_json::{Value, json};

use super::bids::page;
use super::{Ctx, Form, WebResult, redirect, upload};
use crate::api::bids::owned;
use crate::api::price_sheets::{add_price_sheet, confirm_prices, download};
use crate::api::tenders::visible;
use crate::auth::{Aanbieder, MaybeUser};
use crate::db::price_sheet::StoredPrices;
use crate::db::snapshot::Snapshot;
use crate::domain::deadline;
use crate::domain::lot::Lot;
use crate::domain::money::format_euro;
use crate::errors::Error;
use crate::state::AppState;

/// Lines shown on the page; a sheet of thousands of lines shows its first ones and the total.
const SHOWN_LINES: usize = 50;

pub async fn get(MaybeUser(user): MaybeUser, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    let t = visible(&state, user.as_ref(), *id).await?;
    Ok(download(&t).await?)
}

/// The prijzenblad part of the bid page.
pub fn section(t: &Snapshot, lot: &Lot, stored: Option<&StoredPrices>, errors: &[String]) -> Value {
    let Some(sheet) = t.workbook.sheet_for(lot.id) else {
        return json!({ "asked": false });
    };
    let read = stored.map(|s| {
        let lines: Vec<Value> = s
            .prices
            .lines
            .iter()
            .take(SHOWN_LINES)
            .map(|l| {
                json!({
                    "description": l.description, "unit": l.unit, "quantity": l.quantity,
                    "unit_price": format_euro(l.unit_price_cents), "amount": format_euro(l.amount_cents),
                })
            })
            .collect();
        json!({
            "lines": lines,
            "more": s.prices.lines.len().saturating_sub(SHOWN_LINES),
            "total": format_euro(s.prices.total_cents),
            "confirmed": s.confirmed_at.map(deadline::format_nl_seconds),
            "outdated": s.prices.kenmerk != sheet.kenmerk,
            "file_id": s.file_id,
        })
    });
    json!({
        "asked": true,
        "sheet": sheet.name,
        "ceiling": sheet.ceiling_cents.map(format_euro),
        "read": read,
        "errors": errors,
    })
}

pub async fn upload(
    Aanbieder(user): Aanbieder,
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Payload,
) -> WebResult {
    let payload = upload::multipart(&req, body).await?;
    let (b, key) = owned(&state, &user, *id).await?;
    match add_price_sheet(&state, &user, &b, &key, payload).await {
        Ok(_) => Ok(redirect(
            &format!("/inschrijvingen/{}#prijzenblad", b.id),
            Some(
                "Het prijzenblad is gelezen. Controleer de prijzen en bevestig ze. De inschrijving is nog niet ingediend.",
            ),
        )),
        Err(Error::Validation(list)) => {
            let reasons: Vec<String> = list.into_iter().map(|f| f.reason).collect();
            page(&ctx, &state, &user, b.id, &reasons).await
        }
        Err(e @ Error::Conflict(_)) => page(&ctx, &state, &user, b.id, &[e.to_string()]).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    file_id: String,
}

pub async fn confirm(
    Aanbieder(user): Aanbieder,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<ConfirmForm>,
) -> WebResult {
    let f = form.0?;
    let (b, key) = owned(&state, &user, *id).await?;
    let file_id = f.file_id.trim().parse::<i64>().unwrap_or_default();
    if let Err(e @ Error::Conflict(_)) = confirm_prices(&state, &user, &b, &key, file_id).await {
        return page(&ctx, &state, &user, b.id, &[e.to_string()]).await;
    }
    Ok(redirect(
        &format!("/inschrijvingen/{}#prijzenblad", b.id),
        Some("U hebt de prijzen bevestigd. Dien de inschrijving in om haar te laten meetellen."),
    ))
}
