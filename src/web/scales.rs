//! Beoordelingsschalen in de browser: add, change and remove a tender's scoring scales.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::web;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::tender_form::{correction_reason, saved_message};
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::tenders::visible;
use crate::auth::Inkoper;
use crate::db::snapshot::Snapshot;
use crate::db::user::User;
use crate::db::{announcement, scale};
use crate::domain::scale::{Scale, ScaleInput, format_steps, parse_steps};
use crate::domain::tender::Tender;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

#[derive(Deserialize, Serialize, Default)]
pub struct ScaleForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    steps: String,
    #[serde(default)]
    correction_reason: String,
}

impl ScaleForm {
    fn input(&self) -> Result<ScaleInput, Error> {
        ScaleInput { name: self.name.clone(), steps: parse_steps(&self.steps)? }.validate()
    }
}

fn render(ctx: &Ctx, user: &User, t: &Tender, existing: Option<&Scale>, f: &ScaleForm, e: Option<&Error>) -> WebResult {
    let mut view = FormView::new(f);
    if let Some(e) = e {
        // A problem with one step shows at the textarea that holds all steps.
        view = view.with_error(e, |n| if n.starts_with("steps") { "steps".into() } else { n.to_owned() });
    }
    let (heading, action, button) = match existing {
        None => ("Schaal toevoegen".to_string(), format!("/aanbestedingen/{}/schalen", t.id), "Toevoegen"),
        Some(s) => (
            format!("Schaal {} {}", s.name, if t.is_draft() { "bewerken" } else { "corrigeren" }),
            format!("/aanbestedingen/{}/schalen/{}/bewerken", t.id, s.id),
            if t.is_draft() { "Opslaan" } else { "Correctie vastleggen" },
        ),
    };
    let data = json!({
        "form": view, "heading": heading, "action": action, "button": button,
        "back": format!("/aanbestedingen/{}#schalen", t.id), "correction": !t.is_draft(),
    });
    let status = if e.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(ctx.render_status(status, Some(user), "Beoordelingsschaal", "pages/scales/form", data))
}

pub async fn new(Inkoper(user): Inkoper, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    let f = ScaleForm {
        steps: "0 = Ontbreekt\n2 = Onvoldoende\n4 = Matig\n6 = Voldoende\n8 = Goed\n10 = Uitstekend".into(),
        ..Default::default()
    };
    render(&ctx, &user, &t, None, &f, None)
}

pub async fn create(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<ScaleForm>,
) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    let (f, tender_id, actor) = (form.0?, t.id, user.actor());
    let result = match f.input() {
        Ok(input) => state.db.write(move |conn| scale::insert(conn, tender_id, &input, &actor)).await.map(|_| ()),
        Err(e) => Err(e),
    };
    finish(result, &ctx, &user, &t, None, &f, "De schaal is toegevoegd.")
}

fn finish(
    result: Result<(), Error>,
    ctx: &Ctx,
    user: &User,
    t: &Tender,
    existing: Option<&Scale>,
    f: &ScaleForm,
    done: &str,
) -> WebResult {
    match result {
        Ok(()) => Ok(redirect(&format!("/aanbestedingen/{}#schalen", t.id), Some(done))),
        Err(e @ (Error::Validation(_) | Error::Conflict(_))) => render(ctx, user, t, existing, f, Some(&e)),
        Err(e) => Err(e.into()),
    }
}

async fn load(state: &AppState, user: &User, path: (i64, i64)) -> Result<(Arc<Snapshot>, Scale), Error> {
    let t = visible(state, Some(user), path.0).await?;
    let s = t.scales.iter().find(|s| s.id == path.1).cloned().ok_or(Error::NotFound("Beoordelingsschaal"))?;
    Ok((t, s))
}

pub async fn edit(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (t, s) = load(&state, &user, path.into_inner()).await?;
    let f = ScaleForm { name: s.name.clone(), steps: format_steps(&s.steps), correction_reason: String::new() };
    render(&ctx, &user, &t, Some(&s), &f, None)
}

pub async fn update(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<ScaleForm>,
) -> WebResult {
    let (t, s) = load(&state, &user, path.into_inner()).await?;
    let (f, actor, tender_id, scale_id) = (form.0?, user.actor(), t.id, s.id);
    let mut problems: Vec<FieldError> = Vec::new();
    let reason = correction_reason(&t, &f.correction_reason, &mut problems);
    let result = match (f.input(), problems.is_empty()) {
        (Ok(input), true) => {
            let (now, url) = (state.clock.now(), state.settings.public_url.clone());
            let write = move |conn: &mut crate::db::DbConn| {
                scale::update(conn, tender_id, scale_id, &input, &actor, reason.as_deref())?;
                announcement::announce(conn, tender_id, &actor, now, &url).map(|_| ())
            };
            state.db.write(write).await
        }
        (Ok(_), false) => Err(Error::Validation(problems)),
        (Err(Error::Validation(list)), _) => Err(Error::Validation([problems, list].concat())),
        (Err(e), _) => Err(e),
    };
    finish(result, &ctx, &user, &t, Some(&s), &f, saved_message(&t))
}

pub async fn confirm_delete(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (t, s) = load(&state, &user, path.into_inner()).await?;
    let heading = format!("Schaal {} verwijderen?", s.name);
    Ok(ctx.confirm(
        &user,
        &heading,
        "De schaal wordt verwijderd. Dit kan alleen als geen gunningscriterium haar gebruikt.",
        &format!("/aanbestedingen/{}/schalen/{}/verwijderen", t.id, s.id),
        &format!("/aanbestedingen/{}#schalen", t.id),
    ))
}

pub async fn delete(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    let (t, s) = load(&state, &user, path.into_inner()).await?;
    let (actor, tender_id, scale_id) = (user.actor(), t.id, s.id);
    state.db.write(move |conn| scale::delete(conn, tender_id, scale_id, &actor)).await?;
    Ok(redirect(&format!("/aanbestedingen/{tender_id}#schalen"), Some("De schaal is verwijderd.")))
}
