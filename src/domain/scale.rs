//! Beoordelingsschaal (scoring scale): an ordinal list of points, each with a Dutch descriptor.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::{Error, Problems};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleStep {
    /// Points for this step, a whole number from -100 to 100; a negative step is a malus.
    pub points: i32,
    /// What an answer must show to earn this step.
    pub descriptor: String,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleInput {
    /// Unique within the tender; criteria refer to a scale by this name.
    pub name: String,
    pub steps: Vec<ScaleStep>,
}

/// A scale as stored and published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Scale {
    pub id: i64,
    pub name: String,
    pub steps: Vec<ScaleStep>,
}

impl Scale {
    pub fn max_points(&self) -> i32 {
        self.steps.iter().map(|s| s.points).max().unwrap_or(0)
    }

    /// `0 – 2 – 4 – 6 – 8 – 10`
    pub fn summary(&self) -> String {
        self.steps.iter().map(|s| s.points.to_string()).collect::<Vec<_>>().join(" – ")
    }
}

pub const MIN_STEPS: usize = 2;
pub const MAX_STEPS: usize = 11;

impl ScaleInput {
    pub fn validate(mut self) -> Result<ScaleInput, Error> {
        let mut p = Problems::default();
        self.name = self.name.trim().to_owned();
        if self.name.is_empty() {
            p.add("name", "Geef de schaal een naam.");
        } else if self.name.chars().count() > 100 {
            p.add("name", "De naam is hoogstens 100 tekens.");
        }
        if self.steps.len() < MIN_STEPS || self.steps.len() > MAX_STEPS {
            p.add("steps", format!("Een schaal heeft {MIN_STEPS} tot {MAX_STEPS} stappen."));
        }
        for (i, step) in self.steps.iter_mut().enumerate() {
            step.descriptor = step.descriptor.trim().to_owned();
            // Below zero is a malus: with gunnen op waarde it adds to the fictive price.
            if !(-100..=100).contains(&step.points) {
                p.add(format!("steps[{i}].points"), "Punten liggen tussen -100 en 100.");
            }
            if step.descriptor.is_empty() {
                p.add(format!("steps[{i}].descriptor"), "Beschrijf wat deze stap inhoudt.");
            }
        }
        for (i, step) in self.steps.iter().enumerate() {
            if self.steps[..i].iter().any(|s| s.points == step.points) {
                p.add(
                    format!("steps[{i}].points"),
                    format!("{} punten komt al eerder in de schaal voor.", step.points),
                );
            }
        }
        // Scores are points / max points: the max must lie above zero.
        if !self.steps.is_empty() && self.steps.iter().all(|s| s.points <= 0) {
            p.add("steps", "Minstens één stap levert punten op (meer dan 0).");
        }
        p.into_result(self)
    }
}

/// Reads the form's textarea: one step per line, `punten = omschrijving`.
pub fn parse_steps(text: &str) -> Result<Vec<ScaleStep>, Error> {
    let mut p = Problems::default();
    let mut steps = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let parsed = line.split_once('=').and_then(|(points, descriptor)| {
            points
                .trim()
                .parse::<i32>()
                .ok()
                .map(|points| ScaleStep { points, descriptor: descriptor.trim().to_owned() })
        });
        match parsed {
            Some(step) => steps.push(step),
            None => {
                p.add("steps", format!("Regel {}: schrijf 'punten = omschrijving', bijvoorbeeld '8 = Goed'.", n + 1))
            }
        }
    }
    p.into_result(steps)
}

pub fn format_steps(steps: &[ScaleStep]) -> String {
    steps.iter().map(|s| format!("{} = {}", s.points, s.descriptor)).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(points: i32, d: &str) -> ScaleStep {
        ScaleStep { points, descriptor: d.into() }
    }

    #[test]
    fn a_descending_scale_is_as_valid_as_an_ascending_one() {
        let input = ScaleInput {
            name: "10-7-5-3-0".into(),
            steps: vec![
                step(10, "Uitstekend"),
                step(7, "Goed"),
                step(5, "Voldoende"),
                step(3, "Matig"),
                step(0, "Onvoldoende"),
            ],
        };
        assert!(input.validate().is_ok());
    }

    #[test]
    fn a_negative_step_is_a_malus_but_the_top_step_earns_points() {
        let malus =
            ScaleInput { name: "Met malus".into(), steps: vec![step(-5, "Risico"), step(0, "Geen"), step(10, "Goed")] };
        assert!(malus.validate().is_ok());
        let none = ScaleInput { name: "Alleen malus".into(), steps: vec![step(-5, "Risico"), step(0, "Geen")] };
        let Err(Error::Validation(list)) = none.validate() else { panic!("should be refused") };
        assert_eq!(list[0].name, "steps");
        let far = ScaleInput { name: "Te ver".into(), steps: vec![step(-101, "Ver"), step(10, "Goed")] };
        assert!(far.validate().is_err());
    }

    #[test]
    fn duplicate_points_and_empty_descriptors_are_named_by_step() {
        let input = ScaleInput { name: " ".into(), steps: vec![step(2, "Matig"), step(2, "")] };
        let Err(Error::Validation(list)) = input.validate() else { panic!("should be refused") };
        let names: Vec<_> = list.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["name", "steps[1].descriptor", "steps[1].points"]);
    }

    #[test]
    fn textarea_lines_become_steps_and_back() {
        let steps = parse_steps("0 = Onvoldoende\n\n10 = Uitstekend").unwrap_or_default();
        assert_eq!(steps, vec![step(0, "Onvoldoende"), step(10, "Uitstekend")]);
        assert_eq!(format_steps(&steps), "0 = Onvoldoende\n10 = Uitstekend");
        assert!(parse_steps("goed").is_err());
    }
}
