//! Plaatsingen in de browser: a klantmanager sees and records the placements of the own
//! gemeente and ends them; management sees every gemeente's, one gemeente at a time if asked.

use actix_web::http::StatusCode;
use actix_web::web;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::form::options;
use super::page::pagination;
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::PageQuery;
use crate::api::placements::{Ending, Filter, finish, record};
use crate::auth::{CapacityReader, Klantmanager};
use crate::db::placement::{self, NewPlacement};
use crate::db::scope::{self, Scope};
use crate::db::user::User;
use crate::db::{PageRequest, overview};
use crate::domain::placement::EndReason;
use crate::domain::role::Role;
use crate::errors::{Error, FieldError, Problems};
use crate::state::AppState;

#[derive(Deserialize, Serialize, Default)]
pub struct PlacementForm {
    #[serde(default)]
    contract_id: String,
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    overrule_reason: String,
}

#[derive(Deserialize, Serialize, Default)]
pub struct EndForm {
    #[serde(default)]
    ended_on: String,
    #[serde(default)]
    reason: String,
}

/// What the page shows besides the list: the form to add, or the errors of an ending.
struct Shown<'a> {
    form: &'a PlacementForm,
    errors: Option<&'a Error>,
    ended: Option<(i64, &'a Error)>,
    moved: Option<&'a Error>,
    /// The placements ticked for a move that was refused: ticked again.
    ticked: &'a [String],
}

#[derive(Deserialize, Serialize, Default)]
pub struct MoveForm {
    #[serde(default)]
    placement_ids: Vec<String>,
    #[serde(default)]
    to_contract_id: String,
    #[serde(default)]
    confirm: Option<String>,
    #[serde(default)]
    overrule_reason: String,
}

/// The move form's fields on the page, apart from the form that adds a placement.
fn move_field(name: &str) -> String {
    match name {
        "to_contract_id" => "move-to",
        "confirm" => "move-confirm",
        "overrule_reason" => "move-reason",
        _ => "move-placements",
    }
    .to_owned()
}

async fn page(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    request: PageRequest,
    only: Option<String>,
    shown: Shown<'_>,
) -> WebResult {
    let u = user.clone();
    let klantmanager = user.role() == Some(Role::Klantmanager);
    let filter = only.clone();
    let (items, total, contracts, gemeenten, own) = state
        .db
        .read(move |conn| {
            let ids = scope::municipality_ids(conn, &u, filter.as_deref())?;
            let (items, total) = placement::page(conn, &ids, request)?;
            let (contracts, own) = match u.role() {
                Some(Role::Klantmanager) => {
                    let m = scope::own(conn, &u)?;
                    let s = Scope::Gemeente(m.clone());
                    let (region_id, _, _) = overview::region_of(conn, &s)?;
                    (overview::contracts_of(conn, &s, region_id)?, Some(m.name))
                }
                _ => (Vec::new(), None),
            };
            let gemeenten = crate::db::municipality::list(conn, None)?;
            Ok((items, total, contracts, gemeenten, own))
        })
        .await?;
    let choose = std::iter::once(("".to_owned(), "Kies een contract".to_owned()));
    let labels: Vec<(String, String)> =
        choose.chain(contracts.iter().map(|c| (c.id.to_string(), format!("{} ({})", c.company, c.route)))).collect();
    let contract_options = options(labels.iter().map(|(v, t)| (v.as_str(), t.as_str())), &shown.form.contract_id);
    let reasons = options(EndReason::ALL.iter().map(|r| (r.as_str(), r.as_str())), "afgerond");
    let all = std::iter::once(("".to_owned(), "Alle gemeenten".to_owned()));
    let names: Vec<(String, String)> =
        all.chain(gemeenten.iter().map(|m| (m.cbs_code.clone(), m.name.clone()))).collect();
    let gemeente_options = options(names.iter().map(|(v, t)| (v.as_str(), t.as_str())), only.as_deref().unwrap_or(""));
    let rows: Vec<_> = items
        .iter()
        .map(|p| {
            let failed = shown.ended.filter(|(id, _)| *id == p.id).map(|(_, e)| e.message());
            json!({
                "id": p.id, "reference": p.reference, "gemeente": p.municipality_name, "company": p.company,
                "route": p.route, "start": p.start_date.format("%d-%m-%Y").to_string(),
                "ended": p.ended_on.map(|d| format!("{} ({})", d.format("%d-%m-%Y"), p.end_reason.clone().unwrap_or_default())),
                "overruled": !p.overrule_reason.is_empty(), "overrule_reason": p.overrule_reason,
                "end_error": failed, "ticked": shown.ticked.contains(&p.id.to_string()),
            })
        })
        .collect();
    let mut form = FormView::new(shown.form);
    if let Some(e) = shown.errors {
        form = form.with_error(e, |n| n.to_owned());
    }
    if let Some(e) = shown.moved {
        form = form.with_error(e, move_field);
    }
    let base = match &only {
        Some(code) => format!("/plaatsingen?gemeente={code}"),
        None => "/plaatsingen".to_owned(),
    };
    let data = json!({
        "placements": rows, "pagination": pagination(&base, request, total), "total": total,
        "klantmanager": klantmanager, "own": own, "contracts": contract_options, "has_contracts": !contracts.is_empty(),
        "reasons": reasons, "gemeenten": gemeente_options, "form": form,
        "overrule": shown.errors.is_some_and(|e| e.concerns("overrule_reason")),
        "move_confirm": shown.moved.is_some_and(|e| e.concerns("confirm")),
        "move_overrule": shown.moved.is_some_and(|e| e.concerns("overrule_reason")),
        "today": state.clock.now().with_timezone(&crate::domain::deadline::ZONE).date_naive().to_string(),
    });
    let status = if shown.errors.is_some() || shown.ended.is_some() || shown.moved.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(ctx.render_status(status, Some(user), "Plaatsingen", "pages/placements/list", data))
}

pub async fn list(
    CapacityReader(user): CapacityReader,
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<PageQuery>,
    f: web::Query<Filter>,
) -> WebResult {
    let only = f.into_inner().gemeente.filter(|g| !g.trim().is_empty());
    let shown = Shown { form: &PlacementForm::default(), errors: None, ended: None, moved: None, ticked: &[] };
    page(&ctx, &state, &user, q.request(), only, shown).await
}

fn parse(f: &PlacementForm) -> Result<NewPlacement, Error> {
    let mut problems = Vec::new();
    let contract_id = f.contract_id.trim().parse().unwrap_or_else(|_| {
        problems.push(FieldError::new("contract_id", "Kies een contract."));
        0
    });
    let start_date = NaiveDate::parse_from_str(f.start_date.trim(), "%Y-%m-%d").unwrap_or_else(|_| {
        problems.push(FieldError::new("start_date", "Vul de startdatum in, zoals 2027-03-01."));
        NaiveDate::MIN
    });
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    Ok(NewPlacement {
        contract_id,
        start_date,
        reference: f.reference.clone(),
        overrule_reason: f.overrule_reason.clone(),
    })
}

pub async fn create(
    Klantmanager(user): Klantmanager,
    ctx: Ctx,
    state: web::Data<AppState>,
    form: Form<PlacementForm>,
) -> WebResult {
    let f = form.0?;
    let result = match parse(&f) {
        Ok(new) => record(&state, &user, new).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => {
            let how =
                if p.overrule_reason.is_empty() { "" } else { " op een vol contract, met uw reden in het logboek" };
            Ok(redirect("/plaatsingen", Some(&format!("{} is geplaatst bij {}{how}.", p.reference, p.company))))
        }
        Err(e @ Error::Validation(_)) => {
            page(
                &ctx,
                &state,
                &user,
                PageRequest::new(None, None),
                None,
                Shown { form: &f, errors: Some(&e), ended: None, moved: None, ticked: &[] },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn end(
    Klantmanager(user): Klantmanager,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<EndForm>,
) -> WebResult {
    let (f, id) = (form.0?, *id);
    let ended_on = NaiveDate::parse_from_str(f.ended_on.trim(), "%Y-%m-%d");
    let result = match ended_on {
        Ok(d) => finish(&state, &user, id, Ending { ended_on: d, reason: f.reason.clone() }).await,
        Err(_) => Err(Error::invalid("ended_on", "Vul de einddatum in, zoals 2027-06-30.")),
    };
    match result {
        Ok(p) => Ok(redirect("/plaatsingen", Some(&format!("Plaatsing {} is beëindigd ({}).", p.reference, f.reason)))),
        Err(e @ (Error::Validation(_) | Error::Conflict(_))) => {
            let shown = Shown {
                form: &PlacementForm::default(),
                errors: None,
                ended: Some((id, &e)),
                moved: None,
                ticked: &[],
            };
            page(&ctx, &state, &user, PageRequest::new(None, None), None, shown).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Moves the ticked placements to another provider of the same leerroute; more than fifteen
/// only once confirmed, a full contract only with a reason.
pub async fn relocate(
    Klantmanager(user): Klantmanager,
    ctx: Ctx,
    state: web::Data<AppState>,
    form: Form<MoveForm>,
) -> WebResult {
    let f = form.0?;
    let ids: Result<Vec<i64>, _> = f.placement_ids.iter().map(|i| i.trim().parse::<i64>()).collect();
    let to = f.to_contract_id.trim().parse::<i64>();
    let result = match (ids, to) {
        (Ok(ids), Ok(to)) if !ids.is_empty() => {
            let (u, now, url, confirm) =
                (user.clone(), state.clock.now(), state.settings.public_url.clone(), f.confirm.is_some());
            let reason = f.overrule_reason.clone();
            state
                .db
                .write(move |conn| {
                    let own = scope::own(conn, &u)?;
                    let moved = placement::move_to(conn, own.id, &ids, to, (confirm, &reason), &u)?;
                    crate::api::placements::warn(conn, own.id, &url, now)?;
                    Ok(moved.len())
                })
                .await
        }
        (ids, to) => {
            // Both choices are named at once when both are missing.
            let mut missing = Problems::default();
            if ids.map_or(true, |ids| ids.is_empty()) {
                missing.add("placement_ids", "Kies de plaatsingen die verhuizen.");
            }
            if to.is_err() {
                missing.add("to_contract_id", "Kies het contract waar de cursisten heen gaan.");
            }
            missing.into_result(0)
        }
    };
    match result {
        Ok(n) => Ok(redirect("/plaatsingen", Some(&format!("{n} plaatsingen zijn verplaatst.")))),
        Err(e @ (Error::Validation(_) | Error::NotFound(_))) => {
            let e = match e {
                Error::NotFound(_) => Error::invalid(
                    "placement_ids",
                    "Een van de gekozen plaatsingen bestaat niet (meer) bij uw gemeente.",
                ),
                other => other,
            };
            let shown = Shown {
                form: &PlacementForm::default(),
                errors: None,
                ended: None,
                moved: Some(&e),
                ticked: &f.placement_ids,
            };
            page(&ctx, &state, &user, PageRequest::new(None, None), None, shown).await
        }
        Err(e) => Err(e.into()),
    }
}
