//! Cellen lezen (reading cells): what the child process does with an uploaded spreadsheet.
//! It recognises the kind by its first bytes, pre-checks a zip, and returns the non-empty cells
//! of the sheets asked for. Xlsx is read as a stream, cell by cell, so a far-away cell costs
//! nothing; xls and ods go through calamine's ranges, under the child's memory limit.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_auto_from_rs};

use super::zip_check;
use crate::domain::price_sheet::{Extract, RawCell, RawValue, Strays};

/// More filled cells than any price sheet has; beyond it the file is refused.
pub const MAX_CELLS: usize = 500_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Xlsx,
    /// xls, and ods: read through calamine's detection.
    Other,
}

fn sniff(bytes: &[u8]) -> Result<Kind, String> {
    if bytes.is_empty() {
        return Err("Het bestand is leeg.".into());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        zip_check::check(bytes)?;
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| "Het bestand is beschadigd.".to_owned())?;
        let names: Vec<String> = zip.file_names().filter_map(|n| n.ok()).map(|n| n.into_owned()).collect();
        let has = |name: &str| names.iter().any(|n| n == name);
        if has("xl/workbook.xml") {
            return Ok(Kind::Xlsx);
        }
        if has("content.xml") && has("mimetype") {
            return Ok(Kind::Other);
        }
        return Err("Dit zip-bestand is geen rekenblad (xlsx of ods). Upload het ingevulde prijzenblad.".into());
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Kind::Other);
    }
    Err("Dit is geen Excel- of ODS-bestand (xlsx, xls of ods). Upload het ingevulde prijzenblad.".into())
}

/// The table of a sheet: rows and columns up to these (zero-based), of which only `columns`
/// are read back; anything filled outside the table is counted, the first few kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub last_row: u32,
    pub last_col: u32,
    pub columns: Vec<u32>,
}

/// Strays named in full; the rest are counted.
const FIRST_STRAYS: usize = 10;
/// Longer text is cut: a cell's text is shown in a message, never stored.
const MAX_TEXT: usize = 250;

fn raw(v: Data) -> Option<RawValue> {
    Some(match v {
        Data::Empty => return None,
        Data::Int(i) => RawValue::Number(i.to_string()),
        // Rust prints the shortest text that reads back as the same float: 19.5, never 19.499999.
        Data::Float(f) => RawValue::Number(format!("{f}")),
        Data::String(s) => RawValue::Text(s.chars().take(MAX_TEXT).collect()),
        Data::Bool(b) => RawValue::Bool(b),
        Data::DateTime(d) => RawValue::Date(d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => RawValue::Date(s),
        Data::Error(e) => RawValue::Error(e.to_string()),
    })
}

/// Collects one sheet's cells into the table's read columns and the strays.
struct Collector<'a> {
    bounds: &'a Bounds,
    cells: BTreeMap<(u32, u32), RawCell>,
    strays: Strays,
}

impl Collector<'_> {
    fn add(&mut self, row: u32, col: u32, value: Option<RawValue>, formula: Option<String>) -> Result<(), String> {
        let formula = formula.filter(|f| !f.is_empty()).map(|f| f.chars().take(MAX_TEXT).collect());
        if value.is_none() && formula.is_none() {
            return Ok(());
        }
        if row > self.bounds.last_row || col > self.bounds.last_col {
            self.strays.count += 1;
            if self.strays.first.len() < FIRST_STRAYS {
                self.strays.first.push(RawCell { row, col, value, formula });
            }
        } else if self.bounds.columns.contains(&col) {
            let cell = self.cells.entry((row, col)).or_insert(RawCell { row, col, value: None, formula: None });
            cell.value = cell.value.take().or(value);
            cell.formula = cell.formula.take().or(formula);
        }
        if self.cells.len() + self.strays.count > MAX_CELLS {
            return Err(format!("Het bestand heeft meer dan {MAX_CELLS} gevulde cellen; dat is geen prijzenblad."));
        }
        Ok(())
    }
}

/// The reader's own words stay in the child's log; the bidder gets them in Dutch.
fn broken<E: std::fmt::Display>(e: E) -> String {
    eprintln!("rekenblad onleesbaar: {e}");
    "Het rekenblad is beschadigd of onleesbaar. Sla het opnieuw op als xlsx en probeer het nog eens.".into()
}

/// Every sheet name the file has, and the cells of the sheets asked for that exist in it.
pub fn read(bytes: Vec<u8>, sheets: &[String], bounds: &Bounds) -> Result<Extract, String> {
    let kind = sniff(&bytes)?;
    let mut x = Extract::default();
    let mut collect = |name: &str, fill: &mut dyn FnMut(&mut Collector) -> Result<(), String>| -> Result<(), String> {
        let mut c = Collector { bounds, cells: BTreeMap::new(), strays: Strays::default() };
        fill(&mut c)?;
        x.cells.insert(name.to_owned(), c.cells.into_values().collect());
        if c.strays.count > 0 {
            x.strays.insert(name.to_owned(), c.strays);
        }
        Ok(())
    };
    let names = if kind == Kind::Xlsx {
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(broken)?;
        let names = book.sheet_names();
        for name in sheets.iter().filter(|s| names.contains(s)) {
            let mut reader = book.worksheet_cells_reader(name).map_err(broken)?;
            collect(name, &mut |c| {
                while let Some(cell) = reader.next_cell_with_formula().map_err(broken)? {
                    c.add(cell.pos.0, cell.pos.1, raw(Data::from(cell.value)), cell.formula)?;
                }
                Ok(())
            })?;
        }
        names
    } else {
        let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(broken)?;
        let names = book.sheet_names();
        for name in sheets.iter().filter(|s| names.contains(s)) {
            let values = book.worksheet_range(name).map_err(broken)?;
            let formulas = book.worksheet_formula(name).map_err(broken)?;
            let (r0, c0) = values.start().unwrap_or((0, 0));
            let (fr0, fc0) = formulas.start().unwrap_or((0, 0));
            collect(name, &mut |c| {
                for (r, col, v) in values.used_cells() {
                    c.add(r0 + r as u32, c0 + col as u32, raw(v.clone()), None)?;
                }
                for (r, col, f) in formulas.used_cells() {
                    c.add(fr0 + r as u32, fc0 + col as u32, None, Some(f.clone()))?;
                }
                Ok(())
            })?;
        }
        names
    };
    x.sheet_names = names;
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_a_spreadsheet_is_named_before_anything_is_parsed() {
        assert_eq!(sniff(b""), Err("Het bestand is leeg.".into()));
        assert!(sniff(b"%PDF-1.7 hallo").is_err_and(|e| e.starts_with("Dit is geen Excel- of ODS-bestand")));
        assert!(sniff(b"PK\x03\x04kapot").is_err_and(|e| e.starts_with("Het bestand is beschadigd")));
    }
}
