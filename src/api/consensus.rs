//! Consensus via de API: once every assigned assessor has locked, the inkoper sees per bid and
//! criterion the individual scores, their spread and the outliers, and records the committee's
//! score with an internal and an external motivation; making it final reveals the prices.

use std::collections::{HashMap, HashSet};

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::evaluation::{Perceel, admitted, opened_bid, perceel, scorable};
use super::problem::Problem;
use super::{ApiResult, Json, ok};
use crate::auth::Inkoper;
use crate::db::consensus::{self, Consensus, ConsensusInput};
use crate::db::user::User;
use crate::db::{committee, conflict, score};
use crate::domain::bid::BidContent;
use crate::domain::consensus::{AssessorScore, Spread, spread};
use crate::errors::Error;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct IndividualScore {
    pub assessor: String,
    pub points: i32,
    pub motivation: String,
    /// Two or more steps from the others.
    pub outlier: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CriterionConsensus {
    pub criterion_id: i64,
    pub title: String,
    pub steps: Vec<i32>,
    pub scores: Vec<IndividualScore>,
    pub spread: Option<Spread>,
    pub consensus: Option<Consensus>,
}

#[derive(Serialize, ToSchema)]
pub struct BidConsensus {
    pub bid_id: i64,
    pub bidder: String,
    pub criteria: Vec<CriterionConsensus>,
    /// A consensus score on every criterion.
    pub complete: bool,
}

#[derive(Serialize, ToSchema)]
pub struct LotConsensus {
    /// Every assigned assessor has locked every admitted bid.
    pub ready: bool,
    /// What is still awaited, in Dutch.
    pub waiting: Vec<String>,
    /// When the consensus became final and the prices visible.
    pub revealed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Empty until ready: nobody reads scores while assessors are still at work.
    pub bids: Vec<BidConsensus>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidConsensusInput {
    pub scores: Vec<ConsensusInput>,
    /// Once the perceel's consensus is final, a change is a correction with this reason.
    #[serde(default)]
    pub correction_reason: Option<String>,
}

fn bidder(c: &BidContent) -> String {
    c.members.first().map(|m| m.company_name.clone()).unwrap_or_default()
}

/// The perceel's consensus view.
pub async fn overview(state: &AppState, p: &Perceel) -> Result<LotConsensus, Error> {
    let lot = p.lot()?;
    let lot_id = lot.id;
    let bids = admitted(state, p).await?;
    let ids: Vec<i64> = bids.iter().map(|(b, _)| b.id).collect();
    let ids2 = ids.clone();
    let (members, candidates, locks, all_scores, recorded, revealed_at) = state
        .db
        .read(move |conn| {
            Ok((
                committee::members(conn, lot_id)?,
                committee::candidates(conn, lot_id)?,
                score::locked(conn, &ids2)?,
                score::all_locked(conn, &ids2)?,
                consensus::of_bids(conn, &ids2)?,
                consensus::revealed(conn, lot_id)?,
            ))
        })
        .await?;
    let mut conflicts: HashSet<(i64, i64)> = HashSet::new();
    for m in &members {
        let (m, ids) = (*m, ids.clone());
        let declared = state.db.read(move |conn| conflict::of_assessor(conn, m, &ids)).await?;
        conflicts.extend(declared.into_iter().filter(|d| d.has_conflict).map(|d| (d.bid_id, m)));
    }
    let locks: HashSet<(i64, i64)> = locks.into_iter().collect();
    let names: HashMap<i64, String> = candidates.into_iter().map(|c| (c.user_id, c.name)).collect();
    let name = |id: i64| names.get(&id).cloned().unwrap_or_else(|| format!("beoordelaar {id}"));
    let mut waiting = Vec::new();
    if members.is_empty() {
        waiting.push("Er is nog geen beoordelingscommissie benoemd.".to_owned());
    }
    for (b, c) in &bids {
        let assigned: Vec<i64> = members.iter().copied().filter(|m| !conflicts.contains(&(b.id, *m))).collect();
        let open: Vec<String> = assigned.iter().filter(|m| !locks.contains(&(b.id, **m))).map(|m| name(*m)).collect();
        if assigned.is_empty() {
            waiting.push(format!("{}: geen beoordelaar zonder belang.", bidder(c)));
        } else if !open.is_empty() {
            waiting.push(format!("{}: wacht op {}.", bidder(c), open.join(", ")));
        }
    }
    if bids.is_empty() {
        waiting.push("Er zijn nog geen toegelaten inschrijvingen.".to_owned());
    }
    let ready = waiting.is_empty();
    if !ready {
        return Ok(LotConsensus { ready, waiting, revealed_at, bids: vec![] });
    }
    // Grouped once: a perceel of a thousand bids has tens of thousands of scores.
    let mut by_cell: HashMap<(i64, i64), Vec<&score::LockedScore>> = HashMap::new();
    for s in &all_scores {
        by_cell.entry((s.0, s.1)).or_default().push(s);
    }
    let recorded: HashMap<(i64, i64), Consensus> =
        recorded.into_iter().map(|c| ((c.bid_id, c.criterion_id), c)).collect();
    let criteria = scorable(&p.tender, lot);
    let bids = bids
        .iter()
        .map(|(b, c)| {
            let per: Vec<CriterionConsensus> = criteria
                .iter()
                .map(|cr| {
                    let mine = by_cell.get(&(b.id, cr.criterion_id)).map(Vec::as_slice).unwrap_or_default();
                    let given: Vec<AssessorScore> =
                        mine.iter().map(|s| AssessorScore { assessor_id: s.2, points: s.3 }).collect();
                    let sp = spread(&cr.steps, &given).ok();
                    let outlier = |who: i64| {
                        sp.as_ref().is_some_and(|s| s.scores.iter().any(|x| x.assessor_id == who && x.outlier))
                    };
                    CriterionConsensus {
                        criterion_id: cr.criterion_id,
                        title: cr.title.clone(),
                        steps: cr.steps.clone(),
                        scores: mine
                            .iter()
                            .map(|s| IndividualScore {
                                assessor: name(s.2),
                                points: s.3,
                                motivation: s.4.clone(),
                                outlier: outlier(s.2),
                            })
                            .collect(),
                        spread: sp,
                        consensus: recorded.get(&(b.id, cr.criterion_id)).cloned(),
                    }
                })
                .collect();
            BidConsensus {
                bid_id: b.id,
                bidder: bidder(c),
                complete: per.iter().all(|x| x.consensus.is_some()),
                criteria: per,
            }
        })
        .collect();
    Ok(LotConsensus { ready, waiting, revealed_at, bids })
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/lots/{lot_id}/consensus", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), responses((status = 200, body = LotConsensus), (status = 404, body = Problem)))]
pub async fn get(Inkoper(user): Inkoper, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    ok(&overview(&state, &p).await?)
}

/// Records the consensus for one bid, once the view is ready.
pub async fn record(
    state: &AppState,
    user: &User,
    bid_id: i64,
    input: BidConsensusInput,
) -> Result<LotConsensus, Error> {
    let b = opened_bid(state, bid_id).await?;
    let p = perceel(state, user, b.tender_id, b.lot_id).await?;
    let view = overview(state, &p).await?;
    if !view.ready {
        return Err(Error::Conflict(format!("De consensus kan nog niet: {}", view.waiting.join(" "))));
    }
    if !view.bids.iter().any(|x| x.bid_id == bid_id) {
        return Err(Error::Conflict("Deze inschrijving is niet toegelaten en krijgt geen consensusscore.".into()));
    }
    let criteria = scorable(&p.tender, p.lot()?);
    let (u, now, tender_id, lot_id) = (user.clone(), state.clock.now(), b.tender_id, b.lot_id);
    state
        .db
        .write(move |conn| {
            let t = consensus::Target { tender_id, lot_id, bid_id, criteria: &criteria };
            consensus::record(conn, &t, &input.scores, input.correction_reason.as_deref(), &u, now)
        })
        .await?;
    overview(state, &p).await
}

#[utoipa::path(put, path = "/api/v1/bids/{bid_id}/consensus", tag = "evaluation", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    request_body = BidConsensusInput, responses((status = 200, body = LotConsensus), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<BidConsensusInput>,
) -> ApiResult {
    let input = body.0?;
    ok(&record(&state, &user, *id, input).await?)
}

/// Makes the consensus final and the prices visible.
pub async fn reveal(state: &AppState, user: &User, tender_id: i64, lot_id: i64) -> Result<(), Error> {
    let p = perceel(state, user, tender_id, lot_id).await?;
    let view = overview(state, &p).await?;
    if !view.ready {
        return Err(Error::Conflict(format!("De consensus is nog niet klaar: {}", view.waiting.join(" "))));
    }
    let ids: Vec<i64> = view.bids.iter().map(|b| b.bid_id).collect();
    let criteria = scorable(&p.tender, p.lot()?);
    let (u, now) = (user.clone(), state.clock.now());
    state.db.write(move |conn| consensus::reveal(conn, tender_id, lot_id, &ids, &criteria, &u, now)).await
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/price-reveal", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)),
    description = "Makes the perceel's consensus final; only then do the prices become visible and scored.",
    responses((status = 200, body = LotConsensus), (status = 409, body = Problem)))]
pub async fn post_reveal(Inkoper(user): Inkoper, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    reveal(&state, &user, tender_id, lot_id).await?;
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    ok(&overview(&state, &p).await?)
}
