//! Rangorde in de browser: once a perceel's consensus is final, its ranking with quality and
//! price points, the tied groups and their draws (announced, then recorded), the evidence asked
//! of provisional winners, and every correction made since the scores were locked.

use std::collections::HashMap;

use actix_web::web;

use serde_json::{Value, json};

use super::failed::{Failed, field, fields, summary};
use super::tenders::tender_json;
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::evaluation::{opened_bid, perceel};
use crate::api::evidence_requests::{EvidenceRequestInput, request};
use crate::api::rankings::{DrawInput, DrawOutcome, LotRanking, announce, ranking, record};
use crate::auth::{Inkoper, Staff};
use crate::db::user::User;
use crate::domain::deadline::format_nl;
use crate::domain::money::format_euro;
use crate::domain::ranking::{Basis, Standing, Tie};
use crate::domain::role::Role;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

use crate::domain::money::format_decimal_nl as nl;

fn ranking_path(tender_id: i64, lot_id: i64) -> String {
    format!("/aanbestedingen/{tender_id}/percelen/{lot_id}/rangorde")
}

fn page_data(r: &LotRanking, user: &User, failed: Option<&Failed>) -> Value {
    let names: HashMap<i64, &str> = r.bidders.iter().map(|b| (b.bid_id, b.bidder.as_str())).collect();
    let name = |id: i64| names.get(&id).copied().unwrap_or("onbekend").to_owned();
    let inkoper = user.role() == Some(Role::Inkoper);
    let rows: Vec<Value> = r
        .ranking
        .bids
        .iter()
        .map(|b| {
            let asked = r.evidence_requests.iter().filter(|e| e.bid_id == b.bid_id).count();
            json!({
                "bid_id": b.bid_id, "rank": b.rank, "bidder": name(b.bid_id), "price": format_euro(b.price_cents),
                "quality": nl(b.quality, 4), "price_points": b.price_points.map(|p| nl(p, 4)),
                "fictive_price": b.fictive_price.map(|p| nl(p, 2)), "total": nl(b.total_rounded, 2),
                "standing": match b.standing { Standing::Winning => "winnaar", Standing::NotWinning => "geen winnaar", Standing::DrawDecides => "loting beslist" },
                "tied": b.tie != Tie::Untied, "winning": b.standing == Standing::Winning,
                "evidence_asked": asked, "evidence": fields(failed, &format!("bewijs-{}", b.bid_id), &["bericht", "termijn"]),
            })
        })
        .collect();
    let ties: Vec<Value> = r
        .ranking
        .ties
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let draw = r.draws.iter().find(|d| {
                let (mut a, mut b) = (d.bid_ids.clone(), g.bid_ids.clone());
                a.sort_unstable();
                b.sort_unstable();
                a == b
            });
            let key = g.bid_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            json!({
                "index": i + 1, "bidders": g.bid_ids.iter().map(|id| name(*id)).collect::<Vec<_>>().join(", "),
                "total": nl(g.total_rounded, 2), "decides_award": g.decides_award, "drawn": g.drawn,
                "places": if g.first_rank == g.last_rank { g.first_rank.to_string() } else { format!("{} tot en met {}", g.first_rank, g.last_rank) },
                "bid_ids": key, "fields": fields(failed, &format!("loting-{}", key.replace(',', "-")), &["moment", "plaats", "door"]),
                "draw": draw.map(|d| json!({
                    "id": d.id, "when": format_nl(d.scheduled_at), "place": d.place, "conducted_by": d.conducted_by,
                    "recorded": d.recorded_at.map(format_nl), "attendees": d.attendees, "witnesses": d.witnesses,
                    "order": d.outcome.as_ref().map(|o| o.iter().map(|id| name(*id)).collect::<Vec<_>>().join(", ")),
                })),
            })
        })
        .collect();
    let corrections: Vec<Value> = r
        .corrections
        .iter()
        .map(|c| json!({ "when": format_nl(c.corrected_at), "who": c.corrected_by, "what": c.kind.label(), "bidder": name(c.bid_id), "reason": c.reason }))
        .collect();
    let requests: Vec<Value> = r
        .evidence_requests
        .iter()
        .map(|e| json!({ "bidder": name(e.bid_id), "when": format_nl(e.requested_at), "due": format_nl(e.due_at), "who": e.requested_by, "message": e.message }))
        .collect();
    json!({
        "lot_id": r.lot_id, "revealed": format_nl(r.revealed_at), "inkoper": inkoper, "rows": rows, "ties": ties,
        "value_for_money": r.ranking.basis == Basis::LowestFictivePrice, "max_winners": r.ranking.max_winners,
        "award_decided": r.ranking.award_decided, "corrections": corrections, "requests": requests,
        "form": summary(failed),
    })
}

async fn page(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    tender_id: i64,
    lot_id: i64,
    failed: Option<Failed<'_>>,
) -> WebResult {
    let p = perceel(state, user, tender_id, lot_id).await?;
    let lot = p.lot()?;
    let title = format!("Perceel {}: {}", lot.number, lot.title);
    let mut data = match ranking(state, &p).await {
        Ok(r) => page_data(&r, user, failed.as_ref()),
        Err(Error::Conflict(message)) => json!({ "lot_id": lot_id, "waiting": message, "form": summary(None) }),
        Err(e) => return Err(e.into()),
    };
    if let Value::Object(map) = &mut data {
        map.insert("tender".into(), tender_json(&p.tender));
        map.insert("lot".into(), json!(title));
    }
    let status = match failed {
        Some(_) => actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        None => actix_web::http::StatusCode::OK,
    };
    Ok(ctx.render_status(status, Some(user), &format!("Rangorde {title}"), "pages/rankings/show", data))
}

pub async fn show(Staff(user): Staff, ctx: Ctx, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> WebResult {
    let (tender_id, lot_id) = path.into_inner();
    page(&ctx, &state, &user, tender_id, lot_id, None).await
}

/// Re-renders the ranking with the problems of one of its forms, or passes other errors on.
#[allow(clippy::too_many_arguments)]
async fn refused(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    (tender_id, lot_id): (i64, i64),
    form: String,
    typed: &[(String, String)],
    e: Error,
    rename: impl Fn(&str) -> String,
) -> WebResult {
    let errors = match e {
        Error::Validation(list) => list.into_iter().map(|f| FieldError::new(rename(&f.name), f.reason)).collect(),
        Error::Conflict(m) => vec![FieldError::new(rename("form"), m)],
        other => return Err(other.into()),
    };
    page(ctx, state, user, tender_id, lot_id, Some(Failed { form, typed, errors })).await
}

/// Announces a draw for the tied group named by `inschrijvingen` (its bid ids).
pub async fn announce_draw(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<Vec<(String, String)>>,
) -> WebResult {
    let pairs = form.0?;
    let (tender_id, lot_id) = path.into_inner();
    let key = field(&pairs, "inschrijvingen").to_owned();
    let input = DrawInput {
        bid_ids: key.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        scheduled_at: field(&pairs, "moment").to_owned(),
        place: field(&pairs, "plaats").to_owned(),
        conducted_by: field(&pairs, "door").to_owned(),
    };
    match announce(&state, &user, tender_id, lot_id, input).await {
        Ok(_) => Ok(redirect(
            &ranking_path(tender_id, lot_id),
            Some("De loting is aangekondigd; de betrokken inschrijvers zijn uitgenodigd."),
        )),
        Err(e) => {
            let rename = |n: &str| {
                match n {
                    "scheduled_at" => "moment",
                    "place" => "plaats",
                    "conducted_by" => "door",
                    _ => "moment",
                }
                .to_owned()
            };
            let form = format!("loting-{}", key.replace(',', "-"));
            refused(&ctx, &state, &user, (tender_id, lot_id), form, &pairs, e, rename).await
        }
    }
}

pub async fn draw_form(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
) -> WebResult {
    let (tender_id, lot_id, draw_id) = path.into_inner();
    draw_page(&ctx, &state, &user, (tender_id, lot_id, draw_id), None, &[]).await
}

async fn draw_page(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    (tender_id, lot_id, draw_id): (i64, i64, i64),
    typed: Option<&[(String, String)]>,
    errors: &[FieldError],
) -> WebResult {
    let p = perceel(state, user, tender_id, lot_id).await?;
    let r = ranking(state, &p).await?;
    let d = r.draws.iter().find(|d| d.id == draw_id).ok_or(Error::NotFound("Loting"))?;
    let names: HashMap<i64, &str> = r.bidders.iter().map(|b| (b.bid_id, b.bidder.as_str())).collect();
    let typed_value = |k: String| typed.and_then(|t| t.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()));
    let places: Vec<String> = (1..=d.bid_ids.len()).map(|n| n.to_string()).collect();
    let bids: Vec<Value> = d
        .bid_ids
        .iter()
        .map(|id| {
            let chosen = typed_value(format!("plaats_{id}")).unwrap_or_default();
            let options: Vec<Value> = places.iter().map(|n| json!({ "value": n, "selected": chosen == *n })).collect();
            json!({ "bid_id": id, "bidder": names.get(id).copied().unwrap_or("onbekend"), "options": options })
        })
        .collect();
    let values = json!({ "aanwezigen": typed_value("aanwezigen".into()).unwrap_or_default(), "getuigen": typed_value("getuigen".into()).unwrap_or_default() });
    let data = json!({
        "tender": tender_json(&p.tender), "lot_id": lot_id, "draw_id": draw_id, "when": format_nl(d.scheduled_at),
        "place": d.place, "conducted_by": d.conducted_by, "bids": bids, "recorded": d.recorded_at.is_some(),
        "form": FormView::new(values).with_errors(errors, |n| n.to_owned()),
    });
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(ctx.render_status(status, Some(user), "Uitslag loting", "pages/rankings/draw", data))
}

/// Records the outcome: `plaats_<bid>` gives each tied bid its drawn place.
pub async fn record_draw(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64, i64)>,
    form: Form<Vec<(String, String)>>,
) -> WebResult {
    let pairs = form.0?;
    let (tender_id, lot_id, draw_id) = path.into_inner();
    let mut placed: Vec<(u32, i64)> = pairs
        .iter()
        .filter_map(|(k, v)| Some((v.parse::<u32>().ok()?, k.strip_prefix("plaats_")?.parse::<i64>().ok()?)))
        .collect();
    placed.sort_unstable();
    let outcome = DrawOutcome {
        attendees: field(&pairs, "aanwezigen").to_owned(),
        witnesses: field(&pairs, "getuigen").to_owned(),
        outcome: placed.iter().map(|(_, id)| *id).collect(),
    };
    let places: Vec<u32> = placed.iter().map(|(n, _)| *n).collect();
    let mut errors = Vec::new();
    if places.windows(2).any(|w| w[0] == w[1]) {
        errors.push(FieldError::new("outcome", "Geef elke inschrijving een eigen plaats."));
    }
    if errors.is_empty() {
        match record(&state, &user, tender_id, lot_id, draw_id, outcome).await {
            Ok(_) => {
                return Ok(redirect(
                    &ranking_path(tender_id, lot_id),
                    Some("De uitslag van de loting is vastgelegd; de rangorde volgt haar."),
                ));
            }
            Err(Error::Validation(list)) => {
                let rename = |n: &str| if n == "witnesses" { "getuigen".to_owned() } else { n.to_owned() };
                errors = list.into_iter().map(|f| FieldError::new(rename(&f.name), f.reason)).collect();
            }
            Err(e) => return Err(e.into()),
        }
    }
    draw_page(&ctx, &state, &user, (tender_id, lot_id, draw_id), Some(&pairs), &errors).await
}

/// Asks a provisional winner for its evidence: `bericht` and `termijn`.
pub async fn request_evidence(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Vec<(String, String)>>,
) -> WebResult {
    let pairs = form.0?;
    let (tender_id, lot_id) = opened_bid(&state, *id).await?;
    let input = EvidenceRequestInput {
        message: field(&pairs, "bericht").to_owned(),
        due_at: field(&pairs, "termijn").to_owned(),
    };
    match request(&state, &user, *id, input).await {
        Ok(_) => Ok(redirect(
            &ranking_path(tender_id, lot_id),
            Some("De bewijsstukken zijn opgevraagd; de inschrijver heeft bericht gekregen."),
        )),
        Err(e) => {
            let rename = |n: &str| if n == "due_at" { "termijn".to_owned() } else { "bericht".to_owned() };
            refused(&ctx, &state, &user, (tender_id, lot_id), format!("bewijs-{}", *id), &pairs, e, rename).await
        }
    }
}
