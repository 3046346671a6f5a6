//! Gunningsbrieven in het portaal: the bidder reads the letters to its company and objects to a
//! voornemen tot gunning during the Alcatel-termijn.

use actix_web::web;
use serde_json::json;

use super::failed::field;
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::objections::{ObjectionInput, lodge};
use crate::auth::Aanbieder;
use crate::db::award::{self, Decision};
use crate::db::award_letter::{self, StoredLetter};
use crate::db::user::User;
use crate::domain::award::AwardStatus;
use crate::domain::deadline::format_nl;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

pub async fn list(Aanbieder(user): Aanbieder, ctx: Ctx, state: web::Data<AppState>) -> WebResult {
    let company = user.company_id.unwrap_or_default();
    let letters = state.db.read(move |conn| award_letter::of_company(conn, company)).await?;
    let rows: Vec<_> =
        letters.iter().map(|l| json!({ "id": l.id, "subject": l.subject, "sent": format_nl(l.sent_at) })).collect();
    Ok(ctx.render(Some(&user), "Mijn brieven", "pages/award_letters/list", json!({ "letters": rows })))
}

/// The company's letter with this id, with its decision as it is now.
async fn letter(state: &AppState, user: &User, id: i64) -> Result<(StoredLetter, Decision), Error> {
    let company = user.company_id.unwrap_or_default();
    state
        .db
        .read(move |conn| {
            let l = award_letter::of_company(conn, company)?
                .into_iter()
                .find(|l| l.id == id)
                .ok_or(Error::NotFound("Brief"))?;
            let (_, lot_id) = award::place_of(conn, l.decision_id)?;
            let d = award::find(conn, lot_id, l.decision_id)?;
            Ok((l, d))
        })
        .await
}

async fn page(ctx: &Ctx, state: &AppState, user: &User, id: i64, typed: &str, errors: &[FieldError]) -> WebResult {
    let (l, d) = letter(state, user, id).await?;
    let objecting = l.kind == "award_intent" && d.status == AwardStatus::Sent;
    let data = json!({
        "id": l.id, "subject": l.subject, "sent": format_nl(l.sent_at), "body": l.text_body,
        "objecting": objecting, "last_day": d.standstill_last_day,
        "form": FormView::new(json!({ "bezwaar": typed })).with_errors(errors, |n| if n == "body" { "bezwaar".into() } else { n.to_owned() }),
    });
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(ctx.render_status(status, Some(user), &l.subject, "pages/award_letters/show", data))
}

pub async fn show(Aanbieder(user): Aanbieder, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    page(&ctx, &state, &user, *id, "", &[]).await
}

/// Lodges the company's objection against the decision of this letter.
pub async fn object(
    Aanbieder(user): Aanbieder,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<Vec<(String, String)>>,
) -> WebResult {
    let pairs = form.0?;
    let (l, _) = letter(&state, &user, *id).await?;
    let (tender_id, lot_id) = state.db.read(move |conn| award::place_of(conn, l.decision_id)).await?;
    let input = ObjectionInput { body: field(&pairs, "bezwaar").to_owned(), kort_geding: false, bid_id: None };
    let errors = match lodge(&state, &user, tender_id, lot_id, l.decision_id, input).await {
        Ok(_) => return Ok(redirect(&format!("/brieven/{}", *id), Some("Uw bezwaar is ontvangen en vastgelegd."))),
        Err(Error::Validation(list)) => list,
        Err(Error::Conflict(m)) => vec![FieldError::new("bezwaar", m)],
        Err(e) => return Err(e.into()),
    };
    page(&ctx, &state, &user, *id, field(&pairs, "bezwaar"), &errors).await
}
