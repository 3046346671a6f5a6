//! Bezorger (delivery worker): takes due messages from the outbox and hands them to the transport.
//! It wakes after every write transaction and otherwise every 30 seconds; once a minute it also
//! queues the reminders that have come due by the service's clock: the sluitingstermijn's, and
//! the decisions on contract extensions.

use std::time::{Duration, Instant};

use super::transport::Mailer;
use crate::clock::Clock;
use crate::db::{self, Db, capacity_notice, outbox, reminder};
use crate::errors::Error;

/// How long a claimed message is reserved for this worker.
const HOLD_MINUTES: i64 = 2;
const BATCH: i64 = 20;

const REMINDER_EVERY: Duration = Duration::from_secs(60);

/// Runs the worker on the current actix runtime for as long as the service runs.
pub fn spawn(db: Db, mailer: Mailer, clock: Clock, public_url: String) {
    actix_web::rt::spawn(async move {
        let mut reminders_at = Instant::now();
        loop {
            if Instant::now() >= reminders_at {
                reminders_at = Instant::now() + REMINDER_EVERY;
                if let Err(e) = queue_reminders(&db, &clock, &public_url).await {
                    e.log();
                }
                if let Err(e) = remind_extensions(&db, &clock, &public_url).await {
                    e.log();
                }
            }
            if let Err(e) = deliver_due(&db, &mailer).await {
                e.log();
            }
            let wait = Duration::from_secs(30).min(reminders_at.saturating_duration_since(Instant::now()));
            let _ = actix_web::rt::time::timeout(wait, db.written()).await;
        }
    });
}

/// Queues the reminders due now; the look first keeps a quiet minute free of write transactions.
async fn queue_reminders(db: &Db, clock: &Clock, public_url: &str) -> Result<usize, Error> {
    let now = clock.now();
    if db.read(move |conn| reminder::due_now(conn, now)).await?.is_empty() {
        return Ok(0);
    }
    let url = public_url.to_owned();
    db.write(move |conn| reminder::queue_due_reminders(conn, now, &url)).await
}

/// Queues the reminders of extension decisions due now; as above, it looks before it writes.
async fn remind_extensions(db: &Db, clock: &Clock, public_url: &str) -> Result<usize, Error> {
    let (now, url) = (clock.now(), public_url.to_owned());
    let look = url.clone();
    if db.read(move |conn| capacity_notice::extension_reminders_due(conn, now, &look)).await?.is_empty() {
        return Ok(0);
    }
    db.write(move |conn| capacity_notice::remind_extensions(conn, now, &url)).await
}

/// Delivers everything that is due now; returns how many were handed over.
pub async fn deliver_due(db: &Db, mailer: &Mailer) -> Result<usize, Error> {
    let mut delivered = 0;
    loop {
        // Look before claiming: a claim is a write, and every write wakes this worker again.
        if !db.read(|conn| outbox::any_due(conn, db::now())).await? {
            return Ok(delivered);
        }
        let batch =
            db.write(|conn| outbox::claim_due(conn, db::now(), BATCH, chrono::Duration::minutes(HOLD_MINUTES))).await?;
        if batch.is_empty() {
            return Ok(delivered);
        }
        for m in batch {
            let result = mailer.send(&m).await;
            let id = m.id;
            match result {
                Ok(()) => {
                    delivered += 1;
                    db.write(move |conn| outbox::mark_sent(conn, id, db::now())).await?;
                }
                Err(error) => {
                    tracing::warn!("bericht {id} niet bezorgd: {error}");
                    db.write(move |conn| outbox::mark_failed(conn, id, db::now(), &error)).await?;
                }
            }
        }
    }
}
