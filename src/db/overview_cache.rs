//! Overzichten in het geheugen (dashboards kept in memory): a dashboard is rebuilt only when its
//! region's capacity version has moved, which every change to places, taakstelling, distribution
//! or placements raises in its own transaction. As with tender snapshots, a copy is looked at
//! again after any write of this process and at least every [`TRUSTED_FOR`](super::trust::TRUSTED_FOR).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use diesel::prelude::*;

use super::schema::regions;
use super::scope::{self, Scope};
use super::trust::{Checked, Trust};
use super::{Db, DbConn, municipality, overview};
use crate::domain::forecast::{Distribution, HalfYear};
use crate::domain::overview::Overview;
use crate::errors::Error;

/// Enough for every gemeente and region with a few periods each.
const CAPACITY: usize = 2048;

/// A dashboard as built from the database.
pub struct Built {
    pub name: String,
    /// `gemeente` or `regio`.
    pub kind: &'static str,
    pub code: String,
    /// The gemeente's id, for the klantmanager's check; none for a region.
    pub municipality_id: Option<i64>,
    pub region_id: i64,
    pub distribution: Distribution,
    pub overview: Overview,
    /// The page content as rendered for one way of asking (who and which period), kept with
    /// the numbers it shows: the same for every such request until the version moves.
    pages: Mutex<HashMap<String, Arc<String>>>,
}

impl Built {
    pub fn page(&self, key: &str) -> Option<Arc<String>> {
        self.pages.lock().ok().and_then(|m| m.get(key).cloned())
    }

    pub fn keep_page(&self, key: String, content: Arc<String>) {
        if let Ok(mut m) = self.pages.lock() {
            if m.len() >= 16 {
                m.clear();
            }
            m.insert(key, content);
        }
    }
}

/// Which dashboard: a gemeente or a region by code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Which {
    Gemeente(String),
    Region(String),
}

type Key = (Which, i32, i32);

struct Entry {
    version: i64,
    checked: Checked,
    built: Arc<Built>,
}

#[derive(Default)]
pub struct Overviews {
    entries: RwLock<HashMap<Key, Entry>>,
}

fn version(conn: &mut DbConn, region_id: i64) -> Result<i64, Error> {
    Ok(regions::table.find(region_id).select(regions::capacity_version).first(conn)?)
}

/// Builds a dashboard, with the version it was built at (read first: a change in between only
/// makes the next look rebuild it).
fn build(conn: &mut DbConn, which: &Which, from: HalfYear, to: HalfYear) -> Result<(i64, Built), Error> {
    let s = match which {
        Which::Gemeente(code) => Scope::Gemeente(municipality::find(conn, code)?.ok_or(Error::NotFound("Gemeente"))?),
        Which::Region(code) => scope::region(conn, code)?,
    };
    let (region_id, distribution, _) = overview::region_of(conn, &s)?;
    let v = version(conn, region_id)?;
    let overview = overview::build(conn, &s, from, to)?;
    let (kind, code, municipality_id) = match &s {
        Scope::Gemeente(m) => ("gemeente", m.cbs_code.clone(), Some(m.id)),
        Scope::Region { code, .. } => ("regio", code.clone(), None),
    };
    Ok((
        v,
        Built {
            name: s.name(),
            kind,
            code,
            municipality_id,
            region_id,
            distribution,
            overview,
            pages: Mutex::default(),
        },
    ))
}

impl Overviews {
    /// The current dashboard of `which` over `from` through `to`.
    pub async fn get(
        self: &Arc<Self>,
        db: &Db,
        which: Which,
        from: HalfYear,
        to: HalfYear,
    ) -> Result<Arc<Built>, Error> {
        let key = (which.clone(), from.index(), to.index());
        let writes = db.writes();
        let known = self
            .entries
            .read()
            .ok()
            .and_then(|m| m.get(&key).map(|e| (e.version, e.checked.trust(writes), e.built.clone())));
        match &known {
            Some((_, Trust::Use, built)) => return Ok(built.clone()),
            // No request waits for a routine look: this one answers with the copy and looks
            // in the background, which keeps a slow database moment out of every answer.
            Some((v, Trust::UseAndLookAgain, built)) => {
                let (this, db, k, v, copy) = (self.clone(), db.clone(), key.clone(), *v, built.clone());
                actix_web::rt::spawn(async move {
                    let look = db.read(move |conn| this.refresh(conn, k, v, copy, writes)).await;
                    if let Err(e) = look {
                        e.log();
                    }
                });
                return Ok(built.clone());
            }
            _ => {}
        }
        let this = self.clone();
        db.read(move |conn| match known {
            Some((v, _, built)) => this.refresh(conn, key, v, built, writes),
            None => this.rebuild(conn, key, writes),
        })
        .await
    }

    /// The copy if its region's version has not moved, otherwise a new one.
    fn refresh(
        &self,
        conn: &mut DbConn,
        key: Key,
        v: i64,
        built: Arc<Built>,
        writes: u64,
    ) -> Result<Arc<Built>, Error> {
        if version(conn, built.region_id)? == v {
            self.store(key, v, built.clone(), writes);
            return Ok(built);
        }
        self.rebuild(conn, key, writes)
    }

    fn rebuild(&self, conn: &mut DbConn, key: Key, writes: u64) -> Result<Arc<Built>, Error> {
        let (v, built) = build(conn, &key.0, HalfYear::from_index(key.1), HalfYear::from_index(key.2))?;
        let built = Arc::new(built);
        self.store(key, v, built.clone(), writes);
        Ok(built)
    }

    fn store(&self, key: Key, version: i64, built: Arc<Built>, writes: u64) {
        if let Ok(mut m) = self.entries.write() {
            if m.len() >= CAPACITY && !m.contains_key(&key) {
                m.clear();
            }
            m.insert(key, Entry { version, checked: Checked::now(writes), built });
        }
    }
}
