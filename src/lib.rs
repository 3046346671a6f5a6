//! aanbesteding: regional tendering of inburgering leerroutes, and managing what was bought.

pub mod api;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod db;
pub mod demo;
pub mod domain;
pub mod endpoints;
pub mod errors;
pub mod excel;
pub mod mail;
pub mod settings;
pub mod startup;
pub mod state;
pub mod templates;
pub mod vault;
pub mod web;

/// Logs to stderr; `RUST_LOG` sets the level (default `info`).
pub fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
