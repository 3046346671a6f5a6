//! Registratie (registration): an aanbieder signs up with its company, confirms the e-mail
//! address through a mailed link, and invites colleagues into the same company.

use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::password;
use super::token::{Keys, Purpose};
use crate::db::audit::Actor;
use crate::db::user::{self, NewUser, User};
use crate::db::{DbConn, company};
use crate::domain::account::is_email;
use crate::domain::company::{Company, RegistrationInput};
use crate::domain::role::Role;
use crate::errors::{Error, Problems};
use crate::mail::{self, Mail};

/// How long the confirmation link works.
const VERIFICATION_MINUTES: i64 = 48 * 60;
/// How long an invitation works.
const INVITATION_MINUTES: i64 = 7 * 24 * 60;

fn invalid_link() -> Error {
    Error::invalid("token", "Deze link is ongeldig, al gebruikt of verlopen.")
}

/// Stores company and user (not yet confirmed) and mails the confirmation link.
pub fn register(
    conn: &mut DbConn,
    r: &RegistrationInput,
    keys: &Keys,
    public_url: &str,
) -> Result<(Company, User), Error> {
    password::check_strength(&r.password, &r.email).map_err(|_| {
        Error::invalid(
            "password",
            format!("Kies een wachtwoord van minstens {} tekens zonder uw e-mailadres.", password::MIN_LENGTH),
        )
    })?;
    let actor = Actor { user_id: None, name: format!("registratie {}", r.email) };
    let company = company::insert(conn, r, &actor)?;
    let hash = password::hash(&r.password)?;
    let new = NewUser {
        email: &r.email,
        name: &r.contact_name,
        role: Role::Aanbieder,
        password_hash: &hash,
        must_change_password: false,
        company_id: Some(company.id),
        municipality_id: None,
        verified: false,
    };
    let u = user::insert(conn, &new, &actor)?;
    send_verification(conn, &u, keys, public_url)?;
    Ok((company, u))
}

/// Queues (again) the mail with the confirmation link.
pub fn send_verification(conn: &mut DbConn, u: &User, keys: &Keys, public_url: &str) -> Result<(), Error> {
    let token = keys.issue(u.id, u.token_version, Purpose::EmailVerification, VERIFICATION_MINUTES)?;
    let data = json!({ "name": u.name, "link": format!("{public_url}/registreren/bevestigen?token={token}") });
    mail::queue(
        conn,
        Mail { kind: "email_verification", to: &u.email, user_id: Some(u.id), tender_id: None, data },
        public_url,
    )
}

/// Confirms the address behind a confirmation link.
pub fn verify(conn: &mut DbConn, keys: &Keys, token: &str) -> Result<User, Error> {
    let u = user_of(conn, keys, token, Purpose::EmailVerification)?;
    user::mark_verified(conn, u.id)?;
    Ok(u)
}

fn user_of(conn: &mut DbConn, keys: &Keys, token: &str, purpose: Purpose) -> Result<User, Error> {
    let claims = keys.verify(token.trim(), purpose).ok_or_else(invalid_link)?;
    let id = claims.sub.parse::<i64>().map_err(|_| invalid_link())?;
    let u = user::find(conn, id)?.ok_or_else(invalid_link)?;
    if u.token_version != claims.ver || !u.active {
        return Err(invalid_link());
    }
    Ok(u)
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    pub email: String,
    pub name: String,
}

/// Adds a colleague to the inviter's company and mails the link to choose a password.
pub fn invite(
    conn: &mut DbConn,
    inviter: &User,
    input: &InvitationInput,
    keys: &Keys,
    public_url: &str,
) -> Result<User, Error> {
    let company_id = inviter
        .company_id
        .ok_or_else(|| Error::Forbidden("Alleen medewerkers van een aanbieder nodigen collega's uit.".into()))?;
    let mut p = Problems::default();
    let email = input.email.trim().to_lowercase();
    let name = input.name.trim();
    if !is_email(&email) {
        p.add("email", "Vul een geldig e-mailadres in, zoals naam@bedrijf.nl.");
    }
    if name.is_empty() {
        p.add("name", "Vul de naam van uw collega in.");
    }
    p.into_result(())?;
    let company = company::find(conn, company_id)?.ok_or(Error::NotFound("Bedrijf"))?;
    // Nobody knows this password: the colleague chooses one through the link.
    let hash = password::hash(&password::generate())?;
    let new = NewUser {
        email: &email,
        name,
        role: Role::Aanbieder,
        password_hash: &hash,
        must_change_password: false,
        company_id: Some(company.id),
        municipality_id: None,
        verified: false,
    };
    let u = user::insert(conn, &new, &inviter.actor())?;
    let token = keys.issue(u.id, u.token_version, Purpose::Invitation, INVITATION_MINUTES)?;
    let data = json!({
        "name": u.name, "inviter": inviter.name, "company": company.name,
        "link": format!("{public_url}/uitnodiging?token={token}"),
    });
    mail::queue(
        conn,
        Mail { kind: "invitation", to: &u.email, user_id: Some(u.id), tender_id: None, data },
        public_url,
    )?;
    Ok(u)
}

/// The invited colleague chooses a password; the link then stops working.
pub fn accept(conn: &mut DbConn, keys: &Keys, token: &str, new_password: &str) -> Result<User, Error> {
    let u = user_of(conn, keys, token, Purpose::Invitation)?;
    password::check_strength(new_password, &u.email).map_err(|e| match e {
        Error::Validation(list) => {
            Error::Validation(list.into_iter().map(|f| crate::errors::FieldError::new("password", f.reason)).collect())
        }
        other => other,
    })?;
    user::mark_verified(conn, u.id)?;
    user::set_password(conn, &u, &password::hash(new_password)?)?;
    user::find(conn, u.id)?.ok_or(Error::NotFound("Gebruiker"))
}

/// The user, if the invitation link is still good: for showing the form.
pub fn invited(conn: &mut DbConn, keys: &Keys, token: &str) -> Result<User, Error> {
    user_of(conn, keys, token, Purpose::Invitation)
}
