//! Percelen in de browser: a perceel with its criteria and volumes on one form.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::web;
use serde_json::{Value, json};

use super::lot_form::LotForm;
use super::tender_form::{correction_reason, saved_message};
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::tenders::visible;
use crate::auth::Inkoper;
use crate::db::snapshot::Snapshot;
use crate::db::user::User;
use crate::db::{announcement, learning_route, lot};
use crate::domain::lot::Lot;
use crate::domain::tender::Tender;
use crate::errors::Error;
use crate::state::AppState;

async fn render(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    t: &Tender,
    existing: Option<&Lot>,
    f: &LotForm,
    e: Option<&Error>,
) -> WebResult {
    let routes = state.db.read(learning_route::list).await?;
    let mut view = FormView::new(f);
    if let Some(e) = e {
        view = view.with_error(e, |n| n.to_owned());
    }
    let mut data = f.page(view, t, &routes);
    let (heading, action, button) = match existing {
        None => ("Perceel toevoegen".to_string(), format!("/aanbestedingen/{}/percelen", t.id), "Toevoegen"),
        Some(l) => (
            format!("Perceel {}: {} {}", l.number, l.title, if t.is_draft() { "bewerken" } else { "corrigeren" }),
            format!("/aanbestedingen/{}/percelen/{}/bewerken", t.id, l.id),
            if t.is_draft() { "Opslaan" } else { "Correctie vastleggen" },
        ),
    };
    if let Value::Object(map) = &mut data {
        map.insert("heading".into(), json!(heading));
        map.insert("action".into(), json!(action));
        map.insert("button".into(), json!(button));
        map.insert("back".into(), json!(format!("/aanbestedingen/{}#percelen", t.id)));
        map.insert("correction".into(), json!(!t.is_draft()));
    }
    let status = if e.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(ctx.render_status(status, Some(user), "Perceel", "pages/lots/form", data))
}

pub async fn new(Inkoper(user): Inkoper, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    if !t.is_draft() {
        return Err(
            Error::Conflict("Deze aanbesteding is gepubliceerd: percelen toevoegen kan niet meer.".into()).into()
        );
    }
    render(&ctx, &state, &user, &t, None, &LotForm::blank(&t), None).await
}

/// Saves through `write`, or shows the form again with every problem beside its field.
async fn save<F>(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    t: &Tender,
    existing: Option<&Lot>,
    f: LotForm,
    write: F,
) -> WebResult
where
    F: FnOnce(&mut crate::db::DbConn, &crate::domain::lot::LotFields, Option<&str>) -> Result<(), Error>
        + Send
        + 'static,
{
    let (input, mut problems, rows) = f.input();
    let reason = correction_reason(t, &f.correction_reason, &mut problems);
    // Reading errors already carry form rows; those of the domain and the database carry input positions.
    let result = match (input.validate(), problems.is_empty()) {
        (Ok(fields), true) => {
            state.db.write(move |conn| write(conn, &fields, reason.as_deref())).await.map_err(|e| rows.rename(e))
        }
        (Ok(_), false) => Err(Error::Validation(problems)),
        (Err(e), _) => match rows.rename(e) {
            Error::Validation(list) => Err(Error::Validation(problems.into_iter().chain(list).collect())),
            other => Err(other),
        },
    };
    match result {
        Ok(()) => Ok(redirect(&format!("/aanbestedingen/{}#percelen", t.id), Some(saved_message(t)))),
        Err(e @ (Error::Validation(_) | Error::Conflict(_))) => {
            render(ctx, state, user, t, existing, &f, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<LotForm>,
) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    let (tender_id, actor) = (t.id, user.actor());
    save(&ctx, &state, &user, &t, None, form.0?, move |conn, fields, _| {
        lot::insert(conn, tender_id, fields, &actor).map(|_| ())
    })
    .await
}

async fn load(state: &AppState, user: &User, path: (i64, i64)) -> Result<(Arc<Snapshot>, Lot), Error> {
    let t = visible(state, Some(user), path.0).await?;
    let l = t.lots.iter().find(|l| l.id == path.1).cloned().ok_or(Error::NotFound("Perceel"))?;
    Ok((t, l))
}

pub async fn edit(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (t, l) = load(&state, &user, path.into_inner()).await?;
    render(&ctx, &state, &user, &t, Some(&l), &LotForm::of(&t, &l), None).await
}

pub async fn update(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<LotForm>,
) -> WebResult {
    let (t, l) = load(&state, &user, path.into_inner()).await?;
    let (tender_id, lot_id, actor) = (t.id, l.id, user.actor());
    let (now, url) = (state.clock.now(), state.settings.public_url.clone());
    save(&ctx, &state, &user, &t, Some(&l), form.0?, move |conn, fields, reason| {
        lot::update(conn, tender_id, lot_id, fields, &actor, reason)?;
        announcement::announce(conn, tender_id, &actor, now, &url).map(|_| ())
    })
    .await
}

pub async fn confirm_delete(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> WebResult {
    let (t, l) = load(&state, &user, path.into_inner()).await?;
    let heading = format!("Perceel {}: {} verwijderen?", l.number, l.title);
    let message = "Het perceel wordt verwijderd, met zijn gunningscriteria, geraamde aantallen en de geschiktheidseisen die alleen voor dit perceel gelden.";
    let action = format!("/aanbestedingen/{}/percelen/{}/verwijderen", t.id, l.id);
    Ok(ctx.confirm(&user, &heading, message, &action, &format!("/aanbestedingen/{}#percelen", t.id)))
}

pub async fn delete(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<Value>,
) -> WebResult {
    form.0?;
    let (t, l) = load(&state, &user, path.into_inner()).await?;
    let (actor, tender_id, lot_id) = (user.actor(), t.id, l.id);
    state.db.write(move |conn| lot::delete(conn, tender_id, lot_id, &actor)).await?;
    Ok(redirect(&format!("/aanbestedingen/{tender_id}#percelen"), Some("Het perceel is verwijderd.")))
}
