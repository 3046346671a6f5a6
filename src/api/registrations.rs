//! Registreren via de API: an aanbieder signs up, confirms its address, invites colleagues.

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problem::Problem;
use super::{ApiResult, Json, created, no_content, ok};
use crate::auth::Aanbieder;
use crate::auth::registration::{self, InvitationInput};
use crate::db::company;
use crate::domain::company::{Company, RegistrationInput};
use crate::errors::Error;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Registered {
    pub company: Company,
    pub user_id: i64,
    /// Always false: the address must be confirmed through the mailed link before logging in.
    pub email_verified: bool,
}

#[utoipa::path(post, path = "/api/v1/registrations", tag = "aanbieders", request_body = RegistrationInput,
    description = "Registers a company with its first user and mails a confirmation link.",
    responses((status = 201, body = Registered), (status = 422, body = Problem)))]
pub async fn create(state: web::Data<AppState>, body: Json<RegistrationInput>) -> ApiResult {
    let input = body.0?.validate()?;
    let (keys, url) = (state.keys.clone(), state.settings.public_url.clone());
    let (company, user) = state.db.write(move |conn| registration::register(conn, &input, &keys, &url)).await?;
    created(
        format!("/api/v1/companies/{}", company.id),
        &Registered { company, user_id: user.id, email_verified: false },
    )
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// The token from the mailed link.
    pub token: String,
}

#[utoipa::path(post, path = "/api/v1/registrations/verification", tag = "aanbieders", request_body = TokenInput,
    responses((status = 204, description = "the address is confirmed"), (status = 422, body = Problem)))]
pub async fn verify(state: web::Data<AppState>, body: Json<TokenInput>) -> ApiResult {
    let token = body.0?.token;
    let keys = state.keys.clone();
    state.db.write(move |conn| registration::verify(conn, &keys, &token)).await?;
    no_content()
}

#[derive(Serialize, ToSchema)]
pub struct CompanyView {
    pub company: Company,
    pub colleagues: Vec<super::auth::Me>,
}

#[utoipa::path(get, path = "/api/v1/companies/me", tag = "aanbieders", security(("bearer" = [])),
    responses((status = 200, body = CompanyView), (status = 403, body = Problem)))]
pub async fn mine(Aanbieder(user): Aanbieder, state: web::Data<AppState>) -> ApiResult {
    let company_id = user.company_id.ok_or(Error::NotFound("Bedrijf"))?;
    let (company, users) = state
        .db
        .read(move |conn| {
            Ok((company::find(conn, company_id)?.ok_or(Error::NotFound("Bedrijf"))?, company::users(conn, company_id)?))
        })
        .await?;
    ok(&CompanyView { company, colleagues: users.iter().map(super::auth::Me::from).collect() })
}

#[utoipa::path(post, path = "/api/v1/companies/me/invitations", tag = "aanbieders", security(("bearer" = [])),
    request_body = InvitationInput,
    responses((status = 201, body = super::auth::Me), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn invite(Aanbieder(user): Aanbieder, state: web::Data<AppState>, body: Json<InvitationInput>) -> ApiResult {
    let input = body.0?;
    let (keys, url) = (state.keys.clone(), state.settings.public_url.clone());
    let invited = state.db.write(move |conn| registration::invite(conn, &user, &input, &keys, &url)).await?;
    created("/api/v1/companies/me".into(), &super::auth::Me::from(&invited))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInput {
    pub token: String,
    pub password: String,
}

#[utoipa::path(post, path = "/api/v1/invitations/acceptance", tag = "aanbieders", request_body = AcceptInput,
    responses((status = 204, description = "the password is set; log in with it"), (status = 422, body = Problem)))]
pub async fn accept(state: web::Data<AppState>, body: Json<AcceptInput>) -> ApiResult {
    let input = body.0?;
    let keys = state.keys.clone();
    state.db.write(move |conn| registration::accept(conn, &keys, &input.token, &input.password)).await?;
    no_content()
}
