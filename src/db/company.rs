//! Aanbieder (company) storage: the company and its users.

use diesel::prelude::*;

use super::DbConn;
use super::audit::{self, Actor, Change};
use super::schema::{companies, users};
use super::user::User;
use crate::domain::company::{Company, RegistrationInput};
use crate::errors::Error;

type Row = (i64, String, String, String, String, String, String, String);

fn to_company((id, name, kvk_number, street, postal_code, city, contact_name, phone): Row) -> Company {
    Company { id, name, kvk_number, street, postal_code, city, contact_name, phone }
}

/// Adds the company of a registration; a KvK-nummer registers once.
pub fn insert(conn: &mut DbConn, r: &RegistrationInput, actor: &Actor) -> Result<Company, Error> {
    let taken: Option<String> = companies::table
        .filter(companies::kvk_number.eq(&r.kvk_number))
        .select(companies::name)
        .first(conn)
        .optional()?;
    if let Some(name) = taken {
        return Err(Error::invalid(
            "kvk_number",
            format!("{name} is al geregistreerd met dit KvK-nummer. Vraag een collega om u uit te nodigen."),
        ));
    }
    let id: i64 = diesel::insert_into(companies::table)
        .values((
            companies::name.eq(&r.company_name),
            companies::kvk_number.eq(&r.kvk_number),
            companies::street.eq(&r.street),
            companies::postal_code.eq(&r.postal_code),
            companies::city.eq(&r.city),
            companies::contact_name.eq(&r.contact_name),
            companies::phone.eq(&r.phone),
            companies::created_at.eq(super::now()),
        ))
        .returning(companies::id)
        .get_result(conn)?;
    let company = find(conn, id)?.ok_or(Error::NotFound("Bedrijf"))?;
    let change = Change {
        tender_id: None,
        action: "company.registered",
        subject: format!("bedrijf {} (KvK {})", company.name, company.kvk_number),
        before: None,
        after: audit::json(&company),
    };
    audit::record(conn, actor, change)?;
    Ok(company)
}

pub fn find(conn: &mut DbConn, id: i64) -> Result<Option<Company>, Error> {
    let row: Option<Row> = companies::table
        .find(id)
        .select((
            companies::id,
            companies::name,
            companies::kvk_number,
            companies::street,
            companies::postal_code,
            companies::city,
            companies::contact_name,
            companies::phone,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(to_company))
}

/// The users of a company, by name.
pub fn users(conn: &mut DbConn, company_id: i64) -> Result<Vec<User>, Error> {
    Ok(users::table.filter(users::company_id.eq(company_id)).order(users::name).select(User::as_select()).load(conn)?)
}
