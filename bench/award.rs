//! Benchmark: the award report of a tender of 3 percelen × 1,000 bids × 10 criteria × 5
//! assessors — the whole request, database reads included — as a ratio to rust_xlsxwriter
//! writing the same cells without the service's logic, in one run.
//!
//! Run with `bench/award.sh [sqlite|postgres] [--bids N] [--lots L]`; see BENCHMARKS.md.

use std::time::Instant;

use aanbesteding::db::{self, Db};
use aanbesteding::excel::award_report::{self, Cell, Column, Kind, Report, Sheet};

#[allow(dead_code)]
#[path = "burst_setup.rs"]
mod burst;
#[path = "award_report.rs"]
mod report;
#[allow(dead_code)]
#[path = "evaluation_setup.rs"]
mod setup;

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A report of the benchmark's size with made-up cells: the Scores sheet (a row per bid and
/// criterion) dominates, as in the real one.
fn synthetic(lots: usize, bids: usize) -> Report {
    let text = |s: String| Cell::Text(s);
    let num = |n: f64| Cell::Number(n);
    let mut scores = Vec::new();
    let mut ranking = Vec::new();
    for l in 0..lots {
        for b in 0..bids {
            let bidder = format!("Taalschool {b:04}");
            ranking.push(vec![
                text(format!("{}: B1-route {}", l + 1, l + 1)),
                num(b as f64 + 1.0),
                text(bidder.clone()),
                num(52.5),
                num(28.1),
                num(80.6),
                num(12150.0),
                text("niet gewonnen".into()),
            ]);
            for c in 0..10 {
                let mut row = vec![
                    text(format!("{}: B1-route {}", l + 1, l + 1)),
                    text(bidder.clone()),
                    text(format!("Kwaliteitscriterium {}", c + 1)),
                ];
                row.extend((0..5).map(|a| num(((b + c + a) % 6 * 2) as f64)));
                row.extend([num(6.0), num(4.0)]);
                scores.push(row);
            }
        }
    }
    let columns = |n: usize| {
        (0..n)
            .map(|i| Column::new(format!("Kolom {i}"), if i < 3 { Kind::Text } else { Kind::Number }, 12.0))
            .collect::<Vec<_>>()
    };
    let sheet = |name: &str, rows: Vec<Vec<Cell>>| Sheet {
        name: name.into(),
        title: name.into(),
        columns: columns(rows.first().map_or(1, Vec::len)),
        rows,
        chart: None,
    };
    Report { sheets: vec![sheet("Rangorde", ranking), sheet("Scores", scores)] }
}

/// The same cells, written plainly, at rust_xlsxwriter's default zip level or at `level`.
fn plain(r: &Report, level: Option<u8>) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    if let Some(l) = level {
        wb.set_zip_compression_level(l);
    }
    for s in &r.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name).expect("name");
        for (i, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (i as u32 + 3, c as u16);
                match cell {
                    Cell::Text(t) => ws.write_string(r, c, t).map(|_| ()),
                    Cell::Number(n) => ws.write_number(r, c, *n).map(|_| ()),
                    _ => Ok(()),
                }
                .expect("cell");
            }
        }
    }
    wb.save_to_buffer().expect("plain")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--writer") {
        let (bids, lots) = (arg(&args, "--bids", 1000), arg(&args, "--lots", 3));
        let r = synthetic(lots, bids);
        let time = |f: &dyn Fn() -> Vec<u8>| {
            let mut v: Vec<_> = (0..5)
                .map(|_| {
                    let s = Instant::now();
                    std::hint::black_box(f());
                    s.elapsed()
                })
                .collect();
            v.sort();
            v[2]
        };
        let (ours, alone) = (time(&|| award_report::write(&r).expect("report")), time(&|| plain(&r, None)));
        let fast = time(&|| plain(&r, Some(award_report::ZIP_LEVEL)));
        let kib = |b: Vec<u8>| b.len() / 1024;
        println!(
            "award report writer, {lots} × {bids} bids: rust_xlsxwriter alone {:.0} ms ({} KiB), at zip level {} {:.0} ms ({} KiB); the report's writer {:.0} ms ({} KiB): {:.2}x, {:.2}x at the same level",
            alone.as_secs_f64() * 1e3,
            kib(plain(&r, None)),
            award_report::ZIP_LEVEL,
            fast.as_secs_f64() * 1e3,
            kib(plain(&r, Some(award_report::ZIP_LEVEL))),
            ours.as_secs_f64() * 1e3,
            kib(award_report::write(&r).unwrap_or_default()),
            ours.as_secs_f64() / alone.as_secs_f64(),
            ours.as_secs_f64() / fast.as_secs_f64()
        );
        return;
    }
    let backend =
        args.iter().position(|a| a == "--backend").and_then(|i| args.get(i + 1)).cloned().unwrap_or("sqlite".into());
    let (bids, lots) = (arg(&args, "--bids", 1000), arg(&args, "--lots", 3));
    // With `--keep DIR` the seeded tender stays in DIR and a later run only measures.
    let kept = args.iter().position(|a| a == "--keep").and_then(|i| args.get(i + 1)).map(std::path::PathBuf::from);
    let dir =
        kept.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("aanbesteding-award-{}", std::process::id())));
    std::fs::create_dir_all(&dir).expect("dir");
    let seeded: Option<serde_json::Value> =
        std::fs::read(dir.join("seeded.json")).ok().and_then(|b| serde_json::from_slice(&b).ok());
    let (url, pg, tender, inkoper) = match seeded {
        Some(s) => {
            eprintln!("the seeded tender in {} is measured again", dir.display());
            let text = |k: &str| s[k].as_str().unwrap_or_default().to_owned();
            (text("url"), None, s["tender"].as_i64().unwrap_or_default(), s["inkoper"].as_i64().unwrap_or_default())
        }
        None => {
            let (url, pg) = burst::database(&backend, &dir);
            let (tender, inkoper) = seed(&dir, &url, lots, bids);
            let seeded =
                serde_json::json!({ "url": url, "tender": tender, "inkoper": inkoper, "lots": lots, "bids": bids });
            if kept.is_some() {
                std::fs::write(dir.join("seeded.json"), seeded.to_string()).expect("seeded.json");
            }
            (url, if kept.is_some() { None } else { pg }, tender, inkoper)
        }
    };
    let db = Db::connect(&url, 1).expect("database");
    let user = aanbesteding::db::user::find(&mut db.conn().expect("conn"), inkoper).expect("find").expect("inkoper");
    let token = aanbesteding::auth::token::Keys::new(setup::SECRET.as_bytes())
        .issue(user.id, user.token_version, aanbesteding::auth::token::Purpose::Login, 600)
        .expect("token");
    let path = format!("/api/v1/tenders/{tender}/award-report");
    println!("\n## Gunningsrapportage ({backend}, {lots} percelen × {bids} bids × 10 criteria × 5 assessors)\n");
    println!("{}", report::measure(&dir, &url, &path, &token));
    if kept.is_none() {
        burst::drop_database(pg);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Seeds the tender through the service: bids on every perceel, the vault opened, every
/// perceel scored and its prices revealed. Gives the tender's and the inkoper's ids.
fn seed(dir: &std::path::Path, url: &str, lots: usize, bids: usize) -> (i64, i64) {
    std::fs::write(dir.join("secret.key"), setup::SECRET).expect("secret key");
    let db = Db::connect(url, 4).expect("database");
    db::transaction(&mut db.conn().expect("conn"), aanbesteding::demo::load_reference).expect("reference data");
    let (mut server, base) = burst::start_server(dir, url);
    let started = Instant::now();
    let people = setup::people(&db, &base, bids);
    let t = setup::publish_lots(&people.inkopers[0], "BENCH-GUNNING", 10, lots);
    let tender = aanbesteding::db::tender::load(&mut db.conn().expect("conn"), t["id"].as_i64().unwrap_or_default())
        .expect("load")
        .expect("tender");
    let workbook = aanbesteding::domain::price_sheet::Workbook::of(&tender);
    let ids = std::sync::Mutex::new(vec![vec![0i64; bids]; lots]);
    setup::parallel(bids * lots, |k| {
        let (i, l) = (k / lots, k % lots);
        let sheet = aanbesteding::excel::price_sheet::write_with(&workbook, &|_, _| Some((500 + i + l) as f64 / 100.0))
            .expect("prijzenblad");
        let id = setup::bid_on(&people.bidders[i], &t, l, &sheet);
        if let Ok(mut v) = ids.lock() {
            v[l][i] = id;
        }
    });
    let ids = ids.into_inner().unwrap_or_default();
    eprintln!("{lots} × {bids} bids submitted after {:.0} s", started.elapsed().as_secs_f64());
    setup::close_and_open(&people, &[&t]);
    for (l, lot_bids) in ids.iter().enumerate() {
        setup::evaluate_lot(&people, &t, l, &people.assessors, lot_bids);
        let lot = format!("/api/v1/tenders/{}/lots/{}", t["id"], t["lots"][l]["id"]);
        people.inkopers[0].ok("POST", &format!("{lot}/price-reveal"), None, 200);
        eprintln!("perceel {} scored after {:.0} s", l + 1, started.elapsed().as_secs_f64());
    }
    let _ = server.kill();
    let _ = server.wait();
    (t["id"].as_i64().unwrap_or_default(), people.inkopers[0].id)
}
