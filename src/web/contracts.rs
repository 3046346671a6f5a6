//! Raamovereenkomst (framework contract) pages: the contract with its parties, terms, prices and
//! documents; the inkoper adds documents and activates it, which the domain refuses before the
//! Alcatel-termijn has ended.

use actix_web::{HttpRequest, web};
use serde_json::{Value, json};

use super::awards::{Pairs, after};
use super::{Ctx, FormView, WebResult, redirect, upload};
use crate::api::contracts::{add_document, document, documents_of};
use crate::auth::{Inkoper, Staff};
use crate::db::contract::Contract;
use crate::db::user::User;
use crate::domain::deadline::format_nl;
use crate::domain::money::format_euro;
use crate::domain::price_sheet::PricedLine;
use crate::domain::role::Role;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

/// A contract as the pages show it.
pub fn contract_json(c: &Contract) -> Value {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%d-%m-%Y").to_string());
    json!({
        "id": c.id, "company": c.company, "start": day(Some(c.start_date)),
        "end": day(c.end_date), "final_end": day(c.final_end_date),
        "terms": format!("{} jaar{}", c.years, c.extensions.iter().map(|e| format!(" + {e}")).collect::<String>()),
        "price": format_euro(c.total_cents), "active": c.activated_at.map(format_nl),
        "municipalities": c.municipalities.len(),
    })
}

async fn page(ctx: &Ctx, state: &AppState, user: &User, id: i64, errors: &[FieldError]) -> WebResult {
    page_with(ctx, state, user, id, errors, None).await
}

/// The contract page with errors of a form on it and, for the capacity form, what was typed.
pub async fn page_with(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    id: i64,
    errors: &[FieldError],
    typed: Option<&std::collections::BTreeMap<String, String>>,
) -> WebResult {
    let all = documents_of(state, user, id).await?;
    let c = &all.contract;
    let (years, gemeenten) = state
        .db
        .read(move |conn| Ok((crate::db::capacity::years_of(conn, id)?, crate::db::municipality::list(conn, None)?)))
        .await?;
    let capacity = super::capacity::view(c, &years, &gemeenten, typed);
    let lines: Vec<PricedLine> = serde_json::from_value(c.prices.clone()).unwrap_or_default();
    let file = |name: &str, size: i64, sha256: &str, href: Option<String>| json!({ "name": name, "size": format!("{:.1} kB", size as f64 / 1000.0), "sha256": sha256, "href": href });
    let data = json!({
        "contract": contract_json(c),
        "tender_id": c.tender_id, "lot_id": c.lot_id,
        "gemeenten": c.municipalities.join(", "),
        "lines": lines.iter().map(|l| json!({
            "description": l.description, "unit": l.unit, "quantity": l.quantity,
            "unit_price": format_euro(l.unit_price_cents), "amount": format_euro(l.amount_cents),
        })).collect::<Vec<_>>(),
        "documents": all.documents.iter()
            .map(|d| file(&d.name, d.size, &d.sha256, Some(format!("/contracten/{id}/documenten/{}", d.id))))
            .collect::<Vec<_>>(),
        "bid_documents": all.bid_documents.iter().map(|d| file(&d.name, d.size, &d.sha256, None)).collect::<Vec<_>>(),
        "inkoper": user.role() == Some(Role::Inkoper),
        "keeper": matches!(user.role(), Some(Role::Inkoper | Role::Management)),
        "capacity": capacity,
        "form": FormView::new(json!({})).with_errors(errors, |n| if typed.is_some() { n.to_owned() } else { "document".to_owned() }),
    });
    let status = match errors.is_empty() {
        true => actix_web::http::StatusCode::OK,
        false => actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
    };
    let title = format!("Raamovereenkomst met {}", c.company);
    Ok(ctx.render_status(status, Some(user), &title, "pages/contracts/show", data))
}

pub async fn show(Staff(user): Staff, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    page(&ctx, &state, &user, *id, &[]).await
}

/// Adds an uploaded document to the contract; a refused file is named beside the field.
pub async fn upload(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Payload,
) -> WebResult {
    let contract_id = *id;
    let payload = upload::multipart(&req, body).await?;
    match add_document(&state, &user, contract_id, payload).await {
        Ok(d) => Ok(redirect(
            &format!("/contracten/{contract_id}#documenten"),
            Some(&format!("{} is toegevoegd aan de raamovereenkomst.", d.name)),
        )),
        Err(Error::Validation(list)) => page(&ctx, &state, &user, contract_id, &list).await,
        Err(Error::Conflict(m)) => page(&ctx, &state, &user, contract_id, &[FieldError::new("document", m)]).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn download(Staff(user): Staff, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> WebResult {
    let (contract_id, document_id) = path.into_inner();
    Ok(document(&state, &user, contract_id, document_id).await?)
}

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
