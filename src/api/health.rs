//! Gezondheid (health): does the service and its database answer?

use actix_web::{HttpResponse, web};
use diesel::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: &'static str,
    /// `ok`, or why the database does not answer.
    pub database: String,
}

#[utoipa::path(get, path = "/health", tag = "service",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn get(state: web::Data<AppState>) -> HttpResponse {
    let answer = state.db.read(|conn| Ok(diesel::sql_query("SELECT 1").execute(conn)?)).await;
    match answer {
        Ok(_) => HttpResponse::Ok().json(Health { status: "ok", database: "ok".into() }),
        Err(e) => {
            e.log();
            HttpResponse::ServiceUnavailable().json(Health { status: "unavailable", database: e.to_string() })
        }
    }
}

/// Liveness: the process answers, without touching the database. Also the baseline of the benchmarks.
#[utoipa::path(get, path = "/health/live", tag = "service", responses((status = 200, description = "ok", content_type = "text/plain")))]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok")
}
