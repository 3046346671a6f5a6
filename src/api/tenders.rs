//! Aanbestedingen via de API: list, create, read, change and publish.

use std::sync::Arc;

use actix_web::web;

use super::problem::Problem;
use super::{ApiResult, Json, Page, PageQuery, created, ok};
use crate::auth::{Inkoper, MaybeUser, Staff};
use crate::db::snapshot::Snapshot;
use crate::db::tender::{self, Scope, TenderSummary};
use crate::db::{self, setup, user::User};
use crate::domain::publication::{self, Checklist};
use crate::domain::tender::{Tender, TenderInput};
use crate::errors::{Error, Problems};
use crate::state::AppState;

/// Concepts are for staff only; to everyone else a concept does not exist.
pub async fn visible(state: &AppState, user: Option<&User>, id: i64) -> Result<Arc<Snapshot>, Error> {
    let t = state.snapshots.get(&state.db, id).await?.ok_or(Error::NotFound("Aanbesteding"))?;
    let staff = user.and_then(|u| u.role()).is_some_and(|r| r.sees_concepts());
    if t.is_draft() && !staff {
        return Err(Error::NotFound("Aanbesteding"));
    }
    Ok(t)
}

#[utoipa::path(get, path = "/api/v1/tenders", tag = "tenders", params(PageQuery),
    description = "Staff see every tender, concepts included; everyone else the published tenders still open for submissions.",
    responses((status = 200, body = Page<TenderSummary>)))]
pub async fn list(MaybeUser(user): MaybeUser, state: web::Data<AppState>, q: web::Query<PageQuery>) -> ApiResult {
    let staff = user.as_ref().and_then(|u| u.role()).is_some_and(|r| r.sees_concepts());
    let scope = if staff { Scope::All } else { Scope::Open(state.clock.now().naive_utc()) };
    let request = q.request();
    let (items, total) = state.db.read(move |conn| tender::page(conn, scope, request)).await?;
    ok(&Page::new(items, request, total))
}

#[utoipa::path(post, path = "/api/v1/tenders", tag = "tenders", security(("bearer" = [])), request_body = TenderInput,
    description = "Creates a tender in concept, optionally with its scales, percelen and geschiktheidseisen in one go.",
    responses((status = 201, body = Tender), (status = 422, body = Problem), (status = 403, body = Problem)))]
pub async fn create(Inkoper(user): Inkoper, state: web::Data<AppState>, body: Json<TenderInput>) -> ApiResult {
    let input = body.0?;
    let (actor, now) = (user.actor(), state.clock.now());
    let t = state
        .db
        .write(move |conn| {
            let id = setup::create(conn, &input, now, &actor)?;
            tender::load(conn, id)?.ok_or(Error::NotFound("Aanbesteding"))
        })
        .await?;
    created(format!("/api/v1/tenders/{}", t.id), &t)
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}", tag = "tenders", params(("id" = i64, Path)),
    responses((status = 200, body = Tender), (status = 404, body = Problem)))]
pub async fn get(MaybeUser(user): MaybeUser, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let t = visible(&state, user.as_ref(), *id).await?;
    Ok(actix_web::HttpResponse::Ok().content_type("application/json").body(t.json.clone()))
}

/// Refuses parts in a body that only creation accepts, rather than ignoring them.
pub fn general_only(input: &TenderInput) -> Result<(), Error> {
    let mut p = Problems::default();
    let hint = "Wijzig onderdelen via hun eigen adres (/lots, /scales, /selection-criteria).";
    if !input.scales.is_empty() {
        p.add("scales", hint);
    }
    if !input.lots.is_empty() {
        p.add("lots", hint);
    }
    if !input.selection_criteria.is_empty() {
        p.add("selection_criteria", hint);
    }
    p.into_result(())
}

#[utoipa::path(put, path = "/api/v1/tenders/{id}", tag = "tenders", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = TenderInput,
    responses((status = 200, body = Tender), (status = 409, description = "published: use a correction", body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<TenderInput>,
) -> ApiResult {
    let (id, input) = (*id, body.0?);
    general_only(&input)?;
    let (actor, now) = (user.actor(), state.clock.now());
    let t = state
        .db
        .write(move |conn| {
            let fields = input.validate(now, tender::deadlines(conn, id)?)?;
            tender::update(conn, id, &fields, &actor, None)?;
            tender::load(conn, id)?.ok_or(Error::NotFound("Aanbesteding"))
        })
        .await?;
    ok(&t)
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/checklist", tag = "tenders", security(("bearer" = [])), params(("id" = i64, Path)),
    description = "What still stands in the way of publication, and the warnings to look at.",
    responses((status = 200, body = Checklist), (status = 404, body = Problem)))]
pub async fn checklist(Staff(user): Staff, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let t = visible(&state, Some(&user), *id).await?;
    ok(&publication::check(&t, state.clock.now()))
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/publish", tag = "tenders", security(("bearer" = [])), params(("id" = i64, Path)),
    description = "Publishes when the checklist is clear and freezes the set-up; otherwise 422 with every problem and nothing stored.",
    responses((status = 200, body = Tender), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn publish(Inkoper(user): Inkoper, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let (id, actor, now) = (*id, user.actor(), state.clock.now());
    let t = state
        .db
        .write(move |conn| {
            db::publication::publish(conn, id, &actor, now)?;
            tender::load(conn, id)?.ok_or(Error::NotFound("Aanbesteding"))
        })
        .await?;
    ok(&t)
}
