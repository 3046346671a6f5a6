//! Perceel (lot) storage: a perceel with its volumes, price criterion and quality criteria.

use diesel::prelude::*;

use super::DbConn;
use super::audit::{self, Actor, Change};
use super::schema::{
    award_criteria, learning_routes, lot_volumes, lots, municipalities, scoring_scales, tender_municipalities,
};
use super::tender::{editable, ensure_draft};
use super::{correction, learning_route, municipality, price_line, scale, selection_criterion};
use crate::domain::award_criterion::QualityCriterion;
use crate::domain::lot::{Lot, LotFields, PriceCriterion, Volume};
use crate::domain::money;
use crate::domain::price_formula::PriceFormula;
use crate::errors::{Error, Problems};

#[derive(Queryable, Selectable)]
#[diesel(table_name = lots)]
struct LotRow {
    id: i64,
    number: i32,
    title: String,
    description: String,
    max_winners: i32,
    ceiling_price_cents: Option<i64>,
    ceiling_price_rationale: String,
    price_formula: String,
    price_weight_bp: i32,
    bandwidth_min_cents: Option<i64>,
    bandwidth_max_cents: Option<i64>,
    log_factor_milli: Option<i32>,
}

pub fn for_tender(conn: &mut DbConn, tender_id: i64) -> Result<Vec<Lot>, Error> {
    let rows: Vec<(LotRow, String, String)> = lots::table
        .inner_join(learning_routes::table)
        .filter(lots::tender_id.eq(tender_id))
        .order(lots::number)
        .select((LotRow::as_select(), learning_routes::code, learning_routes::name))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(r, _, _)| r.id).collect();
    let volumes: Vec<(i64, String, String, i32)> = lot_volumes::table
        .inner_join(municipalities::table)
        .filter(lot_volumes::lot_id.eq_any(&ids))
        .order(municipalities::name)
        .select((lot_volumes::lot_id, municipalities::cbs_code, municipalities::name, lot_volumes::estimated_volume))
        .load(conn)?;
    type CriterionRow = (i64, i64, i32, String, String, i32, String, Option<i64>);
    let criteria: Vec<CriterionRow> = award_criteria::table
        .inner_join(scoring_scales::table)
        .filter(award_criteria::lot_id.eq_any(&ids))
        .order((award_criteria::lot_id, award_criteria::position))
        .select((
            award_criteria::lot_id,
            award_criteria::id,
            award_criteria::position,
            award_criteria::title,
            award_criteria::description,
            award_criteria::weight_bp,
            scoring_scales::name,
            award_criteria::value_cents,
        ))
        .load(conn)?;
    let price_lines = price_line::for_lots(conn, &ids)?;
    rows.into_iter()
        .map(|(r, route_code, route_name)| {
            let formula = PriceFormula::from_columns(
                &r.price_formula,
                r.bandwidth_min_cents,
                r.bandwidth_max_cents,
                r.log_factor_milli,
            )
            .ok_or_else(|| Error::Internal(format!("perceel {}: prijsformule onleesbaar", r.id)))?;
            Ok(Lot {
                id: r.id,
                number: r.number,
                title: r.title,
                learning_route: route_code,
                learning_route_name: route_name,
                description: r.description,
                max_winners: r.max_winners,
                ceiling_price: r.ceiling_price_cents.map(money::from_cents),
                ceiling_price_rationale: r.ceiling_price_rationale,
                volumes: volumes
                    .iter()
                    .filter(|v| v.0 == r.id)
                    .map(|(_, code, name, n)| Volume {
                        municipality: code.clone(),
                        municipality_name: name.clone(),
                        estimated_volume: *n,
                    })
                    .collect(),
                price: PriceCriterion {
                    formula: formula.kind(),
                    weight_percent: money::bp_to_percent(r.price_weight_bp),
                    bandwidth_min: r.bandwidth_min_cents.map(money::from_cents),
                    bandwidth_max: r.bandwidth_max_cents.map(money::from_cents),
                    log_factor: r.log_factor_milli.map(|m| rust_decimal::Decimal::new(i64::from(m), 3).normalize()),
                    description: formula.describe(),
                },
                quality_criteria: criteria
                    .iter()
                    .filter(|c| c.0 == r.id)
                    .map(|(_, id, position, title, description, weight_bp, scale, value_cents)| QualityCriterion {
                        id: *id,
                        position: *position,
                        title: title.clone(),
                        description: description.clone(),
                        weight_percent: money::bp_to_percent(*weight_bp),
                        scale: scale.clone(),
                        value: value_cents.map(money::from_cents),
                    })
                    .collect(),
                price_lines: price_lines.iter().filter(|(lot, _)| *lot == r.id).map(|(_, l)| l.clone()).collect(),
            })
        })
        .collect()
}

pub fn find(conn: &mut DbConn, tender_id: i64, lot_id: i64) -> Result<Lot, Error> {
    for_tender(conn, tender_id)?.into_iter().find(|l| l.id == lot_id).ok_or(Error::NotFound("Perceel"))
}

/// Resolves every reference in the perceel (route, number, gemeenten, scales) or names what is wrong.
struct Resolved {
    route_id: i64,
    number: i32,
    volumes: Vec<(i64, i32)>,
    scale_ids: Vec<i64>,
}

fn resolve(conn: &mut DbConn, tender_id: i64, f: &LotFields, except: Option<i64>) -> Result<Resolved, Error> {
    let mut p = Problems::default();
    let route = learning_route::find_by_code(conn, &f.learning_route)?;
    if route.is_none() {
        p.add("learning_route", format!("Onbekende leerroute '{}'.", f.learning_route));
    }
    let taken: Vec<(i64, i32)> =
        lots::table.filter(lots::tender_id.eq(tender_id)).select((lots::id, lots::number)).load(conn)?;
    let current = taken.iter().find(|(id, _)| Some(*id) == except).map(|(_, n)| *n);
    let number = f.number.or(current).unwrap_or_else(|| taken.iter().map(|(_, n)| *n).max().unwrap_or(0) + 1);
    if taken.iter().any(|(id, n)| *n == number && Some(*id) != except) {
        p.add("number", format!("Er is al een perceel {number}."));
    }
    let codes: Vec<String> = f.volumes.iter().map(|v| v.municipality.clone()).collect();
    let ids = municipality::resolve(conn, "volumes", &codes).map_err(|e| p.absorb("", e)).unwrap_or_default();
    let participants: Vec<i64> = tender_municipalities::table
        .filter(tender_municipalities::tender_id.eq(tender_id))
        .select(tender_municipalities::municipality_id)
        .load(conn)?;
    for (i, id) in ids.iter().enumerate() {
        if !participants.contains(id) {
            p.add(format!("volumes[{i}].municipality"), format!("{} doet niet mee aan deze aanbesteding.", codes[i]));
        }
    }
    let mut scale_ids = Vec::new();
    for (i, q) in f.quality.iter().enumerate() {
        match scale::id_by_name(conn, tender_id, &q.scale)? {
            Some(id) => scale_ids.push(id),
            None => p.add(
                format!("quality_criteria[{i}].scale"),
                format!("Deze aanbesteding heeft geen schaal '{}'.", q.scale),
            ),
        }
    }
    let volumes = ids.into_iter().zip(f.volumes.iter().map(|v| v.estimated_volume)).collect();
    match route {
        Some(r) if p.is_empty() => Ok(Resolved { route_id: r.id, number, volumes, scale_ids }),
        _ => Err(Error::Validation(p.0)),
    }
}

/// Writes volumes and criteria. A criterion keeps its id at its position, so what refers to
/// it (scores, later) survives a change of wording or weight.
fn write_parts(conn: &mut DbConn, lot_id: i64, f: &LotFields, r: &Resolved) -> Result<(), Error> {
    diesel::delete(lot_volumes::table.filter(lot_volumes::lot_id.eq(lot_id))).execute(conn)?;
    for (municipality_id, volume) in &r.volumes {
        diesel::insert_into(lot_volumes::table)
            .values((
                lot_volumes::lot_id.eq(lot_id),
                lot_volumes::municipality_id.eq(municipality_id),
                lot_volumes::estimated_volume.eq(volume),
            ))
            .execute(conn)?;
    }
    let existing: Vec<(i64, i32)> = award_criteria::table
        .filter(award_criteria::lot_id.eq(lot_id))
        .select((award_criteria::id, award_criteria::position))
        .load(conn)?;
    let keep = f.quality.len() as i32;
    let surplus: Vec<i64> = existing.iter().filter(|(_, p)| *p > keep).map(|(id, _)| *id).collect();
    diesel::delete(award_criteria::table.filter(award_criteria::id.eq_any(surplus))).execute(conn)?;
    for (i, (q, scale_id)) in f.quality.iter().zip(&r.scale_ids).enumerate() {
        let position = i as i32 + 1;
        let values = (
            award_criteria::title.eq(&q.title),
            award_criteria::description.eq(&q.description),
            award_criteria::weight_bp.eq(q.weight_bp),
            award_criteria::scale_id.eq(scale_id),
            award_criteria::value_cents.eq(q.value_cents),
        );
        match existing.iter().find(|(_, p)| *p == position) {
            Some((id, _)) => diesel::update(award_criteria::table.find(id)).set(values).execute(conn)?,
            None => diesel::insert_into(award_criteria::table)
                .values((award_criteria::lot_id.eq(lot_id), award_criteria::position.eq(position), values))
                .execute(conn)?,
        };
    }
    price_line::write(conn, lot_id, &f.price_lines)
}

fn formula_columns(f: &LotFields) -> (Option<i64>, Option<i64>, Option<i32>) {
    match f.price_formula {
        PriceFormula::Bandwidth { min_cents, max_cents } => (Some(min_cents), Some(max_cents), None),
        PriceFormula::Logarithmic { factor_milli } => (None, None, Some(factor_milli)),
        _ => (None, None, None),
    }
}

macro_rules! lot_values {
    ($f:expr, $r:expr) => {{
        let (bandwidth_min, bandwidth_max, log_factor) = formula_columns($f);
        (
            lots::number.eq($r.number),
            lots::title.eq(&$f.title),
            lots::learning_route_id.eq($r.route_id),
            lots::description.eq(&$f.description),
            lots::max_winners.eq($f.max_winners),
            lots::ceiling_price_cents.eq($f.ceiling_price_cents),
            lots::ceiling_price_rationale.eq(&$f.ceiling_price_rationale),
            lots::price_formula.eq($f.price_formula.kind().as_str()),
            lots::price_weight_bp.eq($f.price_weight_bp),
            lots::bandwidth_min_cents.eq(bandwidth_min),
            lots::bandwidth_max_cents.eq(bandwidth_max),
            lots::log_factor_milli.eq(log_factor),
        )
    }};
}

pub fn insert(conn: &mut DbConn, tender_id: i64, f: &LotFields, actor: &Actor) -> Result<i64, Error> {
    ensure_draft(conn, tender_id)?;
    let r = resolve(conn, tender_id, f, None)?;
    let id: i64 = diesel::insert_into(lots::table)
        .values((lots::tender_id.eq(tender_id), lot_values!(f, r)))
        .returning(lots::id)
        .get_result(conn)?;
    write_parts(conn, id, f, &r)?;
    let after = audit::json(&find(conn, tender_id, id)?);
    audit::record(
        conn,
        actor,
        Change {
            tender_id: Some(tender_id),
            action: "lot.created",
            subject: format!("perceel {} {}", r.number, f.title),
            before: None,
            after,
        },
    )?;
    Ok(id)
}

pub fn update(
    conn: &mut DbConn,
    tender_id: i64,
    lot_id: i64,
    f: &LotFields,
    actor: &Actor,
    correction_reason: Option<&str>,
) -> Result<(), Error> {
    let edit = editable(conn, tender_id, correction_reason)?;
    let before = audit::json(&find(conn, tender_id, lot_id)?).unwrap_or_default();
    let r = resolve(conn, tender_id, f, Some(lot_id))?;
    diesel::update(lots::table.find(lot_id)).set(lot_values!(f, r)).execute(conn)?;
    write_parts(conn, lot_id, f, &r)?;
    let after = audit::json(&find(conn, tender_id, lot_id)?).unwrap_or_default();
    let subject = format!("perceel {} {}", r.number, f.title);
    correction::record_update(conn, tender_id, &edit, "lot.updated", subject, before, after, actor)
}

pub fn delete(conn: &mut DbConn, tender_id: i64, lot_id: i64, actor: &Actor) -> Result<(), Error> {
    ensure_draft(conn, tender_id)?;
    let lot = find(conn, tender_id, lot_id)?;
    // Its own geschiktheidseisen go with it, each recorded, rather than by a silent cascade.
    for c in selection_criterion::for_tender(conn, tender_id)?.into_iter().filter(|c| c.lot == Some(lot.number)) {
        selection_criterion::delete(conn, tender_id, c.id, actor)?;
    }
    diesel::delete(lots::table.find(lot_id)).execute(conn)?;
    audit::record(
        conn,
        actor,
        Change {
            tender_id: Some(tender_id),
            action: "lot.deleted",
            subject: format!("perceel {} {}", lot.number, lot.title),
            before: audit::json(&lot),
            after: None,
        },
    )
}
