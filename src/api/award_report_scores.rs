//! Gunningsrapportage, the sheets per bid and criterion: every locked individual score beside
//! the consensus and its spread, and every suitability decision with its motivation.

use std::collections::HashMap;

use super::award_reports::{lot_name, text};
use super::evaluation::Perceel;
use crate::excel::award_report::{Cell, Column, Kind, Sheet};

/// Individual (locked) scores per assessor, consensus and spread, per admitted bid and criterion.
pub fn scores(perceelen: &[&Perceel], title: String) -> Sheet {
    let assessors = perceelen.iter().map(|p| p.evaluation.members.len()).max().unwrap_or(0);
    let mut rows = Vec::new();
    for p in perceelen {
        let Ok(lot) = p.lot() else { continue };
        let name = lot_name(p);
        let consensus: HashMap<(i64, i64), i32> =
            p.evaluation.consensus.iter().map(|c| ((c.bid_id, c.criterion_id), c.points)).collect();
        for b in p.evaluation.admitted() {
            let bidder = b.bidder();
            for c in &lot.quality_criteria {
                let mut row = vec![text(name.clone()), text(bidder.clone()), text(c.title.clone())];
                let mut given = Vec::new();
                for m in &p.evaluation.members {
                    let points = p
                        .evaluation
                        .scores
                        .get(&(b.row.id, m.user_id))
                        .and_then(|s| s.iter().find(|s| s.criterion_id == c.id && s.locked_at.is_some()))
                        .map(|s| s.points);
                    given.extend(points);
                    row.push(points.map(|x| Cell::Number(f64::from(x))).unwrap_or(Cell::Empty));
                }
                row.resize(3 + assessors, Cell::Empty);
                row.push(consensus.get(&(b.row.id, c.id)).map(|x| Cell::Number(f64::from(*x))).unwrap_or(Cell::Empty));
                let spread =
                    given.iter().max().zip(given.iter().min()).map(|(hi, lo)| Cell::Number(f64::from(hi - lo)));
                row.push(spread.unwrap_or(Cell::Empty));
                rows.push(row);
            }
        }
    }
    let mut columns = vec![
        Column::new("Perceel", Kind::Text, 32.0),
        Column::new("Inschrijver", Kind::Text, 36.0),
        Column::new("Criterium", Kind::Text, 36.0),
    ];
    columns.extend((1..=assessors).map(|i| Column::new(format!("Beoordelaar {i}"), Kind::Integer, 13.0)));
    columns.push(Column::new("Consensus", Kind::Integer, 11.0));
    columns.push(Column::new("Spreiding", Kind::Integer, 10.0));
    Sheet { name: "Scores".into(), title, columns, rows, chart: None }
}

/// Every recorded suitability decision, with the title of what was judged.
pub fn suitability(perceelen: &[&Perceel], title: String) -> Sheet {
    let mut rows = Vec::new();
    for p in perceelen {
        let name = lot_name(p);
        for b in &p.evaluation.bids {
            for d in &b.decisions {
                let what = b.proposals.iter().find(|x| x.subject == d.subject).map(|x| x.title.clone());
                rows.push(vec![
                    text(name.clone()),
                    text(b.bidder()),
                    text(what.unwrap_or_else(|| d.subject.0.clone())),
                    text(if d.passes { "voldoet" } else { "voldoet niet" }),
                    text(d.motivation.clone()),
                    Cell::DateTime(d.decided_at.naive_utc()),
                ]);
            }
        }
    }
    Sheet {
        name: "Geschiktheid".into(),
        title,
        columns: vec![
            Column::new("Perceel", Kind::Text, 32.0),
            Column::new("Inschrijver", Kind::Text, 36.0),
            Column::new("Eis", Kind::Text, 40.0),
            Column::new("Oordeel", Kind::Text, 13.0),
            Column::new("Motivering", Kind::Text, 60.0),
            Column::new("Vastgelegd (UTC)", Kind::DateTime, 18.0),
        ],
        rows,
        chart: None,
    }
}
