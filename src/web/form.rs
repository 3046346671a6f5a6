//! Formulier (form): a posted form, checked for its CSRF token, and its view with Dutch errors.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::WebError;
use crate::auth::csrf;
use rust_decimal::Decimal;

use crate::domain::money;
use crate::errors::{Error, FieldError};

/// Largest form: the price lines of a perceel can run to hundreds of kilobytes.
pub const LIMIT: usize = 2 * 1024 * 1024;

/// Whether reading a body stopped at the size limit (actix's own message is English).
pub fn overflowed(e: &actix_web::Error) -> bool {
    matches!(e.as_error::<actix_web::error::PayloadError>(), Some(actix_web::error::PayloadError::Overflow))
}

/// A form body (`application/x-www-form-urlencoded`); repeated names become lists.
///
/// Extraction itself never fails: the handler takes the result with `form.0?` *after* its role
/// extractor has run, so a visitor who is not logged in is sent to the login page rather than
/// told about the form. The CSRF token is checked in that same result.
pub struct Form<T>(pub Result<T, WebError>);

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf_token: String,
}

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let bytes = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let parsed = async {
                let too_big =
                    || Error::invalid("body", format!("Het formulier is groter dan {} MB.", LIMIT / 1024 / 1024));
                let bytes = bytes.await.map_err(|e| {
                    if overflowed(&e) {
                        too_big()
                    } else {
                        Error::invalid("body", "Het formulier kon niet worden gelezen.")
                    }
                })?;
                if bytes.len() > LIMIT {
                    return Err(too_big());
                }
                let token: Token = serde_html_form::from_bytes(&bytes).unwrap_or(Token { csrf_token: String::new() });
                if !csrf::matches(&req, &token.csrf_token) {
                    return Err(Error::Forbidden(
                        "Dit formulier is verlopen of komt niet van deze site. Ga terug, laad de pagina opnieuw en probeer het nog eens.".into(),
                    ));
                }
                serde_html_form::from_bytes(&bytes)
                    .map_err(|e| Error::invalid("body", format!("Het formulier is niet compleet: {e}")))
            };
            Ok(Form(parsed.await.map_err(WebError)))
        })
    }
}

/// What a form shows: the values as entered and an error per field, plus the list for the summary.
#[derive(Debug, Default, Serialize)]
pub struct FormView {
    pub values: Value,
    pub errors: BTreeMap<String, String>,
    pub summary: Vec<SummaryItem>,
}

#[derive(Debug, Serialize)]
pub struct SummaryItem {
    pub anchor: String,
    pub reason: String,
}

/// The HTML id for a field name: `lots[0].title` becomes `lots-0-title`.
pub fn field_id(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

impl FormView {
    pub fn new(values: impl Serialize) -> FormView {
        FormView { values: serde_json::to_value(values).unwrap_or(Value::Null), ..Default::default() }
    }

    /// Adds errors; `rename` maps an API field name to the form field that shows it.
    pub fn with_errors(mut self, errors: &[FieldError], rename: impl Fn(&str) -> String) -> FormView {
        for f in errors {
            let name = rename(&f.name);
            self.summary.push(SummaryItem { anchor: field_id(&name), reason: f.reason.clone() });
            self.errors.entry(name).or_insert_with(|| f.reason.clone());
        }
        self
    }

    /// Turns any error into form errors; errors that are not about input become one general message.
    pub fn with_error(self, e: &Error, rename: impl Fn(&str) -> String) -> FormView {
        match e {
            Error::Validation(list) => self.with_errors(list, rename),
            other => self.with_errors(&[FieldError::new("form", other.to_string())], |n| n.to_owned()),
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.summary.is_empty()
    }
}

/// Parses a whole number typed into a form, naming the field when it is not one.
pub fn int(name: &str, value: &str, problems: &mut Vec<FieldError>) -> i32 {
    match value.trim().parse() {
        Ok(n) => n,
        Err(_) => {
            problems.push(FieldError::new(name, "Vul een heel getal in."));
            0
        }
    }
}

/// An optional decimal as typed; empty is absent, anything else must be a number.
pub fn decimal(p: &mut Vec<FieldError>, name: String, text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    money::parse_decimal_nl(text).map_err(|e| p.push(FieldError::new(name, e))).ok()
}

/// A whole number as typed; empty gives the default.
pub fn optional_int(p: &mut Vec<FieldError>, name: String, text: &str, default: Option<i32>) -> Option<i32> {
    match text.trim() {
        "" => default,
        s => s.parse().map_err(|_| p.push(FieldError::new(name, "Vul een heel getal in."))).ok(),
    }
}

/// Options for a select, with the current value selected. The text is not called `label`: the
/// select partial's own `label` parameter would shadow it inside the loop.
pub fn options<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, selected: &str) -> Vec<Value> {
    items
        .into_iter()
        .map(|(value, text)| serde_json::json!({ "value": value, "text": text, "selected": value == selected }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_become_html_ids() {
        assert_eq!(field_id("quality_criteria[0].title"), "quality_criteria-0-title");
        assert_eq!(field_id("price.weight_percent"), "price-weight_percent");
        assert_eq!(field_id("title"), "title");
    }

    #[test]
    fn the_first_error_of_a_field_is_shown_beside_it_and_all_in_the_summary() {
        let errors = [FieldError::new("title", "een"), FieldError::new("title", "twee")];
        let view = FormView::new(()).with_errors(&errors, |n| n.to_owned());
        assert_eq!(view.errors["title"], "een");
        assert_eq!(view.summary.len(), 2);
    }
}
