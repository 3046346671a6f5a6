//! Beoordeling (evaluation) of a perceel, kept in memory per version: its submitted bids with
//! their opened contents, documents and suitability, the committee, the declarations, every
//! score and the consensus. Read by every evaluation page and API call; rebuilt only when the
//! perceel's `evaluation_version` moved, which every evaluation write raises in its own
//! transaction. The freshness rule is the tender snapshot's: re-checked after any write of this
//! process and at least once per [`TRUSTED_FOR`](super::trust::TRUSTED_FOR); writes always check.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use actix_web::web::Bytes;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::bid::{self, BidRow};
use super::bid_file::{self, BidFile};
use super::committee::{self, Assessor};
use super::consensus::{self, Consensus};
use super::schema::{conflict_declarations, lots};
use super::score::{self, Score};
use super::snapshot::Snapshot;
use super::suitability::{self, Decision, Standing};
use super::trust::{Checked, Trust};
use super::{Db, DbConn, opening, tender_key};
use crate::domain::bid::BidContent;
use crate::domain::suitability::{Proposal, propose};
use crate::errors::Error;
use crate::vault::MasterKey;

/// Marks the perceel's evaluation as changed (and, on PostgreSQL, queues concurrent
/// evaluation writes of one perceel behind its row lock).
pub fn touch(conn: &mut DbConn, lot_id: i64) -> Result<(), Error> {
    diesel::update(lots::table.find(lot_id))
        .set(lots::evaluation_version.eq(lots::evaluation_version + 1))
        .execute(conn)?;
    Ok(())
}

/// Marks the perceel as changed, if it is still at the version `seen` that the write was decided
/// on; otherwise refuses. Readiness and the ranking are decided on the copy in memory: this makes
/// a write based on them wait for, and then fail after, any other evaluation write in between.
pub fn touch_from(conn: &mut DbConn, lot_id: i64, seen: i64) -> Result<(), Error> {
    let changed = diesel::update(lots::table.find(lot_id).filter(lots::evaluation_version.eq(seen)))
        .set(lots::evaluation_version.eq(lots::evaluation_version + 1))
        .execute(conn)?;
    if changed == 0 {
        return Err(Error::Conflict(
            "De beoordeling van dit perceel is intussen gewijzigd. Bekijk haar opnieuw en probeer het nog eens.".into(),
        ));
    }
    Ok(())
}

/// Marks every perceel of a tender as changed: the opening makes their bids readable.
pub fn touch_tender(conn: &mut DbConn, tender_id: i64) -> Result<(), Error> {
    diesel::update(lots::table.filter(lots::tender_id.eq(tender_id)))
        .set(lots::evaluation_version.eq(lots::evaluation_version + 1))
        .execute(conn)?;
    Ok(())
}

/// The perceel of a bid, for writes that know only the bid.
pub fn lot_of(conn: &mut DbConn, bid_id: i64) -> Result<i64, Error> {
    Ok(super::schema::bids::table.find(bid_id).select(super::schema::bids::lot_id).first(conn)?)
}

/// Why an assessor may not score a bid, for its own checks and those of [`may_score`].
pub enum Refusal {
    NotAppointed,
    NotDeclared,
    Conflict,
    NotAssessed,
    Excluded,
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Error {
        match r {
            // Another perceel's bids do not exist for this assessor.
            Refusal::NotAppointed => Error::NotFound("Inschrijving"),
            Refusal::NotDeclared => {
                Error::Conflict("Verklaar eerst voor elke inschrijver van dit perceel of u een belang hebt.".into())
            }
            Refusal::Conflict => Error::Conflict(
                "U hebt een belang bij deze inschrijver verklaard; u beoordeelt deze inschrijving niet.".into(),
            ),
            Refusal::NotAssessed => {
                Error::Conflict("De geschiktheid van deze inschrijving is nog niet beoordeeld.".into())
            }
            Refusal::Excluded => Error::Conflict("Deze inschrijving is uitgesloten en wordt niet beoordeeld.".into()),
        }
    }
}

/// Whether an assessor may score a bid, from what it knows: appointed, declared without a
/// conflict, the bid admitted.
pub fn refusal(appointed: bool, declared: Option<bool>, standing: &Standing) -> Option<Refusal> {
    match (appointed, declared, standing) {
        (false, ..) => Some(Refusal::NotAppointed),
        (_, None, _) => Some(Refusal::NotDeclared),
        (_, Some(true), _) => Some(Refusal::Conflict),
        (_, _, Standing::Open) => Some(Refusal::NotAssessed),
        (_, _, Standing::Excluded { .. }) => Some(Refusal::Excluded),
        (_, _, Standing::Admitted) => None,
    }
}

/// The same, as the database has it inside a write: scores are stored only by an assessor who
/// may score the bid at that moment.
pub fn may_score(
    conn: &mut DbConn,
    lot_id: i64,
    bid_id: i64,
    user_id: i64,
    proposals: &[Proposal],
) -> Result<(), Error> {
    // First the perceel's row lock (on PostgreSQL): a concurrent exclusion or change of the
    // committee then commits wholly before or after this check, not in between.
    touch(conn, lot_id)?;
    let appointed = committee::is_member(conn, lot_id, user_id)?;
    let declared: Option<bool> = conflict_declarations::table
        .find((bid_id, user_id))
        .select(conflict_declarations::has_conflict)
        .first(conn)
        .optional()?;
    let decisions = suitability::of_bid(conn, bid_id)?;
    match refusal(appointed, declared, &suitability::standing(proposals, &decisions)) {
        Some(r) => Err(r.into()),
        None => Ok(()),
    }
}

/// What an opened bid is and stays: after the opening nothing of a submitted bid changes, so a
/// reload of the evaluation shares these with the copy before it.
pub struct OpenedBid {
    pub row: BidRow,
    pub content: BidContent,
    /// Its documents; the prijzenblad is not among them.
    pub documents: Vec<BidFile>,
    pub proposals: Vec<Proposal>,
}

/// A submitted bid as the evaluation reads it: what it is, and how the inkoper judged it.
pub struct EvaluatedBid {
    pub opened: Arc<OpenedBid>,
    pub decisions: Vec<Decision>,
    pub standing: Standing,
}

impl std::ops::Deref for EvaluatedBid {
    type Target = OpenedBid;

    fn deref(&self) -> &OpenedBid {
        &self.opened
    }
}

impl OpenedBid {
    /// The bidder: the penvoerder of a combination.
    pub fn bidder(&self) -> String {
        self.content.members.first().map(|m| m.company_name.clone()).unwrap_or_default()
    }
}

pub struct Evaluation {
    pub version: i64,
    /// The tender version the bids' proposals were made with.
    pub tender_version: i64,
    pub opened: bool,
    /// The perceel's submitted bids, by id; empty while the vault is shut.
    pub bids: Vec<EvaluatedBid>,
    /// The appointed beoordelaars.
    pub members: Vec<Assessor>,
    /// Who declared about which bid: (bid id, assessor id) → has a conflict.
    pub declarations: HashMap<(i64, i64), bool>,
    /// Every assessor's scores per bid, drafts and locked: (bid id, assessor id) → scores.
    pub scores: HashMap<(i64, i64), Vec<Score>>,
    pub consensus: Vec<Consensus>,
    pub revealed_at: Option<DateTime<Utc>>,
    /// Answers made from this version (JSON, page content), by what they show: made once and
    /// shared by every request that reads the same version.
    rendered: Mutex<HashMap<String, Bytes>>,
}

/// Enough answers per version for every assessor's sheets of a large perceel.
const RENDERED_CAPACITY: usize = 4096;

impl Evaluation {
    pub fn bid(&self, id: i64) -> Option<&EvaluatedBid> {
        self.bids.iter().find(|b| b.row.id == id)
    }

    pub fn admitted(&self) -> impl Iterator<Item = &EvaluatedBid> {
        self.bids.iter().filter(|b| b.standing == Standing::Admitted)
    }

    pub fn is_member(&self, user_id: i64) -> bool {
        self.members.iter().any(|m| m.user_id == user_id)
    }

    /// The answer `key` as made from this version, made now when not yet.
    pub fn rendered(&self, key: String, make: impl FnOnce() -> Result<Vec<u8>, Error>) -> Result<Bytes, Error> {
        if let Some(b) = self.rendered.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(b);
        }
        let made = Bytes::from(make()?);
        if let Ok(mut m) = self.rendered.lock() {
            if m.len() >= RENDERED_CAPACITY {
                m.clear();
            }
            m.insert(key, made.clone());
        }
        Ok(made)
    }

    pub fn has_locked(&self, bid_id: i64, assessor_id: i64) -> bool {
        self.scores.get(&(bid_id, assessor_id)).is_some_and(|s| s.iter().any(|x| x.locked_at.is_some()))
    }

    /// The perceel's submitted bids, opened: contents and file names decrypted, proposals made.
    fn open_bids(
        conn: &mut DbConn,
        master: &MasterKey,
        t: &Snapshot,
        lot_id: i64,
        opened: bool,
    ) -> Result<Vec<Arc<OpenedBid>>, Error> {
        let lot = t.lots.iter().find(|l| l.id == lot_id).ok_or(Error::NotFound("Perceel"))?;
        let rows: Vec<BidRow> = if opened { opening::submitted_on(conn, t.id, lot_id)? } else { Vec::new() };
        let ids: Vec<i64> = rows.iter().map(|b| b.id).collect();
        let key = match rows.is_empty() {
            true => None,
            false => tender_key::find(conn, master, t.id)?,
        };
        let (contents, mut files) = match &key {
            Some(k) => (bid::contents(conn, k, &ids)?, bid_file::of_bids(conn, k, &ids)?),
            None => (Vec::new(), Vec::new()),
        };
        let criteria = t.selection_criteria_for(lot);
        Ok(rows
            .into_iter()
            .zip(contents)
            .map(|(row, content)| {
                let mut documents = Vec::new();
                files.retain(|(b, f)| {
                    let mine = *b == row.id;
                    if mine && f.kind == bid_file::DOCUMENT {
                        documents.push(f.clone());
                    }
                    !mine
                });
                let proposals = propose(t.submission_deadline, &criteria, &content);
                Arc::new(OpenedBid { row, content, documents, proposals })
            })
            .collect())
    }

    fn load(
        conn: &mut DbConn,
        master: &MasterKey,
        t: &Snapshot,
        lot_id: i64,
        version: i64,
        before: Option<&Evaluation>,
    ) -> Result<Evaluation, Error> {
        let opened = opening::is_opened(conn, t.id)?;
        // The opened bids of the copy before, when it had them for the same set-up.
        let kept: Option<Vec<Arc<OpenedBid>>> = before
            .filter(|b| b.opened && opened && b.tender_version == t.version)
            .map(|b| b.bids.iter().map(|x| x.opened.clone()).collect());
        let opened_bids = match kept {
            Some(k) => k,
            None => Self::open_bids(conn, master, t, lot_id, opened)?,
        };
        let ids: Vec<i64> = opened_bids.iter().map(|b| b.row.id).collect();
        let mut decisions: HashMap<i64, Vec<Decision>> = HashMap::new();
        for (bid, d) in suitability::of_bids(conn, &ids)? {
            decisions.entry(bid).or_default().push(d);
        }
        let bids = opened_bids
            .into_iter()
            .map(|o| {
                let decisions = decisions.remove(&o.row.id).unwrap_or_default();
                EvaluatedBid { standing: suitability::standing(&o.proposals, &decisions), opened: o, decisions }
            })
            .collect();
        let declared: Vec<(i64, i64, bool)> = conflict_declarations::table
            .filter(conflict_declarations::bid_id.eq_any(&ids))
            .select((
                conflict_declarations::bid_id,
                conflict_declarations::user_id,
                conflict_declarations::has_conflict,
            ))
            .load(conn)?;
        let scores = score::of_bids(conn, &ids)?;
        Ok(Evaluation {
            version,
            tender_version: t.version,
            opened,
            bids,
            members: committee::candidates(conn, lot_id)?.into_iter().filter(|a| a.appointed_at.is_some()).collect(),
            declarations: declared.into_iter().map(|(b, u, c)| ((b, u), c)).collect(),
            scores,
            consensus: consensus::of_bids(conn, &ids)?,
            revealed_at: consensus::revealed(conn, lot_id)?,
            rendered: Mutex::default(),
        })
    }
}

/// An evaluation with when it was last found current, and the process's write count then.
#[derive(Clone)]
struct Entry {
    evaluation: Arc<Evaluation>,
    checked: Checked,
}

/// Enough for the percelen a region assesses at once; a thousand bids take a few MB each.
const CAPACITY: usize = 64;

#[derive(Default)]
pub struct Evaluations {
    entries: RwLock<HashMap<i64, Entry>>,
    /// Where each opened bid met so far belongs: bid id → (tender id, perceel id). After the
    /// opening a submitted bid neither moves nor changes status, so this never goes stale.
    homes: RwLock<HashMap<i64, (i64, i64)>>,
}

impl Evaluations {
    /// The tender and perceel of an opened, submitted bid, when one of its evaluations was loaded.
    pub fn locate(&self, bid_id: i64) -> Option<(i64, i64)> {
        self.homes.read().ok().and_then(|m| m.get(&bid_id).copied())
    }

    /// The perceel's evaluation, trusted as the snapshots are: for reading.
    pub async fn get(
        self: &Arc<Self>,
        db: &Db,
        master: &MasterKey,
        t: Arc<Snapshot>,
        lot_id: i64,
    ) -> Result<Arc<Evaluation>, Error> {
        let writes = db.writes();
        let entry = self.entries.read().ok().and_then(|m| m.get(&lot_id).cloned());
        if let Some(e) = &entry
            && e.evaluation.tender_version == t.version
        {
            match e.checked.trust(writes) {
                Trust::Use => return Ok(e.evaluation.clone()),
                Trust::UseAndLookAgain => {
                    let (this, db, master, known) = (self.clone(), db.clone(), master.clone(), e.evaluation.clone());
                    actix_web::rt::spawn(async move {
                        if let Err(e) = this.check(&db, &master, t, lot_id, Some(known)).await {
                            e.log();
                        }
                    });
                    return Ok(e.evaluation.clone());
                }
                Trust::LookNow => {}
            }
        }
        self.check(db, master, t, lot_id, entry.map(|e| e.evaluation)).await
    }

    /// The perceel's evaluation as the database has it now: for deciding a write.
    pub async fn fresh(
        self: &Arc<Self>,
        db: &Db,
        master: &MasterKey,
        t: Arc<Snapshot>,
        lot_id: i64,
    ) -> Result<Arc<Evaluation>, Error> {
        let known = self.entries.read().ok().and_then(|m| m.get(&lot_id).map(|e| e.evaluation.clone()));
        self.check(db, master, t, lot_id, known).await
    }

    async fn check(
        self: &Arc<Self>,
        db: &Db,
        master: &MasterKey,
        t: Arc<Snapshot>,
        lot_id: i64,
        known: Option<Arc<Evaluation>>,
    ) -> Result<Arc<Evaluation>, Error> {
        let (this, master, writes) = (self.clone(), master.clone(), db.writes());
        db.read(move |conn| {
            // The version is read before the rest: a change in between makes the copy look
            // older than it is (and reload next time), never newer.
            let version: i64 = lots::table
                .find(lot_id)
                .select(lots::evaluation_version)
                .first(conn)
                .optional()?
                .ok_or(Error::NotFound("Perceel"))?;
            let current = known.as_ref().filter(|e| e.version == version && e.tender_version == t.version).cloned();
            let evaluation = match current {
                Some(e) => e,
                None => {
                    let e = Arc::new(Evaluation::load(conn, &master, &t, lot_id, version, known.as_deref())?);
                    if let Ok(mut homes) = this.homes.write() {
                        if homes.len() >= CAPACITY * 2_000 {
                            homes.clear();
                        }
                        homes.extend(e.bids.iter().map(|b| (b.row.id, (t.id, lot_id))));
                    }
                    e
                }
            };
            if let Ok(mut m) = this.entries.write() {
                if m.len() >= CAPACITY {
                    m.clear();
                }
                m.insert(lot_id, Entry { evaluation: evaluation.clone(), checked: Checked::now(writes) });
            }
            Ok(evaluation)
        })
        .await
    }
}
