//! Volgen in de browser: an aanbieder follows a published tender from its page.

use actix_web::web;
use serde_json::Value;

use super::{Form, WebResult, redirect};
use crate::api::tenders::visible;
use crate::auth::Aanbieder;
use crate::db::interest;
use crate::errors::Error;
use crate::state::AppState;

pub async fn follow(
    Aanbieder(user): Aanbieder,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    let t = visible(&state, Some(&user), *id).await?;
    if t.is_draft() {
        return Err(Error::NotFound("Aanbesteding").into());
    }
    let (tender_id, u) = (t.id, user.clone());
    let new = state.db.write(move |conn| interest::follow(conn, tender_id, &u)).await?;
    let message = if new {
        "U volgt deze aanbesteding. U krijgt bericht van elke nota van inlichtingen, correctie, gewijzigde termijn en herinnering."
    } else {
        "U volgt deze aanbesteding al."
    };
    Ok(redirect(&format!("/aanbestedingen/{tender_id}#vragen"), Some(message)))
}
