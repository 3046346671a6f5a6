//! Opzet (tender set-up) in one go: a tender with its scales, percelen and geschiktheidseisen,
//! as the API accepts it on creation and as the demo data ships. All or nothing.

use chrono::{DateTime, Utc};

use super::audit::Actor;
use super::{DbConn, lot, scale, selection_criterion, tender};
use crate::domain::tender::TenderInput;
use crate::errors::{Error, Problems};

/// Validates every part first, so the caller sees all problems at once, then stores them.
/// Run it inside a transaction: an error in any part must leave nothing behind.
pub fn create(conn: &mut DbConn, input: &TenderInput, now: DateTime<Utc>, actor: &Actor) -> Result<i64, Error> {
    let mut p = Problems::default();
    let fields = input.validate(now, None).map_err(|e| p.absorb("", e)).ok();
    let scales: Vec<_> = input
        .scales
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.clone().validate().map_err(|e| p.absorb(&format!("scales[{i}]."), e)).ok())
        .collect();
    let lots: Vec<_> = input
        .lots
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.validate().map_err(|e| p.absorb(&format!("lots[{i}]."), e)).ok())
        .collect();
    let criteria: Vec<_> = input
        .selection_criteria
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.clone().validate().map_err(|e| p.absorb(&format!("selection_criteria[{i}]."), e)).ok())
        .collect();
    let fields = match fields {
        Some(f) if p.is_empty() => f,
        _ => return Err(Error::Validation(p.0)),
    };
    let id = tender::insert(conn, &fields, actor)?;
    for (i, s) in scales.iter().enumerate() {
        scale::insert(conn, id, s, actor).map_err(|e| p.absorb(&format!("scales[{i}]."), e)).ok();
    }
    let mut failed_lots = Vec::new();
    for (i, l) in lots.iter().enumerate() {
        if let Err(e) = lot::insert(conn, id, l, actor) {
            p.absorb(&format!("lots[{i}]."), e);
            failed_lots.push(l.number.unwrap_or(i as i32 + 1));
        }
    }
    // A requirement for a perceel that was refused above would only repeat that problem.
    for (i, c) in criteria.iter().enumerate().filter(|(_, c)| !c.lot.is_some_and(|n| failed_lots.contains(&n))) {
        selection_criterion::insert(conn, id, c, actor)
            .map_err(|e| p.absorb(&format!("selection_criteria[{i}]."), e))
            .ok();
    }
    p.into_result(id)
}
