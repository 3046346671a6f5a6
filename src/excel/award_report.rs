//! Gunningsrapportage (award report) schrijven: the workbook management asks for, one sheet per
//! subject, each an Excel table under a title, with a frozen header, euro, percentage and date
//! formats and widths a person would choose; a native chart on the summary.
//!
//! What goes in the cells is decided elsewhere (`api::award_reports`); this file only lays them
//! out, so that the same cells can be written without the service's logic for comparison.

use chrono::NaiveDateTime;
use rust_xlsxwriter::{Chart, ChartType, Format, Table, TableColumn, TableStyle, Workbook, Worksheet, XlsxError};

use crate::errors::Error;

/// How a column's values are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    /// Two decimals.
    Number,
    Euro,
    /// A fraction shown as a percentage with one decimal.
    Percent,
    DateTime,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    DateTime(NaiveDateTime),
    Empty,
}

#[derive(Clone, Debug)]
pub struct Column {
    pub header: String,
    pub kind: Kind,
    /// In characters.
    pub width: f64,
}

impl Column {
    pub fn new(header: impl Into<String>, kind: Kind, width: f64) -> Column {
        Column { header: header.into(), kind, width }
    }
}

/// A column chart of one column of a sheet, by the values of another.
#[derive(Clone, Debug)]
pub struct ChartSpec {
    pub title: String,
    pub series: String,
    pub category_col: u16,
    pub value_col: u16,
}

#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub chart: Option<ChartSpec>,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub sheets: Vec<Sheet>,
}

/// The zip level of the workbook: a report is made on request and read at once, so saving
/// fast counts for more than the last fifth of its size (rust_xlsxwriter's default is 6).
pub const ZIP_LEVEL: u8 = 3;

/// The row of a table's header; the title sits above it.
pub const HEADER_ROW: u32 = 2;

fn xlsx(e: XlsxError) -> Error {
    Error::Internal(format!("gunningsrapportage: {e}"))
}

struct Formats {
    title: Format,
    header: Format,
    integer: Format,
    number: Format,
    euro: Format,
    percent: Format,
    date: Format,
    text: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new().set_bold(),
            integer: Format::new().set_num_format("0"),
            number: Format::new().set_num_format("#,##0.00"),
            euro: Format::new().set_num_format("€ #,##0.00"),
            percent: Format::new().set_num_format("0.0%"),
            date: Format::new().set_num_format("dd-mm-yyyy hh:mm"),
            text: Format::new(),
        }
    }

    fn of(&self, kind: Kind) -> &Format {
        match kind {
            Kind::Text => &self.text,
            Kind::Integer => &self.integer,
            Kind::Number => &self.number,
            Kind::Euro => &self.euro,
            Kind::Percent => &self.percent,
            Kind::DateTime => &self.date,
        }
    }
}

/// Days since 30 December 1899, as Excel counts them.
pub fn excel_date(t: NaiveDateTime) -> f64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or_default();
    (t - epoch).num_milliseconds() as f64 / 86_400_000.0
}

/// The workbook as bytes. The sheets are filled side by side, each on a thread of its own;
/// rust_xlsxwriter numbers their tables when it saves.
pub fn write(report: &Report) -> Result<Vec<u8>, Error> {
    let f = Formats::new();
    let sheets: Vec<Result<Worksheet, XlsxError>> = std::thread::scope(|scope| {
        let filling: Vec<_> = report
            .sheets
            .iter()
            .map(|sheet| {
                let f = &f;
                scope.spawn(move || {
                    let mut ws = Worksheet::new();
                    write_sheet(&mut ws, sheet, f).map(|_| ws)
                })
            })
            .collect();
        filling.into_iter().map(|h| h.join().unwrap_or(Err(XlsxError::ParameterError("werkblad".into())))).collect()
    });
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(ZIP_LEVEL);
    for ws in sheets {
        workbook.push_worksheet(ws.map_err(xlsx)?);
    }
    workbook.save_to_buffer().map_err(xlsx)
}

fn write_sheet(ws: &mut Worksheet, s: &Sheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(&s.name)?;
    ws.write_string_with_format(0, 0, &s.title, &f.title)?;
    // A column's format is set once; its cells, written without one, take it (much cheaper than
    // a format per cell, which rust_xlsxwriter looks up for every write).
    for (c, col) in s.columns.iter().enumerate() {
        ws.set_column_width(c as u16, col.width)?;
        if col.kind != Kind::Text {
            ws.set_column_format(c as u16, f.of(col.kind))?;
        }
    }
    for (i, row) in s.rows.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(t) => ws.write_string(r, c, t)?,
                Cell::Number(n) => ws.write_number(r, c, *n)?,
                Cell::DateTime(t) => ws.write_number(r, c, excel_date(*t))?,
                Cell::Empty => ws,
            };
        }
    }
    // The table's columns take no format of their own: that would restyle every cell again.
    let columns: Vec<TableColumn> =
        s.columns.iter().map(|c| TableColumn::new().set_header(&c.header).set_header_format(&f.header)).collect();
    // A table has at least one data row, even when there is nothing to show yet.
    let last_row = HEADER_ROW + (s.rows.len().max(1)) as u32;
    let last_col = s.columns.len().saturating_sub(1) as u16;
    let table = Table::new().set_columns(&columns).set_style(TableStyle::Medium2);
    ws.add_table(HEADER_ROW, 0, last_row, last_col, &table)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    if let Some(spec) = &s.chart
        && !s.rows.is_empty()
    {
        let first = HEADER_ROW + 1;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name(&spec.series)
            .set_categories((s.name.as_str(), first, spec.category_col, last_row, spec.category_col))
            .set_values((s.name.as_str(), first, spec.value_col, last_row, spec.value_col));
        chart.title().set_name(&spec.title);
        chart.legend().set_hidden();
        ws.insert_chart(last_row + 2, 0, &chart)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_take_their_columns_format_and_every_sheet_is_a_table() {
        let sheet = Sheet {
            name: "Prijzen".into(),
            title: "Prijzen — test".into(),
            columns: vec![Column::new("Inschrijver", Kind::Text, 30.0), Column::new("Prijs", Kind::Euro, 12.0)],
            rows: vec![vec![Cell::Text("Taalhuis BV".into()), Cell::Number(12150.0)]],
            chart: None,
        };
        let bytes = write(&Report { sheets: vec![sheet] }).unwrap_or_default();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("xlsx is a zip");
        let mut part = |name: &str| {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut s).expect("utf-8");
            s
        };
        let (sheet, styles, table) =
            (part("xl/worksheets/sheet1.xml"), part("xl/styles.xml"), part("xl/tables/table1.xml"));
        assert!(styles.contains("formatCode=\"€ #,##0.00\""), "{styles}");
        assert!(sheet.contains("<c r=\"B4\" s=\""), "the price cell carries a style: {sheet}");
        assert!(sheet.contains("<pane ySplit=\"3\""), "the header is frozen: {sheet}");
        assert!(table.contains("ref=\"A3:B4\"") && table.contains("autoFilter"), "{table}");
    }
}
