//! Inloggen (login): checks a password, throttling repeated failures per e-mail address.

use crate::auth::password;
use crate::db::{
    self, throttle,
    user::{self, User},
};
use crate::errors::Error;
use crate::state::AppState;

/// The user when e-mail and password match an active account. Repeated failures lock the
/// address for a while; the answer never tells whether the address has an account.
pub async fn attempt(state: &AppState, email: &str, password: &str) -> Result<User, Error> {
    let email = user::normalise_email(email);
    let lookup = email.clone();
    let begun = state
        .db
        .write(move |conn| {
            let lock = throttle::begin_attempt(conn, &lookup, db::now())?;
            Ok((lock, user::find_for_login(conn, &lookup)?))
        })
        .await;
    let (lock, found) = match begun {
        Ok(b) => b,
        // Two first attempts for one address at the very same moment: the second may retry.
        Err(Error::Conflict(_)) => return Err(Error::Throttled { retry_after: 1 }),
        Err(e) => return Err(e),
    };
    let password = password.to_owned();
    // Argon2 takes tens of milliseconds: keep it off the async workers and out of any transaction.
    // It runs whether or not the account exists or is active, so timing tells nothing either.
    let matched = actix_web::web::block(move || match found {
        Some((u, hash)) => (password::verify(&password, &hash) && u.active).then_some(u),
        None => {
            password::verify(&password, password::dummy_hash());
            None
        }
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?;
    match (matched, lock) {
        (Some(u), _) => {
            state.db.write(move |conn| throttle::clear(conn, &email)).await?;
            if u.email_verified_at.is_none() {
                return Err(Error::Forbidden(
                    "Bevestig eerst uw e-mailadres met de link in de e-mail die wij u stuurden. Geen e-mail ontvangen? Vraag via 'Registreren' een nieuwe link aan.".into(),
                ));
            }
            Ok(u)
        }
        (None, Some(retry_after)) => Err(Error::Throttled { retry_after }),
        (None, None) => Err(Error::BadCredentials),
    }
}

/// Replaces the password after checking the current one; returns the user with the new token version.
pub async fn change_password(state: &AppState, email: &str, current: &str, new: &str) -> Result<User, Error> {
    let user = attempt(state, email, current).await.map_err(|e| match e {
        Error::BadCredentials => Error::invalid("current_password", "Het huidige wachtwoord klopt niet."),
        other => other,
    })?;
    password::check_strength(new, &user.email)?;
    if new == current {
        return Err(Error::invalid("new_password", "Kies een ander wachtwoord dan het huidige."));
    }
    let new = new.to_owned();
    let hash =
        actix_web::web::block(move || password::hash(&new)).await.map_err(|e| Error::Internal(e.to_string()))??;
    let id = user.id;
    state
        .db
        .write(move |conn| {
            user::set_password(conn, &user, &hash)?;
            user::find(conn, id)?.ok_or(Error::NotFound("Gebruiker"))
        })
        .await
}
