//! Toestand (application state): what every handler shares.

use crate::auth::token::Keys;
use crate::db::Db;
use crate::settings::Settings;

pub struct AppState {
    pub db: Db,
    pub keys: Keys,
    pub settings: Settings,
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> AppState {
        AppState { db, keys: Keys::new(&settings.secret_key.0), settings }
    }
}
