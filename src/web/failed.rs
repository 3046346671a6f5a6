//! Mislukt formulier (failed form): a page with several small forms that came back with
//! problems — which form, what was typed, what is wrong — shown beside each field and in the
//! summary above the page.

use serde_json::{Value, json};

use super::FormView;
use super::form::SummaryItem;
use crate::errors::FieldError;

/// A form on the page that came back with problems: which one, what was typed, what is wrong.
pub struct Failed<'a> {
    pub form: String,
    pub typed: &'a [(String, String)],
    pub errors: Vec<FieldError>,
}

/// The fields of one form on the page: per field its HTML id, what was typed and its problem.
pub fn fields(failed: Option<&Failed>, form: &str, names: &[&str]) -> Value {
    let mine = failed.filter(|f| f.form == form);
    let map: serde_json::Map<String, Value> = names
        .iter()
        .map(|n| {
            let value = mine.map_or("", |f| field(f.typed, n));
            let error = mine.and_then(|f| f.errors.iter().find(|e| e.name == *n)).map(|e| e.reason.clone());
            ((*n).to_owned(), json!({ "id": format!("{form}-{n}"), "value": value, "error": error }))
        })
        .collect();
    Value::Object(map)
}

/// The summary above the page, linking each problem to its field.
pub fn summary(failed: Option<&Failed>) -> FormView {
    let mut view = FormView::new(json!({}));
    for f in failed.map(|f| f.errors.as_slice()).unwrap_or_default() {
        let form = failed.map_or("", |x| x.form.as_str());
        view.summary.push(SummaryItem { anchor: format!("{form}-{}", f.name), reason: f.reason.clone() });
    }
    view
}

/// What was typed in a field, trimmed.
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
}
