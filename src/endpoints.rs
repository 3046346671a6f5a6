//! Adressen (endpoints): the one table of every page and API endpoint with who may use it.
//!
//! The same table registers the handlers and feeds the test that walks every endpoint for
//! every role, so an endpoint cannot be added without stating its access rule.

use actix_web::http::Method;
use actix_web::web;

use crate::domain::role::Role;
use crate::{api, web as pages};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not (the handler may still hide concepts).
    Public,
    /// Any logged-in user.
    Signed,
    /// Only these roles.
    Roles(&'static [Role]),
}

impl Access {
    pub fn allows(self, role: Option<Role>) -> bool {
        match self {
            Access::Public => true,
            Access::Signed => role.is_some(),
            Access::Roles(roles) => role.is_some_and(|r| roles.contains(&r)),
        }
    }
}

const PUBLIC: Access = Access::Public;
const SIGNED: Access = Access::Signed;
const INKOPER: Access = Access::Roles(&[Role::Inkoper]);
const STAFF: Access = Access::Roles(&[Role::Inkoper, Role::Management, Role::Beheerder]);
const BEHEERDER: Access = Access::Roles(&[Role::Beheerder]);
const AANBIEDER: Access = Access::Roles(&[Role::Aanbieder]);
const BEOORDELAAR: Access = Access::Roles(&[Role::Beoordelaar]);
const MANAGEMENT: Access = Access::Roles(&[Role::Management]);
const KLANTMANAGER: Access = Access::Roles(&[Role::Klantmanager]);
/// Who follows capacity: management for every gemeente, a klantmanager for the own one.
const CAPACITY: Access = Access::Roles(&[Role::Management, Role::Klantmanager]);
/// Who keeps the contract register.
const KEEPERS: Access = Access::Roles(&[Role::Inkoper, Role::Management]);
/// Who lodges an objection: a bidder for its own bid, the inkoper for anyone.
const OBJECTORS: Access = Access::Roles(&[Role::Inkoper, Role::Aanbieder]);

#[derive(Clone, Copy, Debug)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

macro_rules! endpoints {
    ($($method:ident $path:literal $access:ident => $handler:path;)*) => {
        pub const ENDPOINTS: &[Endpoint] = &[$(Endpoint { method: stringify!($method), path: $path, access: $access }),*];

        pub fn configure(cfg: &mut web::ServiceConfig) {
            $(cfg.route($path, web::method(Method::$method).to($handler));)*
        }
    };
}

endpoints! {
    GET    "/health"                                                      PUBLIC    => api::health::get;
    GET    "/health/live"                                                 PUBLIC    => api::health::live;
    GET    "/api/v1/openapi.json"                                         PUBLIC    => api::openapi::get;
    POST   "/api/v1/auth/token"                                           PUBLIC    => api::auth::token;
    POST   "/api/v1/auth/password"                                        PUBLIC    => api::auth::password;
    POST   "/api/v1/auth/logout"                                          SIGNED    => api::auth::logout;
    GET    "/api/v1/me"                                                   SIGNED    => api::auth::me;
    GET    "/api/v1/regions"                                              PUBLIC    => api::reference::regions;
    GET    "/api/v1/municipalities"                                       PUBLIC    => api::reference::municipalities;
    GET    "/api/v1/learning-routes"                                      PUBLIC    => api::reference::learning_routes;
    GET    "/api/v1/tenders"                                              PUBLIC    => api::tenders::list;
    POST   "/api/v1/tenders"                                              INKOPER   => api::tenders::create;
    GET    "/api/v1/tenders/{id}"                                         PUBLIC    => api::tenders::get;
    PUT    "/api/v1/tenders/{id}"                                         INKOPER   => api::tenders::update;
    GET    "/api/v1/tenders/{id}/checklist"                               STAFF     => api::tenders::checklist;
    POST   "/api/v1/tenders/{id}/publish"                                 INKOPER   => api::tenders::publish;
    POST   "/api/v1/tenders/{id}/lots"                                    INKOPER   => api::lots::create;
    PUT    "/api/v1/tenders/{id}/lots/{lot_id}"                           INKOPER   => api::lots::update;
    DELETE "/api/v1/tenders/{id}/lots/{lot_id}"                           INKOPER   => api::lots::delete;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/simulation"                INKOPER   => api::simulations::simulate;
    POST   "/api/v1/tenders/{id}/scales"                                  INKOPER   => api::scales::create;
    PUT    "/api/v1/tenders/{id}/scales/{scale_id}"                       INKOPER   => api::scales::update;
    DELETE "/api/v1/tenders/{id}/scales/{scale_id}"                       INKOPER   => api::scales::delete;
    POST   "/api/v1/tenders/{id}/selection-criteria"                      INKOPER   => api::selection_criteria::create;
    PUT    "/api/v1/tenders/{id}/selection-criteria/{criterion_id}"       INKOPER   => api::selection_criteria::update;
    DELETE "/api/v1/tenders/{id}/selection-criteria/{criterion_id}"       INKOPER   => api::selection_criteria::delete;
    GET    "/api/v1/tenders/{id}/corrections"                             PUBLIC    => api::corrections::list;
    POST   "/api/v1/tenders/{id}/corrections"                             INKOPER   => api::corrections::create;
    GET    "/api/v1/tenders/{id}/audit-log"                               STAFF     => api::audit::list;
    GET    "/api/v1/users"                                                BEHEERDER => api::users::list;
    POST   "/api/v1/users"                                                BEHEERDER => api::users::create;
    POST   "/api/v1/registrations"                                        PUBLIC    => api::registrations::create;
    POST   "/api/v1/registrations/verification"                           PUBLIC    => api::registrations::verify;
    GET    "/api/v1/companies/me"                                         AANBIEDER => api::registrations::mine;
    POST   "/api/v1/companies/me/invitations"                             AANBIEDER => api::registrations::invite;
    POST   "/api/v1/invitations/acceptance"                               PUBLIC    => api::registrations::accept;
    GET    "/api/v1/me/messages"                                          SIGNED    => api::messages::mine;
    GET    "/api/v1/tenders/{id}/messages"                                STAFF     => api::messages::of_tender;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/bids"                      AANBIEDER => api::bids::create;
    GET    "/api/v1/tenders/{id}/bids"                                    AANBIEDER => api::bids::mine;
    GET    "/api/v1/tenders/{id}/bid-counts"                              STAFF     => api::bids::counts;
    GET    "/api/v1/bids/{bid_id}"                                        AANBIEDER => api::bids::get;
    PUT    "/api/v1/bids/{bid_id}"                                        AANBIEDER => api::bids::save;
    POST   "/api/v1/bids/{bid_id}/files"                                  AANBIEDER => api::bid_files::upload_file;
    DELETE "/api/v1/bids/{bid_id}/files/{file_id}"                        AANBIEDER => api::bid_files::remove_file;
    GET    "/api/v1/tenders/{id}/price-sheet"                             PUBLIC    => api::price_sheets::get;
    POST   "/api/v1/bids/{bid_id}/price-sheet"                            AANBIEDER => api::price_sheets::upload;
    POST   "/api/v1/bids/{bid_id}/price-sheet/confirmation"               AANBIEDER => api::price_sheets::confirm;
    POST   "/api/v1/bids/{bid_id}/submission"                             AANBIEDER => api::bids::submit;
    POST   "/api/v1/bids/{bid_id}/reconfirmation"                         AANBIEDER => api::bids::reconfirm;
    POST   "/api/v1/bids/{bid_id}/withdrawal"                             AANBIEDER => api::bids::withdraw;
    POST   "/api/v1/tenders/{id}/opening"                                 INKOPER   => api::openings::confirm;
    GET    "/api/v1/tenders/{id}/opening"                                 STAFF     => api::openings::state;
    GET    "/api/v1/tenders/{id}/lots/{lot_id}/committee"                 STAFF     => api::committees::get;
    PUT    "/api/v1/tenders/{id}/lots/{lot_id}/committee"                 INKOPER   => api::committees::put;
    GET    "/api/v1/tenders/{id}/lots/{lot_id}/declarations"              BEOORDELAAR => api::declarations::get;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/declarations"              BEOORDELAAR => api::declarations::post;
    GET    "/api/v1/tenders/{id}/lots/{lot_id}/suitability"               INKOPER   => api::suitability::get;
    PUT    "/api/v1/bids/{bid_id}/suitability"                            INKOPER   => api::suitability::put;
    GET    "/api/v1/bids/{bid_id}/score-sheet"                            BEOORDELAAR => api::score_sheets::get;
    PUT    "/api/v1/bids/{bid_id}/scores"                                 BEOORDELAAR => api::score_sheets::put;
    POST   "/api/v1/bids/{bid_id}/scores/lock"                            BEOORDELAAR => api::score_sheets::post_lock;
    GET    "/api/v1/tenders/{id}/lots/{lot_id}/consensus"                 INKOPER   => api::consensus::get;
    PUT    "/api/v1/bids/{bid_id}/consensus"                              INKOPER   => api::consensus::put;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/price-reveal"              INKOPER   => api::consensus::post_reveal;
    GET    "/api/v1/tenders/{id}/lots/{lot_id}/ranking"                   STAFF     => api::rankings::get;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/draws"                     INKOPER   => api::rankings::post;
    PUT    "/api/v1/tenders/{id}/lots/{lot_id}/draws/{draw_id}"           INKOPER   => api::rankings::put;
    POST   "/api/v1/bids/{bid_id}/evidence-requests"                      INKOPER   => api::evidence_requests::post;
    GET    "/api/v1/tenders/{id}/lots/{lot_id}/award"                     STAFF     => api::awards::get;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/award"                     INKOPER   => api::awards::post;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/approve" MANAGEMENT => api::awards::post_approve;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/send"  INKOPER   => api::awards::post_send;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/objections" OBJECTORS => api::objections::post;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/objections/{objection_id}/lift" INKOPER => api::objections::post_lift;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/definitive" INKOPER => api::awards::post_definitive;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/award/{decision_id}/withdraw" INKOPER => api::awards::post_withdraw;
    POST   "/api/v1/tenders/{id}/lots/{lot_id}/copy"                      INKOPER   => api::tender_copies::post;
    GET    "/api/v1/award-letters"                                        AANBIEDER => api::award_letters::mine;
    GET    "/api/v1/tenders/{id}/award-report"                            STAFF     => api::award_reports::get;
    GET    "/api/v1/tenders/{id}/contracts"                               STAFF     => api::contracts::list;
    POST   "/api/v1/contracts/{contract_id}/activate"                     INKOPER   => api::contracts::activate;
    GET    "/api/v1/contracts/{contract_id}/documents"                    STAFF     => api::contracts::documents;
    POST   "/api/v1/contracts/{contract_id}/documents"                    INKOPER   => api::contracts::upload;
    GET    "/api/v1/contracts/{contract_id}/documents/{document_id}"      STAFF     => api::contracts::download;
    GET    "/api/v1/contracts/{contract_id}/capacity"                     STAFF     => api::capacity::get;
    PUT    "/api/v1/contracts/{contract_id}/capacity"                     KEEPERS   => api::capacity::put;
    GET    "/api/v1/placements"                                           CAPACITY  => api::placements::list;
    POST   "/api/v1/placements"                                           KLANTMANAGER => api::placements::create;
    POST   "/api/v1/placements/move"                                      KLANTMANAGER => api::placements::relocate;
    POST   "/api/v1/placements/{placement_id}/end"                        KLANTMANAGER => api::placements::end;
    GET    "/api/v1/regions/{region}/taakstelling"                          MANAGEMENT => api::taakstelling::get;
    PUT    "/api/v1/regions/{region}/taakstelling"                          MANAGEMENT => api::taakstelling::put;
    POST   "/api/v1/regions/{region}/taakstelling/import"                   MANAGEMENT => api::taakstelling::upload;
    GET    "/api/v1/regions/{region}/distribution"                          MANAGEMENT => api::route_shares::get;
    PUT    "/api/v1/regions/{region}/distribution"                          MANAGEMENT => api::route_shares::put;
    GET    "/api/v1/overview/municipalities/{gemeente}"                       CAPACITY  => api::overviews::municipality;
    GET    "/api/v1/overview/municipalities/{gemeente}/export"                CAPACITY  => api::overviews::municipality_export;
    GET    "/api/v1/overview/regions/{region}"                              MANAGEMENT => api::overviews::region;
    GET    "/api/v1/overview/regions/{region}/export"                       MANAGEMENT => api::overviews::region_export;
    GET    "/api/v1/tenders/{id}/opened-bids"                             INKOPER   => api::openings::bids;
    POST   "/api/v1/tenders/{id}/interest"                                AANBIEDER => api::interests::create;
    GET    "/api/v1/tenders/{id}/enquiries"                               STAFF     => api::enquiries::list;
    POST   "/api/v1/tenders/{id}/enquiries"                               AANBIEDER => api::enquiries::create;
    GET    "/api/v1/companies/me/enquiries"                               AANBIEDER => api::enquiries::mine;
    PUT    "/api/v1/enquiries/{enquiry_id}/answer"                        INKOPER   => api::enquiries::answer;
    GET    "/api/v1/tenders/{id}/enquiry-notes"                           PUBLIC    => api::enquiry_notes::list;
    GET    "/api/v1/tenders/{id}/enquiry-notes/{note_number}"             PUBLIC    => api::enquiry_notes::get;
    POST   "/api/v1/tenders/{id}/enquiry-notes"                           INKOPER   => api::enquiry_notes::publish;

    GET    "/"                                                            PUBLIC    => pages::home::index;
    GET    "/static/app.css"                                              PUBLIC    => pages::assets::css;
    GET    "/static/app.js"                                               PUBLIC    => pages::assets::js;
    GET    "/inloggen"                                                    PUBLIC    => pages::session::login_form;
    POST   "/inloggen"                                                    PUBLIC    => pages::session::login;
    POST   "/uitloggen"                                                   SIGNED    => pages::session::logout;
    GET    "/wachtwoord"                                                  SIGNED    => pages::session::password_form;
    POST   "/wachtwoord"                                                  SIGNED    => pages::session::change_password;
    GET    "/aanbestedingen"                                              STAFF     => pages::tenders::list;
    GET    "/aanbestedingen/nieuw"                                        INKOPER   => pages::tender_form::new;
    POST   "/aanbestedingen"                                              INKOPER   => pages::tender_form::create;
    GET    "/aanbestedingen/{id}"                                         PUBLIC    => pages::tenders::show;
    GET    "/aanbestedingen/{id}/bewerken"                                INKOPER   => pages::tender_form::edit;
    POST   "/aanbestedingen/{id}/bewerken"                                INKOPER   => pages::tender_form::update;
    GET    "/aanbestedingen/{id}/publiceren"                              INKOPER   => pages::tenders::publish_form;
    POST   "/aanbestedingen/{id}/publiceren"                              INKOPER   => pages::tenders::publish;
    GET    "/aanbestedingen/{id}/logboek"                                 STAFF     => pages::audit::show;
    GET    "/aanbestedingen/{id}/schalen/nieuw"                           INKOPER   => pages::scales::new;
    POST   "/aanbestedingen/{id}/schalen"                                 INKOPER   => pages::scales::create;
    GET    "/aanbestedingen/{id}/schalen/{scale_id}/bewerken"             INKOPER   => pages::scales::edit;
    POST   "/aanbestedingen/{id}/schalen/{scale_id}/bewerken"             INKOPER   => pages::scales::update;
    GET    "/aanbestedingen/{id}/schalen/{scale_id}/verwijderen"          INKOPER   => pages::scales::confirm_delete;
    POST   "/aanbestedingen/{id}/schalen/{scale_id}/verwijderen"          INKOPER   => pages::scales::delete;
    GET    "/aanbestedingen/{id}/percelen/nieuw"                          INKOPER   => pages::lots::new;
    POST   "/aanbestedingen/{id}/percelen"                                INKOPER   => pages::lots::create;
    GET    "/aanbestedingen/{id}/percelen/{lot_id}/bewerken"              INKOPER   => pages::lots::edit;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/bewerken"              INKOPER   => pages::lots::update;
    GET    "/aanbestedingen/{id}/percelen/{lot_id}/verwijderen"           INKOPER   => pages::lots::confirm_delete;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/verwijderen"           INKOPER   => pages::lots::delete;
    GET    "/aanbestedingen/{id}/percelen/{lot_id}/simulator"             INKOPER   => pages::simulator::show;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/simulator"             INKOPER   => pages::simulator::simulate;
    GET    "/aanbestedingen/{id}/eisen/nieuw"                             INKOPER   => pages::selection_criteria::new;
    POST   "/aanbestedingen/{id}/eisen"                                   INKOPER   => pages::selection_criteria::create;
    GET    "/aanbestedingen/{id}/eisen/{criterion_id}/bewerken"           INKOPER   => pages::selection_criteria::edit;
    POST   "/aanbestedingen/{id}/eisen/{criterion_id}/bewerken"           INKOPER   => pages::selection_criteria::update;
    GET    "/aanbestedingen/{id}/eisen/{criterion_id}/verwijderen"        INKOPER   => pages::selection_criteria::confirm_delete;
    POST   "/aanbestedingen/{id}/eisen/{criterion_id}/verwijderen"        INKOPER   => pages::selection_criteria::delete;
    GET    "/beheer/gebruikers"                                           BEHEERDER => pages::users::list;
    GET    "/beheer/gebruikers/nieuw"                                     BEHEERDER => pages::users::new;
    POST   "/beheer/gebruikers"                                           BEHEERDER => pages::users::create;
    GET    "/registreren"                                                 PUBLIC    => pages::registration::form;
    POST   "/registreren"                                                 PUBLIC    => pages::registration::register;
    GET    "/registreren/verstuurd"                                       PUBLIC    => pages::registration::sent;
    GET    "/registreren/bevestigen"                                      PUBLIC    => pages::registration::confirm;
    POST   "/registreren/opnieuw"                                         PUBLIC    => pages::registration::resend;
    GET    "/uitnodiging"                                                 PUBLIC    => pages::invitation::form;
    POST   "/uitnodiging"                                                 PUBLIC    => pages::invitation::accept;
    GET    "/bedrijf"                                                     AANBIEDER => pages::company::show;
    POST   "/bedrijf/collegas"                                            AANBIEDER => pages::company::invite;
    GET    "/berichten"                                                   SIGNED    => pages::messages::mine;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/inschrijving"          AANBIEDER => pages::bids::start;
    GET    "/inschrijvingen/{bid_id}"                                     AANBIEDER => pages::bids::show;
    POST   "/inschrijvingen/{bid_id}"                                     AANBIEDER => pages::bids::save;
    POST   "/inschrijvingen/{bid_id}/documenten"                          AANBIEDER => pages::bids::upload;
    POST   "/inschrijvingen/{bid_id}/documenten/{file_id}/verwijderen"    AANBIEDER => pages::bids::remove_file;
    GET    "/aanbestedingen/{id}/prijzenblad"                             PUBLIC    => pages::price_sheets::get;
    POST   "/inschrijvingen/{bid_id}/prijzenblad"                         AANBIEDER => pages::price_sheets::upload;
    POST   "/inschrijvingen/{bid_id}/prijzenblad/bevestigen"              AANBIEDER => pages::price_sheets::confirm;
    GET    "/inschrijvingen/{bid_id}/indienen"                            AANBIEDER => pages::bids::confirm;
    POST   "/inschrijvingen/{bid_id}/indienen"                            AANBIEDER => pages::bids::submit;
    POST   "/inschrijvingen/{bid_id}/bevestigen"                          AANBIEDER => pages::bids::reconfirm;
    POST   "/inschrijvingen/{bid_id}/intrekken"                           AANBIEDER => pages::bids::withdraw;
    GET    "/aanbestedingen/{id}/opening"                                 STAFF     => pages::openings::show;
    POST   "/aanbestedingen/{id}/opening"                                 INKOPER   => pages::openings::confirm;
    GET    "/aanbestedingen/{id}/beoordeling"                             STAFF     => pages::evaluation::overview;
    GET    "/aanbestedingen/{id}/percelen/{lot_id}/commissie"             INKOPER   => pages::evaluation::committee_form;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/commissie"             INKOPER   => pages::evaluation::appoint;
    GET    "/aanbestedingen/{id}/percelen/{lot_id}/geschiktheid"          INKOPER   => pages::suitability::lot;
    GET    "/inschrijvingen/{bid_id}/geschiktheid"                        INKOPER   => pages::suitability::bid;
    POST   "/inschrijvingen/{bid_id}/geschiktheid"                        INKOPER   => pages::suitability::save;
    GET    "/beoordelen"                                                  BEOORDELAAR => pages::assessments::list;
    GET    "/aanbestedingen/{id}/percelen/{lot_id}/verklaring"            BEOORDELAAR => pages::assessments::declaration;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/verklaring"            BEOORDELAAR => pages::assessments::declare;
    GET    "/beoordelen/inschrijvingen/{bid_id}"                          BEOORDELAAR => pages::score_sheets::show;
    POST   "/beoordelen/inschrijvingen/{bid_id}"                          BEOORDELAAR => pages::score_sheets::store;
    GET    "/beoordelen/inschrijvingen/{bid_id}/vastleggen"               BEOORDELAAR => pages::score_sheets::confirm;
    POST   "/beoordelen/inschrijvingen/{bid_id}/vastleggen"               BEOORDELAAR => pages::score_sheets::lock_scores;
    GET    "/aanbestedingen/{id}/percelen/{lot_id}/consensus"             INKOPER   => pages::consensus::lot;
    GET    "/inschrijvingen/{bid_id}/consensus"                           INKOPER   => pages::consensus::bid;
    POST   "/inschrijvingen/{bid_id}/consensus"                           INKOPER   => pages::consensus::save;
    GET    "/aanbestedingen/{id}/percelen/{lot_id}/prijzen"               INKOPER   => pages::consensus::reveal_form;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/prijzen"               INKOPER   => pages::consensus::reveal_prices;
    GET    "/aanbestedingen/{id}/percelen/{lot_id}/rangorde"              STAFF     => pages::rankings::show;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/lotingen"              INKOPER   => pages::rankings::announce_draw;
    GET    "/aanbestedingen/{id}/percelen/{lot_id}/lotingen/{draw_id}"    INKOPER   => pages::rankings::draw_form;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/lotingen/{draw_id}"    INKOPER   => pages::rankings::record_draw;
    POST   "/inschrijvingen/{bid_id}/bewijsstukken"                       INKOPER   => pages::rankings::request_evidence;
    GET    "/aanbestedingen/{id}/berichten"                               STAFF     => pages::messages::of_tender;
    GET    "/aanbestedingen/{id}/gunningsrapportage"                      STAFF     => pages::award_reports::get;
    GET    "/aanbestedingen/{id}/percelen/{lot_id}/gunning"               STAFF     => pages::awards::show;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/gunning"               INKOPER   => pages::awards::propose;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/gunning/{decision_id}/goedkeuren" MANAGEMENT => pages::awards::approve;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/gunning/{decision_id}/verzenden" INKOPER => pages::awards::send;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/gunning/{decision_id}/bezwaar" INKOPER => pages::objections::object;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/gunning/{decision_id}/bezwaar/{objection_id}/opheffen" INKOPER => pages::objections::lift;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/gunning/{decision_id}/definitief" INKOPER => pages::awards::make_definitive;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/gunning/{decision_id}/intrekken" INKOPER => pages::awards::withdraw;
    GET    "/contracten/{contract_id}"                                    STAFF     => pages::contracts::show;
    POST   "/contracten/{contract_id}/activeren"                          INKOPER   => pages::contracts::activate;
    POST   "/contracten/{contract_id}/documenten"                         INKOPER   => pages::contracts::upload;
    GET    "/contracten/{contract_id}/documenten/{document_id}"           STAFF     => pages::contracts::download;
    POST   "/contracten/{contract_id}/capaciteit"                         KEEPERS   => pages::capacity::save;
    GET    "/capaciteit"                                                  CAPACITY  => pages::overviews::start;
    GET    "/capaciteit/gemeente/{gemeente}"                              CAPACITY  => pages::overviews::municipality;
    GET    "/capaciteit/gemeente/{gemeente}/export"                       CAPACITY  => pages::overviews::municipality_export;
    GET    "/capaciteit/regio/{region}"                                   MANAGEMENT => pages::overviews::region;
    GET    "/capaciteit/regio/{region}/export"                            MANAGEMENT => pages::overviews::region_export;
    GET    "/capaciteit/regio/{region}/taakstelling"                      MANAGEMENT => pages::taakstelling::show;
    POST   "/capaciteit/regio/{region}/taakstelling"                      MANAGEMENT => pages::taakstelling::save;
    POST   "/capaciteit/regio/{region}/taakstelling/import"               MANAGEMENT => pages::taakstelling::upload_sheet;
    GET    "/capaciteit/regio/{region}/verdeling"                         MANAGEMENT => pages::route_shares::show;
    POST   "/capaciteit/regio/{region}/verdeling"                         MANAGEMENT => pages::route_shares::save;
    GET    "/plaatsingen"                                                 CAPACITY  => pages::placements::list;
    POST   "/plaatsingen"                                                 KLANTMANAGER => pages::placements::create;
    POST   "/plaatsingen/verplaatsen"                                     KLANTMANAGER => pages::placements::relocate;
    POST   "/plaatsingen/{placement_id}/beeindigen"                       KLANTMANAGER => pages::placements::end;
    POST   "/aanbestedingen/{id}/percelen/{lot_id}/opnieuw"               INKOPER   => pages::awards::copy;
    GET    "/brieven"                                                     AANBIEDER => pages::award_letters::list;
    GET    "/brieven/{letter_id}"                                         AANBIEDER => pages::award_letters::show;
    POST   "/brieven/{letter_id}/bezwaar"                                 AANBIEDER => pages::award_letters::object;
    POST   "/aanbestedingen/{id}/volgen"                                  AANBIEDER => pages::interests::follow;
    POST   "/aanbestedingen/{id}/vragen"                                  AANBIEDER => pages::enquiries::ask;
    GET    "/aanbestedingen/{id}/vragen"                                  INKOPER   => pages::enquiries::list;
    POST   "/aanbestedingen/{id}/vragen/{enquiry_id}/antwoord"            INKOPER   => pages::enquiries::answer;
    GET    "/aanbestedingen/{id}/nota/publiceren"                         INKOPER   => pages::enquiry_notes::confirm;
    POST   "/aanbestedingen/{id}/nota/publiceren"                         INKOPER   => pages::enquiry_notes::publish;
}
