//! Benchmark: importing a prijzenblad of 10,000 lines, against calamine reading the same file.
//!
//! Run with `bench/price-sheet.sh` (builds the release binary the child process runs). Prints
//! the median of each way of reading, and the service's import as a ratio to calamine alone.

use std::io::Cursor;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use aanbesteding::domain::price_line::PriceLine;
use aanbesteding::domain::price_sheet::{COL_AMOUNT, LotSheet, READ_COLUMNS, Workbook};
use aanbesteding::domain::price_sheet_check::check;
use aanbesteding::excel::price_sheet::write_with;
use aanbesteding::excel::reader::{self, Bounds};
use aanbesteding::excel::sandbox;
use calamine::{Data, Reader, Xlsx};

const LINES: usize = 10_000;
const RUNS: usize = 15;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        last = Some(f());
        times.push(start.elapsed());
    }
    match last {
        Some(v) => (median(times), v),
        None => panic!("no runs"),
    }
}

fn main() {
    let exe = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "target/release/aanbesteding".into()));
    let lines: Vec<PriceLine> = (0..LINES)
        .map(|i| PriceLine { description: format!("Onderdeel {i}"), unit: "uur".into(), quantity: 1 + (i % 7) as i64 })
        .collect();
    let sheet = LotSheet {
        lot_id: 1,
        lot_number: 1,
        lot_title: "B1-route".into(),
        name: "B1-route".into(),
        lines,
        ceiling_cents: None,
        kenmerk: "BENCH-1/P1/0".into(),
    };
    let wb = Workbook { reference: "BENCH-1".into(), title: "Benchmark".into(), sheets: vec![sheet] };
    let bounds = Bounds { last_row: wb.sheets[0].total_row(), last_col: COL_AMOUNT, columns: READ_COLUMNS.to_vec() };
    let readers = sandbox::Readers::new(1);
    let bytes = write_with(&wb, &|_, i| Some(10.0 + (i % 100) as f64 / 4.0)).expect("workbook");
    let names = vec!["B1-route".to_owned()];

    // Baseline: calamine reads the sheet's range, and the loop adds up the price column.
    let (direct, sum) = time(|| {
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).expect("open");
        let range = book.worksheet_range("B1-route").expect("sheet");
        range
            .rows()
            .filter_map(|r| match r.get(3) {
                Some(Data::Float(f)) => Some(*f),
                _ => None,
            })
            .sum::<f64>()
    });
    // The service's reader and check in this process: streamed cells, exact cents, every cell named.
    let (in_process, total) = time(|| {
        let x = reader::read(bytes.clone(), &names, &bounds).expect("read");
        check(&wb.sheets[0], &x).expect("check").total_cents
    });
    // The service as it runs: the reader in a child process with its limits, then the check.
    let (sandboxed, checked) = time(|| {
        let data = bytes.clone();
        let x = sandbox::read_cells(&readers, &exe, &names, &bounds, &sandbox::Limits::default(), move |w| {
            w.write_all(&data).map_err(|e| aanbesteding::errors::Error::Internal(e.to_string()))
        })
        .expect("sandbox")
        .expect("read");
        check(&wb.sheets[0], &x).expect("check").total_cents
    });
    assert_eq!(total, checked);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("prijzenblad of {LINES} lines, {} kB, median of {RUNS} runs", bytes.len() / 1024);
    println!("{:<52} {:>9.1} ms  1.00x", "calamine alone (range, sum of prices as f64)", ms(direct));
    println!("{:<52} {:>9.1} ms  {:.2}x", "reader + check in process", ms(in_process), ms(in_process) / ms(direct));
    println!(
        "{:<52} {:>9.1} ms  {:.2}x",
        "import as served (child process + check)",
        ms(sandboxed),
        ms(sandboxed) / ms(direct)
    );
    println!("(checksums: calamine {sum:.2} EUR of unit prices; service total {total} cents per trajectory)");
}
