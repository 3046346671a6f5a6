//! Web (HTML forms, Dutch): thin adapters over the same `db` and `domain` functions as the API.

pub mod assessments;
pub mod assets;
pub mod audit;
pub mod award_letters;
pub mod award_reports;
pub mod awards;
pub mod bid_form;
pub mod bids;
pub mod capacity;
pub mod chart;
pub mod company;
pub mod consensus;
pub mod contracts;
pub mod enquiries;
pub mod enquiry_notes;
pub mod evaluation;
pub mod failed;
pub mod form;
pub mod home;
pub mod interests;
pub mod invitation;
pub mod lot_form;
pub mod lot_rows;
pub mod lots;
pub mod messages;
pub mod objections;
pub mod openings;
pub mod overviews;
pub mod page;
pub mod placements;
pub mod price_sheets;
pub mod rankings;
pub mod registration;
pub mod route_shares;
pub mod scales;
pub mod score_sheets;
pub mod selection_criteria;
pub mod session;
pub mod simulator;
pub mod suitability;
pub mod taakstelling;
pub mod tender_form;
pub mod tenders;
pub mod upload;
pub mod users;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::errors::Error;

pub use form::{Form, FormView};
pub use page::{Ctx, redirect};

/// The error type of every page handler: an HTML page in Dutch with the right status.
#[derive(Debug)]
pub struct WebError(pub Error);

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        error_page(&self.0)
    }
}

impl From<Error> for WebError {
    fn from(e: Error) -> WebError {
        WebError(e)
    }
}

pub type WebResult = Result<HttpResponse, WebError>;

/// A page for an error outside any form: what happened and where to go from here.
pub fn error_page(e: &Error) -> HttpResponse {
    e.log();
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let heading = match e {
        Error::NotFound(_) => "Niet gevonden",
        Error::Forbidden(_) => "Geen toegang",
        Error::Conflict(_) => "Dit kan nu niet",
        Error::Throttled { .. } => "Even wachten",
        Error::Unavailable(_) => "Tijdelijk niet beschikbaar",
        Error::Internal(_) => "Er ging iets mis",
        Error::Unauthenticated | Error::BadCredentials => "Niet ingelogd",
        Error::Validation(_) => "Ongeldige invoer",
    };
    let message = match e {
        Error::Validation(list) => list.iter().map(|f| f.reason.clone()).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    };
    let data = serde_json::json!({ "heading": heading, "message": message });
    match crate::templates::render("pages/error", &data) {
        Ok(content) => page::render_layout(status, None, heading, &content, "", None),
        Err(e) => {
            e.log();
            HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(message)
        }
    }
}

/// Percent-encodes a value for use in a query string.
pub fn encode_query(value: &str) -> String {
    serde_urlencoded::to_string([("", value)]).map(|s| s.trim_start_matches('=').to_owned()).unwrap_or_default()
}

/// Where to go after logging in: only paths of this site, never another host.
pub fn safe_return(path: &str) -> Option<&str> {
    // Browsers drop tabs and newlines from URLs, so `/\t/evil.example` would become `//evil.example`.
    let plain = !path.contains('\\') && !path.chars().any(char::is_control);
    (path.starts_with('/') && !path.starts_with("//") && plain).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_return("/aanbestedingen/3"), Some("/aanbestedingen/3"));
        assert_eq!(safe_return("//evil.example"), None);
        assert_eq!(safe_return("https://evil.example"), None);
        assert_eq!(safe_return("/\\evil.example"), None);
        assert_eq!(safe_return("/\t/evil.example"), None);
        assert_eq!(safe_return("/\n/evil.example"), None);
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode_query("/a b?c=d"), "%2Fa+b%3Fc%3Dd");
    }
}
