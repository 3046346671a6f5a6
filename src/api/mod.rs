//! API (JSON, `/api/v1/`): thin adapters over the same `db` and `domain` functions as the web forms.

pub mod audit;
pub mod auth;
pub mod award_letters;
pub mod award_report_scores;
pub mod award_reports;
pub mod awards;
pub mod bid_files;
pub mod bids;
pub mod body;
pub mod capacity;
pub mod committees;
pub mod consensus;
pub mod contracts;
pub mod corrections;
pub mod declarations;
pub mod download;
pub mod enquiries;
pub mod enquiry_notes;
pub mod evaluation;
pub mod evidence_requests;
pub mod health;
pub mod interests;
pub mod lots;
pub mod messages;
pub mod objections;
pub mod openapi;
pub mod openings;
pub mod overviews;
pub mod placements;
pub mod price_sheets;
pub mod problem;
pub mod rankings;
pub mod reference;
pub mod registrations;
pub mod route_shares;
pub mod scales;
pub mod score_sheets;
pub mod selection_criteria;
pub mod simulations;
pub mod suitability;
pub mod taakstelling;
pub mod tender_copies;
pub mod tenders;
pub mod users;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::PageRequest;

pub use body::Json;
pub use problem::ApiError;

/// `?page=2&per_page=25` on every list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1 (default 1).
    pub page: Option<i64>,
    /// Items per page, 1 to 100 (default 25).
    pub per_page: Option<i64>,
}

impl PageQuery {
    pub fn request(&self) -> PageRequest {
        PageRequest::new(self.page, self.per_page)
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

impl<T: ToSchema> Page<T> {
    pub fn new(items: Vec<T>, request: PageRequest, total: i64) -> Page<T> {
        Page { items, page: request.page, per_page: request.per_page, total }
    }
}

pub type ApiResult = Result<actix_web::HttpResponse, ApiError>;

pub fn ok<T: Serialize>(body: &T) -> ApiResult {
    Ok(actix_web::HttpResponse::Ok().json(body))
}

pub fn created<T: Serialize>(location: String, body: &T) -> ApiResult {
    Ok(actix_web::HttpResponse::Created().insert_header(("Location", location)).json(body))
}

pub fn no_content() -> ApiResult {
    Ok(actix_web::HttpResponse::NoContent().finish())
}
