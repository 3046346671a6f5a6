//! Geschiktheid in de browser: the inkoper sees every bid of a perceel with its standing, and
//! decides per knock-out with the service's proposal and its reason beside it.

use actix_web::web;
use serde_json::json;

use super::tenders::tender_json;
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::evaluation::{bid_perceel, perceel};
use crate::api::suitability::{BidSuitability, SuitabilityInput, assess, decide};
use crate::auth::Inkoper;
use crate::db::suitability::{DecisionInput, Standing};
use crate::db::user::User;
use crate::domain::suitability::Subject;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

fn standing_text(s: &Standing) -> String {
    match s {
        Standing::Open => "nog te beoordelen".into(),
        Standing::Admitted => "toegelaten".into(),
        Standing::Excluded { reasons } => format!("uitgesloten — {}", reasons.join("; ")),
    }
}

pub async fn lot(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (tender_id, lot_id) = path.into_inner();
    let p = perceel(&state, &user, tender_id, lot_id).await?;
    let lot = p.lot()?;
    let s = assess(&p);
    let bids: Vec<_> = s
        .bids
        .iter()
        .map(|b| json!({ "bid_id": b.bid_id, "bidder": b.bidder, "standing": standing_text(&b.standing) }))
        .collect();
    let data = json!({ "tender": tender_json(&p.tender), "lot": format!("Perceel {}: {}", lot.number, lot.title), "opened": s.opened, "bids": bids });
    Ok(ctx.render(Some(&user), "Geschiktheid", "pages/suitability/lot", data))
}

async fn bid_page(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    bid_id: i64,
    errors: &[FieldError],
    typed: Option<&[(String, String)]>,
) -> WebResult {
    let p = bid_perceel(state, user, bid_id, false).await?;
    let lot = p.lot()?;
    let s = assess(&p);
    let entry: BidSuitability =
        s.bids.into_iter().find(|x| x.bid_id == bid_id).ok_or(Error::NotFound("Inschrijving"))?;
    let typed_value = |name: &str| typed.and_then(|t| t.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()));
    let subjects: Vec<_> = entry
        .proposals
        .iter()
        .enumerate()
        .map(|(i, pr)| {
            let decided = entry.decisions.iter().find(|d| d.subject == pr.subject);
            let verdict = typed_value(&format!("passes_{i}")).or_else(|| decided.map(|d| if d.passes { "ja".into() } else { "nee".into() }));
            let motivation = typed_value(&format!("motivation_{i}")).or_else(|| decided.map(|d| d.motivation.clone())).unwrap_or_else(|| pr.reason.clone());
            json!({
                "index": i, "subject": pr.subject.0, "title": pr.title, "reason": pr.reason,
                "proposal": match pr.passes { Some(true) => "voldoet", Some(false) => "voldoet niet", None => "zelf beoordelen" },
                "pass": verdict.as_deref() == Some("ja"), "fail": verdict.as_deref() == Some("nee"), "motivation": motivation,
                "error": errors.iter().find(|e| e.name == format!("decisions[{i}].motivation") || e.name == format!("decisions[{i}].passes")).map(|e| e.reason.clone()),
            })
        })
        .collect();
    let data = json!({
        "tender": tender_json(&p.tender), "lot_id": lot.id, "lot": format!("Perceel {}: {}", lot.number, lot.title),
        "bid_id": bid_id, "bidder": entry.bidder, "standing": standing_text(&entry.standing), "subjects": subjects,
        "decided": !entry.decisions.is_empty(), "correction": typed_value("correctie").unwrap_or_default(),
        "correction_error": errors.iter().find(|e| e.name == "correction_reason").map(|e| e.reason.clone()),
        "form": FormView::new(json!({})).with_errors(errors, |n| n.to_owned()),
    });
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(ctx.render_status(status, Some(user), "Geschiktheid inschrijving", "pages/suitability/bid", data))
}

pub async fn bid(Inkoper(user): Inkoper, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    bid_page(&ctx, &state, &user, *id, &[], None).await
}

/// The form posts `subject_i`, `passes_i` (`ja`/`nee`) and `motivation_i` per knock-out;
/// a knock-out left without a choice is not decided yet.
pub async fn save(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Vec<(String, String)>>,
) -> WebResult {
    let pairs = form.0?;
    let value = |name: String| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.trim().to_owned());
    // Each decision with the form row it came from, so its problems land beside that row.
    let mut rows: Vec<(usize, DecisionInput)> = Vec::new();
    for i in (0..).take_while(|i| value(format!("subject_{i}")).is_some()) {
        if let Some(verdict @ ("ja" | "nee")) = value(format!("passes_{i}")).as_deref() {
            let decision = DecisionInput {
                subject: Subject(value(format!("subject_{i}")).unwrap_or_default()),
                passes: verdict == "ja",
                motivation: value(format!("motivation_{i}")).unwrap_or_default(),
            };
            rows.push((i, decision));
        }
    }
    let at: Vec<usize> = rows.iter().map(|(i, _)| *i).collect();
    let input = SuitabilityInput {
        decisions: rows.into_iter().map(|(_, d)| d).collect(),
        correction_reason: value("correctie".into()).filter(|r| !r.is_empty()),
    };
    match decide(&state, &user, *id, input).await {
        Ok(_) => Ok(redirect(
            &format!("/inschrijvingen/{}/geschiktheid", *id),
            Some("Het oordeel over de geschiktheid is vastgelegd."),
        )),
        Err(Error::Validation(found)) => {
            let problems: Vec<FieldError> = found
                .into_iter()
                .map(|f| {
                    if f.name == "correction_reason" {
                        return f;
                    }
                    let k =
                        f.name.trim_start_matches("decisions[").split(']').next().and_then(|k| k.parse::<usize>().ok());
                    let row = k.and_then(|k| at.get(k)).copied().unwrap_or(0);
                    FieldError::new(format!("decisions[{row}].motivation"), f.reason)
                })
                .collect();
            bid_page(&ctx, &state, &user, *id, &problems, Some(&pairs)).await
        }
        Err(e) => Err(e.into()),
    }
}
