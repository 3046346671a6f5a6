//! Gunning in de browser: the perceel's award page — propose, approve (management), send the
//! letters, record objections and lift a kort geding, award definitively, withdraw — and the
//! contracts it made, with the award report to download.

use std::collections::HashMap;

use actix_web::web;
use serde_json::{Value, json};

use super::failed::{Failed, field, fields, summary};
use super::tenders::tender_json;
use super::{Ctx, Form, WebResult, redirect};
use crate::api::awards::{self, DefinitiveInput, LotAward, ProposalInput, ReasonInput};
use crate::api::evaluation::perceel;
use crate::auth::{Inkoper, Management, Staff};
use crate::db::award::Decision;
use crate::db::user::User;
use crate::domain::award::AwardStatus;
use crate::domain::deadline::format_nl;
use crate::domain::role::Role;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

pub fn award_path(tender_id: i64, lot_id: i64) -> String {
    format!("/aanbestedingen/{tender_id}/percelen/{lot_id}/gunning")
}

fn decision_json(d: &Decision, names: &HashMap<i64, String>, user: &User, failed: Option<&Failed>) -> Value {
    let role = user.role();
    let inkoper = role == Some(Role::Inkoper);
    let winners: Vec<&str> =
        d.winner_bid_ids.iter().map(|id| names.get(id).map_or("onbekend", String::as_str)).collect();
    let objections: Vec<Value> = d
        .objections
        .iter()
        .map(|o| {
            json!({
                "id": o.id, "when": format_nl(o.lodged_at), "who": o.lodged_by, "body": o.body, "kort_geding": o.kort_geding,
                "bidder": o.bid_id.and_then(|b| names.get(&b)), "suspends": o.suspends(),
                "lifted": o.lifted_at.map(format_nl), "lifted_reason": o.lifted_reason,
                "lift": fields(failed, &format!("opheffen-{}", o.id), &["reden"]),
            })
        })
        .collect();
    let bidders: Vec<Value> = names.iter().map(|(id, n)| json!({ "value": id, "text": n })).collect();
    json!({
        "id": d.id, "status": d.status.label(), "winners": winners.join(", "), "not_awarded_reason": d.not_awarded_reason,
        "proposed": format!("{} door {}", format_nl(d.proposed_at), d.proposed_by),
        "approved": d.approved_at.map(|at| format!("{} door {}", format_nl(at), d.approved_by.clone().unwrap_or_default())),
        "sent": d.sent_at.map(format_nl), "days": d.standstill_days,
        "short_reason": (d.standstill_days < crate::db::award::STANDSTILL_DAYS).then(|| d.standstill_reason.clone()),
        "last_day": d.standstill_last_day, "moved_past": d.standstill_moved_past,
        "ends": d.standstill_ends_at.map(format_nl), "definitive": d.definitive_at.map(format_nl),
        "withdrawn": d.withdrawn_at.map(|at| format!("{} — {}", format_nl(at), d.withdrawn_reason)),
        "objections": objections, "bidders": bidders,
        "can_approve": role == Some(Role::Management) && d.status == AwardStatus::Proposed && d.proposed_by_id != user.id,
        "can_send": inkoper && d.status == AwardStatus::Approved,
        "running": inkoper && d.status == AwardStatus::Sent,
        "can_withdraw": inkoper && d.is_open(),
        "can_copy": inkoper && d.winner_bid_ids.is_empty() && matches!(d.status, AwardStatus::Sent | AwardStatus::Definitive),
        "objection": fields(failed, &format!("bezwaar-{}", d.id), &["bezwaar", "inschrijving"]),
        "final": prefilled(
            fields(failed, &format!("definitief-{}", d.id), &["ingangsdatum", "jaren", "verlengingen"]),
            &[("jaren", "4"), ("verlengingen", "2 + 2")],
        ),
        "withdraw": fields(failed, &format!("intrekken-{}", d.id), &["reden"]),
    })
}

/// Puts the usual value in fields nobody typed in yet.
fn prefilled(mut fields: Value, usual: &[(&str, &str)]) -> Value {
    for (name, value) in usual {
        if let Some(v) = fields.pointer_mut(&format!("/{name}/value"))
            && v.as_str().is_none_or(str::is_empty)
        {
            *v = json!(value);
        }
    }
    fields
}

async fn page(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    (tender_id, lot_id): (i64, i64),
    failed: Option<Failed<'_>>,
) -> WebResult {
    let p = perceel(state, user, tender_id, lot_id).await?;
    let lot = p.lot()?;
    let title = format!("Perceel {}: {}", lot.number, lot.title);
    let award: LotAward = awards::lot_award(state, tender_id, lot_id).await?;
    let names: HashMap<i64, String> = p.evaluation.bids.iter().map(|b| (b.row.id, b.bidder())).collect();
    let open = award.decisions.iter().any(|d| d.is_open() || d.status == AwardStatus::Definitive);
    let decisions: Vec<Value> =
        award.decisions.iter().rev().map(|d| decision_json(d, &names, user, failed.as_ref())).collect();
    let contracts: Vec<Value> = award.contracts.iter().map(super::contracts::contract_json).collect();
    let data = json!({
        "tender": tender_json(&p.tender), "lot": title, "lot_id": lot_id,
        "revealed": p.evaluation.revealed_at.is_some(), "inkoper": user.role() == Some(Role::Inkoper),
        "can_propose": user.role() == Some(Role::Inkoper) && !open,
        "days": p.tender.standstill_days, "decisions": decisions, "contracts": contracts,
        "propose": prefilled(
            fields(failed.as_ref(), "voorstel", &["termijn", "reden_termijn", "niet_gunnen"]),
            &[("termijn", &p.tender.standstill_days.to_string())],
        ),
        "form": summary(failed.as_ref()),
    });
    let status = match failed {
        Some(_) => actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        None => actix_web::http::StatusCode::OK,
    };
    Ok(ctx.render_status(status, Some(user), &format!("Gunning {title}"), "pages/awards/show", data))
}

pub async fn show(Staff(user): Staff, ctx: Ctx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> WebResult {
    page(&ctx, &state, &user, path.into_inner(), None).await
}

/// Which form a step came from: its name, what was typed, and its field for each input name.
pub type Which<'a> = (String, &'a [(String, String)], &'a dyn Fn(&str) -> String);

/// After a step: back to the page with `done`, or the page again with the problem at `form`.
pub async fn after(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    at: (i64, i64),
    result: Result<(), Error>,
    done: &str,
    (form, typed, rename): Which<'_>,
) -> WebResult {
    let errors = match result {
        Ok(()) => return Ok(redirect(&award_path(at.0, at.1), Some(done))),
        Err(Error::Validation(list)) => list.into_iter().map(|f| FieldError::new(rename(&f.name), f.reason)).collect(),
        Err(Error::Conflict(m)) => vec![FieldError::new(rename("form"), m)],
        Err(other) => return Err(other.into()),
    };
    page(ctx, state, user, at, Some(Failed { form, typed, errors })).await
}

pub type Pairs = Form<Vec<(String, String)>>;

pub async fn propose(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Pairs,
) -> WebResult {
    let pairs = form.0?;
    let (tender_id, lot_id) = path.into_inner();
    let input = ProposalInput {
        standstill_days: field(&pairs, "termijn").parse().ok(),
        standstill_reason: field(&pairs, "reden_termijn").to_owned(),
        not_awarded_reason: field(&pairs, "niet_gunnen").to_owned(),
    };
    let result = awards::propose(&state, &user, tender_id, lot_id, input).await.map(|_| ());
    let rename = |n: &str| {
        match n {
            "standstill_days" => "termijn",
            "standstill_reason" => "reden_termijn",
            "not_awarded_reason" => "niet_gunnen",
            _ => "termijn",
        }
        .to_owned()
    };
    let done = "Het voornemen is voorgesteld; management keurt het goed voordat de brieven gaan.";
    after(&ctx, &state, &user, (tender_id, lot_id), result, done, ("voorstel".into(), &pairs, &rename)).await
}

pub async fn approve(
    Management(user): Management,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: Pairs,
) -> WebResult {
    // Nothing to read but the CSRF token, which the form checks.
    form.0?;
    let (tender_id, lot_id, id) = path.into_inner();
    let result = awards::approve(&state, &user, tender_id, lot_id, id).await;
    let rename = |_: &str| "form".to_owned();
    after(
        &ctx,
        &state,
        &user,
        (tender_id, lot_id),
        result,
        "Het voornemen is goedgekeurd.",
        (format!("goedkeuren-{id}"), &[], &rename),
    )
    .await
}

pub async fn send(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: Pairs,
) -> WebResult {
    // Nothing to read but the CSRF token, which the form checks.
    form.0?;
    let (tender_id, lot_id, id) = path.into_inner();
    let result = awards::send(&state, &user, tender_id, lot_id, id).await;
    let rename = |_: &str| "form".to_owned();
    let done = "De brieven zijn verzonden, alle op hetzelfde moment; de Alcatel-termijn loopt.";
    after(&ctx, &state, &user, (tender_id, lot_id), result, done, (format!("verzenden-{id}"), &[], &rename)).await
}

pub async fn make_definitive(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: Pairs,
) -> WebResult {
    let pairs = form.0?;
    let (tender_id, lot_id, id) = path.into_inner();
    let extensions: Result<Vec<u32>, _> = field(&pairs, "verlengingen")
        .split(['+', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect();
    let result = match (extensions, field(&pairs, "jaren").parse::<u32>()) {
        (Ok(extensions), Ok(years)) => {
            let input = DefinitiveInput {
                contract_start: field(&pairs, "ingangsdatum").to_owned(),
                years: Some(years),
                extensions: Some(extensions),
            };
            awards::make_definitive(&state, &user, tender_id, lot_id, id, input).await
        }
        (Err(_), _) => {
            Err(Error::invalid("extensions", "Noem de verlengingen in jaren, bijvoorbeeld 2 + 2 (leeg: geen)."))
        }
        (_, Err(_)) => Err(Error::invalid("years", "Vul de looptijd in hele jaren in, bijvoorbeeld 4.")),
    };
    let rename = |n: &str| {
        match n {
            "years" => "jaren",
            "extensions" => "verlengingen",
            _ => "ingangsdatum",
        }
        .to_owned()
    };
    let done = "Definitief gegund: alle inschrijvers zijn bericht en de raamovereenkomsten staan klaar.";
    after(&ctx, &state, &user, (tender_id, lot_id), result, done, (format!("definitief-{id}"), &pairs, &rename)).await
}

pub async fn withdraw(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: Pairs,
) -> WebResult {
    let pairs = form.0?;
    let (tender_id, lot_id, id) = path.into_inner();
    let input = ReasonInput { reason: field(&pairs, "reden").to_owned() };
    let result = awards::withdraw(&state, &user, (tender_id, lot_id, id), input).await;
    let rename = |_: &str| "reden".to_owned();
    let done = "De beslissing is ingetrokken; een nieuw voornemen start een nieuwe Alcatel-termijn.";
    after(&ctx, &state, &user, (tender_id, lot_id), result, done, (format!("intrekken-{id}"), &pairs, &rename)).await
}

/// Copies a perceel that ends "niet gegund" into a new concept tender and opens it.
pub async fn copy(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Pairs,
) -> WebResult {
    form.0?;
    let (tender_id, lot_id) = path.into_inner();
    match crate::api::tender_copies::copy(&state, &user, tender_id, lot_id).await {
        Ok(id) => Ok(redirect(
            &format!("/aanbestedingen/{id}"),
            Some("Het perceel staat in een nieuwe concept-aanbesteding; pas de termijnen aan en publiceer opnieuw."),
        )),
        Err(e) => {
            let rename = |_: &str| "form".to_owned();
            after(&ctx, &state, &user, (tender_id, lot_id), Err(e), "", ("opnieuw".into(), &[], &rename)).await
        }
    }
}
