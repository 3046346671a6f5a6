//! Prijzenblad (price sheet): where each perceel's prices sit in the workbook, the kenmerk that
//! ties a workbook to its tender, the cells read back from an upload, and the prices found.
//!
//! Layout of a perceel's sheet (rows and columns as Excel numbers them):
//! rows 1–4 title and instructions, row 6 the header, from row 7 one price line per row with
//! A omschrijving, B eenheid, C aantal per traject, D prijs per eenheid (the only input),
//! E bedrag; the row after the last line holds the price per trajectory in E.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::lot::Lot;
use super::price_line::PriceLine;
use super::tender::Tender;

/// The first sheet: instructions and the kenmerk.
pub const INSTRUCTIONS_SHEET: &str = "Toelichting";
/// Zero-based position of the kenmerk in the instructions sheet (B3).
pub const KENMERK_CELL: (u32, u32) = (2, 1);
/// Zero-based row of the header and of the first price line.
pub const HEADER_ROW: u32 = 5;
pub const FIRST_LINE_ROW: u32 = 6;
pub const COL_DESCRIPTION: u32 = 0;
pub const COL_UNIT: u32 = 1;
pub const COL_QUANTITY: u32 = 2;
pub const COL_PRICE: u32 = 3;
pub const COL_AMOUNT: u32 = 4;
/// Highest unit price taken, in cents (€ 10 million): beyond it a typing error is likelier.
pub const MAX_UNIT_PRICE_CENTS: i64 = 1_000_000_000;

/// Excel's characters that a sheet name may not hold, and its length limit.
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
}

impl LotSheet {
    /// Zero-based row of the price per trajectory.
    pub fn total_row(&self) -> u32 {
        FIRST_LINE_ROW + self.lines.len() as u32
    }
}

/// The whole workbook of a tender: one sheet per perceel that asks prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Workbook {
    pub reference: String,
    pub title: String,
    pub kenmerk: String,
    pub sheets: Vec<LotSheet>,
}

impl Workbook {
    pub fn of(t: &Tender) -> Workbook {
        let asking: Vec<&Lot> = t.lots.iter().filter(|l| l.asks_prices()).collect();
        let sheets: Vec<LotSheet> = asking
            .iter()
            .map(|l| LotSheet {
                lot_id: l.id,
                lot_number: l.number,
                lot_title: l.title.clone(),
                name: sheet_name(l, &asking),
                lines: l.sheet_lines(),
                ceiling_cents: l.ceiling_price.and_then(|c| super::money::to_cents(c).ok()),
            })
            .collect();
        // The kenmerk changes when anything that decides the sheet's shape or checks changes,
        // so a sheet downloaded before a correction is recognised as outdated.
        let mut h = Sha256::new();
        for s in &sheets {
            h.update(format!("{}|{}|{:?}|", s.lot_number, s.name, s.ceiling_cents));
            for l in &s.lines {
                h.update(format!("{}|{}|{};", l.description, l.unit, l.quantity));
            }
        }
        let kenmerk = format!("{}/{}", t.reference, &hex::encode(h.finalize())[..10]);
        Workbook { reference: t.reference.clone(), title: t.title.clone(), kenmerk, sheets }
    }

    pub fn sheet_for(&self, lot_id: i64) -> Option<&LotSheet> {
        self.sheets.iter().find(|s| s.lot_id == lot_id)
    }
}

/// The perceel's title as a valid, unique sheet name; `Perceel N` where the title cannot be.
fn sheet_name(lot: &Lot, all: &[&Lot]) -> String {
    let clean = |l: &Lot| -> String {
        let s: String = l.title.chars().filter(|c| !FORBIDDEN.contains(c)).collect();
        s.trim().trim_matches('\'').chars().take(MAX_SHEET_NAME).collect::<String>().trim().to_owned()
    };
    let name = clean(lot);
    let unique = all.iter().filter(|o| clean(o).eq_ignore_ascii_case(&name)).count() == 1;
    if name.is_empty() || !unique || name.eq_ignore_ascii_case(INSTRUCTIONS_SHEET) {
        format!("Perceel {}", lot.number)
    } else {
        name
    }
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

/// What the reader returns: every sheet name in the workbook and the non-empty cells of the
/// sheets asked for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Extract {
    pub sheet_names: Vec<String>,
    pub cells: BTreeMap<String, Vec<RawCell>>,
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
