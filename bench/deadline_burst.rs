//! Benchmark: the deadline burst. Many aanbieders each upload a document of several MB and
//! submit in the last minute before the deadline, and a few just after it. Checks that no
//! receipt is lost or late and that every receipt matches the stored file after decryption;
//! reports the time to receipt, the service's peak memory, and a baseline in the same run.
//!
//! Run with `bench/burst.sh [sqlite|postgres]`; see BENCHMARKS.md.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aanbesteding::auth::password;
use aanbesteding::db::audit::Actor;
use aanbesteding::db::schema::{bid_files, submissions, tender_keys};
use aanbesteding::db::user::{self, NewUser};
use aanbesteding::db::{self, Db, company};
use aanbesteding::domain::company::RegistrationInput;
use aanbesteding::domain::role::Role;
use aanbesteding::vault::MasterKey;
use aanbesteding::vault::sealed_file::read_all;
use chrono::{DateTime, Timelike, Utc};
use diesel::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};

#[path = "burst_client.rs"]
mod client;
use client::{Client, Outcome};

const PASSWORD: &str = "benchmark-wachtwoord-123";

struct Args {
    backend: String,
    bidders: usize,
    late: usize,
    megabytes: usize,
    window: u64,
}

fn args() -> Args {
    let mut a = Args { backend: "sqlite".into(), bidders: 200, late: 10, megabytes: 5, window: 60 };
    let list: Vec<String> = std::env::args().skip(1).collect();
    for pair in list.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--backend" => a.backend = value,
            "--bidders" => a.bidders = value.parse().unwrap_or(a.bidders),
            "--late" => a.late = value.parse().unwrap_or(a.late),
            "--mb" => a.megabytes = value.parse().unwrap_or(a.megabytes),
            "--window" => a.window = value.parse().unwrap_or(a.window),
            other => panic!("onbekende optie {other}"),
        }
    }
    a
}

/// Accounts with a known password, made directly in the database (registration mails are not
/// what this measures): one inkoper and `n` aanbieders, each with a company of its own.
fn accounts(db: &Db, n: usize) -> Vec<String> {
    let hash = password::hash(PASSWORD).expect("hash");
    let actor = Actor::system("benchmark");
    db::transaction(&mut db.conn().expect("conn"), |c| {
        let mut emails = Vec::new();
        for i in 0..=n {
            let (email, role) = if i == 0 {
                ("inkoper@bench.example".to_owned(), Role::Inkoper)
            } else {
                (format!("aanbieder-{i}@bench.example"), Role::Aanbieder)
            };
            let company_id = if role == Role::Aanbieder {
                let r = RegistrationInput {
                    company_name: format!("Taalschool {i}"),
                    kvk_number: format!("{:08}", 20_000_000 + i),
                    street: "Grote Oost 1".into(),
                    postal_code: "1621 AB".into(),
                    city: "Hoorn".into(),
                    contact_name: "Bench".into(),
                    phone: "0229 123 456".into(),
                    email: email.clone(),
                    password: PASSWORD.into(),
                };
                Some(company::insert(c, &r, &actor)?.id)
            } else {
                None
            };
            let new = NewUser {
                email: &email,
                name: "Bench",
                role,
                password_hash: &hash,
                must_change_password: false,
                company_id,
                verified: true,
            };
            user::insert(c, &new, &actor)?;
            emails.push(email);
        }
        Ok(emails)
    })
    .expect("accounts")
}

/// The tender's prijzenblad as the bidders fill it in: € 5 per unit on every line.
fn filled_sheet(db: &Db, tender_id: i64) -> Vec<u8> {
    let t = aanbesteding::db::tender::load(&mut db.conn().expect("conn"), tender_id).expect("load").expect("tender");
    let wb = aanbesteding::domain::price_sheet::Workbook::of(&t);
    aanbesteding::excel::price_sheet::write_with(&wb, &|_, _| Some(5.0)).expect("prijzenblad")
}

fn start_server(dir: &std::path::Path, url: &str) -> (Child, String) {
    let mut child = Command::new("target/release/aanbesteding")
        .arg("serve")
        .env("DATA_DIR", dir)
        .env("DATABASE_URL", url)
        .env("BIND_ADDRESS", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the service (bench/burst.sh builds it)");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines.next().expect("service output").expect("line");
        if let Some(at) = line.find("http://") {
            break line[at..].split_whitespace().next().unwrap_or_default().to_owned();
        }
    };
    (child, base)
}

/// Peak resident memory of a process, in MiB (VmHWM).
fn peak_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// Baseline: the same bytes over loopback into a socket that only reads them and says "ok".
fn loopback_transfer(bytes: &[u8]) -> Duration {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let len = bytes.len();
    let sink = std::thread::spawn(move || {
        for stream in listener.incoming().take(20).flatten() {
            let mut s = stream;
            let mut buf = vec![0u8; 64 * 1024];
            let mut got = 0;
            while got < len {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => got += n,
                }
            }
            let _ = s.write_all(b"ok");
        }
    });
    let mut times = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        let mut s = TcpStream::connect(addr).expect("connect");
        s.write_all(bytes).expect("send");
        let mut ok = [0u8; 2];
        s.read_exact(&mut ok).expect("ok");
        times.push(start.elapsed());
    }
    let _ = sink.join();
    times.sort();
    times[times.len() / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let a = args();
    let dir = std::env::temp_dir().join(format!("aanbesteding-burst-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let (url, pg) = match a.backend.as_str() {
        "postgres" => {
            let admin = std::env::var("TEST_DATABASE_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let name = format!("aanbesteding_burst_{}", std::process::id());
            let mut c = PgConnection::establish(&admin).expect("postgres");
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c).expect("create");
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap_or(admin.clone());
            (format!("{base}/{name}"), Some((admin, name)))
        }
        _ => (dir.join("burst.db").to_string_lossy().into_owned(), None),
    };
    let db = Db::connect(&url, 4).expect("database");
    db::transaction(&mut db.conn().expect("conn"), aanbesteding::demo::load_reference).expect("reference data");
    let emails = accounts(&db, a.bidders + a.late);
    let (mut server, base) = start_server(&dir, &url);
    let document: Arc<Vec<u8>> = Arc::new({
        let mut d = b"%PDF-1.7\n".to_vec();
        d.extend((0..a.megabytes * 1024 * 1024 - 9).map(|i| (i * 7919 % 251) as u8));
        d
    });
    let sha = hex::encode(Sha256::digest(document.as_slice()));
    let baseline = loopback_transfer(&document);

    // The tender closes at a whole minute, far enough ahead for every bidder to get ready.
    let setup = Duration::from_secs(60 + (a.bidders as u64) / 2);
    let at = Utc::now() + chrono::Duration::from_std(setup + Duration::from_secs(a.window)).unwrap_or_default();
    let deadline: DateTime<Utc> =
        at.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(at) + chrono::Duration::minutes(1);
    let inkoper = Client::login(&base, &emails[0], PASSWORD);
    let t = inkoper.publish(deadline);
    let sheet = filled_sheet(&db, t["id"].as_i64().unwrap_or_default());
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
    let (on_time, late) = ready.split_at(a.bidders);
    let window_start = deadline - chrono::Duration::seconds(a.window as i64);
    assert!(Utc::now() < window_start, "the preparation took longer than planned; raise the setup time");
    let span = (a.window - 5) as f64;
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let mut handles = Vec::new();
        for (i, c) in on_time.iter().enumerate() {
            let start =
                window_start + chrono::Duration::milliseconds((span * 1000.0 * i as f64 / a.bidders as f64) as i64);
            let doc = document.clone();
            handles.push(s.spawn(move || c.burst(start, &doc)));
        }
        for c in late {
            let doc = document.clone();
            handles.push(s.spawn(move || c.burst(deadline + chrono::Duration::seconds(1), &doc)));
        }
        handles.into_iter().map(|h| h.join().expect("burst")).collect()
    });
    let peak = peak_mib(server.id());

    // Check against the database and the vault.
    let mut conn = db.conn().expect("conn");
    let master = MasterKey::load_or_create(&dir.join("vault.key")).expect("master key");
    let wrapped: Vec<u8> = tender_keys::table
        .find(t["id"].as_i64().unwrap_or_default())
        .select(tender_keys::wrapped_key)
        .first(&mut *conn)
        .expect("key");
    let key = master.unwrap(&wrapped).expect("unwrap");
    let stored_receipts: i64 = submissions::table.count().get_result(&mut *conn).expect("count");
    let accepted: Vec<&Outcome> = outcomes.iter().filter(|o| o.receipt.is_some()).collect();
    let mut matching = 0;
    let mut accepted_late = 0;
    for o in &accepted {
        let r = o.receipt.as_ref().expect("receipt");
        let at: DateTime<Utc> = r["submitted_at"].as_str().and_then(|s| s.parse().ok()).unwrap_or_default();
        if at > deadline {
            accepted_late += 1;
        }
        let doc =
            r["files"].as_array().into_iter().flatten().find(|f| f["kind"] == "document").cloned().unwrap_or(json!({}));
        let storage: String = bid_files::table
            .filter(bid_files::sha256.eq(doc["sha256"].as_str().unwrap_or_default()))
            .filter(bid_files::bid_id.eq(o.bid_id))
            .select(bid_files::storage_name)
            .first(&mut *conn)
            .unwrap_or_default();
        let plain = read_all(&dir.join("vault").join(t["id"].to_string()).join(storage), &key).unwrap_or_default();
        if doc["sha256"].as_str() == Some(sha.as_str()) && hex::encode(Sha256::digest(&plain)) == sha {
            matching += 1;
        }
    }
    let mut times: Vec<Duration> = accepted.iter().map(|o| o.elapsed).collect();
    times.sort();
    let refused_late = outcomes.iter().filter(|o| o.status == 409).count();
    let errors: Vec<u16> =
        outcomes.iter().filter(|o| o.receipt.is_none() && o.status != 409).map(|o| o.status).collect();
    let in_window = outcomes[..a.bidders].iter().filter(|o| o.receipt.is_some()).count();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "backend {}: {} bidders × {} MB in the last {} s, {} more just after the deadline",
        a.backend, a.bidders, a.megabytes, a.window, a.late
    );
    let unstored = (accepted.len() as i64 - stored_receipts).max(0);
    let lost = (a.bidders - in_window) as i64 + unstored;
    println!(
        "receipts: {in_window}/{} in time; stored {stored_receipts} of {} given; lost {lost}; accepted late {accepted_late}; matching the stored file {matching}/{}",
        a.bidders,
        accepted.len(),
        accepted.len()
    );
    println!("after the deadline: {refused_late}/{} refused (409); other failures: {errors:?}", a.late);
    if !times.is_empty() {
        println!(
            "time to receipt (upload + submit): p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            ms(percentile(&times, 1.0))
        );
        println!(
            "baseline, the same {} MB over loopback into a bare socket: {:.1} ms; p50 ratio {:.1}x",
            a.megabytes,
            ms(baseline),
            ms(percentile(&times, 0.5)) / ms(baseline)
        );
    }
    println!("peak memory of the service (VmHWM): {peak:.0} MiB");
    let _ = server.kill();
    let _ = server.wait();
    drop(conn);
    drop(db);
    if let Some((admin, name)) = pg
        && let Ok(mut c) = PgConnection::establish(&admin)
    {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
