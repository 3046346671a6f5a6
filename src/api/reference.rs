//! Referentiegegevens (reference data): regions, gemeenten and leerroutes, readable by anyone.

use actix_web::web;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{ApiResult, Page, PageQuery, ok};
use crate::db::learning_route::{self, LearningRoute};
use crate::db::municipality::{self, Municipality};
use crate::db::region::{self, Region};
use crate::state::AppState;

/// Pages a short list that was read whole.
fn page_of<T: ToSchema>(all: Vec<T>, q: &PageQuery) -> Page<T> {
    let r = q.request();
    let total = all.len() as i64;
    let items = all.into_iter().skip(r.offset() as usize).take(r.per_page as usize).collect();
    Page::new(items, r, total)
}

#[utoipa::path(get, path = "/api/v1/regions", tag = "reference", params(PageQuery),
    responses((status = 200, body = Page<Region>)))]
pub async fn regions(state: web::Data<AppState>, q: web::Query<PageQuery>) -> ApiResult {
    let all = state.db.read(region::list).await?;
    ok(&page_of(all, &q))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MunicipalityQuery {
    /// Only the gemeenten of this region (`westfriesland`).
    pub region: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/municipalities", tag = "reference", params(MunicipalityQuery, PageQuery),
    responses((status = 200, body = Page<Municipality>)))]
pub async fn municipalities(
    state: web::Data<AppState>,
    filter: web::Query<MunicipalityQuery>,
    q: web::Query<PageQuery>,
) -> ApiResult {
    let region = filter.into_inner().region;
    let all = state.db.read(move |conn| municipality::list(conn, region.as_deref())).await?;
    ok(&page_of(all, &q))
}

#[utoipa::path(get, path = "/api/v1/learning-routes", tag = "reference", params(PageQuery),
    responses((status = 200, body = Page<LearningRoute>)))]
pub async fn learning_routes(state: web::Data<AppState>, q: web::Query<PageQuery>) -> ApiResult {
    let all = state.db.read(learning_route::list).await?;
    ok(&page_of(all, &q))
}
