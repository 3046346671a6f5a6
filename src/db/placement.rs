//! Plaatsing (placement) storage: one cursist of one gemeente on one contract, by internal
//! reference only. Every read and write names the gemeenten it may touch, so a klantmanager's
//! request never reaches another gemeente's rows.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::audit::{self, Change};
use super::schema::{companies, contracts, learning_routes, lots, municipalities, placements};
use super::user::User;
use super::{DbConn, PageRequest, capacity, contract};
use crate::domain::placement::{EndReason, Overruled, admit, check_move, check_reference, half_of};
use crate::errors::{Error, Problems};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Placement {
    pub id: i64,
    /// The gemeente's CBS code.
    pub municipality: String,
    pub municipality_name: String,
    pub contract_id: i64,
    pub company: String,
    /// The leerroute's code.
    pub route: String,
    pub reference: String,
    pub start_date: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    /// Why it was placed on a full contract; empty when there was room.
    pub overrule_reason: String,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlacement {
    pub contract_id: i64,
    pub start_date: NaiveDate,
    /// The gemeente's own case number; never a name or BSN.
    pub reference: String,
    /// Required when the contract is full.
    #[serde(default)]
    pub overrule_reason: String,
}

type Row = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    String,
    NaiveDate,
    Option<NaiveDate>,
    Option<String>,
    String,
    NaiveDateTime,
);

fn from_row(r: Row) -> Placement {
    let (
        id,
        municipality,
        municipality_name,
        contract_id,
        company,
        route,
        reference,
        start_date,
        ended_on,
        end_reason,
        overrule_reason,
        created_at,
    ) = r;
    Placement {
        id,
        municipality,
        municipality_name,
        contract_id,
        company,
        route,
        reference,
        start_date,
        ended_on,
        end_reason,
        overrule_reason,
        created_at,
    }
}

macro_rules! joined {
    () => {
        placements::table
            .inner_join(municipalities::table.on(municipalities::id.eq(placements::municipality_id)))
            .inner_join(contracts::table.on(contracts::id.eq(placements::contract_id)))
            .inner_join(companies::table.on(companies::id.eq(contracts::company_id)))
            .inner_join(learning_routes::table.on(learning_routes::id.eq(placements::learning_route_id)))
            .select((
                placements::id,
                municipalities::cbs_code,
                municipalities::name,
                placements::contract_id,
                companies::name,
                learning_routes::code,
                placements::reference,
                placements::start_date,
                placements::ended_on,
                placements::end_reason,
                placements::overrule_reason,
                placements::created_at,
            ))
    };
}

/// The placements of the given gemeenten, newest start first; and how many there are.
pub fn page(conn: &mut DbConn, municipality_ids: &[i64], request: PageRequest) -> Result<(Vec<Placement>, i64), Error> {
    let total: i64 =
        placements::table.filter(placements::municipality_id.eq_any(municipality_ids)).count().get_result(conn)?;
    let rows: Vec<Row> = joined!()
        .filter(placements::municipality_id.eq_any(municipality_ids))
        .order((placements::start_date.desc(), placements::id.desc()))
        .limit(request.per_page)
        .offset(request.offset())
        .load(conn)?;
    Ok((rows.into_iter().map(from_row).collect(), total))
}

/// One placement, if it belongs to one of the given gemeenten: another's is not found.
pub fn find(conn: &mut DbConn, municipality_ids: &[i64], id: i64) -> Result<Placement, Error> {
    let row: Option<Row> = joined!()
        .filter(placements::id.eq(id))
        .filter(placements::municipality_id.eq_any(municipality_ids))
        .first(conn)
        .optional()?;
    row.map(from_row).ok_or(Error::NotFound("Plaatsing"))
}

/// The contract a gemeente may place on at `start`: one it takes part in, active, running then.
fn usable(
    conn: &mut DbConn,
    municipality_id: i64,
    contract_id: i64,
    start: NaiveDate,
) -> Result<(contract::Contract, i64), Error> {
    let code: String = municipalities::table.find(municipality_id).select(municipalities::cbs_code).first(conn)?;
    let c = contract::find(conn, contract_id).ok().filter(|c| c.municipalities.contains(&code));
    let c = c.ok_or_else(|| Error::invalid("contract_id", "Kies een contract waaraan uw gemeente deelneemt."))?;
    if !c.active {
        return Err(Error::invalid("contract_id", "Dit contract is nog niet actief."));
    }
    if start < c.start_date || c.end_date.is_some_and(|end| start > end) {
        let end = c.end_date.map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default();
        let msg = format!("Het contract loopt van {} tot en met {end}.", c.start_date.format("%d-%m-%Y"));
        return Err(Error::invalid("start_date", msg));
    }
    let route: i64 = lots::table.find(c.lot_id).select(lots::learning_route_id).first(conn)?;
    Ok((c, route))
}

/// Places a cursist, refused on a full contract unless overruled with a reason.
pub fn add(
    conn: &mut DbConn,
    municipality_id: i64,
    new: &NewPlacement,
    by: &User,
    now: DateTime<Utc>,
) -> Result<Placement, Error> {
    let mut p = Problems::default();
    check_reference(&mut p, &new.reference);
    p.into_result(())?;
    let reference = new.reference.trim();
    let (c, route) = usable(conn, municipality_id, new.contract_id, new.start_date)?;
    capacity::lock(conn, c.id)?;
    let taken: i64 = placements::table
        .filter(placements::municipality_id.eq(municipality_id))
        .filter(placements::reference.eq(reference))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(Error::invalid("reference", format!("Kenmerk {reference} is al geplaatst.")));
    }
    let half = half_of(new.start_date);
    let (places, used) = capacity::room(conn, c.id, half.year, municipality_id)?;
    let overruled = admit(places, used, &new.overrule_reason)?;
    let reason = if overruled == Overruled::Yes { new.overrule_reason.trim() } else { "" };
    let id: i64 = diesel::insert_into(placements::table)
        .values((
            placements::municipality_id.eq(municipality_id),
            placements::contract_id.eq(c.id),
            placements::learning_route_id.eq(route),
            placements::reference.eq(reference),
            placements::start_date.eq(new.start_date),
            placements::start_half.eq(half.index()),
            placements::overrule_reason.eq(reason),
            placements::created_by.eq(by.id),
            placements::created_at.eq(now.naive_utc()),
        ))
        .returning(placements::id)
        .get_result(conn)?;
    let placed = find(conn, &[municipality_id], id)?;
    let (action, subject) = match overruled {
        Overruled::Yes => {
            ("placement.overruled", format!("plaatsing {reference} op vol contract {} ({})", c.id, c.company))
        }
        Overruled::No => ("placement.created", format!("plaatsing {reference} bij {}", c.company)),
    };
    let change = Change { tender_id: None, action, subject, before: None, after: audit::json(&placed) };
    audit::record(conn, &by.actor(), change)?;
    Ok(placed)
}

/// Ends a running placement on a day on or after its start.
pub fn end(
    conn: &mut DbConn,
    municipality_id: i64,
    id: i64,
    on: NaiveDate,
    reason: EndReason,
    by: &User,
) -> Result<Placement, Error> {
    let before = find(conn, &[municipality_id], id)?;
    if before.ended_on.is_some() {
        return Err(Error::Conflict(format!("Plaatsing {} is al beëindigd.", before.reference)));
    }
    if on < before.start_date {
        return Err(Error::invalid("ended_on", "Een plaatsing eindigt niet vóór haar start."));
    }
    diesel::update(placements::table.find(id))
        .set((placements::ended_on.eq(on), placements::end_reason.eq(reason.as_str())))
        .execute(conn)?;
    let after = find(conn, &[municipality_id], id)?;
    let change = Change {
        tender_id: None,
        action: "placement.ended",
        subject: format!("plaatsing {} {}", after.reference, reason.as_str()),
        before: audit::json(&before),
        after: audit::json(&after),
    };
    audit::record(conn, &by.actor(), change)?;
    Ok(after)
}

/// Moves running placements of a gemeente to another contract of the same leerroute; more
/// than fifteen at once only when confirmed, and each one admitted by the new contract's room.
pub fn move_to(
    conn: &mut DbConn,
    municipality_id: i64,
    ids: &[i64],
    to: i64,
    (confirmed, overrule): (bool, &str),
    by: &User,
) -> Result<Vec<Placement>, Error> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(Error::invalid("placement_ids", "Kies de plaatsingen die verhuizen."));
    }
    check_move(ids.len(), confirmed)?;
    let mut moving = Vec::with_capacity(ids.len());
    for id in &ids {
        let p = find(conn, &[municipality_id], *id)?;
        if p.ended_on.is_some() {
            return Err(Error::invalid("placement_ids", format!("Plaatsing {} is al beëindigd.", p.reference)));
        }
        moving.push(p);
    }
    let mut moved = Vec::with_capacity(moving.len());
    for p in moving {
        let (c, route) = usable(conn, municipality_id, to, p.start_date)?;
        let route_code: String = learning_routes::table.find(route).select(learning_routes::code).first(conn)?;
        if route_code != p.route || c.id == p.contract_id {
            return Err(Error::invalid("to_contract_id", "Kies een ander contract voor dezelfde leerroute."));
        }
        capacity::lock(conn, c.id)?;
        let (places, used) = capacity::room(conn, c.id, half_of(p.start_date).year, municipality_id)?;
        let reason = match admit(places, used, overrule)? {
            Overruled::Yes => overrule.trim(),
            Overruled::No => p.overrule_reason.as_str(),
        };
        diesel::update(placements::table.find(p.id))
            .set((placements::contract_id.eq(c.id), placements::overrule_reason.eq(reason)))
            .execute(conn)?;
        moved.push(find(conn, &[municipality_id], p.id)?);
    }
    let change = Change {
        tender_id: None,
        action: "placement.moved",
        subject: format!("{} plaatsingen verplaatst naar raamovereenkomst {to}", moved.len()),
        before: None,
        after: Some(json!({ "placements": ids, "to_contract": to, "overrule_reason": overrule })),
    };
    audit::record(conn, &by.actor(), change)?;
    Ok(moved)
}
