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
use crate::db::bid::BidRow;
use crate::db::consensus::{self, Consensus, ConsensusInput};
use crate::db::score::Scorable;
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

/// Where a perceel's assessment stands: its admitted bids, who assesses which, and what is
/// still awaited. Cheap enough for every consensus write: no scores are loaded.
pub struct Readiness {
    pub bids: Vec<(BidRow, BidContent)>,
    pub names: HashMap<i64, String>,
    pub waiting: Vec<String>,
    pub revealed_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Readiness {
    fn name(&self, id: i64) -> String {
        self.names.get(&id).cloned().unwrap_or_else(|| format!("beoordelaar {id}"))
    }
}

pub async fn readiness(state: &AppState, p: &Perceel) -> Result<Readiness, Error> {
    let lot_id = p.lot()?.id;
    let bids = admitted(state, p).await?;
    let ids: Vec<i64> = bids.iter().map(|(b, _)| b.id).collect();
    let (members, candidates, locks, conflicts, revealed_at) = state
        .db
        .read(move |conn| {
            Ok((
                committee::members(conn, lot_id)?,
                committee::candidates(conn, lot_id)?,
                score::locked(conn, &ids)?,
                conflict::conflicts(conn, &ids)?,
                consensus::revealed(conn, lot_id)?,
            ))
        })
        .await?;
    let conflicts: HashSet<(i64, i64)> = conflicts.into_iter().collect();
    let locks: HashSet<(i64, i64)> = locks.into_iter().collect();
    let names = candidates.into_iter().map(|c| (c.user_id, c.name)).collect();
    let mut r = Readiness { bids, names, waiting: Vec::new(), revealed_at };
    if members.is_empty() {
        r.waiting.push("Er is nog geen beoordelingscommissie benoemd.".to_owned());
    }
    for (b, c) in &r.bids {
        let assigned: Vec<i64> = members.iter().copied().filter(|m| !conflicts.contains(&(b.id, *m))).collect();
        let open: Vec<String> = assigned.iter().filter(|m| !locks.contains(&(b.id, **m))).map(|m| r.name(*m)).collect();
        if assigned.is_empty() {
            r.waiting.push(format!("{}: geen beoordelaar zonder belang.", bidder(c)));
        } else if !open.is_empty() {
            r.waiting.push(format!("{}: wacht op {}.", bidder(c), open.join(", ")));
        }
    }
    if r.bids.is_empty() {
        r.waiting.push("Er zijn nog geen toegelaten inschrijvingen.".to_owned());
    }
    Ok(r)
}

/// One bid's consensus view from the locked scores and the consensus recorded for it.
fn bid_view(
    r: &Readiness,
    criteria: &[Scorable],
    bid: (&BidRow, &BidContent),
    scores: &[&score::LockedScore],
    recorded: &HashMap<(i64, i64), Consensus>,
) -> BidConsensus {
    let (b, c) = bid;
    let per: Vec<CriterionConsensus> = criteria
        .iter()
        .map(|cr| {
            let mine: Vec<&&score::LockedScore> = scores.iter().filter(|s| s.1 == cr.criterion_id).collect();
            let given: Vec<AssessorScore> =
                mine.iter().map(|s| AssessorScore { assessor_id: s.2, points: s.3 }).collect();
            let sp = spread(&cr.steps, &given).ok();
            let outlier =
                |who: i64| sp.as_ref().is_some_and(|s| s.scores.iter().any(|x| x.assessor_id == who && x.outlier));
            CriterionConsensus {
                criterion_id: cr.criterion_id,
                title: cr.title.clone(),
                steps: cr.steps.clone(),
                scores: mine
                    .iter()
                    .map(|s| IndividualScore {
                        assessor: r.name(s.2),
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
    BidConsensus { bid_id: b.id, bidder: bidder(c), complete: per.iter().all(|x| x.consensus.is_some()), criteria: per }
}

/// The consensus views of these bids (all of the perceel, or one), scores read in one query.
pub async fn views(
    state: &AppState,
    p: &Perceel,
    r: &Readiness,
    only: Option<i64>,
) -> Result<Vec<BidConsensus>, Error> {
    let ids: Vec<i64> = r.bids.iter().map(|(b, _)| b.id).filter(|id| only.is_none_or(|o| o == *id)).collect();
    let (all_scores, recorded) =
        state.db.read(move |conn| Ok((score::all_locked(conn, &ids)?, consensus::of_bids(conn, &ids)?))).await?;
    // Grouped once: a perceel of a thousand bids has tens of thousands of scores.
    let mut by_bid: HashMap<i64, Vec<&score::LockedScore>> = HashMap::new();
    for s in &all_scores {
        by_bid.entry(s.0).or_default().push(s);
    }
    let recorded: HashMap<(i64, i64), Consensus> =
        recorded.into_iter().map(|c| ((c.bid_id, c.criterion_id), c)).collect();
    let criteria = scorable(&p.tender, p.lot()?);
    Ok(r.bids
        .iter()
        .filter(|(b, _)| only.is_none_or(|o| o == b.id))
        .map(|(b, c)| {
            bid_view(r, &criteria, (b, c), by_bid.get(&b.id).map(Vec::as_slice).unwrap_or_default(), &recorded)
        })
        .collect())
}

/// The perceel's consensus view.
pub async fn overview(state: &AppState, p: &Perceel) -> Result<LotConsensus, Error> {
    let r = readiness(state, p).await?;
    let ready = r.waiting.is_empty();
    let bids = if ready { views(state, p, &r, None).await? } else { Vec::new() };
    Ok(LotConsensus { ready, waiting: r.waiting, revealed_at: r.revealed_at, bids })
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/lots/{lot_id}/consensus", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), responses((status = 200, body = LotConsensus), (status = 404, body = Problem)))]
pub async fn get(Inkoper(user): Inkoper, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    ok(&overview(&state, &p).await?)
}

/// Records the consensus for one bid, once every assessor has locked; answers with that bid's view.
pub async fn record(
    state: &AppState,
    user: &User,
    bid_id: i64,
    input: BidConsensusInput,
) -> Result<BidConsensus, Error> {
    let b = opened_bid(state, bid_id).await?;
    let p = perceel(state, user, b.tender_id, b.lot_id).await?;
    let r = readiness(state, &p).await?;
    if !r.waiting.is_empty() {
        return Err(Error::Conflict(format!("De consensus kan nog niet: {}", r.waiting.join(" "))));
    }
    if !r.bids.iter().any(|(x, _)| x.id == bid_id) {
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
    views(state, &p, &r, Some(bid_id)).await?.pop().ok_or(Error::NotFound("Inschrijving"))
}

#[utoipa::path(put, path = "/api/v1/bids/{bid_id}/consensus", tag = "evaluation", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    request_body = BidConsensusInput,
    description = "Records the committee's score per criterion of one bid. Once the perceel's consensus is final, a change is a \
        correction and needs a `correction_reason`; it is kept with what it was before.",
    responses((status = 200, body = BidConsensus), (status = 409, body = Problem), (status = 422, body = Problem)))]
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
    let r = readiness(state, &p).await?;
    if !r.waiting.is_empty() {
        return Err(Error::Conflict(format!("De consensus is nog niet klaar: {}", r.waiting.join(" "))));
    }
    let ids: Vec<i64> = r.bids.iter().map(|(b, _)| b.id).collect();
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
