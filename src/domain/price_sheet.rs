//! Prijzenblad (price sheet): where each perceel's prices sit in the workbook, the kenmerk that
//! ties a sheet to its perceel as published, the cells read back from an upload, and the
//! prices found.
//!
//! Layout of a perceel's sheet (rows and columns as Excel numbers them):
//! row 1 the title, row 2 the tender with the sheet's kenmerk in D2, rows 3–4 instructions and
//! the ceiling, row 6 the header, from row 7 one price line per row with A omschrijving,
//! B eenheid, C aantal per traject, D prijs per eenheid (the only input), E bedrag; the row
//! after the last line holds the price per trajectory in E.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::lot::Lot;
use super::price_line::PriceLine;
use super::tender::Tender;

/// The first sheet: instructions only.
pub const INSTRUCTIONS_SHEET: &str = "Toelichting";
/// Zero-based position of the kenmerk on a perceel's sheet (D2).
pub const KENMERK_CELL: (u32, u32) = (1, 3);
/// Zero-based row of the header and of the first price line.
pub const HEADER_ROW: u32 = 5;
pub const FIRST_LINE_ROW: u32 = 6;
pub const COL_DESCRIPTION: u32 = 0;
pub const COL_UNIT: u32 = 1;
pub const COL_QUANTITY: u32 = 2;
pub const COL_PRICE: u32 = 3;
pub const COL_AMOUNT: u32 = 4;
/// The columns read back: the rest of the table is the sheet's own locked text and formulas,
/// which the service does not take from the bidder but computes itself.
pub const READ_COLUMNS: [u32; 2] = [COL_DESCRIPTION, COL_PRICE];
/// Highest unit price taken, in cents (€ 10 million): beyond it a typing error is likelier.
pub const MAX_UNIT_PRICE_CENTS: i64 = 1_000_000_000;

/// Excel's characters that a sheet name may not hold, and its length limit in UTF-16 units.
const FORBIDDEN: &[char] = &['[', ']', ':', '*', '?', '/', '\\'];
const MAX_SHEET_NAME: usize = 31;

/// One perceel's sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LotSheet {
    pub lot_id: i64,
    pub lot_number: i32,
    pub lot_title: String,
    pub name: String,
    pub lines: Vec<PriceLine>,
    pub ceiling_cents: Option<i64>,
    /// Changes when anything that decides this sheet's shape or checks changes, so a sheet
    /// downloaded before a correction of this perceel is recognised; other percelen do not count.
    pub kenmerk: String,
}

impl LotSheet {
    /// Zero-based row of the price per trajectory.
    pub fn total_row(&self) -> u32 {
        FIRST_LINE_ROW + self.lines.len() as u32
    }

    fn new(reference: &str, lot: &Lot, name: String) -> LotSheet {
        let lines = lot.sheet_lines();
        let ceiling_cents = lot.ceiling_price.and_then(|c| super::money::to_cents(c).ok());
        let mut h = Sha256::new();
        h.update(format!("{}|{name}|{ceiling_cents:?}|", lot.number));
        for l in &lines {
            h.update(format!("{}|{}|{};", l.description, l.unit, l.quantity));
        }
        let kenmerk = format!("{reference}/P{}/{}", lot.number, &hex::encode(h.finalize())[..10]);
        LotSheet {
            lot_id: lot.id,
            lot_number: lot.number,
            lot_title: lot.title.clone(),
            name,
            lines,
            ceiling_cents,
            kenmerk,
        }
    }
}

/// The whole workbook of a tender: one sheet per perceel that asks prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Workbook {
    pub reference: String,
    pub title: String,
    pub sheets: Vec<LotSheet>,
}

impl Workbook {
    pub fn of(t: &Tender) -> Workbook {
        let mut taken: Vec<String> = vec![INSTRUCTIONS_SHEET.to_lowercase()];
        let mut sheets = Vec::new();
        for lot in t.lots.iter().filter(|l| l.asks_prices()) {
            let name = sheet_name(lot, &taken);
            taken.push(name.to_lowercase());
            sheets.push(LotSheet::new(&t.reference, lot, name));
        }
        Workbook { reference: t.reference.clone(), title: t.title.clone(), sheets }
    }

    pub fn sheet_for(&self, lot_id: i64) -> Option<&LotSheet> {
        self.sheets.iter().find(|s| s.lot_id == lot_id)
    }
}

/// The perceel's title as a sheet name Excel takes — no forbidden characters, at most 31
/// UTF-16 units, no apostrophe at either end — unique in the workbook as Excel compares
/// (ignoring case); otherwise `Perceel N`, numbered on when even that is taken.
fn sheet_name(lot: &Lot, taken: &[String]) -> String {
    let mut name = String::new();
    for c in lot.title.chars().filter(|c| !FORBIDDEN.contains(c) && !c.is_control()) {
        if name.encode_utf16().count() + c.len_utf16() > MAX_SHEET_NAME {
            break;
        }
        name.push(c);
    }
    let name = name.trim_matches(|c: char| c == '\'' || c.is_whitespace()).to_owned();
    let free = |n: &str| !n.is_empty() && !taken.contains(&n.to_lowercase());
    if free(&name) {
        return name;
    }
    let fallback = format!("Perceel {}", lot.number);
    (1..)
        .map(|i| if i == 1 { fallback.clone() } else { format!("{fallback} ({i})") })
        .find(|n| free(n))
        .unwrap_or(fallback)
}

/// A cell's name as Excel shows it: zero-based (row 11, column 3) is `D12`.
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push((b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// A cell's value as the reader found it. Numbers keep their shortest exact text, so no
/// float arithmetic happens on a price.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum RawValue {
    Number(String),
    Text(String),
    Bool(bool),
    Date(String),
    Error(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RawCell {
    pub row: u32,
    pub col: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<RawValue>,
    /// The formula, when the cell holds one (its value is then the cached result).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
}

/// Filled cells outside the table: how many, and the first few to name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Strays {
    pub count: usize,
    pub first: Vec<RawCell>,
}

/// What the reader returns: every sheet name in the workbook, the filled cells of the read
/// columns inside the table of the sheets asked for, and what lies outside that table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Extract {
    pub sheet_names: Vec<String>,
    pub cells: BTreeMap<String, Vec<RawCell>>,
    #[serde(default)]
    pub strays: BTreeMap<String, Strays>,
}

/// One priced line, in cents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PricedLine {
    pub description: String,
    pub unit: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
}

/// The prices read from a bidder's prijzenblad for one perceel, recomputed by the service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PriceSheet {
    pub kenmerk: String,
    pub lines: Vec<PricedLine>,
    /// The price per trajectory, excl. btw: the sum of the amounts.
    pub total_cents: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lot::{PriceCriterion, Volume};
    use crate::domain::price_formula::PriceFormulaKind;
    use rust_decimal::Decimal;

    fn lot(number: i32, title: &str) -> Lot {
        Lot {
            id: i64::from(number),
            number,
            title: title.into(),
            learning_route: "b1-route".into(),
            learning_route_name: "B1-route".into(),
            description: String::new(),
            max_winners: 1,
            ceiling_price: Some(Decimal::from(14500)),
            ceiling_price_rationale: String::new(),
            volumes: Vec::<Volume>::new(),
            price: PriceCriterion {
                formula: PriceFormulaKind::RelativeToLowest,
                weight_percent: Decimal::from(30),
                bandwidth_min: None,
                bandwidth_max: None,
                log_factor: None,
                description: String::new(),
            },
            quality_criteria: vec![],
            price_lines: vec![],
        }
    }

    fn names(titles: &[&str]) -> Vec<String> {
        let mut taken = vec![INSTRUCTIONS_SHEET.to_lowercase()];
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let n = sheet_name(&lot(i as i32 + 1, t), &taken);
                taken.push(n.to_lowercase());
                n
            })
            .collect()
    }

    #[test]
    fn every_title_becomes_a_sheet_name_excel_takes_and_no_two_are_alike() {
        let got = names(&[
            "B1-route",
            "b1-route",
            "'Z-route: [oud]'",
            "Een heel lange titel van een perceel voor de onderwijsroute",
            "Perceel 2",
            "Toelichting",
            "Leerroute 🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂",
            "   ",
        ]);
        assert_eq!(got[0], "B1-route");
        assert_eq!(got[1], "Perceel 2", "case does not make a name unique in Excel");
        assert_eq!(got[2], "Z-route oud");
        assert_eq!(got[3], "Een heel lange titel van een pe");
        assert_eq!(got[4], "Perceel 5", "a perceel may be called like another's fallback");
        assert_eq!(got[5], "Perceel 6");
        assert_eq!(got[7], "Perceel 8");
        for n in &got {
            assert!(rust_xlsxwriter_rules(n), "{n}");
        }
        assert!(got[6].encode_utf16().count() <= 31);
    }

    /// The same rules rust_xlsxwriter applies when a sheet is named.
    fn rust_xlsxwriter_rules(n: &str) -> bool {
        !n.is_empty()
            && n.encode_utf16().count() <= 31
            && !n.contains(FORBIDDEN)
            && !n.starts_with('\'')
            && !n.ends_with('\'')
    }

    #[test]
    fn a_perceels_kenmerk_changes_with_its_own_lines_only() {
        let t = |lines: Vec<PriceLine>| {
            let mut b1 = lot(1, "B1-route");
            b1.price_lines = lines;
            (LotSheet::new("WF-1", &b1, "B1-route".into()), LotSheet::new("WF-1", &lot(2, "Z-route"), "Z-route".into()))
        };
        let (a1, a2) = t(vec![]);
        let (b1, b2) = t(vec![PriceLine { description: "Taal".into(), unit: "uur".into(), quantity: 600 }]);
        assert_ne!(a1.kenmerk, b1.kenmerk);
        assert_eq!(a2.kenmerk, b2.kenmerk, "another perceel's correction leaves this sheet valid");
        assert!(a1.kenmerk.starts_with("WF-1/P1/"));
    }
}
