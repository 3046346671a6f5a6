//! Opstarten (start-up): builds the HTTP server on a bound port, so tests can use port 0.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{DefaultHeaders, Logger};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

use crate::auth::extract::is_api;
use crate::endpoints;
use crate::errors::Error;
use crate::state::AppState;

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds the listener and prepares the server; the database must already be migrated.
    pub fn build(state: AppState) -> Result<Application, Error> {
        let listener = TcpListener::bind(&state.settings.bind_address)
            .map_err(|e| Error::Internal(format!("kan niet luisteren op {}: {e}", state.settings.bind_address)))?;
        let port = listener.local_addr().map_err(|e| Error::Internal(e.to_string()))?.port();
        let workers = state.settings.workers;
        let mailer = crate::mail::transport::Mailer::new(&state.settings.mail)?;
        let public_url = state.settings.public_url.clone();
        crate::mail::worker::spawn(state.db.clone(), mailer, state.clock.clone(), public_url);
        let state = web::Data::new(state);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                // One byte over the limits, so the extractors themselves answer an oversized body in Dutch.
                .app_data(web::PayloadConfig::new(crate::api::body::LIMIT.max(crate::web::form::LIMIT) + 1))
                .app_data(web::PathConfig::default().error_handler(|_, req| reject(req, Error::NotFound("Pagina"))))
                .app_data(web::QueryConfig::default().error_handler(|e, req| {
                    reject(req, Error::invalid("query", format!("Ongeldige zoekparameter: {e}")))
                }))
                .wrap(security_headers())
                .wrap(Logger::new("%s %r %Dms"))
                .configure(endpoints::configure)
                .default_service(web::to(not_found))
        })
        .workers(workers)
        .listen(listener)
        .map_err(|e| Error::Internal(e.to_string()))?
        .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ))
}

/// Answers in the caller's language: problem+json for the API, a Dutch page for the web.
fn respond(req: &HttpRequest, e: Error) -> HttpResponse {
    if is_api(req) { crate::api::problem::response(&e) } else { crate::web::error_page(&e) }
}

fn reject(req: &HttpRequest, e: Error) -> actix_web::Error {
    actix_web::error::InternalError::from_response(e.to_string(), respond(req, e)).into()
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    respond(&req, Error::NotFound("Pagina"))
}
