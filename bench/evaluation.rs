//! Benchmark: the beoordeling at scale. A perceel of 1,000 bids × 10 criteria × 5 assessors is
//! ranked (the domain computation against a plain f64 loop over the same numbers, and the whole
//! ranking request); a bid's score sheet (8 criteria × 3 assessors) and the consensus overview
//! of a perceel of 50 bids × 8 criteria × 3 assessors are loaded with wrk against the minimal
//! plaintext handler of the same binary, in the same run.
//!
//! Run with `bench/evaluation.sh [sqlite|postgres]`; see BENCHMARKS.md.

use std::hint::black_box;
use std::time::{Duration, Instant};

use aanbesteding::db::{self, Db};
use aanbesteding::domain::price_formula::PriceFormula;
use aanbesteding::domain::price_score::PriceRule;
use aanbesteding::domain::ranking::{BidInput, CriterionSetup, Score, Setup, rank};
use aanbesteding::domain::rounding::RoundingRule;

#[allow(dead_code)]
#[path = "burst_setup.rs"]
mod burst;
#[path = "wrk.rs"]
mod load;
#[path = "award_report.rs"]
mod report;
#[path = "evaluation_setup.rs"]
mod setup;
use load::wrk;
use setup::{People, bid, close_and_open, evaluate, parallel, publish};

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// A perceel as the seeded one: `n` bids, 10 criteria of 7% on 0–10, price 30% relative to the
/// lowest, every bidder its own price: € 5,00 to € 14,99 a unit, 644 units per trajectory.
fn synthetic(n: usize) -> (Setup, Vec<BidInput>) {
    let criteria = (1..=10)
        .map(|c| CriterionSetup {
            criterion_id: c,
            weight_bp: 700,
            scale_points: vec![0, 2, 4, 6, 8, 10],
            value_cents: None,
        })
        .collect();
    let price = PriceRule { formula: PriceFormula::RelativeToLowest, weight_bp: 3000, ceiling_cents: Some(1_450_000) };
    let setup = Setup { criteria, price, rounding: RoundingRule::default(), max_winners: 3 };
    let bids = (0..n)
        .map(|i| BidInput {
            bid_id: i as i64 + 1,
            price_cents: 644 * (500 + i as i64),
            scores: (1..=10)
                .map(|c| Score { criterion_id: c, points: ((i as i64 * 7 + c * 3) % 6) as i32 * 2 })
                .collect(),
        })
        .collect();
    (setup, bids)
}

/// The ranking's own arithmetic against a plain f64 loop over the same numbers.
fn domain(setup: &Setup, inputs: &[BidInput]) -> (Duration, Duration) {
    let weights: Vec<(f64, f64)> =
        setup.criteria.iter().map(|c| (c.weight_bp as f64 / 100.0, c.max_points().max(1) as f64)).collect();
    let price_weight = setup.price.weight_bp as f64 / 100.0;
    let plain = || {
        let lowest = inputs.iter().map(|b| b.price_cents).min().unwrap_or(1) as f64;
        let totals: Vec<f64> = inputs
            .iter()
            .map(|b| {
                let quality: f64 = b.scores.iter().zip(&weights).map(|(s, (w, max))| w * s.points as f64 / max).sum();
                quality + price_weight * lowest / b.price_cents as f64
            })
            .collect();
        black_box(totals);
    };
    let exact = || {
        black_box(rank(setup, inputs, &[]).expect("ranking"));
    };
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    // Taken in turns, so that both see the same state of the machine.
    let (plain, exact): (Vec<_>, Vec<_>) = (0..1000).map(|_| (time(&plain), time(&exact))).unzip();
    (median(plain), median(exact))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--domain") {
        let (setup, inputs) = synthetic(1000);
        let (plain, exact) = domain(&setup, &inputs);
        println!(
            "ranking of 1,000 bids, domain: plain f64 loop {:.3} ms, exact {:.3} ms: {:.1}x",
            ms(plain),
            ms(exact),
            exact.as_secs_f64() / plain.as_secs_f64()
        );
        return;
    }
    let backend =
        args.iter().position(|a| a == "--backend").and_then(|i| args.get(i + 1)).cloned().unwrap_or("sqlite".into());
    let bids_n: usize = args
        .iter()
        .position(|a| a == "--bids")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let seconds: u64 = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let dir = std::env::temp_dir().join(format!("aanbesteding-evaluation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("secret.key"), setup::SECRET).expect("secret key");
    let (url, pg) = burst::database(&backend, &dir);
    let db = Db::connect(&url, 4).expect("database");
    db::transaction(&mut db.conn().expect("conn"), aanbesteding::demo::load_reference).expect("reference data");
    let (mut server, base) = burst::start_server(&dir, &url);
    let started = Instant::now();
    let people: People = setup::people(&db, &base, bids_n);
    let ranked = publish(&people.inkopers[0], "BENCH-RANG", 10);
    let overview = publish(&people.inkopers[0], "BENCH-CONS", 8);
    let sheet_for = |t: &serde_json::Value, i: usize| {
        let tender =
            aanbesteding::db::tender::load(&mut db.conn().expect("conn"), t["id"].as_i64().unwrap_or_default())
                .expect("load")
                .expect("tender");
        let wb = aanbesteding::domain::price_sheet::Workbook::of(&tender);
        aanbesteding::excel::price_sheet::write_with(&wb, &|_, _| Some((500 + i) as f64 / 100.0)).expect("prijzenblad")
    };
    let ranked_bids = std::sync::Mutex::new(vec![0i64; bids_n]);
    let overview_bids = std::sync::Mutex::new(vec![0i64; 50]);
    parallel(bids_n, |i| {
        let id = bid(&people.bidders[i], &ranked, &sheet_for(&ranked, i));
        if let Ok(mut v) = ranked_bids.lock() {
            v[i] = id;
        }
        if i < 50 {
            let id = bid(&people.bidders[i], &overview, &sheet_for(&overview, i));
            if let Ok(mut v) = overview_bids.lock() {
                v[i] = id;
            }
        }
    });
    let (ranked_bids, overview_bids) =
        (ranked_bids.into_inner().unwrap_or_default(), overview_bids.into_inner().unwrap_or_default());
    eprintln!("{} + 50 bids submitted after {:.0} s", bids_n, started.elapsed().as_secs_f64());
    close_and_open(&people, &[&ranked, &overview]);
    evaluate(&people, &ranked, &people.assessors, &ranked_bids);
    evaluate(&people, &overview, &people.assessors[..3], &overview_bids);
    let lot = |t: &serde_json::Value| format!("/api/v1/tenders/{}/lots/{}", t["id"], t["lots"][0]["id"]);
    people.inkopers[0].ok("POST", &format!("{}/price-reveal", lot(&ranked)), None, 200);
    eprintln!("set-up done after {:.0} s", started.elapsed().as_secs_f64());

    // 1. The ranking: the domain alone, then the whole request.
    let answer = people.inkopers[0].ok("GET", &format!("{}/ranking", lot(&ranked)), None, 200);
    assert_eq!(answer["ranking"]["bids"].as_array().map(Vec::len), Some(bids_n));
    let (rank_setup, inputs) = synthetic(bids_n);
    let (plain, exact) = domain(&rank_setup, &inputs);
    let mut requests: Vec<Duration> = (0..30)
        .map(|_| {
            let start = Instant::now();
            people.inkopers[0].ok("GET", &format!("{}/ranking", lot(&ranked)), None, 200);
            start.elapsed()
        })
        .collect();
    requests.sort();

    // 2. and 3. Score sheet and consensus overview under load, against the plaintext handler.
    let bearer = |t: &str| format!("Authorization: Bearer {t}");
    let cookie = |t: &str| format!("Cookie: aanbesteding_sessie={t}");
    let sheet_path = format!("/api/v1/bids/{}/score-sheet", overview_bids[0]);
    let assessor = &people.assessors[0].token;
    let inkoper = &people.inkopers[0].token;
    let consensus_page = format!("/aanbestedingen/{}/percelen/{}/consensus", overview["id"], overview["lots"][0]["id"]);
    let runs = [
        ("GET /health/live (baseline), 64 connections", format!("{base}/health/live"), "X-Bench: 1".to_owned(), 64),
        ("score sheet, API", format!("{base}{sheet_path}"), bearer(assessor), 64),
        ("score sheet, page", format!("{base}/beoordelen/inschrijvingen/{}", overview_bids[0]), cookie(assessor), 64),
        ("GET /health/live (baseline), 16 connections", format!("{base}/health/live"), "X-Bench: 1".to_owned(), 16),
        ("consensus overview, API", format!("{base}{}/consensus", lot(&overview)), bearer(inkoper), 16),
        ("consensus overview, page", format!("{base}{consensus_page}"), cookie(inkoper), 16),
    ];
    if args.iter().any(|a| a == "--hold") {
        // For profiling: the seeded service stays up with the requests printed, until killed.
        for (name, url, header, c) in &runs {
            println!("{name}: wrk -c{c} -H '{header}' {url}");
        }
        println!("server pid {}", server.id());
        std::thread::sleep(Duration::from_secs(86_400));
    }
    let measured: Vec<(f64, f64)> = runs.iter().map(|(_, url, header, c)| wrk(url, header, *c, seconds)).collect();

    println!("\n## Beoordeling ({backend}, {bids_n} bids)\n");
    println!(
        "ranking, domain: plain f64 loop {:.3} ms, exact ranking {:.3} ms: {:.1}x",
        ms(plain),
        ms(exact),
        exact.as_secs_f64() / plain.as_secs_f64()
    );
    println!(
        "ranking, whole request (30 in a row): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(requests[15]),
        ms(requests[29]),
        ms(requests[29])
    );
    println!("\n| endpoint | requests/s | ratio | p99 |\n|---|---:|---:|---:|");
    for (i, ((name, ..), (rps, p99))) in runs.iter().zip(&measured).enumerate() {
        let baseline = if i < 3 { measured[0].0 } else { measured[3].0 };
        println!("| {name} | {rps:.0} | {:.3}x | {p99:.2} ms |", rps / baseline);
    }
    let _ = server.kill();
    let _ = server.wait();

    // 4. The award report of the ranked tender, cold and warm, against rust_xlsxwriter alone.
    let report_path = format!("/api/v1/tenders/{}/award-report", ranked["id"]);
    println!("\n{}", report::measure(&dir, &url, &report_path, inkoper));
    burst::drop_database(pg);
    let _ = std::fs::remove_dir_all(&dir);
}
