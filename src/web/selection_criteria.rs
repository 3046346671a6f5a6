//! Geschiktheidseisen in de browser: add, change and remove knock-out requirements.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::web;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::form::options;
use super::tender_form::{correction_reason, saved_message};
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::tenders::visible;
use crate::auth::Inkoper;
use crate::db::snapshot::Snapshot;
use crate::db::user::User;
use crate::db::{announcement, selection_criterion};
use crate::domain::selection_criterion::{SelectionCriterion, SelectionCriterionInput, ValidityRule};
use crate::domain::tender::Tender;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

#[derive(Deserialize, Serialize, Default)]
pub struct CriterionForm {
    #[serde(default)]
    lot: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    validity_rule: String,
    #[serde(default)]
    validity_months: String,
    #[serde(default)]
    correction_reason: String,
}

impl CriterionForm {
    fn of(c: &SelectionCriterion) -> CriterionForm {
        CriterionForm {
            lot: c.lot.map(|n| n.to_string()).unwrap_or_default(),
            title: c.title.clone(),
            description: c.description.clone(),
            evidence: c.evidence.clone(),
            validity_rule: c.validity_rule.as_str().into(),
            validity_months: c.validity_months.map(|m| m.to_string()).unwrap_or_default(),
            correction_reason: String::new(),
        }
    }

    fn input(&self, problems: &mut Vec<FieldError>) -> Result<SelectionCriterionInput, Error> {
        let number = |name: &str, v: &str, problems: &mut Vec<FieldError>| match v.trim() {
            "" => None,
            s => s.parse::<i32>().map_err(|_| problems.push(FieldError::new(name, "Vul een heel getal in."))).ok(),
        };
        let lot = number("lot", &self.lot, problems);
        let validity_months = number("validity_months", &self.validity_months, problems);
        let validity_rule = ValidityRule::parse(&self.validity_rule).unwrap_or_else(|| {
            problems.push(FieldError::new("validity_rule", "Kies een geldigheidsregel."));
            ValidityRule::None
        });
        let input = SelectionCriterionInput {
            lot,
            title: self.title.clone(),
            description: self.description.clone(),
            evidence: self.evidence.clone(),
            validity_rule,
            validity_months,
        };
        match (input.validate(), problems.is_empty()) {
            (Ok(valid), true) => Ok(valid),
            (Ok(_), false) => Err(Error::Validation(std::mem::take(problems))),
            (Err(Error::Validation(list)), _) => Err(Error::Validation([std::mem::take(problems), list].concat())),
            (Err(e), _) => Err(e),
        }
    }
}

fn render(
    ctx: &Ctx,
    user: &User,
    t: &Tender,
    existing: Option<&SelectionCriterion>,
    f: &CriterionForm,
    e: Option<&Error>,
) -> WebResult {
    let mut view = FormView::new(f);
    if let Some(e) = e {
        view = view.with_error(e, |n| n.to_owned());
    }
    let lot_labels: Vec<(String, String)> =
        t.lots.iter().map(|l| (l.number.to_string(), format!("Perceel {}: {}", l.number, l.title))).collect();
    let mut lots = vec![("", "Alle percelen")];
    lots.extend(lot_labels.iter().map(|(v, l)| (v.as_str(), l.as_str())));
    let (heading, action, button) = match existing {
        None => ("Geschiktheidseis toevoegen".to_string(), format!("/aanbestedingen/{}/eisen", t.id), "Toevoegen"),
        Some(c) => (
            format!("{} {}", c.title, if t.is_draft() { "bewerken" } else { "corrigeren" }),
            format!("/aanbestedingen/{}/eisen/{}/bewerken", t.id, c.id),
            if t.is_draft() { "Opslaan" } else { "Correctie vastleggen" },
        ),
    };
    let data = json!({
        "form": view, "heading": heading, "action": action, "button": button,
        "back": format!("/aanbestedingen/{}#eisen", t.id), "correction": !t.is_draft(),
        "lots": options(lots, &f.lot),
        "rules": options(ValidityRule::ALL.iter().map(|r| (r.as_str(), r.label())), &f.validity_rule),
    });
    let status = if e.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(ctx.render_status(status, Some(user), "Geschiktheidseis", "pages/selection_criteria/form", data))
}

fn finish(
    result: Result<(), Error>,
    ctx: &Ctx,
    user: &User,
    t: &Tender,
    existing: Option<&SelectionCriterion>,
    f: &CriterionForm,
    done: &str,
) -> WebResult {
    match result {
        Ok(()) => Ok(redirect(&format!("/aanbestedingen/{}#eisen", t.id), Some(done))),
        Err(e @ (Error::Validation(_) | Error::Conflict(_))) => render(ctx, user, t, existing, f, Some(&e)),
        Err(e) => Err(e.into()),
    }
}

pub async fn new(Inkoper(user): Inkoper, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    render(&ctx, &user, &t, None, &CriterionForm { validity_rule: "none".into(), ..Default::default() }, None)
}

pub async fn create(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<CriterionForm>,
) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    let (f, tender_id, actor) = (form.0?, t.id, user.actor());
    let result = match f.input(&mut Vec::new()) {
        Ok(input) => {
            state.db.write(move |conn| selection_criterion::insert(conn, tender_id, &input, &actor)).await.map(|_| ())
        }
        Err(e) => Err(e),
    };
    finish(result, &ctx, &user, &t, None, &f, "De geschiktheidseis is toegevoegd.")
}

async fn load(state: &AppState, user: &User, path: (i64, i64)) -> Result<(Arc<Snapshot>, SelectionCriterion), Error> {
    let t = visible(state, Some(user), path.0).await?;
    let c = t.selection_criteria.iter().find(|c| c.id == path.1).cloned().ok_or(Error::NotFound("Geschiktheidseis"))?;
    Ok((t, c))
}

pub async fn edit(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (t, c) = load(&state, &user, path.into_inner()).await?;
    render(&ctx, &user, &t, Some(&c), &CriterionForm::of(&c), None)
}

pub async fn update(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<CriterionForm>,
) -> WebResult {
    let (t, c) = load(&state, &user, path.into_inner()).await?;
    let (f, actor, tender_id, id) = (form.0?, user.actor(), t.id, c.id);
    let mut problems = Vec::new();
    let reason = correction_reason(&t, &f.correction_reason, &mut problems);
    let result = match f.input(&mut problems) {
        Ok(input) => {
            let (now, url) = (state.clock.now(), state.settings.public_url.clone());
            let write = move |conn: &mut crate::db::DbConn| {
                selection_criterion::update(conn, tender_id, id, &input, &actor, reason.as_deref())?;
                announcement::announce(conn, tender_id, &actor, now, &url).map(|_| ())
            };
            state.db.write(write).await
        }
        Err(e) => Err(e),
    };
    finish(result, &ctx, &user, &t, Some(&c), &f, saved_message(&t))
}

pub async fn confirm_delete(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (t, c) = load(&state, &user, path.into_inner()).await?;
    let heading = format!("{} verwijderen?", c.title);
    Ok(ctx.confirm(
        &user,
        &heading,
        "De geschiktheidseis wordt uit de aanbesteding verwijderd.",
        &format!("/aanbestedingen/{}/eisen/{}/verwijderen", t.id, c.id),
        &format!("/aanbestedingen/{}#eisen", t.id),
    ))
}

pub async fn delete(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    let (t, c) = load(&state, &user, path.into_inner()).await?;
    let (actor, tender_id, id) = (user.actor(), t.id, c.id);
    state.db.write(move |conn| selection_criterion::delete(conn, tender_id, id, &actor)).await?;
    Ok(redirect(&format!("/aanbestedingen/{tender_id}#eisen"), Some("De geschiktheidseis is verwijderd.")))
}
