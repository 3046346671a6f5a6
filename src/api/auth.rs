//! Inloggen via de API: Bearer tokens, password change and logout.

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiResult, Json, no_content, ok};
use crate::auth::token::Purpose;
use crate::auth::{Authenticated, login};
use crate::db::user::{self, User};
use crate::errors::Error;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub email: String,
    pub current_password: String,
    pub new_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
}

impl From<&User> for Me {
    fn from(u: &User) -> Me {
        Me { id: u.id, email: u.email.clone(), name: u.name.clone(), role: u.role.clone() }
    }
}

fn token_for(state: &AppState, u: &User) -> ApiResult {
    let minutes = state.settings.api_token_minutes;
    let access_token = state.keys.issue(u.id, u.token_version, Purpose::Login, minutes)?;
    ok(&TokenResponse { access_token, token_type: "Bearer", expires_in: minutes * 60 })
}

#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = super::problem::Problem),
              (status = 403, description = "one-time password must be changed first", body = super::problem::Problem),
              (status = 429, body = super::problem::Problem)))]
pub async fn token(state: web::Data<AppState>, body: Json<TokenRequest>) -> ApiResult {
    let b = body.0?;
    let u = login::attempt(&state, &b.email, &b.password).await?;
    if u.must_change_password {
        return Err(
            Error::Forbidden("Wijzig eerst uw eenmalige wachtwoord via POST /api/v1/auth/password.".into()).into()
        );
    }
    token_for(&state, &u)
}

#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = PasswordChange,
    responses((status = 200, description = "a token under the new password", body = TokenResponse),
              (status = 422, body = super::problem::Problem), (status = 429, body = super::problem::Problem)))]
pub async fn password(state: web::Data<AppState>, body: Json<PasswordChange>) -> ApiResult {
    let b = body.0?;
    let u = login::change_password(&state, &b.email, &b.current_password, &b.new_password).await?;
    token_for(&state, &u)
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "every earlier token of this user is revoked"), (status = 401, body = super::problem::Problem)))]
pub async fn logout(Authenticated(u): Authenticated, state: web::Data<AppState>) -> ApiResult {
    state.db.write(move |conn| user::revoke_tokens(conn, u.id)).await?;
    no_content()
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = super::problem::Problem)))]
pub async fn me(Authenticated(u): Authenticated) -> ApiResult {
    ok(&Me::from(&u))
}
