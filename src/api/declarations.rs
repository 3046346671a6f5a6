//! Belangenverklaring via de API: an appointed beoordelaar declares, per bidder of the perceel,
//! whether a conflict of interest exists — before any bid can be read. Bidders are numbered in
//! alphabetical order here, never by their bid, so that the declaration does not tie names to
//! the bids an anonymous evaluation shows by code.

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::evaluation::{Perceel, perceel, perceel_fresh};
use super::problem::Problem;
use super::{ApiResult, Json, ok};
use crate::auth::Beoordelaar;
use crate::db::conflict::{self, Declaration};
use crate::db::user::User;
use crate::domain::bid::Member;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

/// A bidder as the declaration names it: every party of a combination counts.
#[derive(Serialize, ToSchema)]
pub struct Bidder {
    /// Its number in this declaration (alphabetical by the penvoerder's name).
    pub number: usize,
    pub parties: Vec<Member>,
    /// The caller's declaration about it, once made.
    pub has_conflict: Option<bool>,
    #[serde(skip)]
    pub bid_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Declarations {
    /// Whether the caller is appointed to this perceel.
    pub appointed: bool,
    /// Whether the vault is open; before that there is nothing to declare about.
    pub opened: bool,
    /// Whether the caller has declared (it is done for all bidders at once).
    pub declared: bool,
    pub bidders: Vec<Bidder>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationInput {
    /// The bidder's `number` in the declaration.
    pub bidder: usize,
    pub has_conflict: bool,
    /// Required with a conflict: what the tie to the bidder is.
    #[serde(default)]
    pub explanation: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationsInput {
    pub declarations: Vec<DeclarationInput>,
}

/// The bidders to declare about and the caller's declarations; empty when not appointed.
pub async fn load(state: &AppState, user: &User, tender_id: i64, lot_id: i64) -> Result<Declarations, Error> {
    Ok(of(&perceel(state, user, tender_id, lot_id).await?, user))
}

fn of(p: &Perceel, user: &User) -> Declarations {
    let e = &p.evaluation;
    let appointed = e.is_member(user.id);
    if !appointed || !e.opened {
        return Declarations { appointed, opened: e.opened, declared: false, bidders: vec![] };
    }
    let mut bidders: Vec<Bidder> = e
        .bids
        .iter()
        .map(|b| Bidder {
            number: 0,
            has_conflict: e.declarations.get(&(b.row.id, user.id)).copied(),
            parties: b.content.members.clone(),
            bid_id: b.row.id,
        })
        .collect();
    let key = |b: &Bidder| {
        b.parties.first().map(|m| (m.company_name.to_lowercase(), m.kvk_number.clone())).unwrap_or_default()
    };
    bidders.sort_by_key(key);
    for (i, b) in bidders.iter_mut().enumerate() {
        b.number = i + 1;
    }
    let declared = bidders.iter().any(|b| b.has_conflict.is_some());
    Declarations { appointed, opened: true, declared, bidders }
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/lots/{lot_id}/declarations", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), responses((status = 200, body = Declarations), (status = 404, body = Problem)))]
pub async fn get(Beoordelaar(user): Beoordelaar, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    ok(&load(&state, &user, tender_id, lot_id).await?)
}

/// Records the declaration for every bidder of the perceel at once; problems are named
/// `declarations[<number>]`.
pub async fn record(
    state: &AppState,
    user: &User,
    tender_id: i64,
    lot_id: i64,
    list: Vec<DeclarationInput>,
) -> Result<(), Error> {
    let d = of(&perceel_fresh(state, user, tender_id, lot_id).await?, user);
    if !d.appointed {
        return Err(Error::Conflict("U bent niet benoemd in de beoordelingscommissie van dit perceel.".into()));
    }
    if !d.opened {
        return Err(Error::Conflict(
            "De kluis is nog niet geopend; er zijn nog geen inschrijvers om over te verklaren.".into(),
        ));
    }
    let mut stored = Vec::new();
    for x in &list {
        let b = d.bidders.iter().find(|b| b.number == x.bidder).ok_or_else(|| {
            Error::invalid("declarations", format!("Er is geen inschrijver {} in deze verklaring.", x.bidder))
        })?;
        stored.push(Declaration { bid_id: b.bid_id, has_conflict: x.has_conflict, explanation: x.explanation.clone() });
    }
    let ids: Vec<i64> = d.bidders.iter().map(|b| b.bid_id).collect();
    let number = |bid_id: i64| d.bidders.iter().find(|b| b.bid_id == bid_id).map_or(0, |b| b.number);
    let (u, now) = (user.clone(), state.clock.now());
    match state.db.write(move |conn| conflict::declare(conn, tender_id, &ids, &u, &stored, now)).await {
        // The storage names bids; the caller knows bidders by their number.
        Err(Error::Validation(problems)) => Err(Error::Validation(
            problems
                .into_iter()
                .map(|f| {
                    let id = f
                        .name
                        .trim_start_matches("declarations[")
                        .split(']')
                        .next()
                        .and_then(|k| k.parse::<i64>().ok());
                    let tail = f.name.split_once(']').map(|(_, t)| t).unwrap_or("");
                    FieldError::new(
                        id.map_or(f.name.clone(), |id| format!("declarations[{}]{tail}", number(id))),
                        f.reason,
                    )
                })
                .collect(),
        )),
        other => other,
    }
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/declarations", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), request_body = DeclarationsInput,
    description = "One declaration per bidder of the perceel (by its `number`), all at once, and final.",
    responses((status = 200, body = Declarations), (status = 409, body = Problem), (status = 422, body = Problem)))]
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
