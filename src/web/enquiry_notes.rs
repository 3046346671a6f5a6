//! Nota van inlichtingen publiceren in de browser: a confirmation step that lists exactly what
//! goes in, then publication, mailing and the public tender page.

use actix_web::http::StatusCode;
use actix_web::web;
use serde::Deserialize;
use serde_json::{Value, json};

use super::tenders::tender_json;
use super::{Ctx, Form, WebResult, redirect};
use crate::api::tenders::visible;
use crate::auth::Inkoper;
use crate::db::enquiry_note;
use crate::db::snapshot::Snapshot;
use crate::db::user::User;
use crate::domain::bid::in_time;
use crate::domain::deadline;
use crate::errors::Error;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct PublishForm {
    #[serde(default)]
    fingerprint: String,
}

async fn render(ctx: &Ctx, state: &AppState, user: &User, t: &Snapshot, problem: Option<&Error>) -> WebResult {
    let tender_id = t.id;
    let p = state.db.read(move |conn| enquiry_note::preview(conn, tender_id)).await?;
    let items: Vec<Value> = p.drafts.iter().map(|d| json!(d.item)).collect();
    let data = json!({
        "tender": tender_json(t), "number": p.number, "items": items, "empty": items.is_empty(),
        "fingerprint": p.fingerprint, "recipients": p.recipients, "submitted": p.submitted,
        "open": in_time(state.clock.now(), t.submission_deadline),
        "deadline": deadline::format_nl(t.submission_deadline),
        "problem": problem.map(|e| e.to_string()),
    });
    let status = if problem.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    Ok(ctx.render_status(status, Some(user), "Nota van inlichtingen publiceren", "pages/enquiry_notes/publish", data))
}

pub async fn confirm(Inkoper(user): Inkoper, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    render(&ctx, &state, &user, &t, None).await
}

pub async fn publish(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<PublishForm>,
) -> WebResult {
    let f = form.0?;
    let t = visible(&state, Some(&user), *id).await?;
    let (tender_id, u, now, url) = (t.id, user.clone(), state.clock.now(), state.settings.public_url.clone());
    let result =
        state.db.write(move |conn| enquiry_note::publish(conn, tender_id, &u, now, &url, Some(&f.fingerprint))).await;
    match result {
        Ok(note) => Ok(redirect(
            &format!("/aanbestedingen/{tender_id}#nota-{}", note.number),
            Some(&format!(
                "Nota van inlichtingen {} is gepubliceerd en gemaild aan de aanbieders die deze aanbesteding volgen.",
                note.number
            )),
        )),
        Err(e @ Error::Conflict(_)) => render(&ctx, &state, &user, &t, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}
