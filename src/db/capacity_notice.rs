//! Capaciteitsmelding (capacity notice): management is mailed when a contract passes 90% of
//! its places, when a region's forecast exceeds its contracted places, and before each decision
//! on a contract's extension. Each cause is mailed once until it is gone.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};

use super::DbConn;
use super::audit::{self, Actor, Change};
use super::overview;
use super::schema::{capacity_notices as n, contracts, lots, tenders, users};
use super::scope::{self, Scope};
use crate::domain::contract::{decision_date, decision_reminder_due, end_date};
use crate::domain::deadline::{ZONE, format_date_nl};
use crate::domain::forecast::HalfYear;
use crate::domain::placement::half_of;
use crate::domain::role::Role;
use crate::errors::Error;
use crate::mail::{self, Mail};

/// Half years ahead that the warnings look at, from the current one.
const AHEAD: i32 = 3;

fn management(conn: &mut DbConn) -> Result<Vec<(i64, String, String)>, Error> {
    Ok(users::table
        .filter(users::role.eq(Role::Management.as_str()))
        .filter(users::active.eq(true))
        .select((users::id, users::email, users::name))
        .load(conn)?)
}

fn tell(conn: &mut DbConn, kind: &str, data: Value, public_url: &str) -> Result<usize, Error> {
    let people = management(conn)?;
    for (id, email, name) in &people {
        let mut data = data.clone();
        data["name"] = json!(name);
        mail::queue(conn, Mail { kind, to: email, user_id: Some(*id), tender_id: None, data }, public_url)?;
    }
    Ok(people.len())
}

/// Raises the region's capacity version: every dashboard of it kept in memory, in any process,
/// is counted again at its next look.
pub fn raise_version(conn: &mut DbConn, region_id: i64) -> Result<(), Error> {
    use super::schema::regions;
    diesel::update(regions::table.find(region_id))
        .set(regions::capacity_version.eq(regions::capacity_version + 1))
        .execute(conn)?;
    Ok(())
}

/// After a change to a region's capacity, taakstelling, distribution or placements, in its
/// transaction: raises the region's capacity version (dashboards in memory compare it), checks
/// the region and mails management about every warning not mailed before. Warnings whose cause
/// has gone are forgotten, so they are mailed again if it returns. Returns the new ones.
pub fn region_changed(
    conn: &mut DbConn,
    region: &Scope,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<Vec<String>, Error> {
    let Scope::Region { id, code, name } = region else { return Ok(Vec::new()) };
    raise_version(conn, *id)?;
    let from = half_of(now.with_timezone(&ZONE).date_naive());
    let to = HalfYear::from_index(from.index() + AHEAD);
    let o = overview::build(conn, region, from, to)?;
    let prefix = format!("{code}:");
    let current: Vec<(String, String)> = o.warnings().into_iter().map(|(k, t)| (format!("{prefix}{k}"), t)).collect();
    let mut known: Vec<String> =
        n::table.filter(n::subject.like(format!("{prefix}%"))).select(n::subject).load(conn)?;
    // LIKE reads `_` and `%` in a code as wildcards; only this region's own keys count.
    known.retain(|k| k.starts_with(&prefix));
    let gone: Vec<&String> = known.iter().filter(|k| !current.iter().any(|(c, _)| c == *k)).collect();
    diesel::delete(n::table.filter(n::subject.eq_any(gone))).execute(conn)?;
    let new: Vec<&(String, String)> = current.iter().filter(|(k, _)| !known.contains(k)).collect();
    if new.is_empty() {
        return Ok(Vec::new());
    }
    for (k, _) in &new {
        diesel::insert_into(n::table).values((n::subject.eq(k), n::sent_at.eq(now.naive_utc()))).execute(conn)?;
    }
    let warnings: Vec<String> = new.iter().map(|(_, t)| t.clone()).collect();
    let link = format!("{public_url}/capaciteit/regio/{code}");
    let data = json!({ "region": name, "warnings": warnings, "count": warnings.len(), "one": warnings.len() == 1, "link": link });
    tell(conn, "capacity_warning", data, public_url)?;
    let change = Change {
        tender_id: None,
        action: "capacity.warned",
        subject: format!("capaciteit {name}: {}", warnings.join(" ")),
        before: None,
        after: None,
    };
    audit::record(conn, &Actor::system("capaciteit"), change)?;
    Ok(warnings)
}

/// The region of a contract: that of its tender's lead gemeente, as the dashboards count it.
pub fn region_of_contract(conn: &mut DbConn, contract_id: i64) -> Result<Option<Scope>, Error> {
    use super::schema::municipalities;
    let region_id: Option<i64> = contracts::table
        .inner_join(tenders::table.on(tenders::id.eq(contracts::tender_id)))
        .inner_join(municipalities::table.on(tenders::lead_municipality_id.eq(municipalities::id.nullable())))
        .filter(contracts::id.eq(contract_id))
        .select(municipalities::region_id)
        .first(conn)
        .optional()?;
    region_id.map(|id| region_by_id(conn, id)).transpose()
}

/// A region by id, as a scope.
pub fn region_by_id(conn: &mut DbConn, region_id: i64) -> Result<Scope, Error> {
    let code: String =
        super::schema::regions::table.find(region_id).select(super::schema::regions::code).first(conn)?;
    scope::region(conn, &code)
}

/// The region a gemeente belongs to, as a scope.
pub fn region_of_municipality(conn: &mut DbConn, municipality_id: i64) -> Result<Scope, Error> {
    use super::schema::{municipalities, regions};
    let code: String = municipalities::table
        .inner_join(regions::table)
        .filter(municipalities::id.eq(municipality_id))
        .select(regions::code)
        .first(conn)?;
    scope::region(conn, &code)
}

/// A reminder of an extension decision that has come due and was not mailed yet.
pub struct ExtensionReminder {
    subject: String,
    contract_id: i64,
    tender_id: i64,
    decision: chrono::NaiveDate,
    data: Value,
}

/// The extension reminders due at `now` and not mailed yet. Only reads: the worker looks first,
/// so that a quiet minute has no write transaction (each write makes every copy in memory of
/// this process look at the database again).
pub fn extension_reminders_due(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<Vec<ExtensionReminder>, Error> {
    let today = now.with_timezone(&ZONE).date_naive();
    type Row = (i64, i64, chrono::NaiveDate, i32, String, i32, i32, String, String, String);
    let rows: Vec<Row> = contracts::table
        .inner_join(tenders::table.on(tenders::id.eq(contracts::tender_id)))
        .inner_join(lots::table.on(lots::id.eq(contracts::lot_id)))
        .inner_join(super::schema::companies::table.on(super::schema::companies::id.eq(contracts::company_id)))
        .filter(contracts::activated_at.is_not_null())
        .select((
            contracts::id,
            contracts::tender_id,
            contracts::start_date,
            contracts::years,
            contracts::extensions,
            contracts::extensions_taken,
            contracts::notice_months,
            super::schema::companies::name,
            tenders::title,
            lots::title,
        ))
        .load(conn)?;
    let mut due = Vec::new();
    for (id, tender_id, start, years, extensions, taken, notice, company, tender, lot) in rows {
        let options: Vec<u32> = serde_json::from_str(&extensions).unwrap_or_default();
        let taken = usize::try_from(taken).unwrap_or(usize::MAX);
        let Some(next) = options.get(taken) else { continue };
        let years = u32::try_from(years).unwrap_or(0);
        let (Some(end), Some(extended)) =
            (end_date(start, years, &options, taken), end_date(start, years, &options, taken + 1))
        else {
            continue;
        };
        let Some(decision) = decision_date(end, u32::try_from(notice).unwrap_or(0)) else { continue };
        let Some(lead) = decision_reminder_due(today, decision) else { continue };
        let subject = format!("verlenging:{id}:{}:{lead}", taken + 1);
        if n::table.find(&subject).count().get_result::<i64>(conn)? > 0 {
            continue;
        }
        let data = json!({
            "company": company, "tender": tender, "lot": lot, "option": taken + 1, "years": next,
            "days": (decision - today).num_days(), "decision_date": format_date_nl(decision),
            "end_date": format_date_nl(end), "extended_end": format_date_nl(extended),
            "link": format!("{public_url}/contracten/{id}"),
        });
        due.push(ExtensionReminder { subject, contract_id: id, tender_id, decision, data });
    }
    Ok(due)
}

/// Mails management before each decision on an extension option of an active contract that
/// is due at `now`; returns how many reminders went. A reminder that another process sent
/// meanwhile is known by its subject and not sent twice.
pub fn remind_extensions(conn: &mut DbConn, now: DateTime<Utc>, public_url: &str) -> Result<usize, Error> {
    let mut sent = 0;
    for r in extension_reminders_due(conn, now, public_url)? {
        // Another process may have claimed the same reminder since the look: then it mails it.
        let insert = diesel::insert_into(n::table)
            .values((n::subject.eq(&r.subject), n::sent_at.eq(now.naive_utc())))
            .on_conflict_do_nothing();
        let claimed = match conn {
            DbConn::Pg(c) => insert.execute(c)?,
            DbConn::Sqlite(c) => insert.execute(c)?,
        };
        if claimed == 0 {
            continue;
        }
        tell(conn, "extension_decision", r.data, public_url)?;
        let change = Change {
            tender_id: Some(r.tender_id),
            action: "contract.extension_reminder",
            subject: format!(
                "herinnering verlengingsbesluit raamovereenkomst {} vóór {}",
                r.contract_id,
                format_date_nl(r.decision)
            ),
            before: None,
            after: None,
        };
        audit::record(conn, &Actor::system("herinneringen"), change)?;
        sent += 1;
    }
    Ok(sent)
}
