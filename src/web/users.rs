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
}

fn form_page(ctx: &Ctx, admin: &user::User, f: &UserForm, e: Option<&Error>) -> WebResult {
    let mut view = FormView::new(f);
    if let Some(e) = e {
        view = view.with_error(e, |n| n.to_owned());
    }
    let roles = options(Role::ALL.iter().map(|r| (r.as_str(), r.label())), &f.role);
    let status = if e.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(ctx.render_status(
        status,
        Some(admin),
        "Gebruiker toevoegen",
        "pages/users/form",
        json!({ "form": view, "roles": roles }),
    ))
}

pub async fn new(Beheerder(admin): Beheerder, ctx: Ctx) -> WebResult {
    form_page(&ctx, &admin, &UserForm { role: Role::Inkoper.as_str().into(), ..Default::default() }, None)
}

pub async fn create(
    Beheerder(admin): Beheerder,
    ctx: Ctx,
    state: web::Data<AppState>,
    form: Form<UserForm>,
) -> WebResult {
    let f = form.0?;
    let Some(role) = Role::parse(&f.role) else {
        return form_page(&ctx, &admin, &f, Some(&Error::invalid("role", "Kies een rol.")));
    };
    let input = UserInput { email: f.email.clone(), name: f.name.clone(), role };
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
        Err(e @ Error::Validation(_)) => form_page(&ctx, &admin, &f, Some(&e)),
        Err(e) => Err(e.into()),
    }
}
