//! Geschiktheidseis (selection criterion) storage: per perceel or for all percelen of a tender.

use diesel::prelude::*;

use super::DbConn;
use super::audit::{self, Actor, Change};
use super::correction;
use super::schema::{lots, selection_criteria};
use super::tender::{editable, ensure_draft};
use crate::domain::selection_criterion::{SelectionCriterion, SelectionCriterionInput, ValidityRule};
use crate::errors::Error;

pub fn for_tender(conn: &mut DbConn, tender_id: i64) -> Result<Vec<SelectionCriterion>, Error> {
    type Row = (i64, i32, Option<i32>, String, String, String, String, Option<i32>);
    let rows: Vec<Row> = selection_criteria::table
        .left_join(lots::table)
        .filter(selection_criteria::tender_id.eq(tender_id))
        .order((selection_criteria::position, selection_criteria::id))
        .select((
            selection_criteria::id,
            selection_criteria::position,
            lots::number.nullable(),
            selection_criteria::title,
            selection_criteria::description,
            selection_criteria::evidence,
            selection_criteria::validity_rule,
            selection_criteria::validity_months,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, position, lot, title, description, evidence, rule, validity_months)| SelectionCriterion {
            id,
            position,
            lot,
            title,
            description,
            evidence,
            validity_rule: ValidityRule::parse(&rule).unwrap_or_default(),
            validity_months,
        })
        .collect())
}

pub fn find(conn: &mut DbConn, tender_id: i64, id: i64) -> Result<SelectionCriterion, Error> {
    for_tender(conn, tender_id)?.into_iter().find(|c| c.id == id).ok_or(Error::NotFound("Geschiktheidseis"))
}

fn lot_id(conn: &mut DbConn, tender_id: i64, number: Option<i32>) -> Result<Option<i64>, Error> {
    let Some(number) = number else {
        return Ok(None);
    };
    let id: Option<i64> = lots::table
        .filter(lots::tender_id.eq(tender_id))
        .filter(lots::number.eq(number))
        .select(lots::id)
        .first(conn)
        .optional()?;
    id.map(Some).ok_or_else(|| Error::invalid("lot", format!("Deze aanbesteding heeft geen perceel {number}.")))
}

pub fn insert(conn: &mut DbConn, tender_id: i64, input: &SelectionCriterionInput, actor: &Actor) -> Result<i64, Error> {
    ensure_draft(conn, tender_id)?;
    let lot = lot_id(conn, tender_id, input.lot)?;
    let position: Option<i32> = selection_criteria::table
        .filter(selection_criteria::tender_id.eq(tender_id))
        .select(diesel::dsl::max(selection_criteria::position))
        .first(conn)?;
    let id: i64 = diesel::insert_into(selection_criteria::table)
        .values((
            selection_criteria::tender_id.eq(tender_id),
            selection_criteria::lot_id.eq(lot),
            selection_criteria::position.eq(position.unwrap_or(0) + 1),
            selection_criteria::title.eq(&input.title),
            selection_criteria::description.eq(&input.description),
            selection_criteria::evidence.eq(&input.evidence),
            selection_criteria::validity_rule.eq(input.validity_rule.as_str()),
            selection_criteria::validity_months.eq(input.validity_months),
        ))
        .returning(selection_criteria::id)
        .get_result(conn)?;
    let after = audit::json(&find(conn, tender_id, id)?);
    audit::record(
        conn,
        actor,
        Change {
            tender_id: Some(tender_id),
            action: "selection_criterion.created",
            subject: format!("geschiktheidseis {}", input.title),
            before: None,
            after,
        },
    )?;
    Ok(id)
}

pub fn update(
    conn: &mut DbConn,
    tender_id: i64,
    id: i64,
    input: &SelectionCriterionInput,
    actor: &Actor,
    correction_reason: Option<&str>,
) -> Result<(), Error> {
    let edit = editable(conn, tender_id, correction_reason)?;
    let before = audit::json(&find(conn, tender_id, id)?).unwrap_or_default();
    let lot = lot_id(conn, tender_id, input.lot)?;
    diesel::update(selection_criteria::table.find(id))
        .set((
            selection_criteria::lot_id.eq(lot),
            selection_criteria::title.eq(&input.title),
            selection_criteria::description.eq(&input.description),
            selection_criteria::evidence.eq(&input.evidence),
            selection_criteria::validity_rule.eq(input.validity_rule.as_str()),
            selection_criteria::validity_months.eq(input.validity_months),
        ))
        .execute(conn)?;
    let after = audit::json(&find(conn, tender_id, id)?).unwrap_or_default();
    let subject = format!("geschiktheidseis {}", input.title);
    correction::record_update(conn, tender_id, &edit, "selection_criterion.updated", subject, before, after, actor)
}

pub fn delete(conn: &mut DbConn, tender_id: i64, id: i64, actor: &Actor) -> Result<(), Error> {
    ensure_draft(conn, tender_id)?;
    let c = find(conn, tender_id, id)?;
    diesel::delete(selection_criteria::table.find(id)).execute(conn)?;
    audit::record(
        conn,
        actor,
        Change {
            tender_id: Some(tender_id),
            action: "selection_criterion.deleted",
            subject: format!("geschiktheidseis {}", c.title),
            before: audit::json(&c),
            after: None,
        },
    )
}
