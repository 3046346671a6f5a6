//! Bewijsstukken opvragen via de API: the inkoper asks a provisional winner of a perceel for
//! the evidence behind its declarations; any other bid is refused.

use actix_web::web;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::evaluation::bid_perceel;
use super::problem::Problem;
use super::rankings::{LotRanking, ranking};
use super::{ApiResult, Json, created};
use crate::auth::Inkoper;
use crate::db::evidence_request::{self, NewRequest};
use crate::db::user::User;
use crate::domain::ranking::Standing;
use crate::errors::Error;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRequestInput {
    /// Which evidence, for example "Het Keurmerk-certificaat en de GVA".
    pub message: String,
    /// RFC 3339, or Dutch local time to the minute (`2027-03-01T12:00`).
    pub due_at: String,
}

/// Asks a provisional winner for its evidence; answers with the perceel's ranking.
pub async fn request(
    state: &AppState,
    user: &User,
    bid_id: i64,
    input: EvidenceRequestInput,
) -> Result<LotRanking, Error> {
    let p = bid_perceel(state, user, bid_id, true).await?;
    let r = ranking(state, &p).await?;
    let winning = r.ranking.bids.iter().any(|x| x.bid_id == bid_id && x.standing == Standing::Winning);
    if !winning {
        return Err(Error::Conflict(
            "Bewijsstukken worden alleen gevraagd van een voorlopige winnaar van dit perceel.".into(),
        ));
    }
    let due_at = crate::domain::deadline::parse(&input.due_at).map_err(|e| Error::invalid("due_at", e))?;
    let lot = p.lot()?;
    let about = json!({
        "tender": p.tender.title, "reference": p.tender.reference,
        "lot": format!("perceel {} ({})", lot.number, lot.title),
    });
    let (u, now, url) = (user.clone(), state.clock.now(), state.settings.public_url.clone());
    let (tender_id, lot_id, seen) = (p.tender.id, p.lot_id, p.evaluation.version);
    state
        .db
        .write(move |conn| {
            // The ranking that made this bid a winner must still stand.
            crate::db::evaluation::touch_from(conn, lot_id, seen)?;
            let r = NewRequest { tender_id, lot_id, bid_id, message: &input.message, due_at, about };
            evidence_request::request(conn, &r, &u, now, &url)
        })
        .await?;
    ranking(state, &p).await
}

#[utoipa::path(post, path = "/api/v1/bids/{bid_id}/evidence-requests", tag = "evaluation", security(("bearer" = [])),
    params(("bid_id" = i64, Path)), request_body = EvidenceRequestInput,
    description = "Asks a provisional winner (a winning bid in the perceel's ranking) for its evidence; mailed to its users.",
    responses((status = 201, body = LotRanking), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn post(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<EvidenceRequestInput>,
) -> ApiResult {
    let input = body.0?;
    let r = request(&state, &user, *id, input).await?;
    created(format!("/api/v1/tenders/{}/lots/{}/ranking", r.tender_id, r.lot_id), &r)
}
