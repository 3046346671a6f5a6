//! Mijn bedrijf in de browser: an aanbieder sees its company and invites colleagues.

use actix_web::http::StatusCode;
use actix_web::web;
use serde::Serialize;
use serde_json::json;

use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::auth::Aanbieder;
use crate::auth::registration::{self, InvitationInput};
use crate::db::company;
use crate::db::user::User;
use crate::errors::Error;
use crate::state::AppState;

#[derive(Serialize, Default, serde::Deserialize)]
#[serde(default)]
pub struct ColleagueForm {
    email: String,
    name: String,
}

async fn page(ctx: &Ctx, state: &AppState, user: &User, f: &ColleagueForm, e: Option<&Error>) -> WebResult {
    let company_id = user.company_id.ok_or(Error::NotFound("Bedrijf"))?;
    let (company, colleagues) = state
        .db
        .read(move |conn| {
            Ok((company::find(conn, company_id)?.ok_or(Error::NotFound("Bedrijf"))?, company::users(conn, company_id)?))
        })
        .await?;
    let colleagues: Vec<_> = colleagues
        .iter()
        .map(|u| {
            let status = if u.email_verified_at.is_some() { "actief" } else { "uitgenodigd, nog niet bevestigd" };
            json!({ "name": u.name, "email": u.email, "status": status })
        })
        .collect();
    let mut view = FormView::new(f);
    if let Some(e) = e {
        view = view.with_error(e, |n| n.to_owned());
    }
    let status = if e.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let data = json!({ "company": company, "colleagues": colleagues, "form": view });
    Ok(ctx.render_status(status, Some(user), "Mijn bedrijf", "pages/company/show", data))
}

pub async fn show(Aanbieder(user): Aanbieder, ctx: Ctx, state: web::Data<AppState>) -> WebResult {
    page(&ctx, &state, &user, &ColleagueForm::default(), None).await
}

pub async fn invite(
    Aanbieder(user): Aanbieder,
    ctx: Ctx,
    state: web::Data<AppState>,
    form: Form<ColleagueForm>,
) -> WebResult {
    let f = form.0?;
    let input = InvitationInput { email: f.email.clone(), name: f.name.clone() };
    let (keys, url, inviter) = (state.keys.clone(), state.settings.public_url.clone(), user.clone());
    let result = state.db.write(move |conn| registration::invite(conn, &inviter, &input, &keys, &url)).await;
    match result {
        Ok(u) => Ok(redirect(
            "/bedrijf",
            Some(&format!("{} is uitgenodigd; de uitnodiging is gemaild naar {}.", u.name, u.email)),
        )),
        Err(e @ Error::Validation(_)) => page(&ctx, &state, &user, &f, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}
