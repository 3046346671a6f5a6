//! Gebruikers via de API: accounts, managed by a beheerder.

use actix_web::web;
use serde::Serialize;
use utoipa::ToSchema;

use super::problem::Problem;
use super::{ApiResult, Json, Page, PageQuery, created, ok};
use crate::auth::{Beheerder, create_account};
use crate::db::user;
use crate::domain::account::UserInput;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub active: bool,
    pub must_change_password: bool,
}

impl From<user::User> for UserView {
    fn from(u: user::User) -> UserView {
        UserView {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            active: u.active,
            must_change_password: u.must_change_password,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreatedUser {
    pub user: UserView,
    /// Shown once; the user must replace it at first login.
    pub one_time_password: String,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = Page<UserView>), (status = 403, body = Problem)))]
pub async fn list(Beheerder(_admin): Beheerder, state: web::Data<AppState>, q: web::Query<PageQuery>) -> ApiResult {
    let request = q.request();
    let (items, total) = state.db.read(move |conn| user::page(conn, request)).await?;
    ok(&Page::new(items.into_iter().map(UserView::from).collect(), request, total))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])), request_body = UserInput,
    responses((status = 201, body = CreatedUser), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(Beheerder(admin): Beheerder, state: web::Data<AppState>, body: Json<UserInput>) -> ApiResult {
    let (input, actor) = (body.0?, admin.actor());
    let (u, one_time_password) = state
        .db
        .write(move |conn| {
            let input = input.validate()?;
            create_account(conn, &input, &actor)
        })
        .await?;
    created(format!("/api/v1/users/{}", u.id), &CreatedUser { user: UserView::from(u), one_time_password })
}
