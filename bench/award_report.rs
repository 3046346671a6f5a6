//! The award report of a seeded tender: the whole request — on a fresh server, so every
//! database read is in it, and again warm — against rust_xlsxwriter writing the same cells
//! (read back from the report) without the service's formats, tables, chart or logic.

use std::hint::black_box;
use std::io::Cursor;
use std::time::{Duration, Instant};

use calamine::{Data, Reader, Xlsx};

/// The report's cells per sheet, as read back.
type Cells = Vec<(String, Vec<Vec<Data>>)>;

pub fn download(base: &str, path: &str, token: &str) -> (Vec<u8>, Duration) {
    let agent = ureq::Agent::new_with_defaults();
    let start = Instant::now();
    let bytes = agent
        .get(format!("{base}{path}"))
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .expect("award report")
        .into_body()
        .with_config()
        .limit(1 << 30)
        .read_to_vec()
        .expect("body");
    (bytes, start.elapsed())
}

pub fn cells(bytes: &[u8]) -> Cells {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("xlsx");
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("sheet");
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (name, rows)
        })
        .collect()
}

/// The same cells written plainly: what any program writing this workbook pays at least; at
/// rust_xlsxwriter's default zip level, or at `level`.
pub fn plain(cells: &Cells, level: Option<u8>) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    if let Some(l) = level {
        wb.set_zip_compression_level(l);
    }
    for (name, rows) in cells {
        let ws = wb.add_worksheet();
        ws.set_name(name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Data::String(s) => ws.write_string(r, c, s).map(|_| ()),
                    Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()),
                    Data::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()),
                    Data::DateTime(d) => ws.write_number(r, c, d.as_f64()).map(|_| ()),
                    _ => Ok(()),
                }
                .expect("cell");
            }
        }
    }
    wb.save_to_buffer().expect("plain workbook")
}

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Five fresh servers, each asked once cold and three times warm, and seven plain writes of the
/// same cells, at the default zip level and at the report's: the line BENCHMARKS.md quotes.
pub fn measure(dir: &std::path::Path, url: &str, path: &str, token: &str) -> String {
    let (mut cold, mut warm, mut bytes) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        let (mut server, base) = crate::burst::start_server(dir, url);
        let (b, took) = download(&base, path, token);
        cold.push(took);
        warm.extend((0..3).map(|_| download(&base, path, token).1));
        bytes = b;
        let _ = server.kill();
        let _ = server.wait();
    }
    let cells = cells(&bytes);
    let rows: usize = cells.iter().map(|(_, r)| r.len()).sum();
    let time = |level: Option<u8>| {
        let runs = (0..7)
            .map(|_| {
                let start = Instant::now();
                black_box(plain(&cells, level));
                start.elapsed()
            })
            .collect();
        median(runs)
    };
    let level = aanbesteding::excel::award_report::ZIP_LEVEL;
    let (alone, same_level) = (time(None), time(Some(level)));
    let (cold, warm) = (median(cold), median(warm));
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let x = |d: Duration, base: Duration| d.as_secs_f64() / base.as_secs_f64();
    format!(
        "award report ({} sheets, {rows} rows, {} KiB): rust_xlsxwriter alone {:.0} ms (at zip level {level}: {:.0} ms); \
         whole request on a fresh server {:.0} ms ({:.2}x; {:.2}x at the same level), warm {:.0} ms ({:.2}x; {:.2}x)",
        cells.len(),
        bytes.len() / 1024,
        ms(alone),
        ms(same_level),
        ms(cold),
        x(cold, alone),
        x(cold, same_level),
        ms(warm),
        x(warm, alone),
        x(warm, same_level),
    )
}
