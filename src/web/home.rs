//! Startpagina (home): the public list of open tenders, readable without logging in.

use actix_web::web;
use serde_json::json;

use super::page::pagination;
use super::{Ctx, WebResult};
use crate::api::PageQuery;
use crate::auth::MaybeUser;
use crate::db::tender;
use crate::domain::deadline;
use crate::state::AppState;

pub async fn index(
    MaybeUser(user): MaybeUser,
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<PageQuery>,
) -> WebResult {
    let request = q.request();
    let scope = tender::Scope::Open(state.clock.now().naive_utc());
    let (items, total) = state.db.read(move |conn| tender::page(conn, scope, request)).await?;
    let tenders: Vec<_> = items
        .iter()
        .map(|t| {
            json!({
                "id": t.id,
                "title": t.title,
                "reference": t.reference,
                "question_deadline": deadline::format_short(t.question_deadline),
                "submission_deadline": deadline::format_short(t.submission_deadline),
            })
        })
        .collect();
    let data = json!({ "tenders": tenders, "pagination": pagination("/", request, total) });
    Ok(ctx.render(user.as_ref(), "Openstaande aanbestedingen", "pages/home", data))
}
