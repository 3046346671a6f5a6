//! Benchmark: the deadline burst. Many aanbieders each upload a document of several MB and
//! submit in the last minute before the deadline, some in its last two seconds and a few just
//! after it. Checks that no receipt is lost or late, that nothing finished in time is refused,
//! and that every receipt matches the stored file after decryption; reports the time to
//! receipt, the service's peak memory, and a baseline measured in the same run.
//!
//! Run with `bench/burst.sh [sqlite|postgres]`; see BENCHMARKS.md.

use std::sync::Arc;
use std::time::Duration;

use aanbesteding::db::schema::{bid_files, submissions, tender_keys};
use aanbesteding::db::{self, Db};
use aanbesteding::vault::MasterKey;
use aanbesteding::vault::sealed_file::read_all;
use chrono::{DateTime, Timelike, Utc};
use diesel::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};

#[path = "burst_client.rs"]
mod client;
#[path = "burst_setup.rs"]
mod setup;
use client::{Client, Outcome};
use setup::PASSWORD;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let a = setup::args();
    let dir = std::env::temp_dir().join(format!("aanbesteding-burst-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (url, pg) = setup::database(&a.backend, &dir);
    let db = Db::connect(&url, 4).expect("database");
    db::transaction(&mut db.conn().expect("conn"), aanbesteding::demo::load_reference).expect("reference data");
    let emails = setup::accounts(&db, a.bidders + a.edge + a.late);
    let (mut server, base) = setup::start_server(&dir, &url);
    let document: Arc<Vec<u8>> = Arc::new({
        let mut d = b"%PDF-1.7\n".to_vec();
        d.extend((0..a.megabytes * 1024 * 1024 - 9).map(|i| (i * 7919 % 251) as u8));
        d
    });
    let sha = hex::encode(Sha256::digest(document.as_slice()));
    let baseline = setup::loopback_transfer(&document);

    // The tender closes at a whole minute, far enough ahead for every bidder to get ready.
    let preparing = Duration::from_secs(60 + (emails.len() as u64) / 2);
    let at = Utc::now() + chrono::Duration::from_std(preparing + Duration::from_secs(a.window)).unwrap_or_default();
    let deadline: DateTime<Utc> =
        at.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(at) + chrono::Duration::minutes(1);
    let inkoper = Client::login(&base, &emails[0], PASSWORD);
    let t = inkoper.publish(deadline);
    let sheet = setup::filled_sheet(&db, t["id"].as_i64().unwrap_or_default());
    println!("deadline {deadline}; {} bidders ready themselves…", emails.len() - 1);
    let ready: Vec<Client> = std::thread::scope(|s| {
        let handles: Vec<_> = emails[1..]
            .chunks(emails.len().div_ceil(8))
            .map(|chunk| {
                s.spawn(|| chunk.iter().map(|e| Client::ready(&base, e, PASSWORD, &t, &sheet)).collect::<Vec<_>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("bidder")).collect()
    });
    let setup_peak = setup::peak_mib(server.id());
    let (on_time, rest) = ready.split_at(a.bidders);
    let (edge, late) = rest.split_at(a.edge);
    let window_start = deadline - chrono::Duration::seconds(a.window as i64);
    assert!(Utc::now() < window_start, "the preparation took longer than planned");
    setup::reset_peak(server.id());
    let span_ms = (a.window as f64 - 5.0) * 1000.0;
    let step = |from: DateTime<Utc>, ms: f64| from + chrono::Duration::milliseconds(ms as i64);
    let outcomes: Vec<(usize, Outcome)> = std::thread::scope(|s| {
        let mut handles = Vec::new();
        let groups = [
            (on_time, window_start, span_ms / a.bidders as f64),
            // From two seconds before to two after: 12:00:00.x is in time, 12:00:01 is not.
            (edge, deadline - chrono::Duration::seconds(2), 4000.0 / a.edge.max(1) as f64),
            (late, deadline + chrono::Duration::seconds(1), 0.0),
        ];
        for (g, (clients, from, every)) in groups.into_iter().enumerate() {
            for (i, c) in clients.iter().enumerate() {
                let (doc, start) = (document.clone(), step(from, every * i as f64));
                handles.push(s.spawn(move || (g, c.burst(start, &doc))));
            }
        }
        handles.into_iter().map(|h| h.join().expect("burst")).collect()
    });
    let burst_peak = setup::peak_mib(server.id());

    // Check against the database and the vault.
    let mut conn = db.conn().expect("conn");
    let master = MasterKey::load_or_create(&dir.join("vault.key")).expect("master key");
    let wrapped: Vec<u8> = tender_keys::table
        .find(t["id"].as_i64().unwrap_or_default())
        .select(tender_keys::wrapped_key)
        .first(&mut *conn)
        .expect("key");
    let key = master.unwrap(&wrapped).expect("unwrap");
    let stored: i64 = submissions::table.count().get_result(&mut *conn).expect("count");
    let (mut matching, mut accepted_late, mut refused_in_time, mut other_failures) = (0, 0, 0, Vec::new());
    for (_, o) in &outcomes {
        match &o.receipt {
            Some(r) => {
                let at: DateTime<Utc> = r["submitted_at"].as_str().and_then(|s| s.parse().ok()).unwrap_or_default();
                // To the second: a receipt of 12:00:00.999 is in time for a 12:00 deadline.
                accepted_late += usize::from(at.with_nanosecond(0).unwrap_or(at) > deadline);
                let doc = r["files"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|f| f["kind"] == "document")
                    .cloned()
                    .unwrap_or(json!({}));
                let storage: String = bid_files::table
                    .filter(bid_files::bid_id.eq(o.bid_id))
                    .filter(bid_files::sha256.eq(doc["sha256"].as_str().unwrap_or_default()))
                    .select(bid_files::storage_name)
                    .first(&mut *conn)
                    .unwrap_or_default();
                let plain =
                    read_all(&dir.join("vault").join(t["id"].to_string()).join(storage), &key).unwrap_or_default();
                matching += usize::from(
                    doc["sha256"].as_str() == Some(sha.as_str()) && hex::encode(Sha256::digest(&plain)) == sha,
                );
            }
            // Refused as late, while the answer came before 12:00:01 (so every part was in time): wrong.
            None if o.status == 409 => {
                refused_in_time += usize::from(o.finished < deadline + chrono::Duration::seconds(1))
            }
            None => other_failures.push(o.status),
        }
    }
    let given = |g: usize| outcomes.iter().filter(|(og, o)| *og == g && o.receipt.is_some()).count();
    let accepted = outcomes.iter().filter(|(_, o)| o.receipt.is_some()).count();
    let lost = (a.bidders - given(0)) as i64 + (accepted as i64 - stored).max(0);
    let mut times: Vec<Duration> =
        outcomes.iter().filter(|(g, o)| *g == 0 && o.receipt.is_some()).map(|(_, o)| o.elapsed).collect();
    times.sort();
    println!(
        "backend {}: {} bidders × {} MB in the last {} s, {} from 2 s before to 2 s after, {} after the deadline",
        a.backend, a.bidders, a.megabytes, a.window, a.edge, a.late
    );
    println!("receipts: {}/{} in the window; {} given, {stored} stored; lost {lost}", given(0), a.bidders, accepted);
    println!("late: accepted after the deadline {accepted_late}; refused though finished in time {refused_in_time}");
    println!(
        "around the deadline: {} of {} given; after it: {} of {} given; other failures {other_failures:?}",
        given(1),
        a.edge,
        given(2),
        a.late
    );
    println!("every receipt matching the stored, decrypted file: {matching}/{accepted}");
    if !times.is_empty() {
        let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
        println!(
            "time to receipt in the window: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
            ms(p50),
            ms(p99),
            ms(percentile(&times, 1.0))
        );
        println!(
            "baseline: {} MB over loopback into a bare socket {:.1} ms; p50 is {:.1}x that",
            a.megabytes,
            ms(baseline),
            ms(p50) / ms(baseline)
        );
    }
    println!(
        "peak memory of the service: {setup_peak:.0} MiB while bidders logged in and prepared, {burst_peak:.0} MiB in the burst"
    );
    let _ = server.kill();
    let _ = server.wait();
    drop(conn);
    drop(db);
    setup::drop_database(pg);
    let _ = std::fs::remove_dir_all(&dir);
}
