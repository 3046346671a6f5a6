//! Aanbesteding-formulier: creating and editing the general set-up of a tender in the browser.

use actix_web::http::StatusCode;
use actix_web::web;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::form::{int, options};
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::tenders::visible;
use crate::auth::Inkoper;
use crate::db::municipality::{self, Municipality};
use crate::db::{announcement, tender, user::User};
use crate::domain::deadline;
use crate::domain::rounding::{RoundingMode, RoundingRule};
use crate::domain::tender::{Procedure, STANDSTILL_DAYS_DEFAULT, Tender, TenderInput};
use crate::errors::{Error, FieldError};
use crate::state::AppState;

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct TenderForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    procedure: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    municipalities: Vec<String>,
    #[serde(default)]
    lead_municipality: String,
    #[serde(default)]
    question_deadline: String,
    #[serde(default)]
    submission_deadline: String,
    #[serde(default)]
    standstill_days: String,
    #[serde(default)]
    standstill_reason: String,
    #[serde(default, rename = "rounding.decimals")]
    rounding_decimals: String,
    #[serde(default, rename = "rounding.mode")]
    rounding_mode: String,
    /// A checkbox: present ("1") when ticked.
    #[serde(default)]
    anonymous_evaluation: String,
    #[serde(default)]
    correction_reason: String,
}

impl TenderForm {
    fn blank() -> TenderForm {
        let rounding = RoundingRule::default();
        TenderForm {
            procedure: Procedure::default().as_str().into(),
            standstill_days: STANDSTILL_DAYS_DEFAULT.to_string(),
            rounding_decimals: rounding.decimals.to_string(),
            rounding_mode: rounding.mode.as_str().into(),
            ..Default::default()
        }
    }

    fn of(t: &Tender) -> TenderForm {
        TenderForm {
            title: t.title.clone(),
            reference: t.reference.clone(),
            procedure: t.procedure.as_str().into(),
            description: t.description.clone(),
            municipalities: t.municipalities.iter().map(|m| m.cbs_code.clone()).collect(),
            lead_municipality: t.lead_municipality.as_ref().map(|m| m.cbs_code.clone()).unwrap_or_default(),
            question_deadline: deadline::input_value(t.question_deadline),
            submission_deadline: deadline::input_value(t.submission_deadline),
            standstill_days: t.standstill_days.to_string(),
            standstill_reason: t.standstill_reason.clone(),
            anonymous_evaluation: if t.anonymous_evaluation { "1".into() } else { String::new() },
            rounding_decimals: t.rounding.decimals.to_string(),
            rounding_mode: t.rounding.mode.as_str().into(),
            correction_reason: String::new(),
        }
    }

    /// The API's input, plus the problems found while reading the typed text.
    fn input(&self) -> (TenderInput, Vec<FieldError>) {
        let mut problems = Vec::new();
        let procedure = Procedure::parse(&self.procedure).unwrap_or_else(|| {
            problems.push(FieldError::new("procedure", "Kies een procedure."));
            Procedure::default()
        });
        let mode = RoundingMode::parse(&self.rounding_mode).unwrap_or_else(|| {
            problems.push(FieldError::new("rounding.mode", "Kies een wijze van afronden."));
            RoundingMode::HalfUp
        });
        let decimals = int("rounding.decimals", &self.rounding_decimals, &mut problems);
        if decimals < 0 {
            problems.push(FieldError::new("rounding.decimals", "Rond af op 0 tot 6 decimalen."));
        }
        let decimals = decimals.max(0) as u32;
        let input = TenderInput {
            title: self.title.clone(),
            reference: self.reference.clone(),
            procedure,
            description: self.description.clone(),
            municipalities: self.municipalities.clone(),
            lead_municipality: Some(self.lead_municipality.clone()).filter(|s| !s.is_empty()),
            question_deadline: self.question_deadline.clone(),
            submission_deadline: self.submission_deadline.clone(),
            standstill_days: int("standstill_days", &self.standstill_days, &mut problems),
            standstill_reason: self.standstill_reason.clone(),
            rounding: RoundingRule { decimals, mode },
            anonymous_evaluation: !self.anonymous_evaluation.is_empty(),
            ..Default::default()
        };
        (input, problems)
    }
}

fn page_data(f: &TenderForm, view: FormView, all: &[Municipality], existing: Option<&Tender>) -> Value {
    let current: Vec<&Municipality> = all.iter().filter(|m| m.dissolved_on.is_none()).collect();
    let mut regions: Vec<Value> = Vec::new();
    for m in &current {
        let entry =
            json!({ "cbs_code": m.cbs_code, "name": m.name, "checked": f.municipalities.contains(&m.cbs_code) });
        match regions.iter_mut().find(|r| r["name"] == m.region_name) {
            Some(r) => r["municipalities"].as_array_mut().into_iter().for_each(|list| list.push(entry.clone())),
            None => regions.push(json!({ "name": m.region_name, "municipalities": [entry] })),
        }
    }
    let mut leads = vec![("", "— kies de penvoerder —")];
    leads.extend(current.iter().map(|m| (m.cbs_code.as_str(), m.name.as_str())));
    let (heading, action, button, back) = match existing {
        None => (
            "Nieuwe aanbesteding".to_string(),
            "/aanbestedingen".to_string(),
            "Aanmaken als concept",
            "/aanbestedingen".to_string(),
        ),
        Some(t) => (
            if t.is_draft() { format!("{} bewerken", t.title) } else { format!("Correctie: {}", t.title) },
            format!("/aanbestedingen/{}/bewerken", t.id),
            if t.is_draft() { "Opslaan" } else { "Correctie vastleggen" },
            format!("/aanbestedingen/{}", t.id),
        ),
    };
    json!({
        "form": view,
        "heading": heading, "action": action, "button": button, "back": back,
        "correction": existing.is_some_and(|t| !t.is_draft()),
        "regions": regions,
        "leads": options(leads, &f.lead_municipality),
        "procedures": options(Procedure::ALL.iter().map(|p| (p.as_str(), p.label())), &f.procedure),
        "rounding_modes": options(RoundingMode::ALL.iter().map(|m| (m.as_str(), m.label())), &f.rounding_mode),
    })
}

async fn render(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    f: &TenderForm,
    e: Option<&Error>,
    existing: Option<&Tender>,
) -> WebResult {
    let all = state.db.read(|conn| municipality::list(conn, None)).await?;
    let mut view = FormView::new(f);
    let mut status = StatusCode::OK;
    if let Some(e) = e {
        view = view.with_error(e, |n| n.split('[').next().unwrap_or(n).to_owned());
        status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    let title = if existing.is_some() { "Aanbesteding bewerken" } else { "Nieuwe aanbesteding" };
    Ok(ctx.render_status(status, Some(user), title, "pages/tenders/form", page_data(f, view, &all, existing)))
}

pub async fn new(Inkoper(user): Inkoper, ctx: Ctx, state: web::Data<AppState>) -> WebResult {
    render(&ctx, &state, &user, &TenderForm::blank(), None, None).await
}

pub async fn create(Inkoper(user): Inkoper, ctx: Ctx, state: web::Data<AppState>, form: Form<TenderForm>) -> WebResult {
    let f = form.0?;
    let (input, mut problems) = f.input();
    let actor = user.actor();
    let result = match input.validate(state.clock.now(), None) {
        Err(Error::Validation(list)) => Err(Error::Validation([problems.split_off(0), list].concat())),
        Err(e) => Err(e),
        Ok(_) if !problems.is_empty() => Err(Error::Validation(problems)),
        Ok(fields) => state.db.write(move |conn| tender::insert(conn, &fields, &actor)).await,
    };
    match result {
        Ok(id) => Ok(redirect(
            &format!("/aanbestedingen/{id}"),
            Some("De aanbesteding is aangemaakt als concept. Voeg nu schalen, percelen en geschiktheidseisen toe."),
        )),
        Err(e @ (Error::Validation(_) | Error::Conflict(_))) => render(&ctx, &state, &user, &f, Some(&e), None).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn edit(Inkoper(user): Inkoper, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    render(&ctx, &state, &user, &TenderForm::of(&t), None, Some(&t)).await
}

pub async fn update(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<TenderForm>,
) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    let f = form.0?;
    let (input, mut problems) = f.input();
    let (actor, tender_id) = (user.actor(), t.id);
    let reason = correction_reason(&t, &f.correction_reason, &mut problems);
    let result = match input.validate(state.clock.now(), Some((t.question_deadline, t.submission_deadline))) {
        Err(Error::Validation(list)) => Err(Error::Validation([problems.split_off(0), list].concat())),
        Err(e) => Err(e),
        Ok(_) if !problems.is_empty() => Err(Error::Validation(problems)),
        Ok(fields) => {
            let (now, url) = (state.clock.now(), state.settings.public_url.clone());
            let write = move |conn: &mut crate::db::DbConn| {
                tender::update(conn, tender_id, &fields, &actor, reason.as_deref())?;
                announcement::announce(conn, tender_id, &actor, now, &url).map(|_| ())
            };
            state.db.write(write).await
        }
    };
    match result {
        Ok(()) => Ok(redirect(&format!("/aanbestedingen/{tender_id}"), Some(saved_message(&t)))),
        Err(e @ (Error::Validation(_) | Error::Conflict(_))) => {
            render(&ctx, &state, &user, &f, Some(&e), Some(&t)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The correction reason a published tender requires, checked as a form field.
pub fn correction_reason(t: &Tender, reason: &str, problems: &mut Vec<FieldError>) -> Option<String> {
    if t.is_draft() {
        return None;
    }
    let reason = reason.trim();
    if reason.chars().count() < 10 {
        problems.push(FieldError::new(
            "correction_reason",
            "Motiveer de correctie in minstens 10 tekens; de reden wordt gepubliceerd.",
        ));
        return None;
    }
    Some(reason.to_owned())
}

pub fn saved_message(t: &Tender) -> &'static str {
    if t.is_draft() {
        "De wijziging is opgeslagen."
    } else {
        "De correctie is vastgelegd en wordt aan inschrijvers bekendgemaakt."
    }
}
