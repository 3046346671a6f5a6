//! Gunningsbrieven via de API: the letters of a decision composed from the perceel's ranking and
//! consensus, and the bidder's own letters in the portal.

use std::collections::HashMap;

use actix_web::web;

use super::evaluation::Perceel;
use super::rankings::LotRanking;
use super::{ApiResult, ok};
use crate::auth::Aanbieder;
use crate::db::award::Decision;
use crate::db::award_letter::{self, Outgoing, StoredLetter};
use crate::db::suitability::Standing;
use crate::domain::award_letter::{Letter, LetterCriterion, LetterResult, WinnerScore, WinnerTotal};
use crate::domain::money::format_decimal_nl as nl;
use crate::domain::ranking::{CriterionResult, Setup, criterion_results};
use crate::errors::Error;
use crate::state::AppState;

/// How to object, as every letter says it.
fn objection_route(public_url: &str, last_day: &str) -> String {
    format!(
        "Bent u het niet eens met dit voornemen, dan kunt u tot en met {last_day} bezwaar maken via het portaal \
         ({public_url}/brieven) of bij de inkoper. Wilt u de gunning laten toetsen door de rechter, dan moet u \
         binnen dezelfde termijn een kort geding aanhangig maken; anders kunt u later niet meer opkomen tegen \
         deze beslissing."
    )
}

/// The letter to every submitted bid of the perceel, about decision `d`: with the ranking `r`
/// when the perceel is awarded, without when it is not. Refused while a bid's suitability is open.
pub fn compose(state: &AppState, p: &Perceel, r: Option<&LotRanking>, d: &Decision) -> Result<Vec<Outgoing>, Error> {
    let lot = p.lot()?;
    let setup = Setup::of(lot, &p.tender.scales, p.tender.rounding).map_err(Error::Internal)?;
    let standstill = d.standstill();
    let last_day = d.standstill_last_day.clone().unwrap_or_default();
    let names: HashMap<i64, String> = p.evaluation.bids.iter().map(|b| (b.row.id, b.bidder())).collect();
    let winners: Vec<String> = d.winner_bid_ids.iter().map(|id| names.get(id).cloned().unwrap_or_default()).collect();
    let motivations: HashMap<(i64, i64), &str> =
        p.evaluation.consensus.iter().map(|c| ((c.bid_id, c.criterion_id), c.external_motivation.as_str())).collect();
    let results = |bid_id: i64| -> Result<Option<(Vec<CriterionResult>, usize)>, Error> {
        let Some(r) = r else { return Ok(None) };
        let Some(input) = r.inputs.iter().find(|i| i.bid_id == bid_id) else { return Ok(None) };
        let at = r.ranking.bids.iter().position(|b| b.bid_id == bid_id).unwrap_or_default();
        criterion_results(&setup, input)
            .map(|c| Some((c, at)))
            .map_err(|e| Error::Internal(e.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(" ")))
    };
    // Every winner's results, in the order of the ranking. A winner without them (no longer
    // ranked, or scored on fewer criteria) stops every letter: none may leave it out.
    let mut winner_results = Vec::new();
    if r.is_some() {
        for w in &d.winner_bid_ids {
            match results(*w)? {
                Some(found) if found.0.len() == lot.quality_criteria.len() => winner_results.push((*w, found)),
                _ => {
                    return Err(Error::Conflict(format!(
                        "De winnende inschrijving van {} staat niet (volledig) in de rangorde.",
                        names.get(w).cloned().unwrap_or_default()
                    )));
                }
            }
        }
    }
    winner_results.sort_by_key(|(_, (_, at))| *at);
    let mut letters = Vec::new();
    for b in &p.evaluation.bids {
        let bid_id = b.row.id;
        let mut letter = Letter {
            bidder: b.bidder(),
            tender: p.tender.title.clone(),
            reference: p.tender.reference.clone(),
            lot: format!("perceel {} ({})", lot.number, lot.title),
            winners: winners.clone(),
            wins: d.winner_bid_ids.contains(&bid_id),
            result: None,
            exclusion: Vec::new(),
            last_day: last_day.clone(),
            last_day_moved: standstill.as_ref().and_then(|s| s.moved_past.clone()),
            standstill_days: d.standstill_days,
            objection_route: objection_route(&state.settings.public_url, &last_day),
            not_awarded_reason: d.not_awarded_reason.clone(),
        };
        match &b.standing {
            Standing::Open => {
                return Err(Error::Conflict(format!(
                    "De geschiktheid van de inschrijving van {} is nog niet beoordeeld.",
                    b.bidder()
                )));
            }
            Standing::Excluded { reasons } => letter.exclusion = reasons.clone(),
            Standing::Admitted if d.winner_bid_ids.is_empty() => {}
            Standing::Admitted => {
                let (Some(r), Some((own, at))) = (r, results(bid_id)?) else {
                    return Err(Error::Conflict(format!(
                        "De inschrijving van {} staat niet in de rangorde.",
                        b.bidder()
                    )));
                };
                let others: Vec<_> = winner_results.iter().filter(|(w, _)| *w != bid_id).collect();
                let motivation =
                    |bid: i64, criterion: i64| motivations.get(&(bid, criterion)).copied().unwrap_or_default();
                let criteria = lot
                    .quality_criteria
                    .iter()
                    .zip(own.iter())
                    .enumerate()
                    .map(|(k, (c, o))| LetterCriterion {
                        name: c.title.clone(),
                        weight: format!("{}%", nl(c.weight_percent, 0)),
                        own_points: o.points.to_string(),
                        own_score: nl(o.score, 2),
                        own_motivation: motivation(bid_id, c.id).to_owned(),
                        winners: others
                            .iter()
                            .filter_map(|(w, (theirs, _))| theirs.get(k).map(|t| (w, t)))
                            .map(|(w, t)| WinnerScore {
                                winner: names.get(w).cloned().unwrap_or_default(),
                                points: t.points.to_string(),
                                score: nl(t.score, 2),
                                motivation: motivation(*w, c.id).to_owned(),
                            })
                            .collect(),
                    })
                    .collect();
                let mine = &r.ranking.bids[at];
                letter.result = Some(LetterResult {
                    rank: mine.rank,
                    total: nl(mine.total_rounded, 2),
                    price_points: mine.price_points.map(|v| nl(v, 2)).unwrap_or_default(),
                    winners: others
                        .iter()
                        .map(|(w, (_, w_at))| {
                            let best = &r.ranking.bids[*w_at];
                            WinnerTotal {
                                winner: names.get(w).cloned().unwrap_or_default(),
                                total: nl(best.total_rounded, 2),
                                price_points: best.price_points.map(|v| nl(v, 2)).unwrap_or_default(),
                            }
                        })
                        .collect(),
                    criteria,
                });
            }
        }
        letters.push(Outgoing { bid_id, letter });
    }
    Ok(letters)
}

#[utoipa::path(get, path = "/api/v1/award-letters", tag = "award", security(("bearer" = [])),
    description = "The award letters to the caller's company, the newest first.",
    responses((status = 200, body = Vec<StoredLetter>)))]
pub async fn mine(Aanbieder(user): Aanbieder, state: web::Data<AppState>) -> ApiResult {
    let company = user.company_id.unwrap_or_default();
    ok(&state.db.read(move |conn| award_letter::of_company(conn, company)).await?)
}
