//! OpenAPI 3: the API description, generated from the handlers' annotations.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    audit, auth, award_letters, award_reports, awards, bid_files, bids, capacity, committees, consensus, contracts,
    corrections, declarations, enquiries, enquiry_notes, evidence_requests, health, interests, lots, messages,
    objections, openings, overviews, placements, price_sheets, rankings, reference, registrations, route_shares,
    scales, score_sheets, selection_criteria, simulations, suitability, taakstelling, tender_copies, tenders, users,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "aanbesteding", description = "Regionale aanbesteding van inburgeringsleerroutes. Errors are application/problem+json (RFC 9457)."),
    paths(
        health::get, health::live,
        auth::token, auth::password, auth::logout, auth::me,
        reference::regions, reference::municipalities, reference::learning_routes,
        tenders::list, tenders::create, tenders::get, tenders::update, tenders::checklist, tenders::publish,
        lots::create, lots::update, lots::delete, simulations::simulate,
        scales::create, scales::update, scales::delete,
        selection_criteria::create, selection_criteria::update, selection_criteria::delete,
        corrections::list, corrections::create,
        audit::list,
        users::list, users::create,
        registrations::create, registrations::verify, registrations::mine, registrations::invite, registrations::accept,
        messages::mine, messages::of_tender,
        bids::create, bids::mine, bids::counts, bids::get, bids::save, bid_files::upload_file, bid_files::remove_file,
        bids::submit, bids::reconfirm, bids::withdraw,
        price_sheets::get, price_sheets::upload, price_sheets::confirm,
        openings::confirm, openings::state, openings::bids,
        committees::get, committees::put, declarations::get, declarations::post, suitability::get, suitability::put,
        score_sheets::get, score_sheets::put, score_sheets::post_lock,
        consensus::get, consensus::put, consensus::post_reveal,
        rankings::get, rankings::post, rankings::put, evidence_requests::post,
        awards::get, awards::post, awards::post_approve, awards::post_send, objections::post, objections::post_lift,
        awards::post_definitive, awards::post_withdraw, tender_copies::post, award_letters::mine, award_reports::get, contracts::list, contracts::activate, contracts::documents, contracts::upload, contracts::download,
        capacity::get, capacity::put, placements::list, placements::create, placements::relocate, placements::end,
        taakstelling::get, taakstelling::put, taakstelling::upload, route_shares::get, route_shares::put,
        overviews::municipality, overviews::municipality_export, overviews::region, overviews::region_export,
        interests::create,
        enquiries::list, enquiries::create, enquiries::mine, enquiries::answer,
        enquiry_notes::list, enquiry_notes::get, enquiry_notes::publish,
        get,
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "service", responses((status = 200, description = "this document")))]
pub async fn get() -> HttpResponse {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let json = DOC.get_or_init(|| ApiDoc::openapi().to_pretty_json().unwrap_or_default());
    HttpResponse::Ok().content_type("application/json").body(json.as_str())
}
