//! Uitnodiging in de browser: an invited colleague chooses a password through the mailed link.

use actix_web::http::StatusCode;
use actix_web::web;
use serde::Deserialize;
use serde_json::json;

use super::registration::TokenQuery;
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::auth::registration;
use crate::errors::Error;
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AcceptForm {
    token: String,
    password: String,
    repeat_password: String,
}

pub async fn form(ctx: Ctx, state: web::Data<AppState>, q: web::Query<TokenQuery>) -> WebResult {
    let (keys, token) = (state.keys.clone(), q.into_inner().token);
    let lookup = token.clone();
    let invited = state.db.read(move |conn| registration::invited(conn, &keys, &lookup)).await;
    let data = match invited {
        Ok(u) => json!({ "valid": true, "name": u.name, "email": u.email, "token": token, "form": FormView::new(()) }),
        Err(Error::Validation(_)) => {
            json!({ "valid": false, "name": "", "email": "", "token": "", "form": FormView::new(()) })
        }
        Err(e) => return Err(e.into()),
    };
    Ok(ctx.render(None, "Uitnodiging", "pages/invitation/form", data))
}

pub async fn accept(ctx: Ctx, state: web::Data<AppState>, form: Form<AcceptForm>) -> WebResult {
    let f = form.0?;
    let result = if f.password != f.repeat_password {
        Err(Error::invalid("repeat_password", "De twee wachtwoorden zijn niet gelijk."))
    } else {
        let (keys, token, password) = (state.keys.clone(), f.token.clone(), f.password.clone());
        state.db.write(move |conn| registration::accept(conn, &keys, &token, &password)).await
    };
    match result {
        Ok(_) => Ok(redirect("/inloggen", Some("Uw wachtwoord is ingesteld. U kunt nu inloggen."))),
        Err(e @ Error::Validation(_)) => {
            let view = FormView::new(()).with_error(&e, |n| n.to_owned());
            let valid = !view.errors.contains_key("token");
            let data = json!({ "valid": valid, "name": "", "email": "", "token": f.token, "form": view });
            Ok(ctx.render_status(StatusCode::UNPROCESSABLE_ENTITY, None, "Uitnodiging", "pages/invitation/form", data))
        }
        Err(e) => Err(e.into()),
    }
}
