//! Vragen via de API: an aanbieder asks before the question deadline and sees its own
//! questions; the inkoper reads them all, never who asked, and drafts the answers.

use actix_web::web;
use serde::Deserialize;
use utoipa::IntoParams;

use super::problem::Problem;
use super::tenders::visible;
use super::{ApiResult, Json, Page, PageQuery, created, ok};
use crate::auth::{Aanbieder, Inkoper, Staff};
use crate::db::PageRequest;
use crate::db::enquiry::{self, Enquiry, OwnEnquiry};
use crate::domain::enquiry::{AnswerInput, EnquiryInput};
use crate::errors::Error;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/tenders/{id}/enquiries", tag = "enquiries", security(("bearer" = [])),
    params(("id" = i64, Path), PageQuery),
    description = "Every question of the tender, unanswered first, without who asked.",
    responses((status = 200, body = Page<Enquiry>), (status = 404, body = Problem)))]
pub async fn list(
    Staff(user): Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<PageQuery>,
) -> ApiResult {
    let t = visible(&state, Some(&user), *id).await?;
    let (tender_id, request) = (t.id, q.request());
    let all = state.db.read(move |conn| enquiry::for_tender(conn, tender_id)).await?;
    let total = all.len() as i64;
    let items = all.into_iter().skip(request.offset().max(0) as usize).take(request.per_page as usize).collect();
    ok(&Page::new(items, request, total))
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/enquiries", tag = "enquiries", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = EnquiryInput,
    description = "Asks a question about the tender or one of its percelen, before the question deadline by the server's clock. \
                   Nobody but the caller's company learns who asked; the answer is published in a nota van inlichtingen.",
    responses((status = 201, body = OwnEnquiry), (status = 404, body = Problem),
              (status = 409, description = "after the question deadline", body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<EnquiryInput>,
) -> ApiResult {
    let input = body.0?;
    let question = input.validate()?;
    let t = visible(&state, Some(&user), *id).await?;
    let company_id = user.company_id.ok_or(Error::NotFound("Bedrijf"))?;
    let (tender_id, u, now) = (t.id, user.clone(), state.clock.now());
    let own = state
        .db
        .write(move |conn| {
            let id = enquiry::ask(conn, tender_id, input.lot_id, &question, &u, now)?;
            enquiry::own_one(conn, company_id, id)
        })
        .await?;
    created(format!("/api/v1/companies/me/enquiries?tender_id={tender_id}"), &own)
}

/// `?tender_id=&page=&per_page=`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MineQuery {
    /// Only the questions about this tender.
    pub tender_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/companies/me/enquiries", tag = "enquiries", security(("bearer" = [])),
    params(MineQuery),
    description = "The questions the caller's company asked, newest first, with the published answers.",
    responses((status = 200, body = Page<OwnEnquiry>)))]
pub async fn mine(Aanbieder(user): Aanbieder, state: web::Data<AppState>, q: web::Query<MineQuery>) -> ApiResult {
    let company_id = user.company_id.ok_or(Error::NotFound("Bedrijf"))?;
    let (tender_id, request) = (q.tender_id, PageRequest::new(q.page, q.per_page));
    let (items, total) = state.db.read(move |conn| enquiry::of_company(conn, company_id, tender_id, request)).await?;
    ok(&Page::new(items, request, total))
}

#[utoipa::path(put, path = "/api/v1/enquiries/{enquiry_id}/answer", tag = "enquiries", security(("bearer" = [])),
    params(("enquiry_id" = i64, Path)), request_body = AnswerInput,
    description = "Drafts the answer, or the correction of a published answer, for the next nota van inlichtingen.",
    responses((status = 200, body = Enquiry), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn answer(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<AnswerInput>,
) -> ApiResult {
    let (id, answer) = (*id, body.0?.validate()?);
    let u = user.clone();
    let saved = state
        .db
        .write(move |conn| {
            enquiry::answer(conn, id, None, &answer, &u)?;
            let tender_id = enquiry::find(conn, id)?.ok_or(Error::NotFound("Vraag"))?.tender_id;
            enquiry::for_tender(conn, tender_id)?.into_iter().find(|e| e.id == id).ok_or(Error::NotFound("Vraag"))
        })
        .await?;
    ok(&saved)
}
