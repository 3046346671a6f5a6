//! Beoordelingsschaal (scoring scale) storage: a tender's scales with their steps.

use diesel::prelude::*;

use super::DbConn;
use super::audit::{self, Actor, Change};
use super::correction;
use super::schema::{award_criteria, lots, scale_steps, scoring_scales};
use super::tender::{editable, ensure_draft};
use crate::domain::scale::{Scale, ScaleInput, ScaleStep};
use crate::errors::Error;

pub fn for_tender(conn: &mut DbConn, tender_id: i64) -> Result<Vec<Scale>, Error> {
    let scales: Vec<(i64, String)> = scoring_scales::table
        .filter(scoring_scales::tender_id.eq(tender_id))
        .order(scoring_scales::id)
        .select((scoring_scales::id, scoring_scales::name))
        .load(conn)?;
    let ids: Vec<i64> = scales.iter().map(|(id, _)| *id).collect();
    let steps: Vec<(i64, i32, String)> = scale_steps::table
        .filter(scale_steps::scale_id.eq_any(&ids))
        .order((scale_steps::scale_id, scale_steps::position))
        .select((scale_steps::scale_id, scale_steps::points, scale_steps::descriptor))
        .load(conn)?;
    Ok(scales
        .into_iter()
        .map(|(id, name)| Scale {
            id,
            name,
            steps: steps
                .iter()
                .filter(|(s, _, _)| *s == id)
                .map(|(_, points, descriptor)| ScaleStep { points: *points, descriptor: descriptor.clone() })
                .collect(),
        })
        .collect())
}

pub fn find(conn: &mut DbConn, tender_id: i64, scale_id: i64) -> Result<Scale, Error> {
    for_tender(conn, tender_id)?.into_iter().find(|s| s.id == scale_id).ok_or(Error::NotFound("Beoordelingsschaal"))
}

/// The id of a scale by its name within the tender.
pub fn id_by_name(conn: &mut DbConn, tender_id: i64, name: &str) -> Result<Option<i64>, Error> {
    Ok(scoring_scales::table
        .filter(scoring_scales::tender_id.eq(tender_id))
        .filter(scoring_scales::name.eq(name))
        .select(scoring_scales::id)
        .first(conn)
        .optional()?)
}

fn ensure_unique_name(conn: &mut DbConn, tender_id: i64, name: &str, except: Option<i64>) -> Result<(), Error> {
    match id_by_name(conn, tender_id, name)? {
        Some(id) if Some(id) != except => {
            Err(Error::invalid("name", format!("Er is al een schaal met de naam '{name}'.")))
        }
        _ => Ok(()),
    }
}

fn write_steps(conn: &mut DbConn, scale_id: i64, steps: &[ScaleStep]) -> Result<(), Error> {
    diesel::delete(scale_steps::table.filter(scale_steps::scale_id.eq(scale_id))).execute(conn)?;
    for (i, s) in steps.iter().enumerate() {
        diesel::insert_into(scale_steps::table)
            .values((
                scale_steps::scale_id.eq(scale_id),
                scale_steps::position.eq(i as i32),
                scale_steps::points.eq(s.points),
                scale_steps::descriptor.eq(&s.descriptor),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert(conn: &mut DbConn, tender_id: i64, input: &ScaleInput, actor: &Actor) -> Result<i64, Error> {
    ensure_draft(conn, tender_id)?;
    ensure_unique_name(conn, tender_id, &input.name, None)?;
    let id: i64 = diesel::insert_into(scoring_scales::table)
        .values((scoring_scales::tender_id.eq(tender_id), scoring_scales::name.eq(&input.name)))
        .returning(scoring_scales::id)
        .get_result(conn)?;
    write_steps(conn, id, &input.steps)?;
    let after = audit::json(&find(conn, tender_id, id)?);
    audit::record(
        conn,
        actor,
        Change {
            tender_id: Some(tender_id),
            action: "scale.created",
            subject: format!("schaal {}", input.name),
            before: None,
            after,
        },
    )?;
    Ok(id)
}

pub fn update(
    conn: &mut DbConn,
    tender_id: i64,
    scale_id: i64,
    input: &ScaleInput,
    actor: &Actor,
    correction_reason: Option<&str>,
) -> Result<(), Error> {
    let edit = editable(conn, tender_id, correction_reason)?;
    let before = audit::json(&find(conn, tender_id, scale_id)?).unwrap_or_default();
    ensure_unique_name(conn, tender_id, &input.name, Some(scale_id))?;
    diesel::update(scoring_scales::table.find(scale_id)).set(scoring_scales::name.eq(&input.name)).execute(conn)?;
    write_steps(conn, scale_id, &input.steps)?;
    let after = audit::json(&find(conn, tender_id, scale_id)?).unwrap_or_default();
    let subject = format!("schaal {}", input.name);
    correction::record_update(conn, tender_id, &edit, "scale.updated", subject, before, after, actor)
}

pub fn delete(conn: &mut DbConn, tender_id: i64, scale_id: i64, actor: &Actor) -> Result<(), Error> {
    ensure_draft(conn, tender_id)?;
    let scale = find(conn, tender_id, scale_id)?;
    let users: Vec<(i32, String)> = award_criteria::table
        .inner_join(lots::table)
        .filter(award_criteria::scale_id.eq(scale_id))
        .select((lots::number, award_criteria::title))
        .load(conn)?;
    if let Some((lot, title)) = users.first() {
        return Err(Error::Conflict(format!(
            "De schaal '{}' is in gebruik bij perceel {lot}, criterium '{title}'; kies daar eerst een andere schaal.",
            scale.name
        )));
    }
    diesel::delete(scoring_scales::table.find(scale_id)).execute(conn)?;
    audit::record(
        conn,
        actor,
        Change {
            tender_id: Some(tender_id),
            action: "scale.deleted",
            subject: format!("schaal {}", scale.name),
            before: audit::json(&scale),
            after: None,
        },
    )
}
