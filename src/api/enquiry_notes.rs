//! Nota's van inlichtingen via de API: public once published, without who asked; the inkoper
//! publishes the drafted answers as the next nota.

use actix_web::web;

use super::problem::Problem;
use super::tenders::visible;
use super::{ApiResult, Page, PageQuery, created, ok};
use crate::auth::{Inkoper, MaybeUser};
use crate::db::enquiry_note::{self, EnquiryNote};
use crate::errors::Error;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/tenders/{id}/enquiry-notes", tag = "enquiries", params(("id" = i64, Path), PageQuery),
    description = "The published notas van inlichtingen, the first first.",
    responses((status = 200, body = Page<EnquiryNote>), (status = 404, body = Problem)))]
pub async fn list(
    MaybeUser(user): MaybeUser,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<PageQuery>,
) -> ApiResult {
    let t = visible(&state, user.as_ref(), *id).await?;
    let (tender_id, request) = (t.id, q.request());
    let (items, total) = state.db.read(move |conn| enquiry_note::page(conn, tender_id, request)).await?;
    ok(&Page::new(items, request, total))
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/enquiry-notes/{note_number}", tag = "enquiries",
    params(("id" = i64, Path), ("note_number" = i32, Path)),
    responses((status = 200, body = EnquiryNote), (status = 404, body = Problem)))]
pub async fn get(MaybeUser(user): MaybeUser, state: web::Data<AppState>, path: web::Path<(i64, i32)>) -> ApiResult {
    let (id, number) = path.into_inner();
    let t = visible(&state, user.as_ref(), id).await?;
    let tender_id = t.id;
    let note = state.db.read(move |conn| enquiry_note::find(conn, tender_id, number)).await?;
    ok(&note.ok_or(Error::NotFound("Nota van inlichtingen"))?)
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/enquiry-notes", tag = "enquiries", security(("bearer" = [])),
    params(("id" = i64, Path)),
    description = "Publishes every drafted answer as the next nota van inlichtingen, mails it to every interested aanbieder \
                   and marks submitted bids to be confirmed again. A nota with nothing in it is refused.",
    responses((status = 201, body = EnquiryNote), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn publish(Inkoper(user): Inkoper, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let t = visible(&state, Some(&user), *id).await?;
    let (tender_id, u, now, url) = (t.id, user.clone(), state.clock.now(), state.settings.public_url.clone());
    let note = state.db.write(move |conn| enquiry_note::publish(conn, tender_id, &u, now, &url, None)).await?;
    created(format!("/api/v1/tenders/{tender_id}/enquiry-notes/{}", note.number), &note)
}
