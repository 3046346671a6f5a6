//! Mail to a real SMTP server on loopback (Python's aiosmtpd), delivered and retried.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aanbesteding::settings::{MailTransport, SmtpSecurity};
use serde_json::json;

use crate::helpers::{Backend, TempDir, TestApp, spawn_app_with};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// An SMTP server that stores every message it accepts in a maildir.
struct SmtpServer {
    child: Child,
    maildir: PathBuf,
    _dir: TempDir,
}

impl SmtpServer {
    fn start(port: u16) -> SmtpServer {
        let available = Command::new("python3").args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
        assert!(available, "aiosmtpd ontbreekt: python3 -m pip install aiosmtpd (scripts/test doet dat)");
        let dir = TempDir(std::env::temp_dir().join(format!("aanbesteding_smtp_{port}_{}", std::process::id())));
        let maildir = dir.0.join("maildir");
        std::fs::create_dir_all(&dir.0).expect("smtp dir");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(10), "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer { child, maildir, _dir: dir }
    }

    /// Waits until the server holds `n` messages, and returns them.
    fn messages(&self, n: usize) -> Vec<String> {
        let started = Instant::now();
        loop {
            let found: Vec<String> = std::fs::read_dir(self.maildir.join("new"))
                .map(|entries| {
                    entries.filter_map(|e| e.ok()).filter_map(|e| std::fs::read_to_string(e.path()).ok()).collect()
                })
                .unwrap_or_default();
            if found.len() >= n {
                return found;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "{} of {n} messages arrived", found.len());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn app_with_smtp(backend: Backend, port: u16) -> Option<TestApp> {
    let smtp = MailTransport::Smtp {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
    };
    spawn_app_with(backend, Some(smtp))
}

fn register(app: &TestApp) {
    let r = app.post(
        "/api/v1/registrations",
        None,
        &json!({
            "company_name": "Taalhuis", "kvk_number": "87654321", "street": "Kerkstraat 1", "postal_code": "1601 AA",
            "city": "Enkhuizen", "contact_name": "Sanne de Boer", "phone": "0228 123 456",
            "email": "sanne@taalhuis.example", "password": "een-sterk-wachtwoord-1",
        }),
    );
    assert_eq!(r.status, 201, "{}", r.body);
}

fn delivered_to_smtp(backend: Backend) {
    let port = free_port();
    let server = SmtpServer::start(port);
    let Some(app) = app_with_smtp(backend, port) else {
        return eprintln!("PostgreSQL overgeslagen: TEST_DATABASE_URL is niet gezet");
    };
    register(&app);
    let messages = server.messages(1);
    let m = &messages[0];
    assert!(m.contains("To: sanne@taalhuis.example"), "{m}");
    assert!(m.contains("Subject: Bevestig uw e-mailadres voor Aanbesteding inburgering"), "{m}");
    assert!(m.contains("multipart/alternative"), "text and HTML: {m}");
    assert!(m.contains("/registreren/bevestigen?token=") || m.contains("/registreren/bevestigen?token=3D"), "{m}");
}

fn retried_until_delivered(backend: Backend) {
    let port = free_port();
    let Some(app) = app_with_smtp(backend, port) else {
        return eprintln!("PostgreSQL overgeslagen: TEST_DATABASE_URL is niet gezet");
    };
    register(&app);
    let started = Instant::now();
    while app.last_mail_error("sanne@taalhuis.example").is_none_or(|e| e.is_empty()) {
        assert!(started.elapsed() < Duration::from_secs(10), "no failed attempt was recorded");
        std::thread::sleep(Duration::from_millis(50));
    }
    let server = SmtpServer::start(port);
    // Do not wait for the back-off: make the retry due now, and wake the worker with a write.
    app.sql("UPDATE outbox SET next_attempt_at = created_at");
    app.post("/api/v1/auth/token", None, &json!({ "email": "sanne@taalhuis.example", "password": "fout" }));
    assert_eq!(server.messages(1).len(), 1);
}

#[test]
fn mail_reaches_a_real_smtp_server_on_sqlite() {
    delivered_to_smtp(Backend::Sqlite);
}

#[test]
fn mail_reaches_a_real_smtp_server_on_postgres() {
    delivered_to_smtp(Backend::Postgres);
}

#[test]
fn mail_is_retried_until_the_smtp_server_accepts_it_on_sqlite() {
    retried_until_delivered(Backend::Sqlite);
}

#[test]
fn mail_is_retried_until_the_smtp_server_accepts_it_on_postgres() {
    retried_until_delivered(Backend::Postgres);
}
