//! Capaciteit op de contractpagina: the places per year of a contract, per gemeente or as a
//! regional total with an allocation, and the decision dates of its extension options. The
//! inkoper and management set one year at a time.

use std::collections::BTreeMap;

use actix_web::web;
use serde_json::{Value, json};

use super::{Form, WebResult, redirect};
use crate::api::capacity::set;
use crate::auth::ContractKeeper;
use crate::db::contract::Contract;
use crate::db::municipality::Municipality;
use crate::domain::capacity::YearCapacity;
use crate::domain::contract::{decision_date, end_date};
use crate::domain::deadline::format_date_nl;
use crate::errors::{Error, FieldError};
use crate::state::AppState;

/// The contract page's view of the places and the extension decisions.
pub fn view(
    c: &Contract,
    years: &[YearCapacity],
    gemeenten: &[Municipality],
    typed: Option<&BTreeMap<String, String>>,
) -> Value {
    let name = |code: &str| gemeenten.iter().find(|m| m.cbs_code == code).map_or(code.to_owned(), |m| m.name.clone());
    let rows: Vec<Value> = years
        .iter()
        .map(|y| {
            let split: Vec<String> = y.allocation.iter().map(|(code, n)| format!("{} {n}", name(code))).collect();
            json!({ "year": y.year, "places": y.places(), "allocation": split.join(", "),
                    "unallocated": u64::from(y.places()).saturating_sub(y.allocated()) })
        })
        .collect();
    let typed_value = |k: &str| typed.and_then(|t| t.get(k).cloned()).unwrap_or_default();
    let participants: Vec<Value> = c
        .municipalities
        .iter()
        .map(|code| json!({ "field": format!("gemeente_{code}"), "label": format!("{} (plaatsen)", name(code)), "value": typed_value(&format!("gemeente_{code}")) }))
        .collect();
    let (y, taken) = (u32::try_from(c.years).unwrap_or(0), usize::try_from(c.extensions_taken).unwrap_or(0));
    let options: Vec<Value> = c
        .extensions
        .iter()
        .enumerate()
        .map(|(i, ext)| {
            let end = end_date(c.start_date, y, &c.extensions, i);
            let decide = end.and_then(|e| decision_date(e, u32::try_from(c.notice_months).unwrap_or(0)));
            json!({ "number": i + 1, "years": ext, "taken": i < taken,
                    "decide": decide.map(format_date_nl), "until": end_date(c.start_date, y, &c.extensions, i + 1).map(format_date_nl) })
        })
        .collect();
    json!({ "years": rows, "participants": participants, "year_value": typed_value("year"), "total_value": typed_value("total"), "options": options })
}

/// Saves one year from the form; errors come back on the contract page.
pub async fn save(
    ContractKeeper(user): ContractKeeper,
    ctx: super::Ctx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    form: Form<BTreeMap<String, String>>,
) -> WebResult {
    let (typed, contract_id) = (form.0?, *id);
    let mut problems = Vec::new();
    let number = |field: &str, problems: &mut Vec<FieldError>| -> Option<u32> {
        let v = typed.get(field).map(|v| v.trim()).unwrap_or_default();
        if v.is_empty() {
            return None;
        }
        v.parse().map_err(|_| problems.push(FieldError::new(field, format!("'{v}' is geen heel aantal.")))).ok()
    };
    let year = number("year", &mut problems);
    let total = number("total", &mut problems);
    let mut allocation = BTreeMap::new();
    for key in typed.keys().filter(|k| k.starts_with("gemeente_")) {
        if let Some(n) = number(key, &mut problems) {
            allocation.insert(key.trim_start_matches("gemeente_").to_owned(), n);
        }
    }
    if year.is_none() && problems.is_empty() {
        problems.push(FieldError::new("year", "Vul het jaar in."));
    }
    let result = match (problems.is_empty(), year) {
        (true, Some(year)) => {
            set(&state, &user, contract_id, vec![YearCapacity { year: year as i32, total, allocation }])
                .await
                .map(|_| ())
        }
        _ => Err(Error::Validation(problems)),
    };
    match result {
        Ok(()) => Ok(redirect(&format!("/contracten/{contract_id}#capaciteit"), Some("De capaciteit is opgeslagen."))),
        Err(Error::Validation(list)) => {
            // The API names fields like years[0].allocation.GM0405: shown at the form's own fields.
            let rename = |n: &str| {
                let n = n.trim_start_matches("years[0].");
                match n.strip_prefix("allocation.") {
                    Some(code) => format!("gemeente_{code}"),
                    None if n == "allocation" => "total".to_owned(),
                    None => n.to_owned(),
                }
            };
            let list: Vec<FieldError> = list.into_iter().map(|f| FieldError::new(rename(&f.name), f.reason)).collect();
            super::contracts::page_with(&ctx, &state, &user, contract_id, &list, Some(&typed)).await
        }
        Err(e) => Err(e.into()),
    }
}
