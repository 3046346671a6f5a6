//! Geschiktheidseis (selection criterion): a knock-out with the evidence asked and a validity rule.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::{Error, Problems};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ValidityRule {
    /// No date condition on the evidence.
    #[default]
    None,
    /// The evidence is dated no more than `validity_months` before the submission deadline (e.g. GVA: 24).
    MaxAgeAtDeadline,
    /// The evidence carries an end date after the submission deadline (e.g. Keurmerk).
    EndDateAfterDeadline,
}

impl ValidityRule {
    pub const ALL: [ValidityRule; 3] =
        [ValidityRule::None, ValidityRule::MaxAgeAtDeadline, ValidityRule::EndDateAfterDeadline];

    pub fn as_str(self) -> &'static str {
        match self {
            ValidityRule::None => "none",
            ValidityRule::MaxAgeAtDeadline => "max_age_at_deadline",
            ValidityRule::EndDateAfterDeadline => "end_date_after_deadline",
        }
    }

    pub fn parse(s: &str) -> Option<ValidityRule> {
        ValidityRule::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ValidityRule::None => "Geen datumvoorwaarde",
            ValidityRule::MaxAgeAtDeadline => "Niet ouder dan … maanden op de sluitingsdatum",
            ValidityRule::EndDateAfterDeadline => "Einddatum ligt na de sluitingsdatum",
        }
    }

    /// The published rule in a sentence.
    pub fn describe(self, months: Option<i32>) -> String {
        match (self, months) {
            (ValidityRule::None, _) => "Geen datumvoorwaarde.".into(),
            (ValidityRule::MaxAgeAtDeadline, Some(m)) => {
                format!("Het bewijs is op de sluitingsdatum niet ouder dan {m} maanden.")
            }
            (ValidityRule::MaxAgeAtDeadline, None) => "Het bewijs is recent.".into(),
            (ValidityRule::EndDateAfterDeadline, _) => {
                "Het bewijs is geldig tot na de sluitingsdatum (einddatum na de sluitingsdatum).".into()
            }
        }
    }
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectionCriterionInput {
    /// The perceel number it applies to; absent means all percelen.
    #[serde(default)]
    pub lot: Option<i32>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The evidence asked (document, certificate number, date…).
    pub evidence: String,
    #[serde(default)]
    pub validity_rule: ValidityRule,
    #[serde(default)]
    pub validity_months: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct SelectionCriterion {
    pub id: i64,
    pub position: i32,
    /// Perceel number, or none for all percelen.
    pub lot: Option<i32>,
    pub title: String,
    pub description: String,
    pub evidence: String,
    pub validity_rule: ValidityRule,
    pub validity_months: Option<i32>,
}

impl SelectionCriterionInput {
    pub fn validate(mut self) -> Result<SelectionCriterionInput, Error> {
        let mut p = Problems::default();
        self.title = self.title.trim().to_owned();
        self.evidence = self.evidence.trim().to_owned();
        self.description = self.description.trim().to_owned();
        if self.title.is_empty() {
            p.add("title", "Geef de eis een titel.");
        } else if self.title.chars().count() > 200 {
            p.add("title", "De titel is hoogstens 200 tekens.");
        }
        if self.evidence.is_empty() {
            p.add("evidence", "Beschrijf welk bewijs de aanbieder levert.");
        }
        match (self.validity_rule, self.validity_months) {
            (ValidityRule::MaxAgeAtDeadline, Some(m)) if (1..=120).contains(&m) => {}
            (ValidityRule::MaxAgeAtDeadline, _) => p.add("validity_months", "Vul het aantal maanden in (1 tot 120)."),
            (_, Some(_)) => p.add("validity_months", "Alleen bij 'niet ouder dan' vult u maanden in."),
            _ => {}
        }
        p.into_result(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gva(months: Option<i32>) -> SelectionCriterionInput {
        SelectionCriterionInput {
            lot: None,
            title: "Gedragsverklaring Aanbesteden".into(),
            description: String::new(),
            evidence: "GVA van Justis".into(),
            validity_rule: ValidityRule::MaxAgeAtDeadline,
            validity_months: months,
        }
    }

    #[test]
    fn an_age_rule_needs_its_months() {
        assert!(gva(Some(24)).validate().is_ok());
        assert!(gva(None).validate().is_err());
        assert!(gva(Some(0)).validate().is_err());
    }

    #[test]
    fn months_without_an_age_rule_are_refused_rather_than_ignored() {
        let mut input = gva(Some(24));
        input.validity_rule = ValidityRule::EndDateAfterDeadline;
        assert!(input.validate().is_err());
    }

    #[test]
    fn the_rule_reads_as_a_sentence() {
        assert!(ValidityRule::MaxAgeAtDeadline.describe(Some(24)).contains("24 maanden"));
    }
}
