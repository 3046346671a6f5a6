//! Prijsregel (price line): one part of a trajectory's price on the prijzenblad, e.g.
//! "Taallessen B1, lesuur, 600". The bidder fills in the price per unit; the price per
//! trajectory is the sum of quantity × unit price over the lines.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::Problems;

/// Most lines a perceel may have; a prijzenblad beyond that is no longer a price sheet.
pub const MAX_LINES: usize = 10_000;

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PriceLine {
    /// What is priced (`Taallessen B1`).
    pub description: String,
    /// The unit the price is per (`lesuur`, `module`, `traject`).
    pub unit: String,
    /// How many units one trajectory takes.
    pub quantity: i64,
}

impl PriceLine {
    /// The line a perceel without its own lines gets: the price of one whole trajectory.
    pub fn whole_trajectory() -> PriceLine {
        PriceLine { description: "Prijs per traject".into(), unit: "traject".into(), quantity: 1 }
    }
}

/// Checks and trims the lines; problems are named `price_lines[i].field`.
pub fn validate(lines: &[PriceLine], p: &mut Problems) -> Vec<PriceLine> {
    if lines.len() > MAX_LINES {
        p.add("price_lines", format!("Een prijzenblad heeft hoogstens {MAX_LINES} regels."));
    }
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let name = |f: &str| format!("price_lines[{i}].{f}");
            let line = PriceLine {
                description: l.description.trim().to_owned(),
                unit: l.unit.trim().to_owned(),
                quantity: l.quantity,
            };
            // A `;` or a line break would make the form's text area read the line differently.
            let plain = |t: &str| !t.contains(';') && !t.chars().any(char::is_control);
            if line.description.is_empty() || line.description.chars().count() > 200 {
                p.add(name("description"), "Geef de prijsregel een omschrijving van hoogstens 200 tekens.");
            } else if !plain(&line.description) {
                p.add(name("description"), "Een omschrijving bevat geen puntkomma of regeleinde.");
            }
            if line.unit.is_empty() || line.unit.chars().count() > 40 {
                p.add(name("unit"), "Geef de eenheid (bijvoorbeeld lesuur of traject), hoogstens 40 tekens.");
            } else if !plain(&line.unit) {
                p.add(name("unit"), "Een eenheid bevat geen puntkomma of regeleinde.");
            }
            if !(1..=1_000_000).contains(&line.quantity) {
                p.add(name("quantity"), "Het aantal per traject ligt tussen 1 en 1.000.000.");
            }
            if lines[..i].iter().any(|o| o.description.trim().eq_ignore_ascii_case(&line.description)) {
                p.add(name("description"), "Deze omschrijving staat er al; elke prijsregel is anders.");
            }
            line
        })
        .collect()
}

/// Reads the lines of a form's text area: one per line, `omschrijving; eenheid; aantal`.
/// Problems are named by line number, the way the person typed them; the second list gives
/// the line number (from 1) each price line was typed on, for naming later problems.
pub fn parse_text(text: &str, field: &str, p: &mut Problems) -> (Vec<PriceLine>, Vec<usize>) {
    let (mut lines, mut typed_on) = (Vec::new(), Vec::new());
    for (i, raw) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let parts: Vec<&str> = raw.split(';').map(str::trim).collect();
        match parts.as_slice() {
            [description, unit, quantity] => match whole_number(quantity) {
                Some(quantity) => {
                    lines.push(PriceLine { description: description.to_string(), unit: unit.to_string(), quantity });
                    typed_on.push(i + 1);
                }
                None => p.add(field, format!("Regel {}: het aantal '{quantity}' is geen geheel getal.", i + 1)),
            },
            _ => {
                p.add(field, format!("Regel {}: schrijf omschrijving; eenheid; aantal (met twee puntkomma's).", i + 1))
            }
        }
    }
    (lines, typed_on)
}

/// A whole number as typed in Dutch: `600` or `1.200`, where a dot only groups thousands.
fn whole_number(s: &str) -> Option<i64> {
    let groups: Vec<&str> = s.split('.').collect();
    let grouped = groups.len() == 1
        || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    let digits = groups.concat();
    (grouped && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
}

/// The lines as the form's text area shows them.
pub fn to_text(lines: &[PriceLine]) -> String {
    lines.iter().map(|l| format!("{}; {}; {}", l.description, l.unit, l.quantity)).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_area_reads_back_into_the_same_lines() {
        let mut p = Problems::default();
        let (lines, typed_on) =
            parse_text("Taallessen B1; lesuur; 1.200\n\nKNM-module; module; 1\n", "price_lines", &mut p);
        assert!(p.is_empty());
        assert_eq!(typed_on, [1, 3]);
        assert_eq!(lines[0], PriceLine { description: "Taallessen B1".into(), unit: "lesuur".into(), quantity: 1200 });
        assert_eq!(parse_text(&to_text(&lines), "price_lines", &mut p).0, lines);
    }

    #[test]
    fn a_badly_typed_line_is_named_by_its_number() {
        let mut p = Problems::default();
        parse_text(
            "Taal; lesuur; 600\nKNM; module\nPVT; uur; veel\nMAP; uur; 1.5\nExamen; uur; 12.00",
            "price_lines",
            &mut p,
        );
        let reasons: Vec<String> = p.0.iter().map(|f| f.reason.clone()).collect();
        assert!(reasons[0].starts_with("Regel 2:"), "{reasons:?}");
        assert!(reasons[1].starts_with("Regel 3:") && reasons[1].contains("veel"), "{reasons:?}");
        assert!(reasons[2].starts_with("Regel 4:") && reasons[2].contains("'1.5'"), "1.5 is not fifteen: {reasons:?}");
        assert!(reasons[3].starts_with("Regel 5:"), "{reasons:?}");
    }

    #[test]
    fn lines_need_a_description_a_unit_a_quantity_and_no_twins() {
        let mut p = Problems::default();
        let line = |d: &str, u: &str, q| PriceLine { description: d.into(), unit: u.into(), quantity: q };
        validate(&[line("Taal", "uur", 0), line(" ", "", 1), line("taal ", "uur", 2), line("A;B", "u;ur", 1)], &mut p);
        let names: Vec<&str> = p.0.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "price_lines[0].quantity",
                "price_lines[1].description",
                "price_lines[1].unit",
                "price_lines[2].description",
                "price_lines[3].description",
                "price_lines[3].unit"
            ]
        );
    }
}
