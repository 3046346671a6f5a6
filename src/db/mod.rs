//! Database (opslag): one binary over SQLite or PostgreSQL, chosen by the scheme of `DATABASE_URL`.
//!
//! Every query function is plain sync diesel over `&mut DbConn`; handlers reach them through
//! [`Db::read`] and [`Db::write`], which run them on actix's blocking pool.

pub mod announcement;
pub mod audit;
pub mod award;
pub mod award_letter;
pub mod bid;
pub mod bid_file;
pub mod capacity;
pub mod capacity_notice;
pub mod committee;
pub mod company;
pub mod conflict;
pub mod consensus;
pub mod contract;
pub mod contract_document;
pub mod correction;
pub mod draw;
pub mod enquiry;
pub mod enquiry_note;
pub mod evaluation;
pub mod evaluation_correction;
pub mod evidence_request;
pub mod interest;
pub mod learning_route;
pub mod lot;
pub mod municipality;
pub mod objection;
pub mod opening;
pub mod outbox;
pub mod overview;
pub mod overview_cache;
pub mod placement;
pub mod price_line;
pub mod price_sheet;
pub mod publication;
pub mod region;
pub mod reminder;
pub mod route_share;
pub mod scale;
pub mod schema;
pub mod scope;
pub mod score;
pub mod selection_criterion;
pub mod setup;
pub mod snapshot;
pub mod submission;
pub mod suitability;
pub mod taakstelling;
pub mod tender;
pub mod tender_key;
pub mod throttle;
pub mod timestamp;
pub mod trust;
pub mod user;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::errors::Error;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Opens connections of the backend the URL names, and never silently of the other one:
/// diesel's own `MultiConnection::establish` tries each backend in turn, so a mistyped
/// PostgreSQL URL would quietly become a SQLite file.
pub struct Manager {
    url: String,
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match self.backend {
            Backend::Postgres => {
                let mut conn = PgConnection::establish(&self.url).map_err(r2d2::Error::ConnectionError)?;
                // Times cast to text read as `timestamp` expects them, whatever the server's default.
                conn.batch_execute("SET DateStyle = 'ISO, YMD';").map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Pg(conn))
            }
            Backend::Sqlite => {
                let path = self.url.strip_prefix("sqlite://").unwrap_or(&self.url);
                let mut conn = SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                // FULL so that a committed receipt survives a power cut. (WAL is set once, in `Db::connect`.)
                // Reads through a memory map of up to 1 GiB, shared by every connection: the
                // default page cache of 2 MB per connection holds little of a perceel's scores.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                     PRAGMA mmap_size = 1073741824;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// The pool plus the knowledge of which backend it talks to.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    pub backend: Backend,
    /// Counts write transactions of this process, so caches notice local changes at once.
    writes: Arc<AtomicU64>,
    /// Wakes whoever waits for writes (the mail worker: a write may have queued a message).
    written: Arc<Notify>,
}

impl Db {
    /// Connects, creating the SQLite file's folder when needed, and applies pending migrations.
    pub fn connect(url: &str, pool_size: u32) -> Result<Db, Error> {
        let backend = Backend::of(url);
        if backend == Backend::Sqlite {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            if let Some(dir) = std::path::Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::Internal(format!("map {} niet aan te maken: {e}", dir.display())))?;
            }
        }
        let manager = Manager { url: url.to_owned(), backend };
        // WAL lets readers work beside the one writer. The mode is stored in the file; switching
        // needs the database to itself, so it happens once here, and this first connection stays
        // open while the pool opens its own beside it.
        let _first = match backend {
            Backend::Sqlite => {
                let mut first =
                    manager.connect().map_err(|e| Error::Unavailable(format!("database niet te openen: {e}")))?;
                first.batch_execute("PRAGMA journal_mode = WAL;")?;
                Some(first)
            }
            Backend::Postgres => None,
        };
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .connection_timeout(Duration::from_secs(10))
            .build(manager)
            .map_err(|e| Error::Unavailable(format!("database niet bereikbaar: {e}")))?;
        let db = Db { pool, backend, writes: Arc::default(), written: Arc::default() };
        db.migrate()?;
        Ok(db)
    }

    fn migrate(&self) -> Result<(), Error> {
        let mut conn = self.conn()?;
        let migrations = match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS,
            Backend::Postgres => POSTGRES_MIGRATIONS,
        };
        conn.run_pending_migrations(migrations)
            .map(|_| ())
            .map_err(|e| Error::Internal(format!("migraties mislukt: {e}")))
    }

    pub fn conn(&self) -> Result<r2d2::PooledConnection<Manager>, Error> {
        self.pool.get().map_err(|e| Error::Unavailable(format!("geen databaseverbinding: {e}")))
    }

    /// Runs read-only work on the blocking pool.
    pub async fn read<T, F>(&self, f: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, Error> + Send + 'static,
    {
        let db = self.clone();
        actix_web::web::block(move || f(&mut *db.conn()?))
            .await
            .map_err(|e| Error::Internal(format!("achtergrondtaak afgebroken: {e}")))?
    }

    /// Runs work in one transaction on the blocking pool; any error rolls everything back.
    pub async fn write<T, F>(&self, f: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, Error> + Send + 'static,
    {
        let db = self.clone();
        actix_web::web::block(move || {
            let result = transaction(&mut *db.conn()?, f);
            // Counted here, not after the await: a request dropped once its write is done must
            // still make the caches of this process look again.
            db.writes.fetch_add(1, Ordering::Release);
            db.written.notify_one();
            result
        })
        .await
        .map_err(|e| Error::Internal(format!("achtergrondtaak afgebroken: {e}")))?
    }

    /// Completes after the next write transaction of this process (or at once if one happened
    /// since the last wait).
    pub async fn written(&self) {
        self.written.notified().await
    }

    /// How many write transactions this process has run (committed or not).
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }
}

/// A write transaction. On SQLite it begins IMMEDIATE: a deferred transaction that reads
/// first and writes later fails with SQLITE_BUSY instead of waiting when another writer won.
pub fn transaction<T, F>(conn: &mut DbConn, f: F) -> Result<T, Error>
where
    F: FnOnce(&mut DbConn) -> Result<T, Error>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            DbConn::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) = DbConn::rollback_transaction(conn) {
                tracing::error!("terugdraaien mislukt: {rollback}");
            }
            Err(e)
        }
    }
}

/// One page of a list: which page, how many per page, how many in all.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest {
    pub page: i64,
    pub per_page: i64,
}

impl PageRequest {
    pub const MAX_PER_PAGE: i64 = 100;

    pub fn new(page: Option<i64>, per_page: Option<i64>) -> PageRequest {
        PageRequest { page: page.unwrap_or(1).max(1), per_page: per_page.unwrap_or(25).clamp(1, Self::MAX_PER_PAGE) }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

/// The current instant, truncated to microseconds so it survives a round trip through either backend.
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    use chrono::Timelike;
    now.with_nanosecond(now.nanosecond() / 1000 * 1000).unwrap_or(now)
}
