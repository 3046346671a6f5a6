//! Vragen in de browser: the aanbieder asks from the tender page and sees its own questions
//! ("uw vraag"); the inkoper answers them on a page of their own, never seeing who asked.

use actix_web::http::StatusCode;
use actix_web::web;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::form::options;
use super::tenders::tender_json;
use super::{Ctx, Form, FormView, WebResult, redirect};
use crate::api::tenders::visible;
use crate::auth::{Aanbieder, Inkoper};
use crate::db::snapshot::Snapshot;
use crate::db::user::User;
use crate::db::{PageRequest, enquiry, interest};
use crate::domain::bid::in_time;
use crate::domain::deadline;
use crate::domain::enquiry::{AnswerInput, EnquiryInput, EnquiryStatus};
use crate::errors::Error;
use crate::state::AppState;
use crate::templates;

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct AskForm {
    #[serde(default)]
    lot_id: String,
    #[serde(default)]
    question: String,
}

impl AskForm {
    fn input(&self) -> Result<EnquiryInput, Error> {
        let lot_id = match self.lot_id.trim() {
            "" => None,
            s => Some(s.parse().map_err(|_| Error::invalid("lot_id", "Kies een perceel uit de lijst."))?),
        };
        Ok(EnquiryInput { lot_id, question: self.question.clone() })
    }
}

/// The ask form's data: the percelen to choose from and the form as entered.
fn ask_data(t: &Snapshot, f: &AskForm, view: FormView) -> Value {
    let mut choices = vec![(String::new(), "De aanbesteding als geheel".to_string())];
    choices.extend(t.lots.iter().map(|l| (l.id.to_string(), format!("Perceel {}: {}", l.number, l.title))));
    json!({
        "tender_id": t.id, "form": view,
        "lots": options(choices.iter().map(|(v, l)| (v.as_str(), l.as_str())), &f.lot_id),
        "question_deadline": deadline::format_nl(t.question_deadline),
    })
}

/// The aanbieder's section under the public tender page: follow, ask, and its own questions.
pub async fn section(ctx: &Ctx, state: &AppState, user: &User, t: &Snapshot) -> Result<String, Error> {
    let (tender_id, company_id) = (t.id, user.company_id.unwrap_or_default());
    let request = PageRequest::new(Some(1), Some(PageRequest::MAX_PER_PAGE));
    let (following, (mine, _)) = state
        .db
        .read(move |conn| {
            Ok((
                interest::follows(conn, tender_id, company_id)?,
                enquiry::of_company(conn, company_id, Some(tender_id), request)?,
            ))
        })
        .await?;
    let mut data = ask_data(t, &AskForm::default(), FormView::new(AskForm::default()));
    if let Value::Object(map) = &mut data {
        let own: Vec<Value> = mine
            .iter()
            .map(|e| {
                json!({
                    "question": e.question, "lot": e.lot, "asked_at": deadline::format_short(e.asked_at),
                    "status": e.status, "number": e.number, "published": e.published,
                })
            })
            .collect();
        for (k, v) in [
            ("csrf", json!(ctx.form_token())),
            ("following", json!(following)),
            ("open", json!(in_time(state.clock.now(), t.question_deadline))),
            ("mine", json!(own)),
        ] {
            map.insert(k.into(), v);
        }
    }
    templates::render("pages/enquiries/section", &data)
}

pub async fn ask(
    Aanbieder(user): Aanbieder,
    ctx: Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<AskForm>,
) -> WebResult {
    let f = form.0?;
    let t = visible(&state, Some(&user), *id).await?;
    if t.is_draft() {
        return Err(Error::NotFound("Aanbesteding").into());
    }
    let (tender_id, u, now) = (t.id, user.clone(), state.clock.now());
    let result = match f.input().and_then(|input| input.validate().map(|q| (input.lot_id, q))) {
        Ok((lot_id, question)) => {
            state.db.write(move |conn| enquiry::ask(conn, tender_id, lot_id, &question, &u, now).map(|_| ())).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(redirect(
            &format!("/aanbestedingen/{tender_id}#vragen"),
            Some("Uw vraag is ontvangen. Het antwoord verschijnt, zonder uw naam, in de nota van inlichtingen."),
        )),
        Err(e @ (Error::Validation(_) | Error::Conflict(_))) => {
            let view = FormView::new(&f).with_error(&e, |n| n.to_owned());
            let mut data = ask_data(&t, &f, view);
            if let Value::Object(map) = &mut data {
                map.insert("tender".into(), tender_json(&t));
                map.insert("open".into(), json!(in_time(state.clock.now(), t.question_deadline)));
            }
            Ok(ctx.render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&user),
                "Vraag stellen",
                "pages/enquiries/ask",
                data,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct AnswerForm {
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
}

/// The inkoper's page: every question, unanswered first, each with its answer form; `failed`
/// holds the form that could not be saved, shown again with its errors.
async fn render_list(
    ctx: &Ctx,
    state: &AppState,
    user: &User,
    t: &Snapshot,
    failed: Option<(i64, &AnswerForm, &Error)>,
) -> WebResult {
    let tender_id = t.id;
    let all = state.db.read(move |conn| enquiry::for_tender(conn, tender_id)).await?;
    let mut summary = FormView::new(());
    let rows: Vec<Value> = all
        .iter()
        .map(|e| {
            // A published question keeps its published wording unless it is changed here.
            let stored = AnswerForm {
                question: e
                    .draft_question
                    .clone()
                    .or_else(|| e.published.as_ref().map(|p| p.question.clone()))
                    .unwrap_or_default(),
                answer: e
                    .draft_answer
                    .clone()
                    .or_else(|| e.published.as_ref().map(|p| p.answer.clone()))
                    .unwrap_or_default(),
            };
            let view = match failed {
                Some((id, f, err)) if id == e.id => {
                    let rename = |n: &str| format!("{n}-{id}");
                    summary = FormView::new(()).with_error(err, rename);
                    FormView::new(f).with_error(err, |n| n.to_owned())
                }
                _ => FormView::new(&stored),
            };
            json!({
                "id": e.id, "number": e.number, "lot": e.lot, "question": e.question,
                "asked_at": deadline::format_short(e.asked_at), "status": e.status.label(e.published_versions),
                "open": e.status == EnquiryStatus::Open, "published": e.published, "form": view,
                "button": if e.published_versions > 0 { "Correctie opslaan" } else { "Antwoord opslaan" },
            })
        })
        .collect();
    let count = |s: EnquiryStatus| all.iter().filter(|e| e.status == s).count();
    let data = json!({
        "tender": tender_json(t), "enquiries": rows, "form": summary,
        "open_count": count(EnquiryStatus::Open), "answered_count": count(EnquiryStatus::Answered),
        "published_count": count(EnquiryStatus::Published),
    });
    let status = if failed.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(ctx.render_status(status, Some(user), "Vragen en nota van inlichtingen", "pages/enquiries/list", data))
}

pub async fn list(Inkoper(user): Inkoper, ctx: Ctx, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    let t = visible(&state, Some(&user), *id).await?;
    render_list(&ctx, &state, &user, &t, None).await
}

pub async fn answer(
    Inkoper(user): Inkoper,
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: Form<AnswerForm>,
) -> WebResult {
    let f = form.0?;
    let (tender_id, enquiry_id) = path.into_inner();
    let t = visible(&state, Some(&user), tender_id).await?;
    let input = AnswerInput { answer: f.answer.clone(), question: Some(f.question.clone()) };
    let u = user.clone();
    let result = match input.validate() {
        Ok(a) => state.db.write(move |conn| enquiry::answer(conn, enquiry_id, Some(tender_id), &a, &u)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(redirect(
            &format!("/aanbestedingen/{tender_id}/vragen#vraag-{enquiry_id}"),
            Some("Het antwoord is opgeslagen. Het wordt openbaar met de volgende nota van inlichtingen."),
        )),
        Err(e @ Error::Validation(_)) => render_list(&ctx, &state, &user, &t, Some((enquiry_id, &f, &e))).await,
        Err(e) => Err(e.into()),
    }
}
