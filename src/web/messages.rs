//! Berichten in de browser: every message sent to someone, and every message of a tender's file.

use actix_web::web;
use serde_json::{Value, json};

use super::page::pagination;
use super::tenders::tender_json;
use super::{Ctx, WebResult};
use crate::api::PageQuery;
use crate::api::tenders::visible;
use crate::auth::{Authenticated, Staff};
use crate::db::outbox::{self, About, Message};
use crate::domain::deadline;
use crate::state::AppState;

fn rows(items: &[Message]) -> Vec<Value> {
    items
        .iter()
        .map(|m| {
            let status = match (m.sent_at, m.attempts) {
                (Some(at), _) => format!("verzonden {}", deadline::format_short(at)),
                (None, 0) => "wacht op verzending".to_string(),
                (None, n) => format!("nog niet bezorgd na {n} pogingen: {}", m.last_error),
            };
            json!({
                "subject": m.subject, "recipient": m.recipient, "text": m.text_body,
                "created": deadline::format_short(m.created_at), "status": status,
            })
        })
        .collect()
}

pub async fn mine(
    Authenticated(user): Authenticated,
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<PageQuery>,
) -> WebResult {
    let (id, request) = (user.id, q.request());
    let (items, total) = state.db.read(move |conn| outbox::page(conn, About::User(id), request)).await?;
    let data = json!({
        "heading": "Mijn berichten", "tender": null, "messages": rows(&items),
        "pagination": pagination("/berichten", request, total),
    });
    Ok(ctx.render(Some(&user), "Mijn berichten", "pages/messages/list", data))
}

pub async fn of_tender(
    Staff(user): Staff,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<PageQuery>,
) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    let (tender_id, request) = (t.id, q.request());
    let (items, total) = state.db.read(move |conn| outbox::page_of_tender(conn, tender_id, request)).await?;
    let data = json!({
        "heading": "Berichten in het dossier", "tender": tender_json(&t), "messages": rows(&items),
        "pagination": pagination(&format!("/aanbestedingen/{tender_id}/berichten"), request, total),
    });
    Ok(ctx.render(Some(&user), "Berichten", "pages/messages/list", data))
}
