//! Verdeling over leerroutes in de browser: management sets the share of each route that the
//! region expects; the forecast follows at once.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::web;
use rust_decimal::Decimal;
use serde_json::json;

use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::auth::Management;
use crate::db::user::User;
use crate::db::{capacity_notice, learning_route, route_share, scope};
use crate::errors::{Error, FieldError};
use crate::state::AppState;

async fn page(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    code: String,
    typed: Option<&BTreeMap<String, String>>,
    error: Option<&Error>,
) -> WebResult {
    let c = code.clone();
    let (region, routes, current) = state
        .db
        .read(move |conn| {
            let region = scope::region(conn, &c)?;
            let scope::Scope::Region { id, .. } = &region else { return Err(Error::NotFound("Regio")) };
            let d = route_share::of_region(conn, *id)?;
            Ok((region, learning_route::list(conn)?, d))
        })
        .await?;
    let mut form = FormView::new(json!({}));
    // A problem with the whole distribution is shown at the first route.
    let first = routes.first().map(|r| r.code.clone()).unwrap_or_default();
    if let Some(e) = error {
        form = form.with_error(e, |n| if n == "shares" { first.clone() } else { n.to_owned() });
    }
    let fields: Vec<_> = routes
        .iter()
        .map(|r| {
            let stored = current.shares().iter().find(|(c, _)| c == &r.code).map(|(_, p)| p.normalize().to_string());
            let value = typed.and_then(|t| t.get(&r.code).cloned()).or(stored).unwrap_or_default();
            json!({ "code": r.code, "name": r.name, "value": value, "error": form.errors.get(&r.code) })
        })
        .collect();
    let data = json!({ "region": region.name(), "code": code, "fields": fields, "form": form });
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(ctx.render_status(status, Some(user), &format!("Verdeling {}", region.name()), "pages/route_shares/form", data))
}

pub async fn show(
    Management(user): Management,
    ctx: Ctx,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> WebResult {
    page(&ctx, &state, &user, code.into_inner(), None, None).await
}

pub async fn save(
    Management(user): Management,
    ctx: Ctx,
    state: web::Data<AppState>,
    code: web::Path<String>,
    form: Form<BTreeMap<String, String>>,
) -> WebResult {
    let (typed, code) = (form.0?, code.into_inner());
    let mut shares = Vec::new();
    let mut problems = Vec::new();
    for (route, value) in typed.iter().filter(|(n, v)| *n != "csrf_token" && !v.trim().is_empty()) {
        match value.trim().replace(',', ".").parse::<Decimal>() {
            Ok(p) if p.is_zero() => {}
            Ok(p) => shares.push((route.clone(), p)),
            Err(_) => problems.push(FieldError::new(route.clone(), format!("'{}' is geen percentage.", value.trim()))),
        }
    }
    let (u, now, url, c) = (user.clone(), state.clock.now(), state.settings.public_url.clone(), code.clone());
    let result = match problems.is_empty() {
        false => Err(Error::Validation(problems)),
        true => {
            state
                .db
                .write(move |conn| {
                    let region = scope::region(conn, &c)?;
                    let scope::Scope::Region { id, .. } = &region else { return Err(Error::NotFound("Regio")) };
                    route_share::set(conn, *id, shares, &u)?;
                    capacity_notice::region_changed(conn, &region, now, &url)?;
                    Ok(())
                })
                .await
        }
    };
    match result {
        Ok(()) => {
            Ok(redirect(&format!("/capaciteit/regio/{code}"), Some("De verdeling over de leerroutes is opgeslagen.")))
        }
        Err(e @ Error::Validation(_)) => page(&ctx, &state, &user, code, Some(&typed), Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}
