//! Correcties via de API: the only way to change a published set-up, always with a reason.

use actix_web::web;
use serde::Deserialize;
use utoipa::ToSchema;

use super::problem::Problem;
use super::tenders::{general_only, visible};
use super::{ApiResult, Json, ok};
use crate::auth::{Inkoper, MaybeUser};
use crate::db::correction::{self, Correction};
use crate::db::{announcement, lot, scale, selection_criterion, tender};
use crate::domain::lot::LotInput;
use crate::domain::scale::ScaleInput;
use crate::domain::selection_criterion::SelectionCriterionInput;
use crate::domain::tender::{Tender, TenderInput};
use crate::errors::Error;
use crate::state::AppState;

/// A reason and exactly one corrected part: the general set-up, a perceel, a scale or a geschiktheidseis.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionInput {
    /// Why the published set-up changes; announced to bidders with the change.
    pub reason: String,
    #[serde(default)]
    pub tender: Option<TenderInput>,
    #[serde(default)]
    pub lot_id: Option<i64>,
    #[serde(default)]
    pub lot: Option<LotInput>,
    #[serde(default)]
    pub scale_id: Option<i64>,
    #[serde(default)]
    pub scale: Option<ScaleInput>,
    #[serde(default)]
    pub selection_criterion_id: Option<i64>,
    #[serde(default)]
    pub selection_criterion: Option<SelectionCriterionInput>,
}

#[utoipa::path(get, path = "/api/v1/tenders/{id}/corrections", tag = "corrections", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Correction>), (status = 404, body = Problem)))]
pub async fn list(MaybeUser(user): MaybeUser, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let t = visible(&state, user.as_ref(), *id).await?;
    let all = state.db.read(move |conn| correction::for_tender(conn, t.id)).await?;
    ok(&all)
}

#[utoipa::path(post, path = "/api/v1/tenders/{id}/corrections", tag = "corrections", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CorrectionInput,
    responses((status = 200, description = "the corrected tender", body = Tender), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<CorrectionInput>,
) -> ApiResult {
    let (tender_id, c, actor) = (*id, body.0?, user.actor());
    let (now, url) = (state.clock.now(), state.settings.public_url.clone());
    if c.reason.trim().chars().count() < 10 {
        return Err(Error::invalid(
            "reason",
            "Motiveer de correctie in minstens 10 tekens; de reden wordt aan inschrijvers bekendgemaakt.",
        )
        .into());
    }
    let targets = [c.tender.is_some(), c.lot.is_some(), c.scale.is_some(), c.selection_criterion.is_some()];
    if targets.iter().filter(|t| **t).count() != 1 {
        return Err(Error::invalid(
            "body",
            "Corrigeer precies één onderdeel: tender, lot, scale of selection_criterion.",
        )
        .into());
    }
    let t = state
        .db
        .write(move |conn| {
            let reason = Some(c.reason.as_str());
            match tender::editable(conn, tender_id, None) {
                Ok(_) => {
                    return Err(Error::Conflict(
                        "Een concept wijzigt u rechtstreeks; correcties zijn voor gepubliceerde aanbestedingen.".into(),
                    ));
                }
                Err(Error::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
            let required = |id: Option<i64>, name: &str| {
                id.ok_or_else(|| Error::invalid(name, "Geef aan welk onderdeel u corrigeert."))
            };
            if let Some(input) = &c.tender {
                general_only(input)?;
                let fields = input.validate(now, tender::deadlines(conn, tender_id)?)?;
                tender::update(conn, tender_id, &fields, &actor, reason)?;
            } else if let Some(input) = &c.lot {
                lot::update(conn, tender_id, required(c.lot_id, "lot_id")?, &input.validate()?, &actor, reason)?;
            } else if let Some(input) = c.scale {
                scale::update(conn, tender_id, required(c.scale_id, "scale_id")?, &input.validate()?, &actor, reason)?;
            } else if let Some(input) = c.selection_criterion {
                let id = required(c.selection_criterion_id, "selection_criterion_id")?;
                selection_criterion::update(conn, tender_id, id, &input.validate()?, &actor, reason)?;
            }
            announcement::announce(conn, tender_id, &actor, now, &url)?;
            tender::load(conn, tender_id)?.ok_or(Error::NotFound("Aanbesteding"))
        })
        .await?;
    ok(&t)
}
