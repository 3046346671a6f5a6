//! Bezorger (delivery worker): takes due messages from the outbox and hands them to the transport.
//! It wakes after every write transaction and otherwise every 30 seconds.

use std::time::Duration;

use super::transport::Mailer;
use crate::db::{self, Db, outbox};
use crate::errors::Error;

/// How long a claimed message is reserved for this worker.
const HOLD_MINUTES: i64 = 2;
const BATCH: i64 = 20;

/// Runs the worker on the current actix runtime for as long as the service runs.
pub fn spawn(db: Db, mailer: Mailer) {
    actix_web::rt::spawn(async move {
        loop {
            if let Err(e) = deliver_due(&db, &mailer).await {
                e.log();
            }
            let _ = actix_web::rt::time::timeout(Duration::from_secs(30), db.written()).await;
        }
    });
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
