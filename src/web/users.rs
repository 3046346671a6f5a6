//! Gebruikers in de browser: a beheerder lists accounts and adds one with a one-time password.

use actix_web::http::StatusCode;
use actix_web::web;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::form::options;
use super::page::pagination;
use super::{Ctx, Form, FormView, WebResult};
use crate::api::PageQuery;
use crate::auth::{Beheerder, create_account};
use crate::db::user;
use crate::domain::account::UserInput;
use crate::domain::role::Role;
use crate::errors::Error;
use crate::state::AppState;

pub async fn list(
    Beheerder(admin): Beheerder,
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<PageQuery>,
) -> WebResult {
    let request = q.request();
    let (items, total) = state.db.read(move |conn| user::page(conn, request)).await?;
    let users: Vec<_> = items
        .iter()
        .map(|u| {
            let status = match (u.active, u.must_change_password) {
                (false, _) => "uitgeschakeld",
                (true, true) => "nog niet ingelogd (eenmalig wachtwoord)",
                (true, false) => "actief",
            };
            json!({ "name": u.name, "email": u.email, "role": u.role().map(|r| r.label()).unwrap_or("onbekend"), "status": status })
        })
        .collect();
    let data = json!({ "users": users, "pagination": pagination("/beheer/gebruikers", request, total) });
    Ok(ctx.render(Some(&admin), "Gebruikers", "pages/users/list", data))
}

#[derive(Deserialize, Serialize, Default)]
pub struct UserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    municipality: String,
}

async fn form_page(ctx: &Ctx, state: &AppState, admin: &user::User, f: &UserForm, e: Option<&Error>) -> WebResult {
    let gemeenten = state.db.read(|conn| crate::db::municipality::list(conn, None)).await?;
    let mut view = FormView::new(f);
    if let Some(e) = e {
        view = view.with_error(e, |n| n.to_owned());
    }
    let roles = options(Role::ALL.iter().map(|r| (r.as_str(), r.label())), &f.role);
    let names: Vec<(String, String)> =
        gemeenten.iter().filter(|m| m.dissolved_on.is_none()).map(|m| (m.cbs_code.clone(), m.name.clone())).collect();
    let none = std::iter::once(("", "Geen (alleen voor een klantmanager)"));
    let gemeenten = options(none.chain(names.iter().map(|(c, n)| (c.as_str(), n.as_str()))), &f.municipality);
    let status = if e.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(ctx.render_status(
        status,
        Some(admin),
        "Gebruiker toevoegen",
        "pages/users/form",
        json!({ "form": view, "roles": roles, "gemeenten": gemeenten }),
    ))
}

pub async fn new(Beheerder(admin): Beheerder, ctx: Ctx, state: web::Data<AppState>) -> WebResult {
    let blank = UserForm { role: Role::Inkoper.as_str().into(), ..Default::default() };
    form_page(&ctx, &state, &admin, &blank, None).await
}

pub async fn create(
    Beheerder(admin): Beheerder,
    ctx: Ctx,
    state: web::Data<AppState>,
    form: Form<UserForm>,
) -> WebResult {
    let f = form.0?;
    let Some(role) = Role::parse(&f.role) else {
        return form_page(&ctx, &state, &admin, &f, Some(&Error::invalid("role", "Kies een rol."))).await;
    };
    let municipality = Some(f.municipality.clone()).filter(|m| !m.is_empty());
    let input = UserInput { email: f.email.clone(), name: f.name.clone(), role, municipality };
    let actor = admin.actor();
    let result = state
        .db
        .write(move |conn| {
            let input = input.validate()?;
            create_account(conn, &input, &actor)
        })
        .await;
    match result {
        Ok((u, password)) => {
            let data = json!({ "name": u.name, "email": u.email, "role": role.label(), "password": password });
            Ok(ctx.render_status(
                StatusCode::CREATED,
                Some(&admin),
                "Gebruiker toegevoegd",
                "pages/users/created",
                data,
            ))
        }
        Err(e @ Error::Validation(_)) => form_page(&ctx, &state, &admin, &f, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}
