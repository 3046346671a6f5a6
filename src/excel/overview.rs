//! Capaciteitsoverzicht in Excel: the dashboard's numbers per leerroute and half year, each
//! route with a native column chart of expected, contracted and placed trajectories; the
//! contracts per year; and the distribution the forecast used.

use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};

use crate::api::overviews::Dashboard;
use crate::errors::Error;

const OVERVIEW: &str = "Overzicht";

fn bad(e: XlsxError) -> Error {
    Error::Internal(format!("capaciteitsoverzicht: {e}"))
}

fn header(ws: &mut Worksheet, row: u32, titles: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (i, t) in titles.iter().enumerate() {
        ws.write_with_format(row, i as u16, *t, bold)?;
    }
    Ok(())
}

/// The workbook of a dashboard.
pub fn write(d: &Dashboard) -> Result<Vec<u8>, Error> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let ws = book.add_worksheet().set_name(OVERVIEW).map_err(bad)?;
    ws.write_with_format(0, 0, format!("Capaciteit {} ({})", d.name, d.kind), &title).map_err(bad)?;
    ws.write(1, 0, "Verwacht: uit de taakstelling en de verdeling over de leerroutes. Gecontracteerd: plaatsen per jaar, de helft per halfjaar.")
        .map_err(bad)?;
    let mut row = 3u32;
    let mut charts = Vec::new();
    for r in &d.overview.routes {
        ws.write_with_format(row, 0, r.name.as_str(), &bold).map_err(bad)?;
        header(
            ws,
            row + 1,
            &["Halfjaar", "Verwacht", "Gecontracteerd", "Geplaatst", "Over (+) / tekort (−)", "Bezetting %"],
            &bold,
        )
        .map_err(bad)?;
        let first = row + 2;
        for (i, p) in r.periods.iter().enumerate() {
            let at = first + i as u32;
            ws.write(at, 0, p.half.as_str()).map_err(bad)?;
            ws.write(at, 1, p.expected).map_err(bad)?;
            ws.write(at, 2, p.capacity).map_err(bad)?;
            ws.write(at, 3, p.placed).map_err(bad)?;
            ws.write(at, 4, p.surplus as f64).map_err(bad)?;
            if let Some(u) = p.utilisation_percent {
                ws.write(at, 5, u).map_err(bad)?;
            }
        }
        let last = first + r.periods.len().saturating_sub(1) as u32;
        if !r.periods.is_empty() {
            charts.push((row, r.name.clone(), first, last));
        }
        row = last + 3;
    }
    ws.set_column_width(0, 16).map_err(bad)?;
    ws.set_column_width(4, 20).map_err(bad)?;
    for (at, name, first, last) in charts {
        let mut chart = Chart::new(ChartType::Column);
        for (col, series) in [(1u16, "Verwacht"), (2, "Gecontracteerd"), (3, "Geplaatst")] {
            chart
                .add_series()
                .set_name(series)
                .set_categories((OVERVIEW, first, 0, last, 0))
                .set_values((OVERVIEW, first, col, last, col));
        }
        chart.title().set_name(&format!("{name}: trajecten per halfjaar"));
        chart.set_alt_text(format!(
            "Staafdiagram van {name}: verwacht, gecontracteerd en geplaatst per halfjaar, de getallen staan links."
        ));
        ws.insert_chart(at, 7, &chart).map_err(bad)?;
    }
    let ws = book.add_worksheet().set_name("Contracten").map_err(bad)?;
    header(ws, 0, &["Contract", "Aanbieder", "Leerroute", "Jaar", "Plaatsen", "Geplaatst", "Bezetting %"], &bold)
        .map_err(bad)?;
    let mut row = 1u32;
    for c in &d.overview.contracts {
        for y in &c.years {
            ws.write(row, 0, c.id as f64).map_err(bad)?;
            ws.write(row, 1, c.company.as_str()).map_err(bad)?;
            ws.write(row, 2, c.route.as_str()).map_err(bad)?;
            ws.write(row, 3, y.year).map_err(bad)?;
            ws.write(row, 4, y.places).map_err(bad)?;
            ws.write(row, 5, y.placed).map_err(bad)?;
            if let Some(u) = y.utilisation_percent {
                ws.write(row, 6, u).map_err(bad)?;
            }
            row += 1;
        }
    }
    if d.overview.contracts.is_empty() {
        ws.write(1, 0, "Nog geen actieve contracten.").map_err(bad)?;
    }
    ws.set_column_width(1, 28).map_err(bad)?;
    let ws = book.add_worksheet().set_name("Verdeling").map_err(bad)?;
    header(ws, 0, &["Leerroute", "Aandeel %"], &bold).map_err(bad)?;
    for (i, s) in d.distribution.iter().enumerate() {
        ws.write(i as u32 + 1, 0, s.route.as_str()).map_err(bad)?;
        ws.write(i as u32 + 1, 1, s.percent.to_string().parse::<f64>().unwrap_or(0.0)).map_err(bad)?;
    }
    book.save_to_buffer().map_err(bad)
}
