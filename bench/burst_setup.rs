//! The deadline burst's set-up: options, a fresh database, accounts, the service as a child
//! process, its memory, and the baseline transfer measured in the same run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aanbesteding::auth::password;
use aanbesteding::db::audit::Actor;
use aanbesteding::db::user::{self, NewUser};
use aanbesteding::db::{self, Db, company};
use aanbesteding::domain::company::RegistrationInput;
use aanbesteding::domain::role::Role;
use diesel::prelude::*;

pub const PASSWORD: &str = "benchmark-wachtwoord-123";

pub struct Args {
    pub backend: String,
    pub bidders: usize,
    /// Bidders whose upload starts in the last two seconds, some finishing after the deadline.
    pub edge: usize,
    pub late: usize,
    pub megabytes: usize,
    pub window: u64,
}

pub fn args() -> Args {
    let mut a = Args { backend: "sqlite".into(), bidders: 200, edge: 10, late: 10, megabytes: 5, window: 60 };
    let list: Vec<String> = std::env::args().skip(1).collect();
    for pair in list.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_default();
        match pair[0].as_str() {
            "--backend" => a.backend = value,
            "--bidders" => a.bidders = value.parse().unwrap_or(a.bidders),
            "--edge" => a.edge = value.parse().unwrap_or(a.edge),
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
pub fn accounts(db: &Db, n: usize) -> Vec<String> {
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
                municipality_id: None,
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
pub fn filled_sheet(db: &Db, tender_id: i64) -> Vec<u8> {
    let t = aanbesteding::db::tender::load(&mut db.conn().expect("conn"), tender_id).expect("load").expect("tender");
    let wb = aanbesteding::domain::price_sheet::Workbook::of(&t);
    aanbesteding::excel::price_sheet::write_with(&wb, &|_, _| Some(5.0)).expect("prijzenblad")
}

pub fn start_server(dir: &std::path::Path, url: &str) -> (Child, String) {
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
pub fn peak_mib(pid: u32) -> f64 {
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
pub fn loopback_transfer(bytes: &[u8]) -> Duration {
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

/// Forgets the peak so far, so the next reading is the peak of what follows.
pub fn reset_peak(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

/// The database to run on: a SQLite file in `dir`, or a fresh PostgreSQL database (with the
/// administrative URL and its name, to drop it afterwards).
pub fn database(backend: &str, dir: &std::path::Path) -> (String, Option<(String, String)>) {
    match backend {
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
    }
}

pub fn drop_database(pg: Option<(String, String)>) {
    if let Some((admin, name)) = pg
        && let Ok(mut c) = PgConnection::establish(&admin)
    {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c);
    }
}
