//! Consensus via de API: once every assigned assessor has locked, the inkoper sees per bid and
//! criterion the individual scores, their spread and the outliers, and records the committee's
//! score with an internal and an external motivation; making it final reveals the prices.

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::evaluation::{Perceel, bid_perceel, perceel, perceel_fresh, scorable};
use super::problem::Problem;
use super::{ApiResult, Json, ok};
use crate::auth::Inkoper;
use crate::db::committee::Assessor;
use crate::db::consensus::{self, Consensus, ConsensusInput};
use crate::db::evaluation::EvaluatedBid;
use crate::db::score::Score;
use crate::db::user::User;
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

/// Where a perceel's assessment stands: its admitted bids and what is still awaited.
pub struct Readiness<'a> {
    pub bids: Vec<&'a EvaluatedBid>,
    pub waiting: Vec<String>,
}

pub fn readiness(p: &Perceel) -> Readiness<'_> {
    let e = &p.evaluation;
    let bids = p.admitted();
    let mut waiting = Vec::new();
    if e.members.is_empty() {
        waiting.push("Er is nog geen beoordelingscommissie benoemd.".to_owned());
    }
    for b in &bids {
        let assigned: Vec<&Assessor> =
            e.members.iter().filter(|m| e.declarations.get(&(b.row.id, m.user_id)) != Some(&true)).collect();
        let open: Vec<&str> =
            assigned.iter().filter(|m| !e.has_locked(b.row.id, m.user_id)).map(|m| m.name.as_str()).collect();
        if assigned.is_empty() {
            waiting.push(format!("{}: geen beoordelaar zonder belang.", b.bidder()));
        } else if !open.is_empty() {
            waiting.push(format!("{}: wacht op {}.", b.bidder(), open.join(", ")));
        }
    }
    if bids.is_empty() {
        waiting.push("Er zijn nog geen toegelaten inschrijvingen.".to_owned());
    }
    Readiness { bids, waiting }
}

/// One bid's consensus view: per criterion the locked scores of the committee, their spread,
/// and the consensus recorded.
pub fn view(p: &Perceel, b: &EvaluatedBid) -> Result<BidConsensus, Error> {
    let e = &p.evaluation;
    let locked: Vec<(&Assessor, &Score)> = e
        .members
        .iter()
        .filter_map(|m| e.scores.get(&(b.row.id, m.user_id)).map(|s| (m, s)))
        .flat_map(|(m, list)| list.iter().filter(|s| s.locked_at.is_some()).map(move |s| (m, s)))
        .collect();
    let criteria: Vec<CriterionConsensus> = scorable(&p.tender, p.lot()?)
        .into_iter()
        .map(|cr| {
            let mine: Vec<&(&Assessor, &Score)> =
                locked.iter().filter(|(_, s)| s.criterion_id == cr.criterion_id).collect();
            let given: Vec<AssessorScore> =
                mine.iter().map(|(m, s)| AssessorScore { assessor_id: m.user_id, points: s.points }).collect();
            let sp = spread(&cr.steps, &given).ok();
            let outlier =
                |who: i64| sp.as_ref().is_some_and(|s| s.scores.iter().any(|x| x.assessor_id == who && x.outlier));
            let scores = mine
                .iter()
                .map(|(m, s)| IndividualScore {
                    assessor: m.name.clone(),
                    points: s.points,
                    motivation: s.motivation.clone(),
                    outlier: outlier(m.user_id),
                })
                .collect();
            let consensus =
                e.consensus.iter().find(|c| c.bid_id == b.row.id && c.criterion_id == cr.criterion_id).cloned();
            CriterionConsensus {
                criterion_id: cr.criterion_id,
                title: cr.title,
                steps: cr.steps,
                scores,
                spread: sp,
                consensus,
            }
        })
        .collect();
    Ok(BidConsensus {
        bid_id: b.row.id,
        bidder: b.bidder(),
        complete: criteria.iter().all(|x| x.consensus.is_some()),
        criteria,
    })
}

/// The perceel's consensus view.
pub fn overview(p: &Perceel) -> Result<LotConsensus, Error> {
    let r = readiness(p);
    let ready = r.waiting.is_empty();
    let bids = match ready {
        true => r.bids.iter().map(|b| view(p, b)).collect::<Result<Vec<_>, _>>()?,
        false => Vec::new(),
    };
    Ok(LotConsensus { ready, waiting: r.waiting, revealed_at: p.evaluation.revealed_at, bids })
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/lots/{lot_id}/consensus", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)), responses((status = 200, body = LotConsensus), (status = 404, body = Problem)))]
pub async fn get(Inkoper(user): Inkoper, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    // Made once per version of the evaluation: the view is the same for every inkoper.
    let json = p.evaluation.rendered("api:consensus".into(), || {
        serde_json::to_vec(&overview(&p)?).map_err(|e| Error::Internal(e.to_string()))
    })?;
    Ok(actix_web::HttpResponse::Ok().content_type("application/json").body(json))
}

/// Records the consensus for one bid, once every assessor has locked; answers with that bid's view.
pub async fn record(
    state: &AppState,
    user: &User,
    bid_id: i64,
    input: BidConsensusInput,
) -> Result<BidConsensus, Error> {
    let p = bid_perceel(state, user, bid_id, true).await?;
    let r = readiness(&p);
    if !r.waiting.is_empty() {
        return Err(Error::Conflict(format!("De consensus kan nog niet: {}", r.waiting.join(" "))));
    }
    if !r.bids.iter().any(|x| x.row.id == bid_id) {
        return Err(Error::Conflict("Deze inschrijving is niet toegelaten en krijgt geen consensusscore.".into()));
    }
    let criteria = scorable(&p.tender, p.lot()?);
    // Another bid's consensus does not change whether this one may be recorded, so consensus
    // writes of one perceel go side by side; the price reveal below is what needs them settled.
    let (u, now, tender_id, lot_id) = (user.clone(), state.clock.now(), p.tender.id, p.lot_id);
    state
        .db
        .write(move |conn| {
            let t = consensus::Target { tender_id, lot_id, bid_id, criteria: &criteria };
            consensus::record(conn, &t, &input.scores, input.correction_reason.as_deref(), &u, now)
        })
        .await?;
    let p = bid_perceel(state, user, bid_id, true).await?;
    view(&p, p.evaluation.bid(bid_id).ok_or(Error::NotFound("Inschrijving"))?)
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
    let p = perceel_fresh(state, user, tender_id, lot_id).await?;
    let r = readiness(&p);
    if !r.waiting.is_empty() {
        return Err(Error::Conflict(format!("De consensus is nog niet klaar: {}", r.waiting.join(" "))));
    }
    let ids: Vec<i64> = r.bids.iter().map(|b| b.row.id).collect();
    let criteria = scorable(&p.tender, p.lot()?);
    let (u, now, seen) = (user.clone(), state.clock.now(), p.evaluation.version);
    state
        .db
        .write(move |conn| {
            crate::db::evaluation::touch_from(conn, lot_id, seen)?;
            consensus::reveal(conn, tender_id, lot_id, &ids, &criteria, &u, now)
        })
        .await
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/lots/{lot_id}/price-reveal", tag = "evaluation", security(("bearer" = [])),
    params(("id" = i64, Path), ("lot_id" = i64, Path)),
    description = "Makes the perceel's consensus final; only then do the prices become visible and scored.",
    responses((status = 200, body = LotConsensus), (status = 409, body = Problem)))]
pub async fn post_reveal(Inkoper(user): Inkoper, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (tender_id, lot_id) = path.into_inner();
    reveal(&state, &user, tender_id, lot_id).await?;
    let p = perceel_fresh(&state, &user, tender_id, lot_id).await?;
    ok(&overview(&p)?)
}
