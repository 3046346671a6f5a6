//! Account (gebruiker): the rules for a new user as a beheerder or the CLI enters one.

use serde::Deserialize;
use utoipa::ToSchema;

use super::role::Role;
use crate::errors::{Error, Problems};

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The gemeente (CBS code) a klantmanager works for; only for that role.
    #[serde(default)]
    pub municipality: Option<String>,
}

impl UserInput {
    pub fn validate(mut self) -> Result<UserInput, Error> {
        let mut p = Problems::default();
        self.email = self.email.trim().to_lowercase();
        self.name = self.name.trim().to_owned();
        if !is_email(&self.email) {
            p.add("email", "Vul een geldig e-mailadres in, zoals naam@gemeente.nl.");
        }
        if self.name.is_empty() {
            p.add("name", "Vul de naam in.");
        } else if self.name.chars().count() > 100 {
            p.add("name", "De naam is hoogstens 100 tekens.");
        }
        self.municipality = self.municipality.map(|m| m.trim().to_uppercase()).filter(|m| !m.is_empty());
        match (self.role, &self.municipality) {
            (Role::Klantmanager, None) => p.add("municipality", "Kies de gemeente waarvoor de klantmanager werkt."),
            (Role::Klantmanager, Some(_)) | (_, None) => {}
            (_, Some(_)) => p.add("municipality", "Alleen een klantmanager werkt voor één gemeente."),
        }
        p.into_result(self)
    }
}

/// A plain, conservative check: one @, a dot in the domain, no spaces, at most 254 characters.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_checked_plainly() {
        assert!(is_email("inkoper@hoorn.nl"));
        assert!(!is_email("inkoper@hoorn"));
        assert!(!is_email("in koper@hoorn.nl"));
        assert!(!is_email("@hoorn.nl"));
        assert!(!is_email("a@b@c.nl"));
    }

    #[test]
    fn a_new_user_is_normalised() {
        let input = UserInput {
            email: " Inkoper@Hoorn.NL ".into(),
            name: " Anna ".into(),
            role: Role::Inkoper,
            municipality: None,
        };
        let Ok(valid) = input.validate() else { panic!("should be valid") };
        assert_eq!((valid.email.as_str(), valid.name.as_str()), ("inkoper@hoorn.nl", "Anna"));
    }
}
