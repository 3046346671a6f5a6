//! Aanbieder (company): the rules for registering a company and its first user.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::account::is_email;
use crate::errors::{Error, Problems};

#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistrationInput {
    pub company_name: String,
    /// KvK-nummer: 8 digits (spaces and dots are ignored).
    pub kvk_number: String,
    /// Street and house number.
    pub street: String,
    /// Dutch postcode, `1234 AB`.
    pub postal_code: String,
    pub city: String,
    /// The contact person, who also becomes the first user.
    pub contact_name: String,
    pub phone: String,
    pub email: String,
    #[serde(skip_serializing)]
    pub password: String,
}

/// A company as stored and shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub kvk_number: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub contact_name: String,
    pub phone: String,
}

/// `12345678`, from what people type (`1234 5678`, `12.34.56.78`).
pub fn kvk_number(input: &str) -> Result<String, String> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
    if digits.len() != 8 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err("Een KvK-nummer bestaat uit 8 cijfers.".into());
    }
    if digits.chars().all(|c| c == '0') {
        return Err("Dit is geen bestaand KvK-nummer.".into());
    }
    Ok(digits)
}

/// `1234 AB`, from `1234ab` or `1234 ab`; the first digit is never 0.
pub fn postal_code(input: &str) -> Result<String, String> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let (digits, letters) = compact.split_at(compact.len().min(4));
    let ok = digits.len() == 4
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0')
        && letters.len() == 2
        && letters.chars().all(|c| c.is_ascii_uppercase());
    if ok { Ok(format!("{digits} {letters}")) } else { Err("Vul een Nederlandse postcode in, zoals 1621 AB.".into()) }
}

impl RegistrationInput {
    pub fn validate(mut self) -> Result<RegistrationInput, Error> {
        let mut p = Problems::default();
        for (field, value, message) in [
            ("company_name", &mut self.company_name, "Vul de naam van het bedrijf in."),
            ("street", &mut self.street, "Vul straat en huisnummer in."),
            ("city", &mut self.city, "Vul de plaats in."),
            ("contact_name", &mut self.contact_name, "Vul de naam van de contactpersoon in."),
        ] {
            *value = value.trim().to_owned();
            if value.is_empty() {
                p.add(field, message);
            } else if value.chars().count() > 200 {
                p.add(field, "Hoogstens 200 tekens.");
            }
        }
        match kvk_number(&self.kvk_number) {
            Ok(k) => self.kvk_number = k,
            Err(e) => p.add("kvk_number", e),
        }
        match postal_code(&self.postal_code) {
            Ok(c) => self.postal_code = c,
            Err(e) => p.add("postal_code", e),
        }
        self.phone = self.phone.trim().to_owned();
        let phone_digits = self.phone.chars().filter(char::is_ascii_digit).count();
        if !(10..=15).contains(&phone_digits)
            || self.phone.chars().any(|c| !(c.is_ascii_digit() || " +-()".contains(c)))
        {
            p.add("phone", "Vul een telefoonnummer in, zoals 0229 123 456.");
        }
        self.email = self.email.trim().to_lowercase();
        if !is_email(&self.email) {
            p.add("email", "Vul een geldig e-mailadres in, zoals naam@bedrijf.nl.");
        }
        p.into_result(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kvk_numbers_are_eight_digits_as_typed_in_any_grouping() {
        assert_eq!(kvk_number("1234 5678"), Ok("12345678".into()));
        assert_eq!(kvk_number("12.34.56.78"), Ok("12345678".into()));
        assert!(kvk_number("1234567").is_err());
        assert!(kvk_number("1234567a").is_err());
        assert!(kvk_number("00000000").is_err());
    }

    #[test]
    fn postcodes_are_written_the_dutch_way() {
        assert_eq!(postal_code("1621ab"), Ok("1621 AB".into()));
        assert_eq!(postal_code(" 1621 AB "), Ok("1621 AB".into()));
        assert!(postal_code("0621 AB").is_err());
        assert!(postal_code("1621 A").is_err());
        assert!(postal_code("16210").is_err());
    }

    #[test]
    fn every_problem_of_a_registration_is_named() {
        let Err(Error::Validation(list)) = RegistrationInput::default().validate() else { panic!("should be refused") };
        let names: Vec<_> = list.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["company_name", "street", "city", "contact_name", "kvk_number", "postal_code", "phone", "email"]
        );
    }
}
