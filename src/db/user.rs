//! Gebruiker (user account) storage.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor, Change};
use super::schema::users;
use super::trust::{Checked, Trust};
use super::{DbConn, PageRequest};
use crate::domain::role::Role;
use crate::errors::Error;

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub token_version: i32,
    pub must_change_password: bool,
    pub active: bool,
    pub created_at: NaiveDateTime,
    /// The aanbieder's company; none for staff of the gemeenten.
    pub company_id: Option<i64>,
    /// Set once the address is confirmed; accounts made by a beheerder count as confirmed.
    pub email_verified_at: Option<NaiveDateTime>,
    /// The gemeente a klantmanager works for; none for every other role.
    pub municipality_id: Option<i64>,
}

impl User {
    /// The stored role; an unknown value (never written by this service) counts as no role.
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }

    pub fn actor(&self) -> Actor {
        Actor { user_id: Some(self.id), name: format!("{} <{}> ({})", self.name, self.email, self.role) }
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub must_change_password: bool,
    pub company_id: Option<i64>,
    pub municipality_id: Option<i64>,
    /// False for self-registration: the address must be confirmed before logging in.
    pub verified: bool,
}

pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn insert(conn: &mut DbConn, new: &NewUser, actor: &Actor) -> Result<User, Error> {
    let email = normalise_email(new.email);
    let exists = users::table.filter(users::email.eq(&email)).count().get_result::<i64>(conn)? > 0;
    if exists {
        return Err(Error::invalid("email", format!("Er is al een account met e-mailadres {email}.")));
    }
    let id: i64 = diesel::insert_into(users::table)
        .values((
            users::email.eq(&email),
            users::name.eq(new.name.trim()),
            users::role.eq(new.role.as_str()),
            users::password_hash.eq(new.password_hash),
            users::token_version.eq(0),
            users::must_change_password.eq(new.must_change_password),
            users::active.eq(true),
            users::created_at.eq(super::now()),
            users::company_id.eq(new.company_id),
            users::municipality_id.eq(new.municipality_id),
            users::email_verified_at.eq(new.verified.then(super::now)),
        ))
        .returning(users::id)
        .get_result(conn)?;
    let user = find(conn, id)?.ok_or(Error::NotFound("Gebruiker"))?;
    audit::record(
        conn,
        actor,
        Change {
            tender_id: None,
            action: "user.created",
            subject: format!("gebruiker {}", user.email),
            before: None,
            after: audit::json(&user),
        },
    )?;
    Ok(user)
}

pub fn find(conn: &mut DbConn, id: i64) -> Result<Option<User>, Error> {
    Ok(users::table.find(id).select(User::as_select()).first(conn).optional()?)
}

/// The user and their password hash, for logging in.
pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<Option<User>, Error> {
    let email = normalise_email(email);
    Ok(users::table.filter(users::email.eq(email)).select(User::as_select()).first(conn).optional()?)
}

pub fn find_for_login(conn: &mut DbConn, email: &str) -> Result<Option<(User, String)>, Error> {
    Ok(users::table
        .filter(users::email.eq(normalise_email(email)))
        .select((User::as_select(), users::password_hash))
        .first(conn)
        .optional()?)
}

/// Invalidates every token issued so far (logout, password change).
pub fn revoke_tokens(conn: &mut DbConn, id: i64) -> Result<i32, Error> {
    diesel::update(users::table.find(id)).set(users::token_version.eq(users::token_version + 1)).execute(conn)?;
    Ok(users::table.find(id).select(users::token_version).first(conn)?)
}

/// Sets a new password, clears the one-time flag and revokes earlier tokens.
pub fn set_password(conn: &mut DbConn, user: &User, password_hash: &str) -> Result<i32, Error> {
    diesel::update(users::table.find(user.id))
        .set((users::password_hash.eq(password_hash), users::must_change_password.eq(false)))
        .execute(conn)?;
    audit::record(
        conn,
        &user.actor(),
        Change {
            tender_id: None,
            action: "user.password_changed",
            subject: format!("gebruiker {}", user.email),
            before: None,
            after: None,
        },
    )?;
    revoke_tokens(conn, user.id)
}

pub fn page(conn: &mut DbConn, page: PageRequest) -> Result<(Vec<User>, i64), Error> {
    let total = users::table.count().get_result(conn)?;
    let items = users::table
        .order((users::role, users::email))
        .limit(page.per_page)
        .offset(page.offset())
        .select(User::as_select())
        .load(conn)?;
    Ok((items, total))
}

/// Confirms the address (the user followed the link mailed to it).
pub fn mark_verified(conn: &mut DbConn, id: i64) -> Result<(), Error> {
    diesel::update(users::table.find(id).filter(users::email_verified_at.is_null()))
        .set(users::email_verified_at.eq(super::now()))
        .execute(conn)?;
    Ok(())
}

/// The users behind the tokens of recent requests, kept in memory like the tender snapshots:
/// re-read after any write of this process (a logout or password change revokes at once here)
/// and at least once per [`TRUSTED_FOR`](super::trust::TRUSTED_FOR), so that a revocation
/// made through another instance holds within a second there too.
#[derive(Clone, Default)]
pub struct Users {
    entries: std::sync::Arc<std::sync::RwLock<std::collections::HashMap<i64, (User, Checked)>>>,
}

/// Enough for every user active at once; beyond it the memory is simply started afresh.
const USERS_CAPACITY: usize = 10_000;

impl Users {
    pub async fn get(&self, db: &super::Db, id: i64) -> Result<Option<User>, Error> {
        let writes = db.writes();
        if let Some((u, checked)) = self.entries.read().ok().and_then(|m| m.get(&id).cloned()) {
            match checked.trust(writes) {
                Trust::Use => return Ok(Some(u)),
                Trust::UseAndLookAgain => {
                    let (this, db) = (self.clone(), db.clone());
                    actix_web::rt::spawn(async move {
                        if let Err(e) = this.look(&db, id, writes).await {
                            e.log();
                        }
                    });
                    return Ok(Some(u));
                }
                Trust::LookNow => {}
            }
        }
        self.look(db, id, writes).await
    }

    async fn look(&self, db: &super::Db, id: i64, writes: u64) -> Result<Option<User>, Error> {
        let found = db.read(move |conn| find(conn, id)).await?;
        if let Ok(mut m) = self.entries.write() {
            if m.len() >= USERS_CAPACITY {
                m.clear();
            }
            match &found {
                Some(u) => m.insert(id, (u.clone(), Checked::now(writes))),
                None => m.remove(&id),
            };
        }
        Ok(found)
    }
}
