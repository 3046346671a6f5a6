//! Capaciteitsoverzicht via de API: per gemeente (its klantmanager or management) or per
//! region (management), as JSON or as an Excel workbook with a chart.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::problem::Problem;
use super::{ApiResult, ok};
use crate::auth::{CapacityReader, Management};
use crate::db::overview_cache::Built;
pub use crate::db::overview_cache::Which;
use crate::db::user::User;
use crate::domain::deadline::ZONE;
use crate::domain::forecast::HalfYear;
use crate::domain::overview::Overview;
use crate::domain::placement::half_of;
use crate::domain::role::Role;
use crate::errors::Error;
use crate::state::AppState;
use std::sync::Arc;

/// The longest period one overview covers.
const MOST_HALVES: i32 = 20;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First half year, e.g. 2027-H1; default the one before the current.
    pub van: Option<String>,
    /// Last half year; default two years after the current.
    pub tot: Option<String>,
}

impl Period {
    /// The half years asked for, or the default around `today`.
    pub fn halves(&self, today: chrono::NaiveDate) -> Result<(HalfYear, HalfYear), Error> {
        let now = half_of(today).index();
        let read =
            |field: &str, v: &Option<String>, default: i32| match v.as_deref().map(str::trim).filter(|s| !s.is_empty())
            {
                None => Ok(HalfYear::from_index(default)),
                Some(s) => HalfYear::parse(s).map_err(|m| Error::invalid(field, m)),
            };
        let from = read("van", &self.van, now - 1)?;
        let to = read("tot", &self.tot, now + 4)?;
        if to < from {
            return Err(Error::invalid("tot", "Het laatste halfjaar ligt vóór het eerste."));
        }
        if to.index() - from.index() >= MOST_HALVES {
            return Err(Error::invalid("tot", format!("Hoogstens {MOST_HALVES} halfjaren in één overzicht.")));
        }
        Ok((from, to))
    }
}

/// One overview with what it covers.
#[derive(Serialize, ToSchema)]
pub struct Dashboard {
    /// The gemeente's or region's name.
    pub name: String,
    /// `gemeente` or `regio`.
    pub kind: String,
    pub code: String,
    /// The expected share per leerroute, in percent.
    pub distribution: Vec<super::route_shares::Share>,
    #[serde(flatten)]
    pub overview: Overview,
}

/// The dashboard of a scope the user may see: a klantmanager only the own gemeente, anything
/// else answered as not found, as if it did not exist.
pub async fn built(state: &AppState, user: &User, which: Which, period: &Period) -> Result<Arc<Built>, Error> {
    let (from, to) = period.halves(state.clock.now().with_timezone(&ZONE).date_naive())?;
    let built = state.overviews.get(&state.db, which, from, to).await?;
    if let Some(id) = built.municipality_id {
        match user.role() {
            Some(Role::Management) => {}
            Some(Role::Klantmanager) if user.municipality_id == Some(id) => {}
            _ => return Err(Error::NotFound("Gemeente")),
        }
    }
    Ok(built)
}

/// The dashboard of a scope the user may see, as the API answers it.
pub async fn dashboard(state: &AppState, user: &User, which: Which, period: &Period) -> Result<Dashboard, Error> {
    Ok(Dashboard::from(&*built(state, user, which, period).await?))
}

impl From<&Built> for Dashboard {
    fn from(built: &Built) -> Dashboard {
        Dashboard {
            name: built.name.clone(),
            kind: built.kind.into(),
            code: built.code.clone(),
            distribution: super::route_shares::Shares::from(&built.distribution).shares,
            overview: built.overview.clone(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/overview/municipalities/{gemeente}", tag = "capacity", security(("bearer" = [])),
    params(("gemeente" = String, Path), Period), responses((status = 200, body = Dashboard), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn municipality(
    CapacityReader(user): CapacityReader,
    state: web::Data<AppState>,
    code: web::Path<String>,
    p: web::Query<Period>,
) -> ApiResult {
    ok(&dashboard(&state, &user, Which::Gemeente(code.into_inner()), &p).await?)
}

#[utoipa::path(get, path = "/api/v1/overview/regions/{region}", tag = "capacity", security(("bearer" = [])),
    params(("region" = String, Path), Period), responses((status = 200, body = Dashboard), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn region(
    Management(user): Management,
    state: web::Data<AppState>,
    code: web::Path<String>,
    p: web::Query<Period>,
) -> ApiResult {
    ok(&dashboard(&state, &user, Which::Region(code.into_inner()), &p).await?)
}

/// The dashboard as an Excel workbook.
pub async fn workbook(state: &AppState, user: &User, which: Which, p: &Period) -> Result<HttpResponse, Error> {
    let d = dashboard(state, user, which, p).await?;
    let name = format!("capaciteit-{}", d.code.to_lowercase());
    let bytes =
        web::block(move || crate::excel::overview::write(&d)).await.map_err(|e| Error::Internal(e.to_string()))??;
    Ok(super::download::attachment(&format!("{name}.xlsx"), crate::excel::XLSX, bytes))
}

#[utoipa::path(get, path = "/api/v1/overview/municipalities/{gemeente}/export", tag = "capacity", security(("bearer" = [])),
    params(("gemeente" = String, Path), Period),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "the workbook"), (status = 404, body = Problem)))]
pub async fn municipality_export(
    CapacityReader(user): CapacityReader,
    state: web::Data<AppState>,
    code: web::Path<String>,
    p: web::Query<Period>,
) -> ApiResult {
    Ok(workbook(&state, &user, Which::Gemeente(code.into_inner()), &p).await?)
}

#[utoipa::path(get, path = "/api/v1/overview/regions/{region}/export", tag = "capacity", security(("bearer" = [])),
    params(("region" = String, Path), Period),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "the workbook"), (status = 404, body = Problem)))]
pub async fn region_export(
    Management(user): Management,
    state: web::Data<AppState>,
    code: web::Path<String>,
    p: web::Query<Period>,
) -> ApiResult {
    Ok(workbook(&state, &user, Which::Region(code.into_inner()), &p).await?)
}
