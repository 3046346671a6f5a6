//! Toestand (application state): what every handler shares.

use std::sync::Arc;

use crate::auth::token::Keys;
use crate::clock::Clock;
use crate::db::Db;
use crate::db::evaluation::Evaluations;
use crate::db::overview_cache::Overviews;
use crate::db::snapshot::Snapshots;
use crate::db::user::Users;
use crate::errors::Error;
use crate::excel::sandbox::Readers;
use crate::settings::Settings;
use crate::vault::MasterKey;

pub struct AppState {
    pub db: Db,
    pub keys: Keys,
    pub settings: Settings,
    pub snapshots: Arc<Snapshots>,
    /// Each perceel's beoordeling in memory, per version.
    pub evaluations: Arc<Evaluations>,
    /// The capacity dashboards in memory, per region version.
    pub overviews: Arc<Overviews>,
    /// The accounts behind recent tokens.
    pub users: Users,
    /// The time every deadline decision and receipt uses.
    pub clock: Clock,
    /// Unwraps the tenders' keys; read from `VAULT_KEY_FILE`, never stored in the database.
    pub master_key: MasterKey,
    /// The spreadsheet readers (child processes) that may run at once.
    pub readers: Readers,
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> Result<AppState, Error> {
        // A missing key file with keys in the database means the file was lost or not mounted:
        // making a new one would silently lock every bid away for good.
        if !settings.vault_key_file.exists() && crate::db::tender_key::any(&mut *db.conn()?)? {
            return Err(Error::Internal(format!(
                "{} ontbreekt, maar er zijn al versleutelde inschrijvingen. Zet het sleutelbestand terug (VAULT_KEY_FILE).",
                settings.vault_key_file.display()
            )));
        }
        let master_key = MasterKey::load_or_create(&settings.vault_key_file)?;
        Ok(AppState {
            db,
            keys: Keys::new(&settings.secret_key.0),
            settings,
            snapshots: Arc::default(),
            evaluations: Arc::default(),
            overviews: Arc::default(),
            users: Users::default(),
            clock: Clock::default(),
            master_key,
            readers: Readers::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)),
        })
    }

    /// The folder of a tender's sealed files.
    pub fn vault_dir(&self, tender_id: i64) -> std::path::PathBuf {
        self.settings.data_dir.join("vault").join(tender_id.to_string())
    }
}
