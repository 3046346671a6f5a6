//! Simulatie (simulation) via de API: an inkoper tries a perceel's published formulas with
//! invented bids, through the same ranking code as the real beoordeling. Nothing is stored, so
//! it may run before and after publication alike and leaves no trace in the logboek.

use actix_web::web;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problem::Problem as ApiProblem;
use super::tenders::visible;
use super::{ApiResult, Json, ok};
use crate::auth::Inkoper;
use crate::domain::lot::Lot;
use crate::domain::money;
use crate::domain::price_formula::PriceFormula;
use crate::domain::ranking::{self, Basis, BidInput, BidResult, CriterionResult, Problem, Score, Setup, TieGroup};
use crate::domain::tender::Tender;
use crate::errors::{Error, FieldError, Problems};
use crate::state::AppState;

/// More than enough to see how weights behave; keeps one request small.
pub const MAX_BIDS: usize = 50;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SimulationInput {
    /// The invented bids, 1 to 50; in the answer each is known by its position here, from 1.
    pub bids: Vec<InventedBidInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InventedBidInput {
    /// A name to recognise the bid by.
    pub name: String,
    /// Price per trajectory in euros (string, e.g. "14500.00"); may be left out with a fixed price.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub price: Option<Decimal>,
    /// One score per quality criterion of the perceel, on that criterion's scale.
    pub scores: Vec<Score>,
}

/// An invented bid after reading: its name, price in cents and scores.
pub struct Invented {
    pub name: String,
    pub price_cents: i64,
    pub scores: Vec<Score>,
}

/// The outcome: the same figures a real ranking gives, with the names given.
#[derive(Serialize, ToSchema)]
pub struct Simulation {
    pub lot_id: i64,
    /// The price formula as published, in Dutch.
    pub price_formula: String,
    /// The rounding rule as published, in Dutch.
    pub rounding: String,
    pub basis: Basis,
    pub max_winners: u32,
    /// In rank order; `bid_id` is the bid's position in the request, from 1.
    pub bids: Vec<SimulatedBid>,
    /// Every tied group, in rank order, by position in the request.
    pub ties: Vec<TieGroup>,
    /// False while a tie across the number of winners would need a draw.
    pub award_decided: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SimulatedBid {
    /// The name given.
    pub name: String,
    /// Per criterion, in the perceel's order.
    pub criteria: Vec<CriterionResult>,
    #[serde(flatten)]
    pub result: BidResult,
}

/// The perceel's set-up, or why it cannot be simulated yet (a concept may be incomplete).
pub fn setup(t: &Tender, lot: &Lot) -> Result<Setup, Error> {
    Setup::of(lot, &t.scales, t.rounding)
        .map_err(|e| Error::Conflict(format!("Dit perceel kan nog niet worden doorgerekend: {e}")))
}

/// The price as typed, in cents; left empty it is the fixed price, where there is one.
pub fn price_cents(setup: &Setup, typed: Option<Decimal>) -> Result<i64, String> {
    match (typed, setup.price.formula, setup.price.ceiling_cents) {
        (Some(euros), _, _) => money::to_cents(euros),
        (None, PriceFormula::FixedPrice, Some(fixed)) => Ok(fixed),
        (None, _, _) => Err("Vul de prijs in euro's in.".into()),
    }
}

/// Ranks invented bids; `field` names the input field of a problem with a bid's scores or price.
pub fn run(
    t: &Tender,
    lot: &Lot,
    setup: &Setup,
    bids: Vec<Invented>,
    field: impl Fn(usize, &Problem) -> String,
) -> Result<Simulation, Error> {
    let inputs: Vec<BidInput> = bids
        .iter()
        .zip(1..)
        .map(|(b, bid_id)| BidInput { bid_id, price_cents: b.price_cents, scores: b.scores.clone() })
        .collect();
    let ranking = ranking::rank(setup, &inputs, &[]).map_err(|problems| {
        let named = problems.iter().map(|p| match position(p) {
            Some(i) => FieldError::new(field(i, p), p.to_string()),
            None => FieldError::new("bids", p.to_string()),
        });
        Error::Validation(named.collect())
    })?;
    let name = |bid_id: i64| position_of(bid_id).and_then(|i| bids.get(i)).map(|b| b.name.clone()).unwrap_or_default();
    Ok(Simulation {
        lot_id: lot.id,
        price_formula: lot.price.description.clone(),
        rounding: t.rounding.describe(),
        basis: ranking.basis,
        max_winners: ranking.max_winners,
        bids: ranking
            .bids
            .into_iter()
            .map(|result| {
                let input = position_of(result.bid_id).and_then(|i| inputs.get(i));
                let criteria = input.and_then(|b| ranking::criterion_results(setup, b).ok()).unwrap_or_default();
                SimulatedBid { name: name(result.bid_id), criteria, result }
            })
            .collect(),
        ties: ranking.ties,
        award_decided: ranking.award_decided,
    })
}

fn position_of(bid_id: i64) -> Option<usize> {
    usize::try_from(bid_id).ok().and_then(|n| n.checked_sub(1))
}

/// The position of the bid a problem is about.
fn position(p: &Problem) -> Option<usize> {
    match p {
        Problem::MissingScore { bid_id, .. }
        | Problem::UnknownCriterion { bid_id, .. }
        | Problem::DuplicateScore { bid_id, .. }
        | Problem::NotAStep { bid_id, .. }
        | Problem::Price { bid_id, .. }
        | Problem::DuplicateBid { bid_id } => position_of(*bid_id),
        Problem::Setup(_) | Problem::DrawNotATie { .. } | Problem::DrawTwice { .. } => None,
    }
}

/// The criterion a problem is about, when it is about a score.
pub fn criterion_of(p: &Problem) -> Option<i64> {
    match p {
        Problem::MissingScore { criterion_id, .. }
        | Problem::UnknownCriterion { criterion_id, .. }
        | Problem::DuplicateScore { criterion_id, .. }
        | Problem::NotAStep { criterion_id, .. } => Some(*criterion_id),
        _ => None,
    }
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/simulation", tag = "lots", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), request_body = SimulationInput,
    description = "Scores invented bids with the perceel's published formulas and rounding rule, as the real ranking would. Stores nothing.",
    responses((status = 200, body = Simulation), (status = 404, body = ApiProblem), (status = 409, body = ApiProblem), (status = 422, body = ApiProblem)))]
pub async fn simulate(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: Json<SimulationInput>,
) -> ApiResult {
    let input = body.0?;
    let (tender_id, lot_id) = path.into_inner();
    let t = visible(&state, Some(&user), tender_id).await?;
    let lot = t.lots.iter().find(|l| l.id == lot_id).ok_or(Error::NotFound("Perceel"))?;
    let setup = setup(&t, lot)?;
    let mut p = Problems::default();
    if input.bids.is_empty() || input.bids.len() > MAX_BIDS {
        p.add("bids", format!("Geef 1 tot {MAX_BIDS} bedachte inschrijvingen."));
    }
    let mut bids = Vec::with_capacity(input.bids.len());
    for (i, b) in input.bids.iter().enumerate() {
        let name = b.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            p.add(format!("bids[{i}].name"), "Geef de inschrijving een naam van hoogstens 100 tekens.");
        }
        let price_cents = price_cents(&setup, b.price).map_err(|e| p.add(format!("bids[{i}].price"), e)).unwrap_or(0);
        bids.push(Invented { name, price_cents, scores: b.scores.clone() });
    }
    p.into_result(())?;
    let field = |i: usize, problem: &Problem| {
        let scores = input.bids.get(i).map(|b| b.scores.as_slice()).unwrap_or_default();
        match criterion_of(problem) {
            None => format!("bids[{i}].price"),
            Some(c) => match scores.iter().position(|s| s.criterion_id == c) {
                Some(k) => format!("bids[{i}].scores[{k}].points"),
                None => format!("bids[{i}].scores"),
            },
        }
    };
    ok(&run(&t, lot, &setup, bids, field)?)
}
