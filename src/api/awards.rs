//! Gunning via de API: the voornemen tot gunning of a perceel — proposed by an inkoper from the
//! ranking, approved by management, its letters sent at once —, objections and suspensions
//! during the Alcatel-termijn, the definitive award with its contracts, or "niet gegund".

use actix_web::web;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::award_letters::compose;
use super::evaluation::{Perceel, perceel_fresh};
use super::problem::Problem;
use super::rankings::ranking;
use super::{ApiResult, Json, created, ok};
use crate::auth::{Inkoper, Management, Staff};
use crate::db::award::{self, Decision, Proposal};
use crate::db::contract::{self, Contract, Terms, Winner};
use crate::db::price_sheet;
use crate::db::user::User;
use crate::domain::ranking::Standing;
use crate::errors::Error;
use crate::state::AppState;

/// A perceel's award: every decision (the last is the current one) and the contracts.
#[derive(Serialize, ToSchema)]
pub struct LotAward {
    pub tender_id: i64,
    pub lot_id: i64,
    pub decisions: Vec<Decision>,
    pub contracts: Vec<Contract>,
}

pub async fn lot_award(state: &AppState, tender_id: i64, lot_id: i64) -> Result<LotAward, Error> {
    let (decisions, contracts) =
        state.db.read(move |conn| Ok((award::of_lot(conn, lot_id)?, contract::of_tender(conn, tender_id)?))).await?;
    let contracts = contracts.into_iter().filter(|c| c.lot_id == lot_id).collect();
    Ok(LotAward { tender_id, lot_id, decisions, contracts })
}

/// The decision of the perceel with this id, as the database has it now.
pub async fn decision(state: &AppState, lot_id: i64, id: i64) -> Result<Decision, Error> {
    state.db.read(move |conn| award::find(conn, lot_id, id)).await
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/lots/{lot_id}/award", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), responses((status = 200, body = LotAward)))]
pub async fn get(Staff(user): Staff, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    super::evaluation::perceel(&state, &user, tender_id, lot_id).await?;
    ok(&lot_award(&state, tender_id, lot_id).await?)
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    /// Calendar days of the Alcatel-termijn; by default the tender's (20 unless a shorter period
    /// was motivated).
    #[serde(default)]
    pub standstill_days: Option<i32>,
    #[serde(default)]
    pub standstill_reason: String,
    /// Set to propose "niet gegund" (no valid bid) instead of the ranking's winners.
    #[serde(default)]
    pub not_awarded_reason: String,
}

/// Proposes the ranking's winners (or "niet gegund") for the perceel.
pub async fn propose(
    state: &AppState,
    user: &User,
    tender_id: i64,
    lot_id: i64,
    input: ProposalInput,
) -> Result<i64, Error> {
    let p = perceel_fresh(state, user, tender_id, lot_id).await?;
    let winners: Vec<i64> = if input.not_awarded_reason.trim().is_empty() {
        let r = ranking(state, &p).await?;
        if !r.ranking.award_decided {
            return Err(Error::Conflict(
                "De rangorde beslist de gunning nog niet: er is een gelijke stand waarover geloot moet worden.".into(),
            ));
        }
        r.ranking.bids.iter().filter(|b| b.standing == Standing::Winning).map(|b| b.bid_id).collect()
    } else {
        Vec::new()
    };
    if winners.is_empty() && input.not_awarded_reason.trim().is_empty() {
        return Err(Error::Conflict(
            "Er is geen geldige inschrijving om te gunnen; stel \"niet gegund\" voor met een reden.".into(),
        ));
    }
    // The period the tender published, unless this proposal states its own.
    let standstill = (p.tender.standstill_days, p.tender.standstill_reason.clone());
    let (u, now) = (user.clone(), state.clock.now());
    state
        .db
        .write(move |conn| {
            let proposal = Proposal {
                tender_id,
                lot_id,
                winner_bid_ids: &winners,
                not_awarded_reason: &input.not_awarded_reason,
                standstill_days: input.standstill_days.unwrap_or(standstill.0),
                standstill_reason: if input.standstill_reason.is_empty() {
                    &standstill.1
                } else {
                    &input.standstill_reason
                },
            };
            award::propose(conn, &proposal, &u, now)
        })
        .await
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/award", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), request_body = ProposalInput,
    description = "Proposes the winners of the ranking (or \"niet gegund\" with a reason); a second person approves.",
    responses((status = 201, body = LotAward), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn post(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    body: Json<ProposalInput>,
) -> ApiResult {
    let input = body.0?;
    let (tender_id, lot_id) = path.into_inner();
    let id = propose(&state, &user, tender_id, lot_id, input).await?;
    created(
        format!("/api/v1/tenders/{tender_id}/lots/{lot_id}/award/{id}"),
        &lot_award(&state, tender_id, lot_id).await?,
    )
}

/// One step of a decision, by its path.
pub type Step = web::Path<(i64, i64, i64)>;

/// Approves a proposal: management, and never the proposer.
pub async fn approve(state: &AppState, user: &User, tender_id: i64, lot_id: i64, id: i64) -> Result<(), Error> {
    super::evaluation::perceel(state, user, tender_id, lot_id).await?;
    let d = decision(state, lot_id, id).await?;
    let (u, now) = (user.clone(), state.clock.now());
    state.db.write(move |conn| award::approve(conn, &d, &u, now)).await
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/approve", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path), ("decision_id" = i64, Path)),
    responses((status = 200, body = LotAward), (status = 409, body = Problem)))]
pub async fn post_approve(Management(user): Management, state: web::Data<AppState>, path: Step) -> ApiResult {
    let (tender_id, lot_id, id) = path.into_inner();
    approve(&state, &user, tender_id, lot_id, id).await?;
    ok(&lot_award(&state, tender_id, lot_id).await?)
}

/// The letters of the decision, composed from the perceel as it is now.
async fn letters(state: &AppState, p: &Perceel, d: &Decision) -> Result<Vec<crate::db::award_letter::Outgoing>, Error> {
    if d.winner_bid_ids.is_empty() {
        return compose(state, p, None, d);
    }
    let r = ranking(state, p).await?;
    compose(state, p, Some(&r), d)
}

/// Sends every letter of an approved decision at one moment; the Alcatel-termijn starts.
pub async fn send(state: &AppState, user: &User, tender_id: i64, lot_id: i64, id: i64) -> Result<(), Error> {
    let p = perceel_fresh(state, user, tender_id, lot_id).await?;
    let now = state.clock.now();
    let mut d = decision(state, lot_id, id).await?;
    d.domain().send().map_err(|e| Error::Conflict(e.to_string()))?;
    // The letters state the period this dispatch starts.
    d.sent_at = Some(now);
    d.standstill_last_day = d.standstill().map(|s| crate::domain::deadline::format_date_nl(s.last_day));
    let outgoing = letters(state, &p, &d).await?;
    d.sent_at = None;
    let (u, url) = (user.clone(), state.settings.public_url.clone());
    state.db.write(move |conn| award::send(conn, &d, &outgoing, &u, now, &url)).await
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/send", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path), ("decision_id" = i64, Path)),
    description = "Sends the letter to every bidder of the perceel at one moment; refused whole if any letter is incomplete.",
    responses((status = 200, body = LotAward), (status = 409, body = Problem)))]
pub async fn post_send(Inkoper(user): Inkoper, state: web::Data<AppState>, path: Step) -> ApiResult {
    let (tender_id, lot_id, id) = path.into_inner();
    send(&state, &user, tender_id, lot_id, id).await?;
    ok(&lot_award(&state, tender_id, lot_id).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefinitiveInput {
    /// The contracts' first day (`2027-04-01`).
    pub contract_start: String,
    /// The initial term in years (default 4).
    #[serde(default)]
    pub years: Option<u32>,
    /// The extension options in years (default `[2, 2]`).
    #[serde(default)]
    pub extensions: Option<Vec<u32>>,
}

/// The definitive award: every bidder is told, and a contract is made per winner.
pub async fn make_definitive(
    state: &AppState,
    user: &User,
    tender_id: i64,
    lot_id: i64,
    id: i64,
    input: DefinitiveInput,
) -> Result<(), Error> {
    let start = NaiveDate::parse_from_str(input.contract_start.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid("contract_start", "Vul de ingangsdatum in als jjjj-mm-dd, bijvoorbeeld 2027-04-01.")
    })?;
    let (years, extensions) = (input.years.unwrap_or(4), input.extensions.unwrap_or_else(|| vec![2, 2]));
    if !(1..=10).contains(&years) || extensions.len() > 5 || extensions.iter().any(|e| !(1..=5).contains(e)) {
        return Err(Error::invalid(
            "years",
            "Een looptijd is 1 tot 10 jaar, met hooguit 5 verlengingen van 1 tot 5 jaar.",
        ));
    }
    let p = perceel_fresh(state, user, tender_id, lot_id).await?;
    let d = decision(state, lot_id, id).await?;
    let now = state.clock.now();
    d.domain().make_definitive(now).map_err(|e| Error::Conflict(e.to_string()))?;
    let outgoing = letters(state, &p, &d).await?;
    let key = crate::db::tender_key::get(&state.db, &state.master_key, tender_id).await?;
    let ids = d.winner_bid_ids.clone();
    let prices = state.db.read(move |conn| price_sheet::current_of(conn, &key, &ids)).await?;
    let winners: Vec<Winner> = prices
        .into_iter()
        .map(|(bid_id, s)| Winner { bid_id, lines: s.prices.lines, total_cents: s.prices.total_cents })
        .collect();
    let terms = Terms {
        start_date: start,
        years,
        extensions,
        municipalities: p.tender.municipalities.iter().map(|m| m.cbs_code.clone()).collect(),
    };
    let (u, url) = (user.clone(), state.settings.public_url.clone());
    state
        .db
        .write(move |conn| {
            award::make_definitive(conn, &d, &outgoing, &u, now, &url)?;
            contract::create(conn, &d, &terms, &winners, now)
        })
        .await
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/definitive", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path), ("decision_id" = i64, Path)), request_body = DefinitiveInput,
    description = "After the Alcatel-termijn, with nothing suspending it: every bidder is told, a raamovereenkomst is made per winner.",
    responses((status = 200, body = LotAward), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn post_definitive(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: Step,
    body: Json<DefinitiveInput>,
) -> ApiResult {
    let input = body.0?;
    let (tender_id, lot_id, id) = path.into_inner();
    make_definitive(&state, &user, tender_id, lot_id, id, input).await?;
    ok(&lot_award(&state, tender_id, lot_id).await?)
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/withdraw", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path), ("decision_id" = i64, Path)), request_body = ReasonInput,
    description = "Withdraws a decision that is not definitive, so that a new one (with a new standstill) can be made.",
    responses((status = 200, body = LotAward), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn post_withdraw(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: Step,
    body: Json<ReasonInput>,
) -> ApiResult {
    let input = body.0?;
    let (tender_id, lot_id, id) = path.into_inner();
    withdraw(&state, &user, (tender_id, lot_id, id), input).await?;
    ok(&lot_award(&state, tender_id, lot_id).await?)
}

/// Withdraws a decision that is not definitive, with its reason.
pub async fn withdraw(
    state: &AppState,
    user: &User,
    (tender_id, lot_id, id): (i64, i64, i64),
    input: ReasonInput,
) -> Result<(), Error> {
    super::evaluation::perceel(state, user, tender_id, lot_id).await?;
    let d = decision(state, lot_id, id).await?;
    let (u, now) = (user.clone(), state.clock.now());
    state.db.write(move |conn| award::withdraw(conn, &d, &input.reason, &u, now)).await
}
