//! Toestand (application state): what every handler shares.

use std::sync::Arc;

use crate::auth::token::Keys;
use crate::clock::Clock;
use crate::db::Db;
use crate::db::snapshot::Snapshots;
use crate::settings::Settings;

pub struct AppState {
    pub db: Db,
    pub keys: Keys,
    pub settings: Settings,
    pub snapshots: Arc<Snapshots>,
    /// The time every deadline decision and receipt uses.
    pub clock: Clock,
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> AppState {
        AppState {
            db,
            keys: Keys::new(&settings.secret_key.0),
            settings,
            snapshots: Arc::default(),
            clock: Clock::default(),
        }
    }
}
