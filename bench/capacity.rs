//! Benchmark: the capacity dashboard of a region, with the counting done in SQL, against the
//! minimal plaintext handler of the same binary in the same run.
//!
//! - regional: Westfriesland's 7 gemeenten × 5 leerroutes × 10 contracts × 5,000 placements;
//! - national: 342 gemeenten in 40 regions, each region 10 contracts, 200,000 placements in all,
//!   and the dashboard of one region (PostgreSQL is the production database for this).
//!
//! Run with `bench/capacity.sh [sqlite|postgres] [regional|national] [seconds]`; see BENCHMARKS.md.

use std::time::Instant;

use aanbesteding::db::{self, Db};
use diesel::prelude::*;
use serde_json::{Value, json};

#[allow(dead_code)]
#[path = "burst_setup.rs"]
mod burst;
#[path = "wrk.rs"]
mod load;
#[path = "capacity_setup.rs"]
mod setup;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let backend = args.first().cloned().unwrap_or_else(|| "sqlite".into());
    let national = args.get(1).is_some_and(|s| s == "national");
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let dir = std::env::temp_dir().join(format!("aanbesteding-capacity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (url, pg) = burst::database(&backend, &dir);
    let db = Db::connect(&url, 4).expect("database");
    db::transaction(&mut db.conn().expect("conn"), aanbesteding::demo::load_reference).expect("reference data");

    let started = Instant::now();
    setup::management(&db);
    let uid: i64 = {
        use aanbesteding::db::schema::users;
        users::table
            .filter(users::email.eq(setup::MANAGEMENT))
            .select(users::id)
            .first(&mut *db.conn().expect("conn"))
            .expect("user")
    };
    let codes: Vec<String> = if national {
        setup::regions(&db, 40, 342);
        aanbesteding::db::region::list(&mut db.conn().expect("conn"))
            .expect("regions")
            .into_iter()
            .map(|r| r.code)
            .collect()
    } else {
        vec!["westfriesland".into()]
    };
    let per_region = if national { 200_000 / codes.len() } else { 5_000 };
    for code in &codes {
        setup::region(&db, code, per_region, uid);
    }
    let (gemeenten, placed): (i64, i64) = {
        use aanbesteding::db::schema::{municipalities, placements};
        let mut c = db.conn().expect("conn");
        (
            municipalities::table.count().get_result(&mut *c).expect("count"),
            placements::table.count().get_result(&mut *c).expect("count"),
        )
    };
    println!(
        "seeded {} regions, {gemeenten} gemeenten, {placed} placements in {:.0} s",
        codes.len(),
        started.elapsed().as_secs_f64()
    );
    // Statistics fresh and no autovacuum left running from the seeding while measuring.
    let analyze = if backend == "postgres" { "VACUUM ANALYZE" } else { "ANALYZE" };
    diesel::sql_query(analyze).execute(&mut *db.conn().expect("conn")).expect("analyze");
    // What a request pays after a change: the whole dashboard counted again, in-process.
    let today = chrono::Utc::now().date_naive();
    let period = aanbesteding::api::overviews::Period { van: None, tot: None };
    let (from, to) = period.halves(today).expect("period");
    let mut conn = db.conn().expect("conn");
    let scope = aanbesteding::db::scope::region(&mut conn, "westfriesland").expect("region");
    let mut builds: Vec<f64> = (0..200)
        .map(|_| {
            let t = Instant::now();
            aanbesteding::db::overview::build(&mut conn, &scope, from, to).expect("build");
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    builds.sort_by(f64::total_cmp);
    let rebuild = (builds[100], builds[197]);
    drop(conn);
    drop(db);

    let (mut server, base) = burst::start_server(&dir, &url);
    let login: Value = ureq::post(format!("{base}/api/v1/auth/token"))
        .send_json(json!({ "email": setup::MANAGEMENT, "password": setup::PASSWORD }))
        .expect("login")
        .body_mut()
        .read_json()
        .expect("token");
    let token = login["access_token"].as_str().expect("access_token").to_owned();
    let overview: Value = ureq::get(format!("{base}/api/v1/overview/regions/westfriesland"))
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .expect("overview")
        .body_mut()
        .read_json()
        .expect("json");
    let counted: u64 = overview["routes"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["periods"].as_array().cloned().unwrap_or_default())
        .map(|p| p["placed"].as_u64().unwrap_or(0))
        .sum();
    println!(
        "the dashboard counts {counted} placements of Westfriesland in its {} half years",
        overview["halves"].as_array().map_or(0, Vec::len)
    );
    let runs = [
        ("GET /health/live (baseline)", format!("{base}/health/live"), "X-Bench: 1".to_owned()),
        (
            "region dashboard, API",
            format!("{base}/api/v1/overview/regions/westfriesland"),
            format!("Authorization: Bearer {token}"),
        ),
        (
            "region dashboard, page",
            format!("{base}/capaciteit/regio/westfriesland"),
            format!("Cookie: aanbesteding_sessie={token}"),
        ),
        (
            "gemeente dashboard, page",
            format!("{base}/capaciteit/gemeente/GM0405"),
            format!("Cookie: aanbesteding_sessie={token}"),
        ),
    ];
    if args.iter().any(|a| a == "--hold") {
        // For profiling: the seeded service stays up with the requests printed, until killed.
        for (name, url, header) in &runs {
            println!("{name}: wrk -c16 -H '{header}' {url}");
        }
        println!("server pid {}", server.id());
        std::thread::sleep(std::time::Duration::from_secs(86_400));
    }
    let measured: Vec<(f64, f64)> = runs.iter().map(|(_, url, header)| load::wrk(url, header, 16, seconds)).collect();
    let scale = if national { "national" } else { "regional" };
    println!(
        "\n## Capaciteit ({backend}, {scale}: {gemeenten} gemeenten, {placed} placements), 16 connections, {seconds} s\n"
    );
    println!("| endpoint | requests/s | ratio | p99 |\n|---|---:|---:|---:|");
    for ((name, ..), (rps, p99)) in runs.iter().zip(&measured) {
        println!("| {name} | {rps:.0} | {:.3}x | {p99:.2} ms |", rps / measured[0].0);
    }
    println!(
        "\nAfter a change the next request counts again: building the region's dashboard takes {:.2} ms (median of 200, p99 {:.2} ms).",
        rebuild.0, rebuild.1
    );
    let _ = server.kill();
    let _ = server.wait();
    burst::drop_database(pg);
    let _ = std::fs::remove_dir_all(&dir);
}
