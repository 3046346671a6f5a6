//! Rol: who someone is in the service; every handler names the roles it serves.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Beheerder: users, gemeenten, regions, reference data.
    Beheerder,
    /// Inkoper: sets up and runs the aanbesteding.
    Inkoper,
    /// Beoordelaar: scores quality, blind to price.
    Beoordelaar,
    /// Aanbieder: a bidder's employee.
    Aanbieder,
    /// Management: follows progress, contracts and capacity.
    Management,
    /// Klantmanager: records the plaatsingen of one gemeente, and sees only that gemeente.
    Klantmanager,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Beheerder, Role::Inkoper, Role::Beoordelaar, Role::Aanbieder, Role::Management, Role::Klantmanager];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Beheerder => "beheerder",
            Role::Inkoper => "inkoper",
            Role::Beoordelaar => "beoordelaar",
            Role::Aanbieder => "aanbieder",
            Role::Management => "management",
            Role::Klantmanager => "klantmanager",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim().to_lowercase())
    }

    /// Dutch name as shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Beheerder => "Beheerder",
            Role::Inkoper => "Inkoper",
            Role::Beoordelaar => "Beoordelaar",
            Role::Aanbieder => "Aanbieder",
            Role::Management => "Management",
            Role::Klantmanager => "Klantmanager",
        }
    }

    /// Staff of the contracting gemeenten may see tenders that are still in concept.
    pub fn sees_concepts(self) -> bool {
        matches!(self, Role::Inkoper | Role::Management | Role::Beheerder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_back_from_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse(" Inkoper "), Some(Role::Inkoper));
        assert_eq!(Role::parse("superuser"), None);
    }
}
