//! Probleem (problem details): every API error as `application/problem+json` (RFC 9457).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::errors::{Error, FieldError};

#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// With invalid input: each field and what is wrong with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub invalid_params: Vec<FieldError>,
}

fn title(e: &Error) -> &'static str {
    match e {
        Error::Unauthenticated => "Niet ingelogd",
        Error::BadCredentials => "Inloggen mislukt",
        Error::Forbidden(_) => "Geen toegang",
        Error::NotFound(_) => "Niet gevonden",
        Error::Validation(_) => "Ongeldige invoer",
        Error::Conflict(_) => "Niet mogelijk in deze toestand",
        Error::Throttled { .. } => "Te veel pogingen",
        Error::Unavailable(_) => "Niet beschikbaar",
        Error::Internal(_) => "Interne fout",
    }
}

pub fn response(e: &Error) -> HttpResponse {
    e.log();
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let invalid_params = match e {
        Error::Validation(list) => list.clone(),
        _ => vec![],
    };
    let detail = match e {
        Error::Validation(list) if list.len() == 1 => {
            format!("{}: {}", list[0].name, list[0].reason)
        }
        Error::Validation(list) => format!("{} velden zijn niet in orde.", list.len()),
        other => other.to_string(),
    };
    let body = Problem {
        kind: format!("urn:aanbesteding:problem:{}", e.kind()),
        title: title(e).into(),
        status: status.as_u16(),
        detail,
        invalid_params,
    };
    let mut builder = HttpResponse::build(status);
    builder.content_type("application/problem+json");
    if let Error::Throttled { retry_after } = e {
        builder.insert_header(("Retry-After", retry_after.to_string()));
    }
    if let Error::Unauthenticated = e {
        builder.insert_header(("WWW-Authenticate", "Bearer realm=\"aanbesteding\""));
    }
    builder.body(serde_json::to_string(&body).unwrap_or_default())
}

/// The error type of every API handler.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        response(&self.0)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        ApiError(e)
    }
}
