//! Inlogbeperking (login throttle): login attempts per e-mail address, shared by all app instances.
//!
//! An attempt is counted *before* its password is checked, in one locked step, so that many
//! attempts sent at once cannot all pass the check before any failure is stored.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::DbConn;
use super::schema::login_throttles;
use crate::errors::Error;

/// Attempts without a success that are allowed before the address is locked for a while.
pub const FREE_ATTEMPTS: i32 = 5;
/// The lock doubles with every further failure, up to this.
pub const MAX_LOCK_MINUTES: i64 = 15;

fn seconds(until: NaiveDateTime, now: NaiveDateTime) -> u64 {
    (until - now).num_seconds().max(1) as u64
}

/// Counts an attempt and answers whether it may go ahead: `Err(Throttled)` while the address is
/// locked. Beyond the free attempts each attempt (re)starts a lock, so after a lock expires one
/// more try is allowed before the next, longer, lock. Returns the lock this attempt starts, if any.
pub fn begin_attempt(conn: &mut DbConn, email: &str, now: NaiveDateTime) -> Result<Option<u64>, Error> {
    // A no-op update takes the row lock on PostgreSQL; SQLite's write transaction already serialises.
    let exists = diesel::update(login_throttles::table.find(email))
        .set(login_throttles::failures.eq(login_throttles::failures))
        .execute(conn)?
        > 0;
    let (failures, locked_until) =
        if exists {
            login_throttles::table
                .find(email)
                .select((login_throttles::failures, login_throttles::locked_until))
                .first::<(i32, Option<NaiveDateTime>)>(conn)?
        } else {
            (0, None)
        };
    if let Some(until) = locked_until.filter(|u| *u > now) {
        return Err(Error::Throttled { retry_after: seconds(until, now) });
    }
    let failures = failures + 1;
    let locked_until = (failures > FREE_ATTEMPTS).then(|| {
        let doublings = (failures - FREE_ATTEMPTS - 1).min(10) as u32;
        now + Duration::minutes((1_i64 << doublings).min(MAX_LOCK_MINUTES))
    });
    let values = (
        login_throttles::failures.eq(failures),
        login_throttles::locked_until.eq(locked_until),
        login_throttles::last_failure_at.eq(now),
    );
    if exists {
        diesel::update(login_throttles::table.find(email)).set(values).execute(conn)?;
    } else {
        diesel::insert_into(login_throttles::table).values((login_throttles::email.eq(email), values)).execute(conn)?;
    }
    Ok(locked_until.map(|u| seconds(u, now)))
}

/// A successful login: the address starts afresh.
pub fn clear(conn: &mut DbConn, email: &str) -> Result<(), Error> {
    diesel::delete(login_throttles::table.find(email)).execute(conn)?;
    Ok(())
}
