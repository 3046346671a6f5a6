//! Sessie (session): logging in and out, and changing the password, in the browser.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::http::StatusCode;
use actix_web::web;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Ctx, Form, FormView, WebResult, redirect, safe_return};
use crate::auth::extract::SESSION_COOKIE;
use crate::auth::token::Purpose;
use crate::auth::{PasswordHolder, login};
use crate::db::user::{self, User};
use crate::errors::{Error, FieldError};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    terug: String,
}

#[derive(Deserialize, Serialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(default)]
    terug: String,
}

pub async fn login_form(ctx: Ctx, q: web::Query<LoginQuery>) -> WebResult {
    let form = FormView::new(LoginForm { terug: q.into_inner().terug, ..Default::default() });
    Ok(ctx.render(None, "Inloggen", "pages/login", json!({ "form": form })))
}

fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(state.settings.cookie_secure)
        .same_site(SameSite::Strict)
        .max_age(Duration::minutes(state.settings.session_minutes))
        .finish()
}

fn start_session(state: &AppState, u: &User, to: &str, flash: Option<&str>) -> WebResult {
    let token = state.keys.issue(u.id, u.token_version, Purpose::Login, state.settings.session_minutes)?;
    let mut response = redirect(to, flash);
    response.add_cookie(&session_cookie(state, token)).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(response)
}

pub async fn login(ctx: Ctx, state: web::Data<AppState>, form: Form<LoginForm>) -> WebResult {
    let f = form.0?;
    match login::attempt(&state, &f.email, &f.password).await {
        Ok(u) => {
            let home = if u.role().is_some_and(|r| r.sees_concepts()) { "/aanbestedingen" } else { "/" };
            let to = if u.must_change_password { "/wachtwoord" } else { safe_return(&f.terug).unwrap_or(home) };
            start_session(&state, &u, to, Some(&format!("Welkom, {}.", u.name)))
        }
        Err(e @ (Error::BadCredentials | Error::Throttled { .. } | Error::Forbidden(_))) => {
            // A form answers 422 (or 429, 403), not 401: there is no HTTP authentication to retry.
            let status = match e {
                Error::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                Error::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let view = FormView::new(&f).with_errors(&[FieldError::new("email", e.to_string())], |n| n.to_owned());
            Ok(ctx.render_status(status, None, "Inloggen", "pages/login", json!({ "form": view })))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(
    PasswordHolder(u): PasswordHolder,
    state: web::Data<AppState>,
    form: Form<serde_json::Value>,
) -> WebResult {
    form.0?;
    state.db.write(move |conn| user::revoke_tokens(conn, u.id)).await?;
    let mut response = redirect("/", Some("U bent uitgelogd."));
    response
        .add_removal_cookie(&Cookie::build(SESSION_COOKIE, "").path("/").finish())
        .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(response)
}

#[derive(Deserialize, Serialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    repeat_password: String,
}

pub async fn password_form(PasswordHolder(u): PasswordHolder, ctx: Ctx) -> WebResult {
    let data = json!({ "form": FormView::new(()), "one_time": u.must_change_password });
    Ok(ctx.render(Some(&u), "Wachtwoord wijzigen", "pages/password", data))
}

pub async fn change_password(
    PasswordHolder(u): PasswordHolder,
    ctx: Ctx,
    state: web::Data<AppState>,
    form: Form<PasswordForm>,
) -> WebResult {
    let f = form.0?;
    let result = if f.new_password != f.repeat_password {
        Err(Error::invalid("repeat_password", "De twee nieuwe wachtwoorden zijn niet gelijk."))
    } else {
        login::change_password(&state, &u.email, &f.current_password, &f.new_password).await
    };
    match result {
        Ok(changed) => start_session(
            &state,
            &changed,
            "/",
            Some("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."),
        ),
        Err(e @ (Error::Validation(_) | Error::Throttled { .. })) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let view = FormView::new(())
                .with_error(&e, |n| if n == "form" { "current_password".into() } else { n.to_owned() });
            let data = json!({ "form": view, "one_time": u.must_change_password });
            Ok(ctx.render_status(status, Some(&u), "Wachtwoord wijzigen", "pages/password", data))
        }
        Err(e) => Err(e.into()),
    }
}
