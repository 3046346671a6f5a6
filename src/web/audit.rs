//! Logboek in de browser: a tender's audit log, newest first, with the verdict on its hash chain.

use actix_web::web;
use serde_json::{Value, json};

use super::page::pagination;
use super::tenders::tender_json;
use super::{Ctx, WebResult};
use crate::api::PageQuery;
use crate::api::tenders::visible;
use crate::auth::Staff;
use crate::db::audit;
use crate::domain::audit::tender_chain;
use crate::domain::deadline;
use crate::state::AppState;

/// The fields that differ between before and after, each as readable text.
fn changes(before: Option<&str>, after: Option<&str>) -> Vec<Value> {
    let parse = |s: Option<&str>| s.and_then(|t| serde_json::from_str::<Value>(t).ok()).unwrap_or(Value::Null);
    let (before, after) = (parse(before), parse(after));
    let text = |v: Option<&Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let mut keys: Vec<&String> =
        after.as_object().into_iter().chain(before.as_object()).flat_map(|m| m.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| before.get(k.as_str()) != after.get(k.as_str()))
        .map(|k| json!({ "field": k, "before": text(before.get(k.as_str())), "after": text(after.get(k.as_str())) }))
        .collect()
}

pub async fn show(
    Staff(user): Staff,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    q: web::Query<PageQuery>,
) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    let (tender_id, request) = (t.id, q.request());
    let (entries, total, verdict) = state
        .db
        .read(move |conn| {
            let (entries, total) = audit::page_for_tender(conn, tender_id, request)?;
            Ok((entries, total, audit::verify_chain(conn, &tender_chain(tender_id))?))
        })
        .await?;
    let rows: Vec<Value> = entries
        .iter()
        .map(|s| {
            let changes = changes(s.entry.before.as_deref(), s.entry.after.as_deref());
            json!({
                "seq": s.entry.seq, "at": deadline::format_short(s.entry.at.and_utc()), "actor": s.entry.actor,
                "action": s.entry.action, "subject": s.entry.subject, "change_count": changes.len(), "changes": changes,
            })
        })
        .collect();
    let data = json!({
        "tender": tender_json(&t),
        "entries": rows,
        "total": total,
        "intact": verdict.is_ok(),
        "broken_at": verdict.as_ref().err().map(|b| b.seq),
        "broken_reason": verdict.as_ref().err().map(|b| b.reason.clone()),
        "pagination": pagination(&format!("/aanbestedingen/{tender_id}/logboek"), request, total),
    });
    Ok(ctx.render(Some(&user), "Logboek", "pages/tenders/audit", data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_listed() {
        let c = changes(Some(r#"{"title":"A","weight":30}"#), Some(r#"{"title":"A","weight":40}"#));
        assert_eq!(c, vec![json!({ "field": "weight", "before": "30", "after": "40" })]);
        assert_eq!(changes(None, Some(r#"{"title":"B"}"#)).len(), 1);
    }
}
