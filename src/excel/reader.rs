//! Cellen lezen (reading cells): what the child process does with an uploaded spreadsheet.
//! It recognises the kind by its first bytes, pre-checks a zip, and returns the non-empty cells
//! of the sheets asked for. Xlsx is read as a stream, cell by cell, so a far-away cell costs
//! nothing; xls and ods go through calamine's ranges, under the child's memory limit.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, DataRef, Reader, Xlsx, open_workbook_auto_from_rs};

use super::zip_check;
use crate::domain::price_sheet::{Extract, RawCell, RawValue};

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

fn number(f: f64) -> RawValue {
    // Rust prints the shortest text that reads back as the same float: 19.5, never 19.499999.
    RawValue::Number(format!("{f}"))
}

fn from_ref(v: &DataRef) -> Option<RawValue> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::Int(i) => RawValue::Number(i.to_string()),
        DataRef::Float(f) => number(*f),
        DataRef::String(s) => RawValue::Text(s.clone()),
        DataRef::SharedString(s) => RawValue::Text((*s).to_owned()),
        DataRef::Bool(b) => RawValue::Bool(*b),
        DataRef::DateTime(d) => RawValue::Date(d.to_string()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => RawValue::Date(s.clone()),
        DataRef::Error(e) => RawValue::Error(e.to_string()),
    })
}

fn from_data(v: &Data) -> Option<RawValue> {
    Some(match v {
        Data::Empty => return None,
        Data::Int(i) => RawValue::Number(i.to_string()),
        Data::Float(f) => number(*f),
        Data::String(s) => RawValue::Text(s.clone()),
        Data::Bool(b) => RawValue::Bool(*b),
        Data::DateTime(d) => RawValue::Date(d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => RawValue::Date(s.clone()),
        Data::Error(e) => RawValue::Error(e.to_string()),
    })
}

fn too_many() -> String {
    format!("Het bestand heeft meer dan {MAX_CELLS} gevulde cellen; dat is geen prijzenblad.")
}

fn broken<E: std::fmt::Display>(e: E) -> String {
    format!("Het rekenblad is beschadigd of onleesbaar ({e}).")
}

/// The cells of the sheets asked for that exist in the file, and every sheet name it has.
pub fn read(bytes: Vec<u8>, sheets: &[String]) -> Result<Extract, String> {
    let kind = sniff(&bytes)?;
    let mut cells = BTreeMap::new();
    let mut count = 0usize;
    if kind == Kind::Xlsx {
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(broken)?;
        let sheet_names = book.sheet_names();
        for name in sheets.iter().filter(|s| sheet_names.contains(s)) {
            let mut list = Vec::new();
            let mut reader = book.worksheet_cells_reader(name).map_err(broken)?;
            while let Some(c) = reader.next_cell_with_formula().map_err(broken)? {
                let value = from_ref(&c.value);
                let formula = c.formula.filter(|f| !f.is_empty());
                if value.is_some() || formula.is_some() {
                    count += 1;
                    if count > MAX_CELLS {
                        return Err(too_many());
                    }
                    list.push(RawCell { row: c.pos.0, col: c.pos.1, value, formula });
                }
            }
            cells.insert(name.clone(), list);
        }
        return Ok(Extract { sheet_names, cells });
    }
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(broken)?;
    let sheet_names = book.sheet_names();
    for name in sheets.iter().filter(|s| sheet_names.contains(s)) {
        let values = book.worksheet_range(name).map_err(broken)?;
        let formulas = book.worksheet_formula(name).map_err(broken)?;
        let (r0, c0) = values.start().unwrap_or((0, 0));
        let (fr0, fc0) = formulas.start().unwrap_or((0, 0));
        let mut at: BTreeMap<(u32, u32), RawCell> = BTreeMap::new();
        for (r, c, v) in values.used_cells() {
            let (row, col) = (r0 + r as u32, c0 + c as u32);
            at.insert((row, col), RawCell { row, col, value: from_data(v), formula: None });
        }
        for (r, c, f) in formulas.used_cells().filter(|(_, _, f)| !f.is_empty()) {
            let (row, col) = (fr0 + r as u32, fc0 + c as u32);
            at.entry((row, col)).or_insert(RawCell { row, col, value: None, formula: None }).formula = Some(f.clone());
        }
        count += at.len();
        if count > MAX_CELLS {
            return Err(too_many());
        }
        cells.insert(name.clone(), at.into_values().collect());
    }
    Ok(Extract { sheet_names, cells })
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
