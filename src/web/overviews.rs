//! Capaciteitsoverzicht in de browser: the dashboard of a gemeente (its klantmanager, or
//! management) and of a region (management), with a chart per leerroute, the same numbers in
//! tables, the contracts' use per year and the Excel download.

use actix_web::web;
use serde_json::{Value, json};

use super::{Ctx, FormView, WebResult, chart};
use std::sync::Arc;

use actix_web::http::StatusCode;

use crate::api::overviews::{Dashboard, Period, Which, built, workbook};
use crate::auth::{CapacityReader, Management};
use crate::db::scope;
use crate::db::user::User;
use crate::domain::role::Role;
use crate::errors::Error;
use crate::state::AppState;
use crate::templates;

/// `/capaciteit`: a klantmanager sees the own gemeente at once, management chooses a region.
pub async fn start(
    CapacityReader(user): CapacityReader,
    ctx: Ctx,
    state: web::Data<AppState>,
    p: web::Query<Period>,
) -> WebResult {
    if user.role() == Some(Role::Klantmanager) {
        let u = user.clone();
        let code = state.db.read(move |conn| Ok(scope::own(conn, &u)?.cbs_code)).await?;
        let path = format!("/capaciteit/gemeente/{code}");
        return show(&ctx, &state, &user, Which::Gemeente(code), p.into_inner(), path).await;
    }
    let regions = state.db.read(crate::db::region::list).await?;
    Ok(ctx.render(Some(&user), "Capaciteit", "pages/overviews/regions", json!({ "regions": regions })))
}

fn page_json(d: &Dashboard, query: &str, export: String) -> Value {
    let routes: Vec<Value> = d
        .overview
        .routes
        .iter()
        .map(|r| {
            json!({
                "name": r.name, "code": r.code, "chart": chart::route(r, &format!("grafiek-{}", r.code)),
                "periods": r.periods.iter().map(|p| json!({
                    "half": p.half, "expected": p.expected, "capacity": p.capacity, "placed": p.placed,
                    "surplus": if p.surplus > 0 { format!("+{}", p.surplus) } else { p.surplus.to_string() },
                    "short": p.surplus < 0, "utilisation": p.utilisation_percent.map(|u| format!("{u}%")),
                    "attention": p.attention,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let contracts: Vec<Value> = d
        .overview
        .contracts
        .iter()
        .map(|c| {
            json!({ "id": c.id, "company": c.company, "route": c.route, "years": c.years.iter().map(|y| json!({
                "year": y.year, "places": y.places, "placed": y.placed,
                "utilisation": y.utilisation_percent.map(|u| format!("{u}%")),
                "full": y.utilisation_percent.is_some_and(|u| u > crate::domain::overview::NEARLY_FULL),
            })).collect::<Vec<_>>() })
        })
        .collect();
    json!({
        "name": d.name, "region": d.kind == "regio", "code": d.code, "halves": d.overview.halves,
        "routes": routes, "contracts": contracts, "distribution": d.distribution,
        "export": format!("{export}{query}"),
    })
}

async fn show(ctx: &Ctx, state: &AppState, user: &User, which: Which, p: Period, path: String) -> WebResult {
    let query = match (&p.van, &p.tot) {
        (None, None) => String::new(),
        (van, tot) => format!(
            "?van={}&tot={}",
            super::encode_query(van.as_deref().unwrap_or("")),
            super::encode_query(tot.as_deref().unwrap_or(""))
        ),
    };
    let management = user.role() == Some(Role::Management);
    let (built, errors) = match built(state, user, which.clone(), &p).await {
        Ok(b) => (b, None),
        Err(e @ Error::Validation(_)) => (built(state, user, which, &Period { van: None, tot: None }).await?, Some(e)),
        Err(e) => return Err(e.into()),
    };
    let title = format!("Capaciteit {}", built.name);
    // The same for everyone who asks the same way, until the region's capacity changes.
    let key = format!("{management}|{query}");
    if errors.is_none()
        && let Some(content) = built.page(&key)
    {
        return Ok(ctx.page(StatusCode::OK, Some(user), &title, &content));
    }
    let d = Dashboard::from(&*built);
    let mut data = page_json(&d, if errors.is_some() { "" } else { &query }, format!("{path}/export"));
    let mut form = FormView::new(json!({ "van": p.van, "tot": p.tot }));
    if let Some(e) = &errors {
        form = form.with_error(e, |n| n.to_owned());
    }
    data["form"] = json!(form);
    data["path"] = json!(path);
    data["management"] = json!(management);
    if d.kind == "regio" {
        let code = d.code.clone();
        data["gemeenten"] = json!(state.db.read(move |conn| crate::db::municipality::list(conn, Some(&code))).await?);
    }
    if errors.is_some() {
        return Ok(ctx.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(user),
            &title,
            "pages/overviews/show",
            data,
        ));
    }
    let content = Arc::new(templates::render("pages/overviews/show", &data)?);
    built.keep_page(key, content.clone());
    Ok(ctx.page(StatusCode::OK, Some(user), &title, &content))
}

pub async fn municipality(
    CapacityReader(user): CapacityReader,
    ctx: Ctx,
    state: web::Data<AppState>,
    code: web::Path<String>,
    p: web::Query<Period>,
) -> WebResult {
    let code = code.into_inner();
    let path = format!("/capaciteit/gemeente/{code}");
    show(&ctx, &state, &user, Which::Gemeente(code), p.into_inner(), path).await
}

pub async fn region(
    Management(user): Management,
    ctx: Ctx,
    state: web::Data<AppState>,
    code: web::Path<String>,
    p: web::Query<Period>,
) -> WebResult {
    let code = code.into_inner();
    let path = format!("/capaciteit/regio/{code}");
    show(&ctx, &state, &user, Which::Region(code), p.into_inner(), path).await
}

pub async fn municipality_export(
    CapacityReader(user): CapacityReader,
    state: web::Data<AppState>,
    code: web::Path<String>,
    p: web::Query<Period>,
) -> WebResult {
    Ok(workbook(&state, &user, Which::Gemeente(code.into_inner()), &p).await?)
}

pub async fn region_export(
    Management(user): Management,
    state: web::Data<AppState>,
    code: web::Path<String>,
    p: web::Query<Period>,
) -> WebResult {
    Ok(workbook(&state, &user, Which::Region(code.into_inner()), &p).await?)
}
