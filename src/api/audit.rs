//! Logboek via de API: a tender's audit log with the verdict on its hash chain.

use actix_web::web;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::problem::Problem;
use super::{ApiResult, Page, PageQuery, ok};
use crate::auth::Staff;
use crate::db::audit;
use crate::domain::audit::{Stored, tender_chain};
use crate::errors::Error;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub hash: String,
}

impl From<Stored> for AuditEntry {
    fn from(s: Stored) -> AuditEntry {
        let parse = |v: Option<String>| v.and_then(|t| serde_json::from_str(&t).ok());
        AuditEntry {
            seq: s.entry.seq,
            at: s.entry.at.and_utc(),
            actor: s.entry.actor,
            action: s.entry.action,
            subject: s.entry.subject,
            before: parse(s.entry.before),
            after: parse(s.entry.after),
            hash: s.hash,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditLog {
    /// Whether the whole chain verifies.
    pub intact: bool,
    /// Where it breaks, when it does.
    pub broken_at: Option<i64>,
    pub broken_reason: Option<String>,
    pub entries: Page<AuditEntry>,
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/audit-log", tag = "audit", security(("bearer" = [])),
    params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = AuditLog), (status = 404, body = Problem)))]
pub async fn list(
    Staff(_staff): Staff,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<PageQuery>,
) -> ApiResult {
    let (id, request) = (*id, q.request());
    let (entries, total, verdict) = state
        .db
        .read(move |conn| {
            let (entries, total) = audit::page_for_tender(conn, id, request)?;
            if total == 0 {
                return Err(Error::NotFound("Aanbesteding"));
            }
            Ok((entries, total, audit::verify_chain(conn, &tender_chain(id))?))
        })
        .await?;
    let (broken_at, broken_reason) = match &verdict {
        Ok(_) => (None, None),
        Err(b) => (Some(b.seq), Some(b.reason.clone())),
    };
    ok(&AuditLog {
        intact: verdict.is_ok(),
        broken_at,
        broken_reason,
        entries: Page::new(entries.into_iter().map(AuditEntry::from).collect(), request, total),
    })
}
