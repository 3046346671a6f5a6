//! Verdeling over leerroutes via de API: the share of each route a region expects, from which
//! the taakstelling is forecast. Without one of its own a region uses 60/25/15.

use actix_web::web;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problem::Problem;
use super::{ApiResult, Json, ok};
use crate::auth::Management;
use crate::db::scope::{self, Scope};
use crate::db::{capacity_notice, route_share};
use crate::domain::forecast::Distribution;
use crate::errors::Error;
use crate::state::AppState;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Share {
    /// The leerroute's code, e.g. `b1-route`.
    pub route: String,
    /// Percent, at most two decimals.
    #[schema(value_type = String)]
    pub percent: Decimal,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Shares {
    pub shares: Vec<Share>,
}

impl From<&Distribution> for Shares {
    fn from(d: &Distribution) -> Shares {
        Shares {
            shares: d
                .shares()
                .iter()
                .map(|(route, pct)| Share { route: route.clone(), percent: pct.normalize() })
                .collect(),
        }
    }
}

fn region_id(s: &Scope) -> Result<i64, Error> {
    match s {
        Scope::Region { id, .. } => Ok(*id),
        Scope::Gemeente(_) => Err(Error::NotFound("Regio")),
    }
}

#[utoipa::path(get, path = "/api/v1/regions/{region}/distribution", tag = "capacity", security(("bearer" = [])),
    params(("region" = String, Path)), responses((status = 200, body = Shares), (status = 404, body = Problem)))]
pub async fn get(Management(_user): Management, state: web::Data<AppState>, code: web::Path<String>) -> ApiResult {
    let code = code.into_inner();
    let d = state
        .db
        .read(move |conn| {
            let id = region_id(&scope::region(conn, &code)?)?;
            route_share::of_region(conn, id)
        })
        .await?;
    ok(&Shares::from(&d))
}

#[utoipa::path(put, path = "/api/v1/regions/{region}/distribution", tag = "capacity", security(("bearer" = [])),
    params(("region" = String, Path)), request_body = Shares,
    description = "Replaces the region's distribution: known routes, none negative, together exactly 100%.",
    responses((status = 200, body = Shares), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    Management(user): Management,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: Json<Shares>,
) -> ApiResult {
    let (code, input) = (code.into_inner(), body.0?);
    let shares = input.shares.into_iter().map(|s| (s.route.trim().to_owned(), s.percent)).collect();
    let (now, url) = (state.clock.now(), state.settings.public_url.clone());
    let d = state
        .db
        .write(move |conn| {
            let region = scope::region(conn, &code)?;
            let d = route_share::set(conn, region_id(&region)?, shares, &user)?;
            capacity_notice::region_changed(conn, &region, now, &url)?;
            Ok(d)
        })
        .await?;
    ok(&Shares::from(&d))
}
