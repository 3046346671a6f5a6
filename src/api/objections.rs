//! Bezwaar via de API: objections against a voornemen tot gunning during the Alcatel-termijn —
//! by a bidder about its own bid, or recorded by the inkoper — and lifting a kort geding.

use actix_web::web;
use serde::Deserialize;
use utoipa::ToSchema;

use super::awards::{LotAward, ReasonInput, Step, decision, lot_award};
use super::problem::Problem;
use super::{ApiResult, Json, created, ok};
use crate::auth::{Authenticated, Inkoper};
use crate::db::objection;
use crate::db::user::User;
use crate::domain::role::Role;
use crate::errors::Error;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionInput {
    pub body: String,
    /// A kort geding is brought: the award is suspended until lifted.
    #[serde(default)]
    pub kort_geding: bool,
    /// The objecting bid, when the inkoper records one; a bidder objects with its own bid.
    #[serde(default)]
    pub bid_id: Option<i64>,
}

/// Lodges an objection: a bidder of the perceel about its own bid, or the inkoper for anyone.
pub async fn lodge(
    state: &AppState,
    user: &User,
    tender_id: i64,
    lot_id: i64,
    id: i64,
    input: ObjectionInput,
) -> Result<i64, Error> {
    let bid_id = match user.role() {
        Some(Role::Inkoper) => input.bid_id,
        Some(Role::Aanbieder) => {
            let (company, letters) = (user.company_id.unwrap_or_default(), id);
            let own = state
                .db
                .read(move |conn| crate::db::award_letter::of_company(conn, company))
                .await?
                .into_iter()
                .find(|l| l.decision_id == letters)
                .ok_or(Error::NotFound("Gunningsbeslissing"))?;
            Some(own.bid_id)
        }
        _ => return Err(Error::Forbidden("Alleen een inschrijver of de inkoper legt een bezwaar vast.".into())),
    };
    let d = decision(state, lot_id, id).await?;
    if d.tender_id != tender_id {
        return Err(Error::NotFound("Gunningsbeslissing"));
    }
    if let Some(bid) = bid_id {
        let letters = state.db.read(move |conn| crate::db::award_letter::letters_of_decision(conn, id)).await?;
        if !letters.iter().any(|l| l.bid_id == bid) {
            return Err(Error::invalid("bid_id", "Deze inschrijving heeft geen brief over deze beslissing ontvangen."));
        }
    }
    let (u, now) = (user.clone(), state.clock.now());
    state.db.write(move |conn| objection::lodge(conn, &d, bid_id, &input.body, input.kort_geding, &u, now)).await
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/objections", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path), ("decision_id" = i64, Path)), request_body = ObjectionInput,
    responses((status = 201, description = "recorded"), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn post(
    Authenticated(user): Authenticated,
    state: web::Data<AppState>,
    path: Step,
    body: Json<ObjectionInput>,
) -> ApiResult {
    if !matches!(user.role(), Some(Role::Inkoper | Role::Aanbieder)) {
        return Err(Error::Forbidden("Alleen een inschrijver of de inkoper legt een bezwaar vast.".into()).into());
    }
    let input = body.0?;
    let (tender_id, lot_id, id) = path.into_inner();
    let oid = lodge(&state, &user, tender_id, lot_id, id, input).await?;
    created(
        format!("/api/v1/tenders/{tender_id}/lots/{lot_id}/award/{id}/objections/{oid}"),
        &serde_json::json!({ "id": oid }),
    )
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/objections/{objection_id}/lift", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path), ("decision_id" = i64, Path), ("objection_id" = i64, Path)), request_body = ReasonInput,
    responses((status = 200, body = LotAward), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn post_lift(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64, i64)>,
    body: Json<ReasonInput>,
) -> ApiResult {
    let input = body.0?;
    let ids = path.into_inner();
    lift(&state, &user, ids, input).await?;
    ok(&lot_award(&state, ids.0, ids.1).await?)
}

/// Lifts the suspension of a kort geding, with its reason.
pub async fn lift(
    state: &AppState,
    user: &User,
    (tender_id, lot_id, id, objection_id): (i64, i64, i64, i64),
    input: ReasonInput,
) -> Result<(), Error> {
    super::evaluation::perceel(state, user, tender_id, lot_id).await?;
    let d = decision(state, lot_id, id).await?;
    let (u, now) = (user.clone(), state.clock.now());
    state.db.write(move |conn| objection::lift(conn, &d, objection_id, &input.reason, &u, now)).await
}
