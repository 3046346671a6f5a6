//! Belangenverklaring via de API: an appointed beoordelaar declares, per bidder of the perceel,
//! whether a conflict of interest exists — before any bid can be read.

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::evaluation::{contents, perceel};
use super::problem::Problem;
use super::{ApiResult, Json, ok};
use crate::auth::Beoordelaar;
use crate::db::committee;
use crate::db::conflict::{self, Declaration, Declared};
use crate::db::user::User;
use crate::domain::bid::Member;
use crate::errors::Error;
use crate::state::AppState;

/// A bidder as the declaration names it: every party of a combination counts.
#[derive(Serialize, ToSchema)]
pub struct Bidder {
    pub bid_id: i64,
    pub parties: Vec<Member>,
}

#[derive(Serialize, ToSchema)]
pub struct Declarations {
    /// Whether the caller is appointed to this perceel.
    pub appointed: bool,
    /// Whether the vault is open; before that there is nothing to declare about.
    pub opened: bool,
    pub bidders: Vec<Bidder>,
    pub declared: Vec<Declared>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationsInput {
    pub declarations: Vec<Declaration>,
}

/// The bidders to declare about and the caller's declarations; empty when not appointed.
pub async fn load(state: &AppState, user: &User, tender_id: i64, lot_id: i64) -> Result<Declarations, Error> {
    let p = perceel(state, user, tender_id, lot_id).await?;
    let uid = user.id;
    let appointed = state.db.read(move |conn| committee::is_member(conn, lot_id, uid)).await?;
    if !appointed || !p.opened {
        return Ok(Declarations { appointed, opened: p.opened, bidders: vec![], declared: vec![] });
    }
    let (_, list) = contents(state, tender_id, &p.bids).await?;
    let ids: Vec<i64> = p.bids.iter().map(|b| b.id).collect();
    let bidders = p.bids.iter().zip(list).map(|(b, c)| Bidder { bid_id: b.id, parties: c.members }).collect();
    let declared = state.db.read(move |conn| conflict::of_assessor(conn, uid, &ids)).await?;
    Ok(Declarations { appointed, opened: true, bidders, declared })
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/lots/{lot_id}/declarations", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), responses((status = 200, body = Declarations), (status = 404, body = Problem)))]
pub async fn get(Beoordelaar(user): Beoordelaar, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    ok(&load(&state, &user, tender_id, lot_id).await?)
}

/// Records the declaration for every bidder of the perceel at once.
pub async fn record(
    state: &AppState,
    user: &User,
    tender_id: i64,
    lot_id: i64,
    list: Vec<Declaration>,
) -> Result<(), Error> {
    let d = load(state, user, tender_id, lot_id).await?;
    if !d.appointed {
        return Err(Error::Forbidden("U bent niet benoemd in de beoordelingscommissie van dit perceel.".into()));
    }
    if !d.opened {
        return Err(Error::Conflict(
            "De kluis is nog niet geopend; er zijn nog geen inschrijvers om over te verklaren.".into(),
        ));
    }
    let ids: Vec<i64> = d.bidders.iter().map(|b| b.bid_id).collect();
    let (u, now) = (user.clone(), state.clock.now());
    state.db.write(move |conn| conflict::declare(conn, tender_id, &ids, &u, &list, now)).await
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/declarations", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), request_body = DeclarationsInput,
    description = "One declaration per bidder of the perceel, all at once, and final.",
    responses((status = 200, body = Declarations), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn post(
    Beoordelaar(user): Beoordelaar,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: Json<DeclarationsInput>,
) -> ApiResult {
    let input = body.0?;
    let (tender_id, lot_id) = path.into_inner();
    record(&state, &user, tender_id, lot_id, input.declarations).await?;
    ok(&load(&state, &user, tender_id, lot_id).await?)
}
