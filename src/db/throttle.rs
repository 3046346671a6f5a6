//! Inlogbeperking (login throttle): failed logins per e-mail address, shared by all app instances.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::login_throttles;
use crate::errors::Error;

/// Failures allowed before the address is locked for a while.
pub const FREE_ATTEMPTS: i32 = 5;
/// The lock doubles with every further failure, up to this.
pub const MAX_LOCK_MINUTES: i64 = 15;

/// Seconds the address must still wait, if it is locked now.
pub fn locked_for(conn: &mut DbConn, email: &str, now: NaiveDateTime) -> Result<Option<u64>, Error> {
    let until: Option<Option<NaiveDateTime>> =
        login_throttles::table.find(email).select(login_throttles::locked_until).first(conn).optional()?;
    Ok(until.flatten().filter(|u| *u > now).map(|u| (u - now).num_seconds().max(1) as u64))
}

/// Records a failure; returns the lock that now applies, if any.
pub fn fail(conn: &mut DbConn, email: &str, now: NaiveDateTime) -> Result<Option<u64>, Error> {
    let failures: Option<i32> =
        login_throttles::table.find(email).select(login_throttles::failures).first(conn).optional()?;
    let failures = failures.unwrap_or(0) + 1;
    let locked_until = (failures >= FREE_ATTEMPTS).then(|| {
        let doublings = (failures - FREE_ATTEMPTS).min(10) as u32;
        now + Duration::minutes((1_i64 << doublings).min(MAX_LOCK_MINUTES))
    });
    let changed = diesel::update(login_throttles::table.find(email))
        .set((
            login_throttles::failures.eq(failures),
            login_throttles::locked_until.eq(locked_until),
            login_throttles::last_failure_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(login_throttles::table)
            .values((
                login_throttles::email.eq(email),
                login_throttles::failures.eq(failures),
                login_throttles::locked_until.eq(locked_until),
                login_throttles::last_failure_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(locked_until.map(|u| (u - now).num_seconds().max(1) as u64))
}

pub fn clear(conn: &mut DbConn, email: &str) -> Result<(), Error> {
    diesel::delete(login_throttles::table.find(email)).execute(conn)?;
    Ok(())
}
