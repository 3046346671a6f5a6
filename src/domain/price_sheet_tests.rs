//! Tests of the prijzenblad check: every problem named by sheet and cell, totals recomputed.

use super::*;
use crate::domain::price_line::PriceLine;
use crate::domain::price_sheet::{COL_PRICE, FIRST_LINE_ROW, RawCell, RawValue, Strays, cell_name};

fn line(d: &str, unit: &str, q: i64) -> PriceLine {
    PriceLine { description: d.into(), unit: unit.into(), quantity: q }
}

fn sheet() -> LotSheet {
    LotSheet {
        lot_id: 7,
        lot_number: 1,
        lot_title: "B1-route".into(),
        name: "B1-route".into(),
        lines: vec![line("Taallessen", "lesuur", 600), line("KNM", "module", 1)],
        ceiling_cents: Some(1_450_000),
        kenmerk: "WF-1/P1/abc".into(),
    }
}

fn cell(row: u32, col: u32, value: RawValue) -> RawCell {
    RawCell { row, col, value: Some(value), formula: None }
}

fn text(row: u32, col: u32, t: &str) -> RawCell {
    cell(row, col, RawValue::Text(t.into()))
}

fn num(row: u32, col: u32, n: &str) -> RawCell {
    cell(row, col, RawValue::Number(n.into()))
}

/// A filled-in sheet with these unit prices in column D.
fn extract(prices: Vec<Option<RawCell>>) -> Extract {
    let mut cells = vec![text(0, 0, "Prijzenblad"), text(1, 3, "WF-1/P1/abc")];
    for (i, (l, price)) in sheet().lines.iter().zip(prices).enumerate() {
        let row = FIRST_LINE_ROW + i as u32;
        cells.push(text(row, 0, &l.description));
        cells.extend(price);
    }
    let mut x = Extract { sheet_names: vec!["Toelichting".into(), "B1-route".into()], ..Default::default() };
    x.cells.insert("B1-route".into(), cells);
    x
}

fn problems(x: &Extract) -> Vec<String> {
    match check(&sheet(), x) {
        Err(p) => p,
        Ok(found) => panic!("refused expected, got {found:?}"),
    }
}

#[test]
fn cells_are_named_as_excel_names_them() {
    assert_eq!(cell_name(0, 0), "A1");
    assert_eq!(cell_name(11, 3), "D12");
    assert_eq!(cell_name(0, 25), "Z1");
    assert_eq!(cell_name(0, 26), "AA1");
    assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
}

#[test]
fn a_filled_sheet_gives_the_price_per_trajectory_recomputed_in_cents() {
    let x = extract(vec![Some(num(6, COL_PRICE, "19.5")), Some(num(7, COL_PRICE, "450"))]);
    let read = check(&sheet(), &x).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(read.lines[0].amount_cents, 600 * 1950);
    assert_eq!(read.total_cents, 600 * 1950 + 45_000);
    assert_eq!(read.kenmerk, "WF-1/P1/abc");
}

#[test]
fn every_bad_price_cell_is_named_with_what_is_wrong() {
    let formula = RawCell { formula: Some("B2*3".into()), ..num(7, COL_PRICE, "3") };
    let p = problems(&extract(vec![None, Some(formula)]));
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].starts_with("Blad B1-route, cel D7: vul de prijs per eenheid in (Taallessen)"), "{p:?}");
    assert!(p[1].starts_with("Blad B1-route, cel D8: bevat een formule (=B2*3)"), "{p:?}");

    let p = problems(&extract(vec![Some(text(6, COL_PRICE, "19,50")), Some(num(7, COL_PRICE, "-5"))]));
    assert!(p[0].starts_with("Blad B1-route, cel D7: '19,50' is tekst, geen bedrag"), "{p:?}");
    assert!(p[1].starts_with("Blad B1-route, cel D8: een prijs kan niet negatief zijn (-5)"), "{p:?}");

    let p = problems(&extract(vec![Some(num(6, COL_PRICE, "19.555")), Some(cell(7, COL_PRICE, RawValue::Bool(true)))]));
    assert!(p[0].contains("cel D7: 19,555") && p[0].contains("twee decimalen"), "{p:?}");
    assert!(p[1].contains("cel D8: WAAR is geen bedrag"), "{p:?}");
}

#[test]
fn a_price_above_the_ceiling_is_refused_at_the_total() {
    let at_ceiling = extract(vec![Some(num(6, COL_PRICE, "24")), Some(num(7, COL_PRICE, "100"))]);
    assert_eq!(check(&sheet(), &at_ceiling).map(|s| s.total_cents), Ok(1_450_000));
    let p = problems(&extract(vec![Some(num(6, COL_PRICE, "24")), Some(num(7, COL_PRICE, "100.01"))]));
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with(
            "Blad B1-route, cel E9: de prijs per traject (€ 14.500,01) ligt boven de plafondprijs van € 14.500,00"
        ),
        "{p:?}"
    );
}

#[test]
fn a_wrong_workbook_is_recognised_by_its_sheets_and_its_kenmerk() {
    let mut x = extract(vec![Some(num(6, COL_PRICE, "1")), Some(num(7, COL_PRICE, "1"))]);
    x.sheet_names = vec!["Blad1".into()];
    let p = problems(&x);
    assert!(p[0].starts_with("Blad 'B1-route' ontbreekt (dit bestand heeft de bladen: Blad1)"), "{p:?}");

    let mut x = extract(vec![Some(num(6, COL_PRICE, "1")), Some(num(7, COL_PRICE, "1"))]);
    if let Some(cells) = x.cells.get_mut("B1-route") {
        cells.retain(|c| (c.row, c.col) != (1, 3));
        cells.push(text(1, 3, "WF-1/P1/oud"));
    }
    let p = problems(&x);
    assert!(
        p[0].starts_with("Blad B1-route, cel D2: het kenmerk 'WF-1/P1/oud' hoort niet bij de huidige versie van dit perceel (WF-1/P1/abc)"),
        "{p:?}"
    );
    if let Some(cells) = x.cells.get_mut("B1-route") {
        cells.retain(|c| (c.row, c.col) != (1, 3));
    }
    assert!(problems(&x)[0].starts_with("Blad B1-route, cel D2: het kenmerk ontbreekt"));
}

#[test]
fn rows_moved_and_cells_outside_the_table_are_named() {
    let mut x = extract(vec![Some(num(6, COL_PRICE, "1")), Some(num(7, COL_PRICE, "1"))]);
    let cells = x.cells.get_mut("B1-route").map(|c| {
        c.retain(|c| !(c.row == 7 && c.col == 0));
        c.push(text(7, 0, "Extra regel"));
    });
    assert!(cells.is_some());
    x.strays.insert("B1-route".into(), Strays { count: 12, first: vec![num(1_048_575, 16_383, "1")] });
    let p = problems(&x);
    assert!(p.iter().any(|m| m.starts_with("Blad B1-route, cel XFD1048576: buiten de tabel staat 1")), "{p:?}");
    assert!(p.iter().any(|m| m == "Blad B1-route: nog 11 cellen buiten de tabel zijn niet leeg."), "{p:?}");
    assert!(
        p.iter()
            .any(|m| m.starts_with("Blad B1-route, cel A8: hier hoort 'KNM' te staan, maar er staat 'Extra regel'")),
        "{p:?}"
    );
}

#[test]
fn thousands_of_problems_are_summarised() {
    let mut big = sheet();
    big.lines = (0..1000).map(|i| line(&format!("Regel {i}"), "uur", 1)).collect();
    let mut x = extract(vec![]);
    let mut cells: Vec<RawCell> = (0..1000).map(|i| text(FIRST_LINE_ROW + i, 0, &format!("Regel {i}"))).collect();
    cells.push(text(1, 3, "WF-1/P1/abc"));
    x.cells.insert("B1-route".into(), cells);
    let p = check(&big, &x).err().unwrap_or_default();
    assert_eq!(p.len(), MAX_PROBLEMS + 1);
    assert_eq!(p[MAX_PROBLEMS], "… en nog 975 andere problemen in dit blad.");
}
