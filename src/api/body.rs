//! JSON-invoer (request bodies): parsed with the path of every problem, answered in Dutch.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;

use super::problem::ApiError;
use crate::errors::{Error, FieldError};

/// Largest JSON body: a perceel of 10,000 price lines is about 0.7 MB.
pub const LIMIT: usize = 2 * 1024 * 1024;

/// A JSON body; malformed JSON, wrong types, missing and unknown fields are named precisely.
///
/// Extraction itself never fails: the handler takes the result with `body.0?` *after* its role
/// extractor has run, so a caller without access learns nothing from how their body was parsed.
pub struct Json<T>(pub Result<T, ApiError>);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json =
            req.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| {
                v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let parsed = async {
                if !is_json {
                    return Err(Error::invalid("body", "Stuur de gegevens als JSON (Content-Type: application/json)."));
                }
                let too_big = || Error::invalid("body", format!("De invoer is groter dan {} MB.", LIMIT / 1024 / 1024));
                let bytes = bytes.await.map_err(|e| {
                    if crate::web::form::overflowed(&e) {
                        too_big()
                    } else {
                        Error::invalid("body", "De invoer kon niet worden gelezen.")
                    }
                })?;
                if bytes.len() > LIMIT {
                    return Err(too_big());
                }
                parse(&bytes)
            };
            Ok(Json(parsed.await.map_err(ApiError)))
        })
    }
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        Error::Validation(vec![describe(&path, &inner)])
    })
}

/// Turns serde's English message into a field name and a Dutch reason.
fn describe(path: &str, e: &serde_json::Error) -> FieldError {
    use serde_json::error::Category;
    let msg = e.to_string();
    let at = |name: &str| {
        if path == "." || path.is_empty() { name.to_owned() } else { format!("{path}.{name}") }
    };
    let quoted = msg.split('`').nth(1).unwrap_or_default();
    match e.classify() {
        Category::Syntax | Category::Eof => {
            FieldError::new("body", format!("Ongeldige JSON bij regel {}, kolom {}.", e.line(), e.column()))
        }
        _ if msg.starts_with("missing field") => FieldError::new(at(quoted), "Dit veld ontbreekt."),
        // For an unknown field the path already ends in the field itself.
        _ if msg.starts_with("unknown field") => FieldError::new(path, "Onbekend veld; controleer de schrijfwijze."),
        _ if msg.starts_with("unknown variant") => {
            let options =
                msg.split("expected ").nth(1).unwrap_or_default().split(" at line").next().unwrap_or_default();
            FieldError::new(path, format!("Onbekende waarde '{quoted}'; kies uit {}.", options.replace('`', "")))
        }
        _ => {
            let reason = msg.split(" at line").next().unwrap_or(&msg);
            let reason = reason
                .replace("invalid type", "verkeerd type")
                .replace("expected", "verwacht")
                .replace("invalid value", "ongeldige waarde");
            FieldError::new(if path == "." { "body" } else { path }, format!("{reason}."))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        weight: i32,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        title: String,
        items: Vec<Inner>,
    }

    fn problem(json: &str) -> FieldError {
        match parse::<Outer>(json.as_bytes()) {
            Err(Error::Validation(mut list)) => list.remove(0),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_wrong_type_is_named_by_its_path() {
        let p = problem(r#"{"title":"x","items":[{"weight":"veel"}]}"#);
        assert_eq!(p.name, "items[0].weight");
        assert!(p.reason.contains("verkeerd type"), "{}", p.reason);
    }

    #[test]
    fn a_missing_field_is_named() {
        assert_eq!(problem(r#"{"items":[]}"#).name, "title");
        assert_eq!(problem(r#"{"title":"x","items":[{}]}"#).name, "items[0].weight");
    }

    #[test]
    fn an_unknown_field_is_named_not_ignored() {
        assert_eq!(problem(r#"{"title":"x","items":[],"titel":"y"}"#).name, "titel");
    }

    #[test]
    fn malformed_json_gives_the_position() {
        let p = problem("{\"title\": ");
        assert_eq!(p.name, "body");
        assert!(p.reason.contains("regel 1"), "{}", p.reason);
    }
}
