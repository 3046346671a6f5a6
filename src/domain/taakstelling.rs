//! Taakstelling (housing target): how many statushouders each gemeente must house per half year,
//! as management imports it from a spreadsheet: a row per gemeente and half year under a header
//! row, with the gemeente (CBS code or name) in column A, the half year in B and the number in C.
//! Every bad row is named by row and column, and one bad row refuses the whole file: nothing is
//! imported half.

use super::forecast::HalfYear;
use super::price_sheet::{RawCell, RawValue, cell_name};

/// The sheet read, when the workbook has it; otherwise the first.
pub const SHEET: &str = "Taakstelling";
/// More people per gemeente per half year than any gemeente houses: a typing error.
const MOST: u32 = 10_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The CBS code, e.g. GM0405.
    pub municipality: String,
    pub half: HalfYear,
    pub people: u32,
}

/// A gemeente as the import may name it.
pub struct Known<'a> {
    pub code: &'a str,
    pub name: &'a str,
}

fn text(v: &RawValue) -> String {
    match v {
        RawValue::Number(s) | RawValue::Text(s) | RawValue::Date(s) | RawValue::Error(s) => s.trim().to_owned(),
        RawValue::Bool(b) => b.to_string(),
    }
}

/// The targets in the cells of the sheet (row 0 is the header), or every problem found.
pub fn from_cells(cells: &[RawCell], gemeenten: &[Known]) -> Result<Vec<Target>, Vec<String>> {
    let mut rows: std::collections::BTreeMap<u32, [Option<String>; 3]> = Default::default();
    let mut problems = Vec::new();
    for c in cells.iter().filter(|c| c.row > 0) {
        match (c.col, &c.value) {
            (0..=2, Some(v)) => rows.entry(c.row).or_default()[c.col as usize] = Some(text(v)),
            (0..=2, None) => {}
            (_, Some(_)) => {
                problems.push(format!("{}: alleen de kolommen A, B en C worden gelezen.", cell_name(c.row, c.col)))
            }
            (_, None) => {}
        }
    }
    let mut targets: Vec<(u32, Target)> = Vec::new();
    for (row, [gemeente, half, people]) in rows {
        let at = |col: u32| cell_name(row, col);
        let gemeente = gemeente.filter(|g| !g.is_empty());
        let found = match &gemeente {
            None => Err(format!("{}: vul de gemeente in (CBS-code of naam).", at(0))),
            Some(g) => gemeenten
                .iter()
                .find(|k| k.code.eq_ignore_ascii_case(g) || k.name.eq_ignore_ascii_case(g))
                .map(|k| k.code.to_owned())
                .ok_or_else(|| format!("{}: '{g}' is geen gemeente van deze regio.", at(0))),
        };
        let half = match half.filter(|h| !h.is_empty()) {
            None => Err(format!("{}: vul het halfjaar in, bijvoorbeeld 2027-H1.", at(1))),
            Some(h) => HalfYear::parse(&h).map_err(|m| format!("{}: {m}", at(1))),
        };
        let people = match people.filter(|p| !p.is_empty()) {
            None => Err(format!("{}: vul het aantal statushouders in.", at(2))),
            Some(p) => p
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= MOST)
                .ok_or_else(|| format!("{}: '{p}' is geen heel aantal van 0 tot en met {MOST}.", at(2))),
        };
        match (found, half, people) {
            (Ok(municipality), Ok(half), Ok(people)) => {
                match targets.iter().find(|(_, t)| t.municipality == municipality && t.half == half) {
                    Some((first, _)) => {
                        problems.push(format!("Rij {}: {municipality} {half} staat ook in rij {}.", row + 1, first + 1))
                    }
                    None => targets.push((row, Target { municipality, half, people })),
                }
            }
            (a, b, c) => problems.extend([a.err(), b.err(), c.err()].into_iter().flatten()),
        }
    }
    if targets.is_empty() && problems.is_empty() {
        problems.push("Er staan geen regels onder de kopregel.".into());
    }
    if problems.is_empty() { Ok(targets.into_iter().map(|(_, t)| t).collect()) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGION: &[Known] = &[Known { code: "GM0405", name: "Hoorn" }, Known { code: "GM0388", name: "Enkhuizen" }];

    fn cell(row: u32, col: u32, v: &str) -> RawCell {
        let value = match v.parse::<f64>() {
            Ok(_) => RawValue::Number(v.into()),
            Err(_) => RawValue::Text(v.into()),
        };
        RawCell { row, col, value: Some(value), formula: None }
    }

    fn sheet(rows: &[[&str; 3]]) -> Vec<RawCell> {
        let mut cells = vec![cell(0, 0, "Gemeente"), cell(0, 1, "Halfjaar"), cell(0, 2, "Aantal")];
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                cells.push(cell(r as u32 + 1, c as u32, v));
            }
        }
        cells
    }

    #[test]
    fn rows_by_code_or_name_become_targets() {
        let read = from_cells(&sheet(&[["GM0405", "2027-H1", "47"], ["enkhuizen", "2027-h1", "12"]]), REGION);
        let h1 = HalfYear { year: 2027, half: 1 };
        assert_eq!(
            read,
            Ok(vec![
                Target { municipality: "GM0405".into(), half: h1, people: 47 },
                Target { municipality: "GM0388".into(), half: h1, people: 12 },
            ])
        );
    }

    #[test]
    fn every_bad_row_is_named_by_row_and_column_and_nothing_is_taken() {
        let read = from_cells(
            &sheet(&[
                ["Hoorn", "2027-H1", "47"],
                ["Alkmaar", "2027-H1", "30"],
                ["Hoorn", "2027-H3", "12,5"],
                ["", "2027-H2", ""],
                ["GM0405", "2027-H1", "5"],
            ]),
            REGION,
        );
        assert_eq!(
            read,
            Err(vec![
                "A3: 'Alkmaar' is geen gemeente van deze regio.".to_owned(),
                "B4: '2027-H3' is geen halfjaar; schrijf bijvoorbeeld 2027-H1 of 2027-H2.".to_owned(),
                "C4: '12,5' is geen heel aantal van 0 tot en met 10000.".to_owned(),
                "A5: vul de gemeente in (CBS-code of naam).".to_owned(),
                "C5: vul het aantal statushouders in.".to_owned(),
                "Rij 6: GM0405 2027-H1 staat ook in rij 2.".to_owned(),
            ])
        );
    }

    #[test]
    fn an_empty_sheet_or_a_cell_beside_the_table_is_refused() {
        assert_eq!(from_cells(&sheet(&[]), REGION), Err(vec!["Er staan geen regels onder de kopregel.".to_owned()]));
        let mut cells = sheet(&[["Hoorn", "2027-H1", "47"]]);
        cells.push(cell(1, 3, "opmerking"));
        assert_eq!(
            from_cells(&cells, REGION),
            Err(vec!["D2: alleen de kolommen A, B en C worden gelezen.".to_owned()])
        );
    }
}
