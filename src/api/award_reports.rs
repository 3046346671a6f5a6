//! Gunningsrapportage via de API: what goes in the award report's cells, gathered from the
//! tender, each perceel's evaluation and ranking, the award decisions and the audit log; the
//! same workbook for the web page, the API and the command line.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use rust_decimal::prelude::ToPrimitive;

use super::ApiResult;
use super::award_report_scores;
use super::evaluation::Perceel;
use super::problem::Problem;
use super::rankings::{LotRanking, ranking};
use crate::auth::Staff;
use crate::db::award::{self, Decision};
use crate::db::snapshot::Snapshot;
use crate::domain::money;
use crate::domain::ranking::Standing;
use crate::errors::Error;
use crate::excel::award_report::{Cell, ChartSpec, Column, Kind, Report, Sheet};
use crate::state::AppState;

use crate::excel::XLSX;
/// The newest entries of the tender's file that the Logboek shows.
pub const LOG_ENTRIES: i64 = 1_000;

pub fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn number(d: rust_decimal::Decimal) -> Cell {
    d.to_f64().map(Cell::Number).unwrap_or(Cell::Empty)
}

fn euros(cents: i64) -> Cell {
    number(money::from_cents(cents))
}

/// The price's difference to the ceiling price, as a fraction of the ceiling.
fn to_ceiling(cents: i64, ceiling: Option<rust_decimal::Decimal>) -> Cell {
    match ceiling.and_then(|c| money::to_cents(c).ok()).filter(|c| *c > 0) {
        Some(c) => Cell::Number((cents - c) as f64 / c as f64),
        None => Cell::Empty,
    }
}

/// One perceel as the report reads it.
struct Lot {
    p: Perceel,
    ranking: Option<LotRanking>,
    decisions: Vec<Decision>,
}

/// One perceel's evaluation, ranking (once the prices are visible) and award decisions.
async fn load_lot(state: &AppState, t: std::sync::Arc<Snapshot>, lot_id: i64) -> Result<Lot, Error> {
    let evaluation = state.evaluations.get(&state.db, &state.master_key, t.clone(), lot_id).await?;
    let p = Perceel { tender: t, lot_id, evaluation };
    let ranking = match p.evaluation.revealed_at {
        Some(_) => Some(ranking(state, &p).await?),
        None => None,
    };
    let decisions = state.db.read(move |conn| award::of_lot(conn, lot_id)).await?;
    Ok(Lot { p, ranking, decisions })
}

/// Every cell of the tender's award report.
pub async fn gather(state: &AppState, tender_id: i64) -> Result<Report, Error> {
    let t = state.snapshots.get(&state.db, tender_id).await?.ok_or(Error::NotFound("Aanbesteding"))?;
    // The percelen load side by side, each a read of its own (scores, bids, prices), and the
    // file beside them.
    let lots = futures_util::future::try_join_all(t.lots.iter().map(|lot| load_lot(state, t.clone(), lot.id)));
    let file = state.db.read(move |conn| {
        let opened = crate::db::opening::state(conn, tender_id)?.opened_at;
        Ok((opened, crate::db::audit::excerpt(conn, tender_id, LOG_ENTRIES)?))
    });
    let (lots, (opened, log)) = futures_util::future::try_join(lots, file).await?;
    web::block(move || {
        let title = |what: &str| format!("{what} — {} ({})", t.title, t.reference);
        let perceelen: Vec<&Perceel> = lots.iter().map(|l| &l.p).collect();
        // The Scores sheet, a row per bid and criterion, is made beside all the others.
        std::thread::scope(|scope| {
            let scores = scope.spawn(|| award_report_scores::scores(&perceelen, title("Scores")));
            let log_rows = log
                .into_iter()
                .map(|e| {
                    let e = e.entry;
                    vec![Cell::DateTime(e.at), text(e.actor), text(e.action), text(e.subject)]
                })
                .collect();
            let log = Sheet {
                name: "Logboek".into(),
                title: title(&format!("Logboek (de laatste {LOG_ENTRIES} regels)")),
                columns: vec![
                    Column::new("Tijdstip (UTC)", Kind::DateTime, 18.0),
                    Column::new("Wie", Kind::Text, 40.0),
                    Column::new("Actie", Kind::Text, 24.0),
                    Column::new("Onderwerp", Kind::Text, 60.0),
                ],
                rows: log_rows,
                chart: None,
            };
            let mut sheets = vec![summary(&lots, title("Samenvatting")), rank_sheet(&lots, title("Rangorde"))];
            let rest = [
                prices(&lots, title("Prijzen")),
                award_report_scores::suitability(&perceelen, title("Geschiktheid")),
                timeline(&t, opened, &lots, title("Tijdlijn")),
                log,
            ];
            sheets.push(scores.join().map_err(|_| Error::Internal("gunningsrapportage: Scores mislukt".into()))?);
            sheets.extend(rest);
            Ok(Report { sheets })
        })
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
}

pub fn lot_name(p: &Perceel) -> String {
    p.lot().map(|l| format!("{}: {}", l.number, l.title)).unwrap_or_default()
}

pub fn names(p: &Perceel) -> HashMap<i64, String> {
    p.evaluation.bids.iter().map(|b| (b.row.id, b.bidder())).collect()
}

fn summary(lots: &[Lot], title: String) -> Sheet {
    let rows = lots
        .iter()
        .map(|l| {
            let lot = l.p.lot().ok();
            let names = names(&l.p);
            let current = l.decisions.iter().rev().find(|d| d.status != crate::domain::award::AwardStatus::Withdrawn);
            let best = l.ranking.as_ref().and_then(|r| r.ranking.bids.first());
            let winners: Vec<String> = match current {
                Some(d) => d.winner_bid_ids.iter().filter_map(|id| names.get(id).cloned()).collect(),
                None => Vec::new(),
            };
            let status = match (current, &l.ranking) {
                (Some(d), _) if d.winner_bid_ids.is_empty() => {
                    format!("niet gegund ({}): {}", d.status.label(), d.not_awarded_reason)
                }
                (Some(d), _) => d.status.label().to_owned(),
                (None, Some(_)) => "rangorde bekend, nog geen voornemen".into(),
                (None, None) => "nog in beoordeling".into(),
            };
            vec![
                text(lot_name(&l.p)),
                text(lot.map(|l| l.learning_route_name.clone()).unwrap_or_default()),
                Cell::Number(l.p.evaluation.bids.len() as f64),
                text(winners.join(", ")),
                best.map(|b| number(b.total_rounded)).unwrap_or(Cell::Empty),
                best.map(|b| euros(b.price_cents)).unwrap_or(Cell::Empty),
                lot.and_then(|l| l.ceiling_price).map(number).unwrap_or(Cell::Empty),
                best.map(|b| to_ceiling(b.price_cents, lot.and_then(|l| l.ceiling_price))).unwrap_or(Cell::Empty),
                text(status),
            ]
        })
        .collect();
    Sheet {
        name: "Samenvatting".into(),
        title,
        columns: vec![
            Column::new("Perceel", Kind::Text, 32.0),
            Column::new("Leerroute", Kind::Text, 18.0),
            Column::new("Inschrijvingen", Kind::Integer, 14.0),
            Column::new("Winnaar(s)", Kind::Text, 36.0),
            Column::new("Totaalscore nr. 1", Kind::Number, 16.0),
            Column::new("Prijs nr. 1", Kind::Euro, 14.0),
            Column::new("Plafondprijs", Kind::Euro, 14.0),
            Column::new("Verschil met plafond", Kind::Percent, 18.0),
            Column::new("Status", Kind::Text, 44.0),
        ],
        rows,
        chart: Some(ChartSpec {
            title: "Totaalscore per perceel".into(),
            series: "Totaalscore nr. 1".into(),
            category_col: 0,
            value_col: 4,
        }),
    }
}

fn rank_sheet(lots: &[Lot], title: String) -> Sheet {
    let mut rows = Vec::new();
    for l in lots {
        let (Some(r), names) = (&l.ranking, names(&l.p)) else { continue };
        for b in &r.ranking.bids {
            rows.push(vec![
                text(lot_name(&l.p)),
                Cell::Number(f64::from(b.rank)),
                text(names.get(&b.bid_id).cloned().unwrap_or_default()),
                number(b.quality),
                b.price_points.map(number).unwrap_or(Cell::Empty),
                number(b.total_rounded),
                euros(b.price_cents),
                text(match b.standing {
                    Standing::Winning => "winnaar",
                    Standing::NotWinning => "niet gewonnen",
                    Standing::DrawDecides => "loting beslist",
                }),
            ]);
        }
    }
    Sheet {
        name: "Rangorde".into(),
        title,
        columns: vec![
            Column::new("Perceel", Kind::Text, 32.0),
            Column::new("Plaats", Kind::Integer, 8.0),
            Column::new("Inschrijver", Kind::Text, 36.0),
            Column::new("Kwaliteit", Kind::Number, 12.0),
            Column::new("Prijspunten", Kind::Number, 12.0),
            Column::new("Totaal (afgerond)", Kind::Number, 16.0),
            Column::new("Prijs per traject", Kind::Euro, 16.0),
            Column::new("Uitkomst", Kind::Text, 16.0),
        ],
        rows,
        chart: None,
    }
}

fn prices(lots: &[Lot], title: String) -> Sheet {
    let mut rows = Vec::new();
    for l in lots {
        let (Some(r), names) = (&l.ranking, names(&l.p)) else { continue };
        let ceiling = l.p.lot().ok().and_then(|lot| lot.ceiling_price);
        let mut bids: Vec<_> = r.ranking.bids.iter().collect();
        bids.sort_by_key(|b| (b.price_cents, b.bid_id));
        for b in bids {
            rows.push(vec![
                text(lot_name(&l.p)),
                text(names.get(&b.bid_id).cloned().unwrap_or_default()),
                euros(b.price_cents),
                ceiling.map(number).unwrap_or(Cell::Empty),
                to_ceiling(b.price_cents, ceiling),
                b.price_points.map(number).unwrap_or(Cell::Empty),
            ]);
        }
    }
    Sheet {
        name: "Prijzen".into(),
        title,
        columns: vec![
            Column::new("Perceel", Kind::Text, 32.0),
            Column::new("Inschrijver", Kind::Text, 36.0),
            Column::new("Prijs per traject", Kind::Euro, 16.0),
            Column::new("Plafondprijs", Kind::Euro, 14.0),
            Column::new("Verschil met plafond", Kind::Percent, 18.0),
            Column::new("Prijspunten", Kind::Number, 12.0),
        ],
        rows,
        chart: None,
    }
}

fn timeline(t: &Snapshot, opened: Option<chrono::DateTime<chrono::Utc>>, lots: &[Lot], title: String) -> Sheet {
    let mut events: Vec<(chrono::DateTime<chrono::Utc>, String, String)> = Vec::new();
    let mut add = |at: Option<chrono::DateTime<chrono::Utc>>, what: &str, lot: &str| {
        if let Some(at) = at {
            events.push((at, what.to_owned(), lot.to_owned()));
        }
    };
    add(t.published_at, "Gepubliceerd", "");
    add(Some(t.question_deadline), "Sluiting vragen", "");
    add(Some(t.submission_deadline), "Sluiting inschrijving", "");
    add(opened, "Kluis geopend", "");
    for l in lots {
        let name = lot_name(&l.p);
        add(l.p.evaluation.revealed_at, "Prijzen zichtbaar (consensus definitief)", &name);
        for d in &l.decisions {
            add(Some(d.proposed_at), &format!("Voornemen {} voorgesteld door {}", d.id, d.proposed_by), &name);
            add(d.approved_at, &format!("Voornemen {} goedgekeurd", d.id), &name);
            add(d.sent_at, &format!("Voornemen {}: brieven verzonden", d.id), &name);
            let last = d.standstill_last_day.clone().unwrap_or_default();
            add(d.standstill_ends_at, &format!("Einde Alcatel-termijn (laatste dag {last})"), &name);
            for o in &d.objections {
                let kind = if o.kort_geding { "Kort geding" } else { "Bezwaar" };
                add(Some(o.lodged_at), &format!("{kind} {} ingediend", o.id), &name);
                add(o.lifted_at, &format!("Opschorting door {} opgeheven", o.id), &name);
            }
            add(d.definitive_at, "Definitief gegund", &name);
            add(d.withdrawn_at, &format!("Voornemen {} ingetrokken: {}", d.id, d.withdrawn_reason), &name);
        }
    }
    events.sort_by_key(|e| e.0);
    Sheet {
        name: "Tijdlijn".into(),
        title,
        columns: vec![
            Column::new("Tijdstip (UTC)", Kind::DateTime, 18.0),
            Column::new("Gebeurtenis", Kind::Text, 60.0),
            Column::new("Perceel", Kind::Text, 32.0),
        ],
        rows: events
            .into_iter()
            .map(|(at, what, lot)| vec![Cell::DateTime(at.naive_utc()), text(what), text(lot)])
            .collect(),
        chart: None,
    }
}

/// The report as a download named after the tender.
pub async fn download(state: &AppState, tender_id: i64) -> Result<HttpResponse, Error> {
    let report = gather(state, tender_id).await?;
    let reference = state.snapshots.get(&state.db, tender_id).await?.map(|t| t.reference.clone()).unwrap_or_default();
    let bytes = web::block(move || crate::excel::award_report::write(&report))
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
    Ok(super::download::attachment(&format!("gunningsrapportage-{reference}.xlsx"), XLSX, bytes))
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/award-report", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path)),
    description = "The award report (xlsx): Samenvatting, Rangorde, Scores, Prijzen, Geschiktheid, Tijdlijn and Logboek.",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "the workbook"),
              (status = 404, body = Problem)))]
pub async fn get(Staff(user): Staff, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    super::tenders::visible(&state, Some(&user), *id).await?;
    Ok(download(&state, *id).await?)
}
