//! Aanbestedingen in de browser: the staff list, the tender page and publication.

use actix_web::http::StatusCode;
use actix_web::web;
use serde_json::{Value, json};

use super::page::pagination;
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::PageQuery;
use crate::api::tenders::visible;
use crate::auth::{Inkoper, MaybeUser, Staff};
use crate::db::bid;
use crate::db::snapshot::Snapshot;
use crate::db::{self, tender, user::User};
use crate::domain::bid::in_time;
use crate::domain::publication::{self, Checklist};
use crate::domain::role::Role;
use crate::domain::tender::Tender;
use crate::domain::{deadline, money};
use crate::errors::Error;
use crate::state::AppState;
use crate::templates;

pub async fn list(Staff(user): Staff, ctx: Ctx, state: web::Data<AppState>, q: web::Query<PageQuery>) -> WebResult {
    let request = q.request();
    let (items, total) = state.db.read(move |conn| tender::page(conn, tender::Scope::All, request)).await?;
    let tenders: Vec<_> = items
        .iter()
        .map(|t| {
            json!({
                "id": t.id, "title": t.title, "reference": t.reference,
                "status": t.status.as_str(), "status_label": t.status.label(),
                "submission_deadline": deadline::format_short(t.submission_deadline),
            })
        })
        .collect();
    let data = json!({
        "tenders": tenders,
        "can_create": user.role() == Some(Role::Inkoper),
        "pagination": pagination("/aanbestedingen", request, total),
    });
    Ok(ctx.render(Some(&user), "Alle aanbestedingen", "pages/tenders/list", data))
}

/// The tender as people read it: every figure formatted the Dutch way.
pub fn tender_json(t: &Tender) -> Value {
    let names: Vec<&str> = t.municipalities.iter().map(|m| m.name.as_str()).collect();
    json!({
        "id": t.id, "title": t.title, "reference": t.reference,
        "status": t.status.as_str(), "status_label": t.status.label(), "draft": t.is_draft(),
        "procedure": t.procedure.label(), "description": t.description,
        "municipalities": names.join(", "),
        "lead": t.lead_municipality.as_ref().map(|m| m.name.as_str()).unwrap_or("nog niet gekozen"),
        "question_deadline": deadline::format_nl(t.question_deadline),
        "submission_deadline": deadline::format_nl(t.submission_deadline),
        "standstill": format!("{} kalenderdagen", t.standstill_days),
        "rounding": t.rounding.describe(),
        "published_at": t.published_at.map(deadline::format_nl),
        "warnings": t.standstill_warning().into_iter().collect::<Vec<_>>(),
    })
}

/// Price lines shown per perceel; the prijzenblad itself has them all.
const SHOWN_PRICE_LINES: usize = 20;

fn lots_json(t: &Tender) -> Vec<Value> {
    t.lots
        .iter()
        .map(|l| {
            let values = l.price.formula.uses_values();
            let euro = |d: rust_decimal::Decimal| money::to_cents(d).map(money::format_euro).unwrap_or_default();
            let percent =
                |d: rust_decimal::Decimal| money::percent_to_bp(d).map(money::format_percent).unwrap_or_default();
            json!({
                "id": l.id, "number": l.number, "title": l.title, "route": l.learning_route_name,
                "description": l.description, "max_winners": l.max_winners,
                "ceiling_price": l.ceiling_price.map(euro).unwrap_or_else(|| "geen".into()),
                "rationale": l.ceiling_price_rationale,
                "values": values,
                "criteria": l.quality_criteria.iter().map(|q| json!({
                    "title": q.title, "description": q.description, "scale": q.scale,
                    "weight": if values { q.value.map(euro).unwrap_or_default() } else { percent(q.weight_percent) },
                })).collect::<Vec<_>>(),
                "price_formula": l.price.formula.label(),
                "price_description": l.price.description,
                "price_weight": if values { "—".to_string() } else { percent(l.price.weight_percent) },
                "volumes": l.volumes,
                "volume_total": l.volumes.iter().map(|v| v.estimated_volume).sum::<i32>(),
                "asks_prices": l.asks_prices(),
                "price_lines": l.sheet_lines().iter().take(SHOWN_PRICE_LINES).cloned().collect::<Vec<_>>(),
                "more_price_lines": l.sheet_lines().len().saturating_sub(SHOWN_PRICE_LINES),
            })
        })
        .collect()
}

fn criteria_json(t: &Tender) -> Vec<Value> {
    t.selection_criteria
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "title": c.title, "description": c.description, "evidence": c.evidence,
                "scope": c.lot.map(|n| format!("Perceel {n}")).unwrap_or_else(|| "Alle percelen".into()),
                "validity": c.validity_rule.describe(c.validity_months),
            })
        })
        .collect()
}

pub async fn show(MaybeUser(user): MaybeUser, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    let t = visible(&state, user.as_ref(), *id).await?;
    let role = user.as_ref().and_then(User::role);
    if role.is_some_and(|r| r.sees_concepts()) {
        let inkoper = role == Some(Role::Inkoper);
        let data = show_data(&t, true, inkoper, Some(publication::check(&t, state.clock.now())));
        return Ok(ctx.render(user.as_ref(), &t.title, "pages/tenders/show", data));
    }
    // What the public sees is the same for everyone: rendered once per version of the tender.
    let content = match t.public_page.get() {
        Some(c) => c.clone(),
        None => {
            let c = templates::render("pages/tenders/show", &show_data(&t, false, false, None))?;
            let _ = t.public_page.set(c.clone());
            c
        }
    };
    let personal = match user.as_ref().filter(|u| u.role() == Some(Role::Aanbieder)) {
        Some(u) if !t.is_draft() => {
            format!("{}{}", bidding(&ctx, &state, u, &t).await?, super::enquiries::section(&ctx, &state, u, &t).await?)
        }
        _ => String::new(),
    };
    Ok(ctx.page(StatusCode::OK, user.as_ref(), &t.title, &format!("{content}{personal}")))
}

/// The aanbieder's own section under the public page: a bid per perceel, or the button to start one.
async fn bidding(ctx: &Ctx, state: &AppState, user: &User, t: &Snapshot) -> Result<String, Error> {
    let (tender_id, company_id) = (t.id, user.company_id.unwrap_or_default());
    let mine = state.db.read(move |conn| bid::of_company(conn, tender_id, company_id)).await?;
    let lots: Vec<Value> = t
        .lots
        .iter()
        .map(|l| {
            let b = mine.iter().find(|b| b.lot_id == l.id);
            json!({
                "lot_id": l.id, "title": format!("Perceel {}: {}", l.number, l.title),
                "bid_id": b.map(|b| b.id), "status": b.map(|b| b.status().label()),
            })
        })
        .collect();
    let data = json!({
        "tender_id": t.id, "lots": lots, "csrf": ctx.form_token(),
        "open": in_time(state.clock.now(), t.submission_deadline), "deadline": deadline::format_nl(t.submission_deadline),
    });
    templates::render("pages/tenders/bidding", &data)
}

fn show_data(t: &Snapshot, staff: bool, inkoper: bool, checklist: Option<Checklist>) -> Value {
    json!({
        "tender": tender_json(t),
        "staff": staff,
        "can_edit": inkoper,
        "can_add": inkoper && t.is_draft(),
        "can_publish": inkoper && t.is_draft(),
        "checklist": checklist,
        "lots": lots_json(t),
        "scales": t.scales,
        "criteria": criteria_json(t),
        "corrections": t.corrections.iter().map(|c| json!({
            "number": c.number, "subject": c.subject, "reason": c.reason, "at": deadline::format_nl(c.created_at),
        })).collect::<Vec<_>>(),
        "notes": t.notes.iter().map(|n| json!({
            "number": n.number, "published_at": deadline::format_nl(n.published_at), "items": n.items,
        })).collect::<Vec<_>>(),
    })
}

pub async fn publish_form(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    if !t.is_draft() {
        return Err(Error::Conflict("Deze aanbesteding is al gepubliceerd.".into()).into());
    }
    let data = json!({
        "tender": tender_json(&t),
        "checklist": publication::check(&t, state.clock.now()),
        "form": FormView::new(()),
    });
    Ok(ctx.render(Some(&user), "Controleren en publiceren", "pages/tenders/publish", data))
}

pub async fn publish(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    let (id, actor) = (*id, user.actor());
    let now = state.clock.now();
    let result = state.db.write(move |conn| db::publication::publish(conn, id, &actor, now)).await;
    match result {
        Ok(_) => Ok(redirect(
            &format!("/aanbestedingen/{id}"),
            Some("De aanbesteding is gepubliceerd en staat op de openbare lijst."),
        )),
        Err(Error::Validation(_)) => {
            // Something changed since the check was shown: show the current check again.
            let t = visible(&state, Some(&user), id).await?;
            let data = json!({ "tender": tender_json(&t), "checklist": publication::check(&t, state.clock.now()), "form": FormView::new(()) });
            Ok(ctx.render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&user),
                "Controleren en publiceren",
                "pages/tenders/publish",
                data,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
