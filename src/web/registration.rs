//! Registreren in de browser: an aanbieder signs up, confirms its address, asks for a new link.

use actix_web::http::StatusCode;
use actix_web::web;
use serde::Deserialize;
use serde_json::json;

use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::auth::registration;
use crate::db::user;
use crate::domain::company::RegistrationInput;
use crate::errors::Error;
use crate::state::AppState;

fn form_page(ctx: &Ctx, f: &RegistrationInput, e: Option<&Error>) -> WebResult {
    let mut view = FormView::new(f);
    if let Some(e) = e {
        view = view.with_error(e, |n| n.to_owned());
    }
    let status = if e.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(ctx.render_status(status, None, "Registreren als aanbieder", "pages/registration/form", json!({ "form": view })))
}

pub async fn form(ctx: Ctx) -> WebResult {
    form_page(&ctx, &RegistrationInput::default(), None)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RegistrationForm {
    company_name: String,
    kvk_number: String,
    street: String,
    postal_code: String,
    city: String,
    contact_name: String,
    phone: String,
    email: String,
    password: String,
    repeat_password: String,
}

pub async fn register(ctx: Ctx, state: web::Data<AppState>, form: Form<RegistrationForm>) -> WebResult {
    let f = form.0?;
    let input = RegistrationInput {
        company_name: f.company_name,
        kvk_number: f.kvk_number,
        street: f.street,
        postal_code: f.postal_code,
        city: f.city,
        contact_name: f.contact_name,
        phone: f.phone,
        email: f.email,
        password: f.password,
    };
    let result = if input.password != f.repeat_password {
        Err(Error::invalid("repeat_password", "De twee wachtwoorden zijn niet gelijk."))
    } else {
        match input.clone().validate() {
            Err(e) => Err(e),
            Ok(valid) => {
                let (keys, url) = (state.keys.clone(), state.settings.public_url.clone());
                state.db.write(move |conn| registration::register(conn, &valid, &keys, &url)).await.map(|_| ())
            }
        }
    };
    match result {
        Ok(()) => Ok(redirect("/registreren/verstuurd", None)),
        Err(e @ Error::Validation(_)) => form_page(&ctx, &input, Some(&e)),
        Err(e) => Err(e.into()),
    }
}

pub async fn sent(ctx: Ctx) -> WebResult {
    Ok(ctx.render(None, "Controleer uw e-mail", "pages/registration/sent", json!({ "form": FormView::new(()) })))
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    pub token: String,
}

/// The page behind the mailed link: confirms, or says the link no longer works and offers a new one.
pub async fn confirm(ctx: Ctx, state: web::Data<AppState>, q: web::Query<TokenQuery>) -> WebResult {
    let (keys, token) = (state.keys.clone(), q.into_inner().token);
    let confirmed = state.db.write(move |conn| registration::verify(conn, &keys, &token)).await;
    let data = match confirmed {
        Ok(u) => json!({ "confirmed": true, "email": u.email, "form": FormView::new(()) }),
        Err(Error::Validation(_)) => json!({ "confirmed": false, "email": "", "form": FormView::new(()) }),
        Err(e) => return Err(e.into()),
    };
    Ok(ctx.render(None, "E-mailadres bevestigen", "pages/registration/confirmed", data))
}

#[derive(Deserialize, Default)]
pub struct ResendForm {
    #[serde(default)]
    email: String,
}

/// Sends a new link to an address that is registered but not confirmed; answers the same either
/// way, so the page does not tell which addresses have accounts.
pub async fn resend(state: web::Data<AppState>, form: Form<ResendForm>) -> WebResult {
    let email = form.0?.email;
    let (keys, url) = (state.keys.clone(), state.settings.public_url.clone());
    state
        .db
        .write(move |conn| match user::find_for_login(conn, &email)? {
            Some((u, _)) if u.email_verified_at.is_none() && u.active => {
                registration::send_verification(conn, &u, &keys, &url)
            }
            _ => Ok(()),
        })
        .await?;
    Ok(redirect("/registreren/verstuurd", None))
}
