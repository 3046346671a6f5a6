//! Controle van het prijzenblad (price sheet check): every required cell of a perceel's sheet,
//! each problem named by sheet and cell in Dutch, and the price per trajectory recomputed from
//! the unit prices, never taken from the sheet's own totals.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::money;
use super::price_sheet::{
    COL_AMOUNT, COL_DESCRIPTION, COL_PRICE, Extract, FIRST_LINE_ROW, KENMERK_CELL, LotSheet, MAX_UNIT_PRICE_CENTS,
    PriceSheet, PricedLine, RawCell, RawValue, cell_name,
};

/// More problems than this are summarised: a sheet of empty cells needs one message, not 10,000.
const MAX_PROBLEMS: usize = 25;

fn shown(v: &Option<RawValue>) -> String {
    match v {
        None => "leeg".into(),
        Some(RawValue::Number(n)) => n.replace('.', ","),
        Some(RawValue::Text(t)) if t.chars().count() > 40 => format!("'{}…'", t.chars().take(40).collect::<String>()),
        Some(RawValue::Text(t)) => format!("'{t}'"),
        Some(RawValue::Bool(b)) => if *b { "WAAR" } else { "ONWAAR" }.into(),
        Some(RawValue::Date(d)) => format!("de datum {d}"),
        Some(RawValue::Error(e)) => format!("de foutwaarde {e}"),
    }
}

fn text(c: Option<&&RawCell>) -> String {
    match c.and_then(|c| c.value.as_ref()) {
        Some(RawValue::Text(t)) => t.trim().to_owned(),
        Some(RawValue::Number(n)) => n.clone(),
        _ => String::new(),
    }
}

/// The unit price in one cell, in cents, or what is wrong with it.
fn unit_price(cell: Option<&&RawCell>, description: &str) -> Result<i64, String> {
    let Some(c) = cell else {
        return Err(format!("vul de prijs per eenheid in ({description})."));
    };
    if let Some(f) = &c.formula {
        return Err(format!("bevat een formule (={f}); vul het bedrag zelf in, zonder formule."));
    }
    let n = match &c.value {
        None => return Err(format!("vul de prijs per eenheid in ({description}).")),
        Some(RawValue::Number(n)) => n,
        Some(RawValue::Text(_)) => {
            return Err(format!(
                "{} is tekst, geen bedrag; vul een getal in (bijvoorbeeld 19,50), zonder eurosteken.",
                shown(&c.value)
            ));
        }
        Some(_) => return Err(format!("{} is geen bedrag; vul een getal in (bijvoorbeeld 19,50).", shown(&c.value))),
    };
    let d: Decimal = n.parse().map_err(|_| format!("{} is geen bruikbaar bedrag.", shown(&c.value)))?;
    if d.is_sign_negative() && !d.is_zero() {
        return Err(format!("een prijs kan niet negatief zijn ({}).", shown(&c.value)));
    }
    let cents = money::to_cents(d).map_err(|e| format!("{} — {e}", shown(&c.value)))?;
    if cents > MAX_UNIT_PRICE_CENTS {
        return Err(format!(
            "{} is hoger dan het maximum van {}.",
            shown(&c.value),
            money::format_euro(MAX_UNIT_PRICE_CENTS)
        ));
    }
    Ok(cents)
}

/// Checks one perceel's sheet of an uploaded workbook; the problems are Dutch sentences that
/// start with the sheet and the cell.
pub fn check(sheet: &LotSheet, x: &Extract) -> Result<PriceSheet, Vec<String>> {
    if !x.sheet_names.iter().any(|n| n == &sheet.name) {
        let found = if x.sheet_names.is_empty() { "geen".to_owned() } else { x.sheet_names.join(", ") };
        return Err(vec![format!(
            "Blad '{}' ontbreekt (dit bestand heeft de bladen: {found}). Gebruik het prijzenblad dat u bij deze aanbesteding downloadt en wijzig de namen van de bladen niet.",
            sheet.name
        )]);
    }
    let mut p = Vec::new();
    let empty = Vec::new();
    let cells = x.cells.get(&sheet.name).unwrap_or(&empty);
    let at: HashMap<(u32, u32), &RawCell> = cells.iter().map(|c| ((c.row, c.col), c)).collect();
    let here = |row: u32, col: u32| format!("Blad {}, cel {}", sheet.name, cell_name(row, col));
    let (kr, kc) = KENMERK_CELL;
    match text(at.get(&KENMERK_CELL)) {
        k if k == sheet.kenmerk => {}
        k if k.is_empty() => p.push(format!(
            "{}: het kenmerk ontbreekt. Gebruik het prijzenblad dat u bij deze aanbesteding downloadt.",
            here(kr, kc)
        )),
        k => p.push(format!(
            "{}: het kenmerk {} hoort niet bij de huidige versie van dit perceel ({}). Download het prijzenblad opnieuw: na een correctie geldt alleen het nieuwe.",
            here(kr, kc),
            shown(&Some(RawValue::Text(k))),
            sheet.kenmerk
        )),
    }
    if let Some(strays) = x.strays.get(&sheet.name) {
        for c in &strays.first {
            p.push(format!(
                "{}: buiten de tabel staat {}. Laat alles buiten de tabel leeg.",
                here(c.row, c.col),
                shown(&c.value)
            ));
        }
        if strays.count > strays.first.len() {
            p.push(format!(
                "Blad {}: nog {} cellen buiten de tabel zijn niet leeg.",
                sheet.name,
                strays.count - strays.first.len()
            ));
        }
    }
    let mut lines = Vec::with_capacity(sheet.lines.len());
    let mut total: i64 = 0;
    for (i, line) in sheet.lines.iter().enumerate() {
        let row = FIRST_LINE_ROW + i as u32;
        let found = text(at.get(&(row, COL_DESCRIPTION)));
        if found != line.description {
            p.push(format!(
                "{}: hier hoort '{}' te staan, maar er staat {}. Voeg geen rijen toe en verwijder er geen.",
                here(row, COL_DESCRIPTION),
                line.description,
                shown(&Some(RawValue::Text(found)))
            ));
            continue;
        }
        match unit_price(at.get(&(row, COL_PRICE)), &line.description) {
            Ok(cents) => {
                let amount = cents.checked_mul(line.quantity);
                match amount.and_then(|a| total.checked_add(a).map(|t| (a, t))) {
                    Some((amount_cents, t)) => {
                        total = t;
                        lines.push(PricedLine {
                            description: line.description.clone(),
                            unit: line.unit.clone(),
                            quantity: line.quantity,
                            unit_price_cents: cents,
                            amount_cents,
                        });
                    }
                    None => p.push(format!("{}: dit bedrag maakt het totaal te groot.", here(row, COL_PRICE))),
                }
            }
            Err(e) => p.push(format!("{}: {e}", here(row, COL_PRICE))),
        }
    }
    if p.is_empty()
        && let Some(ceiling) = sheet.ceiling_cents
        && total > ceiling
    {
        p.push(format!(
            "{}: de prijs per traject ({}) ligt boven de plafondprijs van {}. Een inschrijving boven de plafondprijs wordt niet aangenomen.",
            here(sheet.total_row(), COL_AMOUNT),
            money::format_euro(total),
            money::format_euro(ceiling)
        ));
    }
    if p.len() > MAX_PROBLEMS {
        let rest = p.len() - MAX_PROBLEMS;
        p.truncate(MAX_PROBLEMS);
        p.push(format!("… en nog {rest} andere problemen in dit blad."));
    }
    if p.is_empty() { Ok(PriceSheet { kenmerk: sheet.kenmerk.clone(), lines, total_cents: total }) } else { Err(p) }
}

#[cfg(test)]
#[path = "price_sheet_tests.rs"]
mod tests;
