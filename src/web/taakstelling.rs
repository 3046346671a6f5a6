//! Taakstelling in de browser: management types the statushouders per gemeente and half year
//! into a table, or imports a sheet; a bad cell is named and nothing is stored half.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use serde_json::json;

use super::{Ctx, Form, FormView, WebResult, redirect, upload};
use crate::api::overviews::Period;
use crate::api::taakstelling::{checked, file_bytes, import, store};
use crate::auth::Management;
use crate::db::taakstelling::{self, Entry};
use crate::db::user::User;
use crate::db::{municipality, scope};
use crate::domain::deadline::ZONE;
use crate::domain::forecast::HalfYear;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

/// Half years in the form at once.
const COLUMNS: i32 = 4;

fn field(code: &str, half: &HalfYear) -> String {
    format!("{code}_{half}")
}

async fn page(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    code: String,
    from: HalfYear,
    typed: Option<&BTreeMap<String, String>>,
    error: Option<&Error>,
) -> WebResult {
    let c = code.clone();
    let (region, gemeenten, entries) = state
        .db
        .read(move |conn| {
            let region = scope::region(conn, &c)?;
            let list = municipality::list(conn, Some(&c))?;
            let ids: Vec<i64> = list.iter().map(|m| m.id).collect();
            Ok((region, list, taakstelling::entries(conn, &ids)?))
        })
        .await?;
    let halves: Vec<HalfYear> = (0..COLUMNS).map(|i| HalfYear::from_index(from.index() + i)).collect();
    let mut form = FormView::new(json!({}));
    if let Some(e) = error {
        form = form.with_error(e, |n| n.to_owned());
    }
    let rows: Vec<_> = gemeenten
        .iter()
        .filter(|m| m.dissolved_on.is_none())
        .map(|m| {
            let cells: Vec<_> = halves
                .iter()
                .map(|h| {
                    let name = field(&m.cbs_code, h);
                    let stored = entries.iter().find(|e| e.municipality == m.cbs_code && e.half_year == h.to_string());
                    let value = typed.and_then(|t| t.get(&name).cloned()).or(stored.map(|e| e.people.to_string()));
                    json!({ "name": name, "label": format!("{} {h}", m.name), "value": value.unwrap_or_default(), "error": form.errors.get(&name) })
                })
                .collect();
            json!({ "name": m.name, "cells": cells })
        })
        .collect();
    let data = json!({
        "region": region.name(), "code": code, "halves": halves.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
        "rows": rows, "form": form, "van": from.to_string(),
        "previous": HalfYear::from_index(from.index() - COLUMNS).to_string(), "next": HalfYear::from_index(from.index() + COLUMNS).to_string(),
    });
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(ctx.render_status(
        status,
        Some(user),
        &format!("Taakstelling {}", region.name()),
        "pages/taakstelling/form",
        data,
    ))
}

fn first_half(state: &AppState, p: &Period) -> Result<HalfYear, Error> {
    let today = state.clock.now().with_timezone(&ZONE).date_naive();
    let (from, _) =
        Period { van: p.van.clone().or_else(|| Some(crate::domain::placement::half_of(today).to_string())), tot: None }
            .halves(today)?;
    Ok(from)
}

pub async fn show(
    Management(user): Management,
    ctx: Ctx,
    state: web::Data<AppState>,
    code: web::Path<String>,
    p: web::Query<Period>,
) -> WebResult {
    let from = first_half(&state, &p)?;
    page(&ctx, &state, &user, code.into_inner(), from, None, None).await
}

/// Saves the typed cells; an empty cell leaves that half year as it is.
pub async fn save(
    Management(user): Management,
    ctx: Ctx,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: Form<BTreeMap<String, String>>,
) -> WebResult {
    let (typed, code) = (form.0?, code.into_inner());
    let from = typed
        .get("van")
        .and_then(|v| HalfYear::parse(v).ok())
        .unwrap_or(first_half(&state, &Period { van: None, tot: None })?);
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (name, value) in typed.iter().filter(|(n, v)| n.starts_with("GM") && !v.trim().is_empty()) {
        let Some((gemeente, half)) = name.split_once('_') else { continue };
        match value.trim().parse::<u32>() {
            Ok(people) => entries.push(Entry { municipality: gemeente.to_owned(), half_year: half.to_owned(), people }),
            Err(_) => problems.push(FieldError::new(name.clone(), format!("'{}' is geen heel aantal.", value.trim()))),
        }
    }
    let result = match problems.is_empty() {
        false => Err(Error::Validation(problems)),
        true => match checked(&state, &code, &entries).await {
            Ok(targets) => store(&state, &user, code.clone(), targets, "formulier").await,
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(n) => Ok(redirect(
            &format!("/capaciteit/regio/{code}"),
            Some(&format!("De taakstelling is opgeslagen ({n} cellen).")),
        )),
        Err(e @ Error::Validation(_)) => page(&ctx, &state, &user, code, from, Some(&typed), Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn upload_sheet(
    Management(user): Management,
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Payload,
) -> WebResult {
    let code = code.into_inner();
    let from = first_half(&state, &Period { van: None, tot: None })?;
    let result = match upload::multipart(&req, body).await {
        Ok(payload) => match file_bytes(payload).await {
            Ok(bytes) => import(&state, &user, code.clone(), bytes).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(n) => Ok(redirect(
            &format!("/capaciteit/regio/{code}"),
            Some(&format!("De taakstelling is geïmporteerd: {n} regels.")),
        )),
        Err(e @ Error::Validation(_)) => page(&ctx, &state, &user, code, from, None, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}
