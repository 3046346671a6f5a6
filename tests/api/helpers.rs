//! Test helpers: the real app on port 0 with a fresh database of its own, and a client for it.

use std::sync::atomic::{AtomicUsize, Ordering};

use aanbesteding::auth::password;
use aanbesteding::clock::Clock;
use aanbesteding::db::audit::Actor;
use aanbesteding::db::user::{self, NewUser};
use aanbesteding::db::{self, Db, company};
use aanbesteding::domain::company::RegistrationInput;
use aanbesteding::domain::role::Role;
use aanbesteding::settings::{MailSettings, MailTransport, Secret, Settings};
use aanbesteding::startup::Application;
use aanbesteding::state::AppState;
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::Value;

pub const PASSWORD: &str = "een-lang-testwachtwoord";
pub const SECRET: &str = "testsleutel-testsleutel-testsleutel-testsleutel-0123456789abcdef";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct TestApp {
    pub base: String,
    pub db: Db,
    /// The app's clock: tests move it to cross a deadline.
    pub clock: Clock,
    pub database_url: String,
    agent: ureq::Agent,
    drop_pg: Option<(String, String)>,
    _dir: TempDir,
}

/// A folder removed when the test ends.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.drop_pg
            && let Ok(mut conn) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn);
        }
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .build()
        .into()
}

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst), rand_suffix())
}

fn rand_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let n = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{n:x}")
}

/// Starts the app on a fresh database; `None` for PostgreSQL when no test database is configured.
pub fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, None)
}

/// As `spawn_app`, delivering mail through the given transport instead of into files.
pub fn spawn_app_with(backend: Backend, mail: Option<MailTransport>) -> Option<TestApp> {
    spawn_app_tuned(backend, |s| {
        if let Some(m) = mail {
            s.mail.transport = m;
        }
    })
}

/// As `spawn_app`, with settings changed by `tune` before the app starts.
pub fn spawn_app_tuned(backend: Backend, tune: impl FnOnce(&mut Settings)) -> Option<TestApp> {
    let dir = TempDir(std::env::temp_dir().join(unique("aanbesteding_test")));
    std::fs::create_dir_all(&dir.0).expect("temp dir");
    let (database_url, drop_pg) = match backend {
        Backend::Sqlite => (dir.0.join("test.db").to_string_lossy().into_owned(), None),
        Backend::Postgres => {
            let admin_url = match std::env::var("TEST_DATABASE_URL") {
                Ok(url) if !url.is_empty() => url,
                _ if std::env::var("CI").is_ok() => {
                    panic!("CI zonder TEST_DATABASE_URL: de PostgreSQL-tests moeten draaien")
                }
                _ => return None,
            };
            let name = unique("aanbesteding_test");
            let mut conn = PgConnection::establish(&admin_url).expect("connect to TEST_DATABASE_URL");
            diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).expect("create test database");
            let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap_or(admin_url.clone());
            (format!("{base}/{name}"), Some((admin_url, name)))
        }
    };
    let mut settings = Settings {
        database_url: database_url.clone(),
        pool_size: 4,
        bind_address: "127.0.0.1:0".into(),
        data_dir: dir.0.clone(),
        secret_key: Secret(SECRET.as_bytes().to_vec()),
        cookie_secure: false,
        session_minutes: 60,
        api_token_minutes: 60,
        workers: 1,
        public_url: "http://127.0.0.1".into(),
        vault_key_file: dir.0.join("vault.key"),
        max_file_bytes: 25 * 1024 * 1024,
        max_bid_bytes: 200 * 1024 * 1024,
        reader_exe: env!("CARGO_BIN_EXE_aanbesteding").into(),
        mail: MailSettings {
            from: "Aanbesteding test <noreply@test.example>".into(),
            transport: MailTransport::File(dir.0.join("mail")),
        },
    };
    tune(&mut settings);
    let db = Db::connect(&database_url, 4).expect("database");
    db::transaction(&mut db.conn().expect("conn"), aanbesteding::demo::load_reference).expect("reference data");
    let state = AppState::new(db.clone(), settings).expect("state");
    let clock = state.clock.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(state).expect("build app");
            tx.send(app.port()).expect("send port");
            let _ = app.run_until_stopped().await;
        })
    });
    let port = rx.recv().expect("port");
    Some(TestApp {
        base: format!("http://127.0.0.1:{port}"),
        db,
        clock,
        database_url,
        agent: agent(),
        drop_pg,
        _dir: dir,
    })
}

pub struct Resp {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub content_type: String,
    pub retry_after: Option<String>,
    pub disposition: Option<String>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("geen JSON ({e}): {}", self.body))
    }

    /// The field names of a problem+json answer.
    pub fn invalid_params(&self) -> Vec<String> {
        self.json()["invalid_params"]
            .as_array()
            .map(|a| a.iter().filter_map(|p| p["name"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }
}

pub fn read(mut r: ureq::http::Response<ureq::Body>) -> Resp {
    let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let location = header("location");
    let content_type = header("content-type").unwrap_or_default();
    let retry_after = header("retry-after");
    let disposition = header("content-disposition");
    let body = r.body_mut().read_to_string().unwrap_or_default();
    Resp { status: r.status().as_u16(), body, location, content_type, retry_after, disposition }
}

#[derive(Clone)]
pub struct TestUser {
    pub id: i64,
    pub email: String,
    pub token: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Any method, with an optional Bearer token and JSON body.
    pub fn call(&self, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> Resp {
        let mut b = ureq::http::Request::builder().method(method).uri(self.url(path));
        if let Some(t) = token {
            b = b.header("Authorization", format!("Bearer {t}"));
        }
        let result = match body {
            Some(json) => {
                self.agent.run(b.header("Content-Type", "application/json").body(json.to_string()).expect("request"))
            }
            None => self.agent.run(b.body(()).expect("request")),
        };
        read(result.expect("request sent"))
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.call("GET", path, token, None)
    }

    /// The body of a GET as bytes: a workbook or a document, unchanged.
    pub fn bytes(&self, path: &str, token: &str) -> Vec<u8> {
        agent()
            .get(self.url(path))
            .header("Authorization", format!("Bearer {token}"))
            .call()
            .expect("GET")
            .into_body()
            .read_to_vec()
            .expect("body")
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.call("POST", path, token, Some(body))
    }

    pub fn put(&self, path: &str, token: Option<&str>, body: &Value) -> Resp {
        self.call("PUT", path, token, Some(body))
    }

    /// The app's data folder (vault key, sealed files, mail).
    pub fn data_dir(&self) -> std::path::PathBuf {
        self._dir.0.clone()
    }

    /// Uploads one file as multipart/form-data, field `file`.
    pub fn upload(&self, path: &str, token: &str, name: &str, content: &[u8]) -> Resp {
        let boundary = "----aanbesteding-test-grens";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = ureq::http::Request::builder()
            .method("POST")
            .uri(self.url(path))
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .expect("request");
        read(self.agent.run(request).expect("upload sent"))
    }

    /// A user with a known password (not a one-time one), logged in through the API.
    pub fn user(&self, role: Role) -> TestUser {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let email = format!("{}-{n}@test.example", role.as_str());
        let hash = password::hash(PASSWORD).expect("hash");
        let actor = Actor::system("test");
        let u = db::transaction(&mut self.db.conn().expect("conn"), |c| {
            // An aanbieder always works for a company.
            let company_id = if role == Role::Aanbieder {
                let registration = RegistrationInput {
                    company_name: format!("Taalschool {n}"),
                    kvk_number: format!("{:08}", 10_000_000 + n),
                    street: "Grote Oost 1".into(),
                    postal_code: "1621 AB".into(),
                    city: "Hoorn".into(),
                    contact_name: "Test Gebruiker".into(),
                    phone: "0229 123 456".into(),
                    email: email.clone(),
                    password: PASSWORD.into(),
                };
                Some(company::insert(c, &registration, &actor)?.id)
            } else {
                None
            };
            // A klantmanager works for Hoorn unless a test moves the account.
            let municipality_id = match role {
                Role::Klantmanager => aanbesteding::db::municipality::find(c, "GM0405")?.map(|m| m.id),
                _ => None,
            };
            let new = NewUser {
                email: &email,
                name: "Test Gebruiker",
                role,
                password_hash: &hash,
                must_change_password: false,
                company_id,
                municipality_id,
                verified: true,
            };
            user::insert(c, &new, &actor)
        })
        .expect("user");
        let r = self.post("/api/v1/auth/token", None, &serde_json::json!({ "email": email, "password": PASSWORD }));
        assert_eq!(r.status, 200, "{}", r.body);
        TestUser { id: u.id, email, token: r.json()["access_token"].as_str().unwrap_or_default().to_owned() }
    }

    /// The text of the newest message queued for an address, as stored in the outbox.
    pub fn last_mail_to(&self, recipient: &str) -> String {
        use aanbesteding::db::schema::outbox;
        use diesel::{ExpressionMethods, QueryDsl};
        let mut conn = self.db.conn().expect("conn");
        outbox::table
            .filter(outbox::recipient.eq(recipient))
            .order(outbox::id.desc())
            .select(outbox::text_body)
            .first::<String>(&mut *conn)
            .unwrap_or_default()
    }

    /// The last delivery error of the newest message to an address, once an attempt was made.
    pub fn last_mail_error(&self, recipient: &str) -> Option<String> {
        use aanbesteding::db::schema::outbox;
        use diesel::{ExpressionMethods, QueryDsl};
        let mut conn = self.db.conn().expect("conn");
        outbox::table
            .filter(outbox::recipient.eq(recipient))
            .filter(outbox::attempts.gt(0))
            .order(outbox::id.desc())
            .select(outbox::last_error)
            .first::<String>(&mut *conn)
            .ok()
    }

    /// Runs SQL directly on the test database, as someone with database access could.
    pub fn sql(&self, sql: &str) -> usize {
        let mut conn = self.db.conn().expect("conn");
        diesel::sql_query(sql).execute(&mut *conn).expect("sql")
    }

    pub fn backend(&self) -> Backend {
        if self.database_url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite }
    }
}

/// Defines each test twice: on SQLite always, on PostgreSQL when `TEST_DATABASE_URL` is set.
#[macro_export]
macro_rules! both {
    ($(fn $name:ident($app:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn run($app: $crate::helpers::TestApp) $body

            #[test]
            fn sqlite() {
                run($crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).expect("sqlite app"));
            }

            #[test]
            fn postgres() {
                match $crate::helpers::spawn_app($crate::helpers::Backend::Postgres) {
                    Some(app) => run(app),
                    None => eprintln!("PostgreSQL overgeslagen: TEST_DATABASE_URL is niet gezet"),
                }
            }
        }
    )*};
}
