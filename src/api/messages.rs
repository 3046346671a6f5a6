//! Berichten via de API: what was sent to me, and what a tender's file holds.

use actix_web::web;

use super::problem::Problem;
use super::tenders::visible;
use super::{ApiResult, Page, PageQuery, ok};
use crate::auth::{Authenticated, Staff};
use crate::db::outbox::{self, About, Message};
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/me/messages", tag = "messages", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = Page<Message>), (status = 401, body = Problem)))]
pub async fn mine(
    Authenticated(user): Authenticated,
    state: web::Data<AppState>,
    q: web::Query<PageQuery>,
) -> ApiResult {
    let (id, request) = (user.id, q.request());
    let (items, total) = state.db.read(move |conn| outbox::page(conn, About::User(id), request)).await?;
    ok(&Page::new(items, request, total))
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/messages", tag = "messages", security(("bearer" = [])),
    params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Page<Message>), (status = 404, body = Problem)))]
pub async fn of_tender(
    Staff(user): Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<PageQuery>,
) -> ApiResult {
    let t = visible(&state, Some(&user), *id).await?;
    let (tender_id, request) = (t.id, q.request());
    let (items, total) = state.db.read(move |conn| outbox::page_of_tender(conn, tender_id, request)).await?;
    ok(&Page::new(items, request, total))
}
