//! Simulator in de browser: an inkoper types a few invented bids for a perceel and sees how the
//! published formulas, weights and rounding rule rank them — the same code as the real ranking.
//! Nothing is stored.

use actix_web::http::StatusCode;
use actix_web::web;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::form::{field_id, options};
use super::{Ctx, Form, FormView, WebResult};
use crate::api::simulations::{self, Invented, MAX_BIDS, Simulation};
use crate::api::tenders::visible;
use crate::auth::Inkoper;
use crate::db::user::User;
use crate::domain::lot::Lot;
use crate::domain::money;
use crate::domain::ranking::{Basis, Score, Setup, Standing, Tie};
use crate::domain::scale::Scale;
use crate::domain::tender::Tender;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

/// Rows offered on an empty form.
const ROWS: usize = 5;

/// One row as typed: name, price and the chosen points per criterion (in the perceel's order).
#[derive(Clone, Default)]
struct Row {
    name: String,
    price: String,
    scores: Vec<String>,
}

impl Row {
    fn is_empty(&self) -> bool {
        self.name.trim().is_empty() && self.price.trim().is_empty() && self.scores.iter().all(|s| s.is_empty())
    }
}

/// The rows of a posted form, named `bids[i].name`, `bids[i].price` and `bids[i].scores[j]`.
fn rows_of(pairs: &[(String, String)], criteria: usize) -> Vec<Row> {
    let mut rows = vec![Row { scores: vec![String::new(); criteria], ..Default::default() }; ROWS];
    for (key, value) in pairs {
        let Some((i, field)) = key.strip_prefix("bids[").and_then(|k| k.split_once("].")) else { continue };
        let Some(i) = i.parse::<usize>().ok().filter(|i| *i < MAX_BIDS) else { continue };
        if rows.len() <= i {
            rows.resize(i + 1, Row { scores: vec![String::new(); criteria], ..Default::default() });
        }
        let row = &mut rows[i];
        match field {
            "name" => row.name = value.clone(),
            "price" => row.price = value.clone(),
            _ => {
                let j = field.strip_prefix("scores[").and_then(|f| f.strip_suffix(']')).and_then(|j| j.parse().ok());
                if let Some(slot) = j.and_then(|j: usize| row.scores.get_mut(j)) {
                    *slot = value.clone();
                }
            }
        }
    }
    rows
}

/// The invented bids of the filled rows, the row each came from, and the problems of reading them.
fn read(rows: &[Row], lot: &Lot, setup: &Setup) -> (Vec<Invented>, Vec<usize>, Vec<FieldError>) {
    let (mut bids, mut from, mut p) = (Vec::new(), Vec::new(), Vec::new());
    for (i, row) in rows.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
        let name = row.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            p.push(FieldError::new(
                format!("bids[{i}].name"),
                "Geef de inschrijving een naam van hoogstens 100 tekens.",
            ));
        }
        let typed = match row.price.trim() {
            "" => Ok(None),
            text => money::parse_decimal_nl(text).map(Some),
        };
        let price_cents = typed
            .and_then(|t| simulations::price_cents(setup, t))
            .map_err(|e| p.push(FieldError::new(format!("bids[{i}].price"), e)))
            .unwrap_or(0);
        let mut scores = Vec::new();
        for (j, (c, chosen)) in lot.quality_criteria.iter().zip(&row.scores).enumerate() {
            match chosen.trim().parse::<i32>() {
                Ok(points) => scores.push(Score { criterion_id: c.id, points }),
                Err(_) => p.push(FieldError::new(format!("bids[{i}].scores[{j}]"), "Kies een score.")),
            }
        }
        bids.push(Invented { name, price_cents, scores });
        from.push(i);
    }
    if bids.is_empty() {
        p.push(FieldError::new("bids[0].name", "Vul minstens één bedachte inschrijving in."));
    }
    (bids, from, p)
}

use crate::domain::money::format_decimal_nl as nl;

/// The result table and the notices of ties, as the template shows them.
fn result_json(s: &Simulation, decimals: u32) -> Value {
    let values = s.basis == Basis::LowestFictivePrice;
    let shown = |d: Decimal| if values { format!("€ {}", nl(d, 2)) } else { nl(d, 4) };
    let bids: Vec<Value> = s
        .bids
        .iter()
        .map(|b| {
            let r = &b.result;
            let standing = match r.standing {
                Standing::Winning => "winnend",
                Standing::NotWinning => "niet winnend",
                Standing::DrawDecides => "loting beslist",
            };
            json!({
                "rank": r.rank, "name": b.name, "price": money::format_euro(r.price_cents),
                "criteria": b.criteria.iter().map(|c| json!({ "points": c.points, "score": shown(c.score) })).collect::<Vec<_>>(),
                "price_points": r.price_points.map(|p| nl(p, 4)).unwrap_or_else(|| "—".into()),
                "fictive_price": r.fictive_price.map(|f| format!("€ {}", nl(f, 2))),
                "total": if values { format!("€ {}", nl(r.total_rounded, decimals)) } else { nl(r.total_rounded, decimals) },
                "standing": standing, "tied": r.tie == Tie::DrawNeeded,
            })
        })
        .collect();
    let name = |id: i64| s.bids.iter().find(|b| b.result.bid_id == id).map(|b| b.name.clone()).unwrap_or_default();
    let ties: Vec<Value> = s
        .ties
        .iter()
        .map(|t| {
            json!({
                "names": t.bid_ids.iter().map(|id| name(*id)).collect::<Vec<_>>().join(" en "),
                "total": nl(t.total_rounded, decimals), "first": t.first_rank, "last": t.last_rank,
                "decides": t.decides_award,
            })
        })
        .collect();
    json!({ "values": values, "bids": bids, "ties": ties, "max_winners": s.max_winners })
}

fn render(
    ctx: &Ctx,
    user: &User,
    t: &Tender,
    lot: &Lot,
    rows: &[Row],
    errors: &[FieldError],
    result: Option<&Simulation>,
) -> WebResult {
    let view = FormView::new(()).with_errors(errors, |n| n.to_owned());
    let error = |name: &str| view.errors.get(name).cloned();
    let scale_of = |name: &str| t.scales.iter().find(|s| s.name == name).cloned();
    let ceiling = lot.ceiling_price.and_then(|p| money::to_cents(p).ok()).map(money::format_euro);
    let hint = match (ceiling, lot.asks_prices()) {
        (Some(c), false) => format!("Leeg laten: de vaste prijs van {c}."),
        (Some(c), true) => format!("In euro's, bijvoorbeeld 14.500,00; de plafondprijs is {c}."),
        (None, _) => "In euro's, bijvoorbeeld 14.500,00.".to_string(),
    };
    let rows_json: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let n = i + 1;
            let scores: Vec<Value> = lot
                .quality_criteria
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    let name = format!("bids[{i}].scores[{j}]");
                    let chosen = row.scores.get(j).map(String::as_str).unwrap_or_default();
                    let steps = scale_of(&c.scale).map(|s: Scale| s.steps).unwrap_or_default();
                    let texts: Vec<(String, String)> =
                        steps.iter().map(|s| (s.points.to_string(), format!("{} – {}", s.points, s.descriptor))).collect();
                    let mut choices = vec![("", "— kies een score —")];
                    choices.extend(texts.iter().map(|(v, t)| (v.as_str(), t.as_str())));
                    json!({
                        "id": field_id(&name), "name": name, "error": error(&name), "options": options(choices, chosen),
                        "label": format!("Criterium {}: {}", j + 1, c.title),
                    })
                })
                .collect();
            let (name, price) = (format!("bids[{i}].name"), format!("bids[{i}].price"));
            json!({
                "number": n, "scores": scores,
                "name": { "id": field_id(&name), "name": name, "value": row.name, "error": error(&name), "label": format!("Naam van inschrijving {n}") },
                "price": { "id": field_id(&price), "name": price, "value": row.price, "error": error(&price), "label": format!("Prijs per traject van inschrijving {n}") },
            })
        })
        .collect();
    let criteria: Vec<Value> = lot
        .quality_criteria
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let weight = match c.value {
                Some(v) => money::to_cents(v).map(money::format_euro).unwrap_or_default(),
                None => money::percent_to_bp(c.weight_percent).map(money::format_percent).unwrap_or_default(),
            };
            json!({ "number": j + 1, "title": c.title, "scale": c.scale, "weight": weight })
        })
        .collect();
    let data = json!({
        "form": view, "rows": rows_json, "criteria": criteria, "price_hint": hint,
        "heading": format!("Simulator perceel {}: {}", lot.number, lot.title),
        "action": format!("/aanbestedingen/{}/percelen/{}/simulator", t.id, lot.id),
        "back": format!("/aanbestedingen/{}#perceel-{}", t.id, lot.id),
        "formula": lot.price.description, "formula_label": lot.price.formula.label(),
        "price_weight": money::percent_to_bp(lot.price.weight_percent).map(money::format_percent).unwrap_or_default(),
        "rounding": t.rounding.describe(), "max_winners": lot.max_winners,
        "result": result.map(|s| result_json(s, t.rounding.decimals)),
    });
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(ctx.render_status(status, Some(user), "Simulator", "pages/simulator/show", data))
}

fn lot_of(t: &Tender, lot_id: i64) -> Result<Lot, Error> {
    t.lots.iter().find(|l| l.id == lot_id).cloned().ok_or(Error::NotFound("Perceel"))
}

pub async fn show(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (tender_id, lot_id) = path.into_inner();
    let t = visible(&state, Some(&user), tender_id).await?;
    let lot = lot_of(&t, lot_id)?;
    simulations::setup(&t, &lot)?;
    render(&ctx, &user, &t, &lot, &rows_of(&[], lot.quality_criteria.len()), &[], None)
}

pub async fn simulate(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<Vec<(String, String)>>,
) -> WebResult {
    let pairs = form.0?;
    let (tender_id, lot_id) = path.into_inner();
    let t = visible(&state, Some(&user), tender_id).await?;
    let lot = lot_of(&t, lot_id)?;
    let setup = simulations::setup(&t, &lot)?;
    let rows = rows_of(&pairs, lot.quality_criteria.len());
    let (bids, from, problems) = read(&rows, &lot, &setup);
    if !problems.is_empty() {
        return render(&ctx, &user, &t, &lot, &rows, &problems, None);
    }
    let field = |k: usize, p: &crate::domain::ranking::Problem| {
        let row = from.get(k).copied().unwrap_or(0);
        match simulations::criterion_of(p).and_then(|c| lot.quality_criteria.iter().position(|q| q.id == c)) {
            Some(j) => format!("bids[{row}].scores[{j}]"),
            None => format!("bids[{row}].price"),
        }
    };
    match simulations::run(&t, &lot, &setup, bids, field) {
        Ok(s) => render(&ctx, &user, &t, &lot, &rows, &[], Some(&s)),
        Err(Error::Validation(list)) => render(&ctx, &user, &t, &lot, &rows, &list, None),
        Err(e) => Err(e.into()),
    }
}
