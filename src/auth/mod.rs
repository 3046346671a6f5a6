//! Toegang (authentication and access): passwords, tokens, CSRF and the role extractors.

pub mod csrf;
pub mod extract;
pub mod login;
pub mod password;
pub mod registration;
pub mod token;

pub use extract::{
    Aanbieder, Authenticated, Beheerder, Beoordelaar, CapacityReader, ContractKeeper, Inkoper, Klantmanager,
    Management, MaybeUser, PasswordHolder, Staff,
};

use crate::db::DbConn;
use crate::db::audit::Actor;
use crate::db::user::{self, NewUser, User};
use crate::domain::account::UserInput;
use crate::errors::Error;

/// Creates an account with a one-time password, to be replaced at first login.
/// Returns the user and the password, which is shown once and stored only as a hash.
pub fn create_account(conn: &mut DbConn, input: &UserInput, actor: &Actor) -> Result<(User, String), Error> {
    let municipality_id = match &input.municipality {
        Some(code) => match crate::db::municipality::find(conn, code)? {
            Some(m) => Some(m.id),
            None => return Err(Error::invalid("municipality", format!("Onbekende gemeente '{code}'."))),
        },
        None => None,
    };
    let one_time = password::generate();
    let hash = password::hash(&one_time)?;
    let new = NewUser {
        email: &input.email,
        name: &input.name,
        role: input.role,
        password_hash: &hash,
        must_change_password: true,
        company_id: None,
        municipality_id,
        verified: true,
    };
    Ok((user::insert(conn, &new, actor)?, one_time))
}
