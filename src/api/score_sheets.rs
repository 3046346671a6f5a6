//! Scoreformulier via de API: an appointed beoordelaar scores each quality criterion of an
//! admitted bid, with a motivation, never seeing its prices nor another assessor's scores;
//! with anonymous evaluation the bid carries a code instead of its bidder's name.

use actix_web::web;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::evaluation::{Perceel, bid_perceel};
use super::problem::Problem;
use super::{ApiResult, Json, ok};
use crate::auth::Beoordelaar;
use crate::db::bid::BidRow;
use crate::db::evaluation;
use crate::db::score::{self, Scorable, Score, ScoreInput};
use crate::db::user::User;
use crate::domain::bid::BidContent;
use crate::domain::scale::ScaleStep;
use crate::domain::suitability::Proposal;
use crate::errors::Error;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct SheetCriterion {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub steps: Vec<ScaleStep>,
    /// The bidder's answer to this criterion.
    pub answer: String,
}

#[derive(Serialize, ToSchema)]
pub struct SheetDocument {
    pub id: i64,
    pub name: String,
    pub size: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ScoreSheet {
    pub bid_id: i64,
    pub tender_id: i64,
    pub lot_id: i64,
    /// The bidder's name, or `Inschrijving A` with anonymous evaluation.
    pub label: String,
    pub lot: String,
    pub criteria: Vec<SheetCriterion>,
    /// The bid's documents; the prijzenblad is not among them.
    pub documents: Vec<SheetDocument>,
    /// The caller's own scores; nobody else's.
    pub scores: Vec<Score>,
    pub locked: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoresInput {
    pub scores: Vec<ScoreInput>,
    /// Once locked, scores change only through a correction with this reason.
    #[serde(default)]
    pub correction_reason: Option<String>,
}

/// A bid the caller may score: appointed, declared without a conflict, the bid admitted.
pub struct Scoring {
    pub tender_id: i64,
    pub lot_id: i64,
    /// What the service proposes on the bid's knock-outs, for checking the standing again.
    pub proposals: Vec<Proposal>,
    pub sheet: ScoreSheet,
    pub criteria: Vec<Scorable>,
}

/// What a bid's label is for an assessor.
pub fn label(anonymous: bool, b: &BidRow, content: &BidContent) -> String {
    match (&b.code, anonymous) {
        (Some(code), true) => format!("Inschrijving {code}"),
        (None, true) => format!("Inschrijving {}", b.id),
        _ => content.members.first().map(|m| m.company_name.clone()).unwrap_or_default(),
    }
}

/// The perceel of a bid the caller may score, as far as its evaluation in memory tells. A write
/// checks again, in its transaction, that the caller may score the bid ([`evaluation::may_score`]).
pub async fn scorable(state: &AppState, user: &User, bid_id: i64) -> Result<Perceel, Error> {
    let p = bid_perceel(state, user, bid_id, false).await?;
    let e = &p.evaluation;
    let b = e.bid(bid_id).ok_or(Error::NotFound("Inschrijving"))?;
    if let Some(r) =
        evaluation::refusal(e.is_member(user.id), e.declarations.get(&(bid_id, user.id)).copied(), &b.standing)
    {
        return Err(r.into());
    }
    Ok(p)
}

/// The caller's score sheet of a bid of a perceel from [`scorable`].
pub fn scoring(p: &Perceel, user: &User, bid_id: i64) -> Result<Scoring, Error> {
    let e = &p.evaluation;
    let b = e.bid(bid_id).ok_or(Error::NotFound("Inschrijving"))?;
    let lot = p.lot()?;
    let criteria: Vec<SheetCriterion> = lot
        .quality_criteria
        .iter()
        .map(|q| SheetCriterion {
            id: q.id,
            title: q.title.clone(),
            description: q.description.clone(),
            steps: p.tender.scales.iter().find(|s| s.name == q.scale).map(|s| s.steps.clone()).unwrap_or_default(),
            answer: b.content.answers.get(&q.id).cloned().unwrap_or_default(),
        })
        .collect();
    let scorable = criteria
        .iter()
        .map(|c| Scorable {
            criterion_id: c.id,
            title: c.title.clone(),
            steps: c.steps.iter().map(|s| s.points).collect(),
        })
        .collect();
    let scores = e.scores.get(&(bid_id, user.id)).cloned().unwrap_or_default();
    let sheet = ScoreSheet {
        bid_id,
        tender_id: p.tender.id,
        lot_id: p.lot_id,
        label: label(p.tender.anonymous_evaluation, &b.row, &b.content),
        lot: format!("Perceel {}: {}", lot.number, lot.title),
        criteria,
        documents: b.documents.iter().map(|f| SheetDocument { id: f.id, name: f.name.clone(), size: f.size }).collect(),
        locked: scores.iter().any(|s| s.locked_at.is_some()),
        scores,
    };
    Ok(Scoring { tender_id: p.tender.id, lot_id: p.lot_id, proposals: b.proposals.clone(), sheet, criteria: scorable })
}

#[utoipa::path(get, path = "/api/v1/bids/{bid_id}/score-sheet", tag = "evaluation", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    responses((status = 200, body = ScoreSheet), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn get(Beoordelaar(user): Beoordelaar, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let p = scorable(&state, &user, *id).await?;
    // An assessor's sheet is the same until the evaluation changes: made once per version.
    let json = p.evaluation.rendered(format!("api:score-sheet:{}:{}", *id, user.id), || {
        serde_json::to_vec(&scoring(&p, &user, *id)?.sheet).map_err(|e| Error::Internal(e.to_string()))
    })?;
    Ok(actix_web::HttpResponse::Ok().content_type("application/json").body(json))
}

/// Saves the caller's draft scores of the bid; once locked, corrects them with the reason given.
pub async fn save(state: &AppState, user: &User, bid_id: i64, input: ScoresInput) -> Result<ScoreSheet, Error> {
    let s = scoring(&scorable(state, user, bid_id).await?, user, bid_id)?;
    let (u, now, list) = (user.clone(), state.clock.now(), input.scores);
    let (tender_id, lot_id, reason, locked) = (s.tender_id, s.lot_id, input.correction_reason, s.sheet.locked);
    state
        .db
        .write(move |conn| {
            evaluation::may_score(conn, lot_id, bid_id, u.id, &s.proposals)?;
            if locked {
                let l = score::Locked { tender_id, lot_id, bid_id, assessor: &u, criteria: &s.criteria };
                score::correct(conn, &l, &list, reason.as_deref(), now).map(|_| ())
            } else {
                score::save(conn, bid_id, &u, &s.criteria, &list, now)
            }
        })
        .await?;
    Ok(scoring(&scorable(state, user, bid_id).await?, user, bid_id)?.sheet)
}

/// Locks the caller's scores of the bid; answers with the hash recorded in the audit log.
pub async fn lock(state: &AppState, user: &User, bid_id: i64) -> Result<String, Error> {
    let s = scoring(&scorable(state, user, bid_id).await?, user, bid_id)?;
    let (u, now, tender_id, lot_id) = (user.clone(), state.clock.now(), s.tender_id, s.lot_id);
    state
        .db
        .write(move |conn| {
            evaluation::may_score(conn, lot_id, bid_id, u.id, &s.proposals)?;
            score::lock(conn, tender_id, bid_id, &u, &s.criteria, now)
        })
        .await
}

#[utoipa::path(put, path = "/api/v1/bids/{bid_id}/scores", tag = "evaluation", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    request_body = ScoresInput, description = "Saves a draft; motivations may still be empty. Once locked, the whole set is corrected \
        with a `correction_reason`, recorded with what it was before, until the perceel's consensus is final.",
    responses((status = 200, body = ScoreSheet), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    Beoordelaar(user): Beoordelaar,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<ScoresInput>,
) -> ApiResult {
    let input = body.0?;
    ok(&save(&state, &user, *id, input).await?)
}

#[derive(Serialize, ToSchema)]
pub struct Locked {
    /// SHA-256 of the locked scores, as the audit log records it.
    pub sha256: String,
}

#[utoipa::path(post, path = "/api/v1/bids/{bid_id}/scores/lock", tag = "evaluation", security(("bearer" = [])), params(("bid_id" = i64, Path)),
    description = "Vastleggen: every criterion scored and motivated; from then on only a recorded correction changes it.",
    responses((status = 200, body = Locked), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn post_lock(Beoordelaar(user): Beoordelaar, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    ok(&Locked { sha256: lock(&state, &user, *id).await? })
}
