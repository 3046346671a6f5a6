//! Belangstelling (interest): the companies that follow a tender, and the people who are told
//! about it — the nota van inlichtingen, corrections, deadline changes and reminders.

use diesel::prelude::*;
use serde_json::Value;

use super::DbConn;
use super::audit::{self, Change};
use super::schema::{bids, companies, tender_interests, tenders, users};
use super::user::User;
use crate::domain::bid::BidStatus;
use crate::domain::role::Role;
use crate::domain::tender::TenderStatus;
use crate::errors::Error;
use crate::mail::{self, Mail};

/// Records that the company follows the tender; once, however often it is asked. Returns
/// whether it was new.
pub fn register(conn: &mut DbConn, tender_id: i64, company_id: i64, user: &User) -> Result<bool, Error> {
    // The company's row lock queues two registrations of one company (two bids started at
    // once): the second finds the first instead of failing on the primary key.
    diesel::update(companies::table.find(company_id)).set(companies::id.eq(companies::id)).execute(conn)?;
    if follows(conn, tender_id, company_id)? {
        return Ok(false);
    }
    diesel::insert_into(tender_interests::table)
        .values((
            tender_interests::tender_id.eq(tender_id),
            tender_interests::company_id.eq(company_id),
            tender_interests::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    let name: String = companies::table.find(company_id).select(companies::name).first(conn)?;
    // Who follows a tender is who may bid: kept in the sealed chain with the bids.
    let change = Change {
        tender_id: Some(tender_id),
        action: "interest.registered",
        subject: format!("{name} volgt de aanbesteding"),
        before: None,
        after: None,
    };
    audit::record_sealed(conn, &user.actor(), tender_id, change)?;
    Ok(true)
}

/// As `register`, for a published tender only: a concept does not exist for an aanbieder.
pub fn follow(conn: &mut DbConn, tender_id: i64, user: &User) -> Result<bool, Error> {
    let company_id = user.company_id.ok_or(Error::NotFound("Bedrijf"))?;
    let status: Option<String> = tenders::table.find(tender_id).select(tenders::status).first(conn).optional()?;
    if status.as_deref() != Some(TenderStatus::Published.as_str()) {
        return Err(Error::NotFound("Aanbesteding"));
    }
    register(conn, tender_id, company_id, user)
}

pub fn follows(conn: &mut DbConn, tender_id: i64, company_id: i64) -> Result<bool, Error> {
    let n: i64 = tender_interests::table
        .filter(tender_interests::tender_id.eq(tender_id))
        .filter(tender_interests::company_id.eq(company_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// One person to tell.
#[derive(Clone, Debug)]
pub struct Recipient {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub company_id: i64,
}

/// The interested aanbieders: active users with a confirmed address, of every company that
/// follows the tender.
pub fn recipients(conn: &mut DbConn, tender_id: i64) -> Result<Vec<Recipient>, Error> {
    let companies: Vec<i64> = tender_interests::table
        .filter(tender_interests::tender_id.eq(tender_id))
        .select(tender_interests::company_id)
        .load(conn)?;
    let rows: Vec<(i64, String, String, Option<i64>)> = users::table
        .filter(users::company_id.eq_any(companies))
        .filter(users::active.eq(true))
        .filter(users::email_verified_at.is_not_null())
        .filter(users::role.eq(Role::Aanbieder.as_str()))
        .order(users::id)
        .select((users::id, users::email, users::name, users::company_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(user_id, email, name, company)| {
            company.map(|company_id| Recipient { user_id, email, name, company_id })
        })
        .collect())
}

/// The interested aanbieders whose company has no submitted bid in the tender.
pub fn recipients_without_submission(conn: &mut DbConn, tender_id: i64) -> Result<Vec<Recipient>, Error> {
    let submitted: Vec<i64> = bids::table
        .filter(bids::tender_id.eq(tender_id))
        .filter(bids::status.eq(BidStatus::Submitted.as_str()))
        .select(bids::company_id)
        .load(conn)?;
    Ok(recipients(conn, tender_id)?.into_iter().filter(|r| !submitted.contains(&r.company_id)).collect())
}

/// Queues one message per recipient in the tender's file, each addressed by name; returns how
/// many were queued. The data must not name any bidder: every recipient gets the same text.
pub fn tell(
    conn: &mut DbConn,
    tender_id: i64,
    recipients: &[Recipient],
    kind: &str,
    data: &Value,
    public_url: &str,
) -> Result<usize, Error> {
    for r in recipients {
        let mut data = data.clone();
        if let Value::Object(map) = &mut data {
            map.insert("name".into(), Value::String(r.name.clone()));
        }
        let m = Mail { kind, to: &r.email, user_id: Some(r.user_id), tender_id: Some(tender_id), data };
        mail::queue(conn, m, public_url)?;
    }
    Ok(recipients.len())
}
