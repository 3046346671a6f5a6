//! Individuele score (individual score) storage: an assessor's points per quality criterion of a
//! bid, each with a motivation. Drafts change freely; "vastleggen" locks them for good, with a
//! hash of what was locked in the audit log.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::connection::DefaultLoadingMode;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::audit::{self, Change};
use super::schema::scores;
use super::user::User;
use super::{DbConn, timestamp};
use crate::errors::{Error, Problems};

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    pub criterion_id: i64,
    /// The points of one step of the criterion's scale.
    pub points: i32,
    #[serde(default)]
    pub motivation: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Score {
    pub criterion_id: i64,
    pub points: i32,
    pub motivation: String,
    pub saved_at: DateTime<Utc>,
    pub locked_at: Option<DateTime<Utc>>,
}

/// A criterion the bid is scored on, with the points its scale allows.
pub struct Scorable {
    pub criterion_id: i64,
    pub title: String,
    pub steps: Vec<i32>,
}

/// The assessor's scores of one bid.
pub fn of(conn: &mut DbConn, bid_id: i64, assessor_id: i64) -> Result<Vec<Score>, Error> {
    let rows: Vec<(i64, i32, String, NaiveDateTime, Option<NaiveDateTime>)> = scores::table
        .filter(scores::bid_id.eq(bid_id))
        .filter(scores::assessor_id.eq(assessor_id))
        .order(scores::criterion_id)
        .select((scores::criterion_id, scores::points, scores::motivation, scores::saved_at, scores::locked_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(criterion_id, points, motivation, saved, locked)| Score {
            criterion_id,
            points,
            motivation,
            saved_at: saved.and_utc(),
            locked_at: locked.map(|t| t.and_utc()),
        })
        .collect())
}

/// Every score of these bids, drafts and locked, as (bid id, assessor id, score), in one query.
/// Every score of these bids, drafts and locked, by (bid id, assessor id), by criterion.
pub fn of_bids(conn: &mut DbConn, bid_ids: &[i64]) -> Result<HashMap<(i64, i64), Vec<Score>>, Error> {
    // Read in bulk, row by row into the map: the times as text (see `timestamp`), and no list
    // of all rows in between, whose memory a fresh process would first have to fault in.
    type Row = (i64, i64, i64, i32, String, Option<String>, Option<String>);
    let rows = scores::table
        .filter(scores::bid_id.eq_any(bid_ids))
        .order((scores::bid_id, scores::assessor_id, scores::criterion_id))
        .select((
            scores::bid_id,
            scores::assessor_id,
            scores::criterion_id,
            scores::points,
            scores::motivation,
            timestamp::as_text("scores.saved_at"),
            timestamp::as_text("scores.locked_at"),
        ))
        .load_iter::<Row, DefaultLoadingMode>(conn)?;
    let mut scores: HashMap<(i64, i64), Vec<Score>> = HashMap::new();
    for row in rows {
        let (bid, assessor, criterion_id, points, motivation, saved, locked) = row?;
        let saved = timestamp::parse_optional(saved)?.unwrap_or_default();
        scores.entry((bid, assessor)).or_default().push(Score {
            criterion_id,
            points,
            motivation,
            saved_at: saved.and_utc(),
            locked_at: timestamp::parse_optional(locked)?.map(|t| t.and_utc()),
        });
    }
    Ok(scores)
}

fn check(criteria: &[Scorable], list: &[ScoreInput], p: &mut Problems) {
    for (i, s) in list.iter().enumerate() {
        if list[..i].iter().any(|earlier| earlier.criterion_id == s.criterion_id) {
            p.add(format!("scores[{i}].criterion_id"), "Dit criterium staat al eerder in de lijst.");
            continue;
        }
        match criteria.iter().find(|c| c.criterion_id == s.criterion_id) {
            None => p.add(format!("scores[{i}].criterion_id"), "Dit criterium hoort niet bij dit perceel."),
            Some(c) if !c.steps.contains(&s.points) => p.add(
                format!("scores[{i}].points"),
                format!(
                    "{}: kies een stap van de schaal ({}).",
                    c.title,
                    c.steps.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")
                ),
            ),
            Some(_) => {}
        }
    }
}

/// Stores the assessor's draft; refused once locked.
pub fn save(
    conn: &mut DbConn,
    bid_id: i64,
    assessor: &User,
    criteria: &[Scorable],
    list: &[ScoreInput],
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let mut p = Problems::default();
    check(criteria, list, &mut p);
    p.into_result(())?;
    let lot_id = super::evaluation::lot_of(conn, bid_id)?;
    super::evaluation::touch(conn, lot_id)?;
    if of(conn, bid_id, assessor.id)?.iter().any(|s| s.locked_at.is_some()) {
        return Err(Error::Conflict(
            "U hebt uw scores voor deze inschrijving vastgelegd; ze zijn niet meer te wijzigen.".into(),
        ));
    }
    for s in list {
        diesel::delete(scores::table.find((bid_id, s.criterion_id, assessor.id))).execute(conn)?;
        diesel::insert_into(scores::table)
            .values((
                scores::bid_id.eq(bid_id),
                scores::criterion_id.eq(s.criterion_id),
                scores::assessor_id.eq(assessor.id),
                scores::points.eq(s.points),
                scores::motivation.eq(s.motivation.trim()),
                scores::saved_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Locks the assessor's scores of the bid: every criterion scored and motivated. Returns the
/// SHA-256 of what was locked, which the audit log keeps.
pub fn lock(
    conn: &mut DbConn,
    tender_id: i64,
    bid_id: i64,
    assessor: &User,
    criteria: &[Scorable],
    now: DateTime<Utc>,
) -> Result<String, Error> {
    let lot_id = super::evaluation::lot_of(conn, bid_id)?;
    super::evaluation::touch(conn, lot_id)?;
    let current = of(conn, bid_id, assessor.id)?;
    if current.iter().any(|s| s.locked_at.is_some()) {
        return Err(Error::Conflict("Deze scores zijn al vastgelegd.".into()));
    }
    let mut p = Problems::default();
    for c in criteria {
        match current.iter().find(|s| s.criterion_id == c.criterion_id) {
            None => p.add(format!("scores[{}]", c.criterion_id), format!("{}: geef een score.", c.title)),
            Some(s) if s.motivation.chars().count() < 10 => p.add(
                format!("scores[{}].motivation", c.criterion_id),
                format!("{}: motiveer de score (minstens 10 tekens).", c.title),
            ),
            Some(_) => {}
        }
    }
    p.into_result(())?;
    let n = diesel::update(scores::table.filter(scores::bid_id.eq(bid_id)).filter(scores::assessor_id.eq(assessor.id)))
        .filter(scores::locked_at.is_null())
        .set(scores::locked_at.eq(now.naive_utc()))
        .execute(conn)?;
    if n != current.len() {
        return Err(Error::Conflict("De scores veranderden tijdens het vastleggen; probeer het opnieuw.".into()));
    }
    let hash = hash(bid_id, assessor.id, &current)?;
    let change = Change {
        tender_id: Some(tender_id),
        action: "scores.locked",
        subject: format!("scores inschrijving {bid_id} door beoordelaar {} vastgelegd, SHA-256 {hash}", assessor.id),
        before: None,
        after: None,
    };
    audit::record_sealed(conn, &assessor.actor(), tender_id, change)?;
    Ok(hash)
}

/// The SHA-256 of an assessor's scores of a bid, as the audit log records it.
fn hash(bid_id: i64, assessor_id: i64, scores: &[Score]) -> Result<String, Error> {
    let canonical: Vec<(i64, i32, &str)> =
        scores.iter().map(|s| (s.criterion_id, s.points, s.motivation.as_str())).collect();
    let text = serde_json::to_string(&(bid_id, assessor_id, canonical)).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(hex::encode(Sha256::digest(text.as_bytes())))
}

/// A locked set of scores to correct: the bid, its perceel and criteria, the assessor.
pub struct Locked<'a> {
    pub tender_id: i64,
    pub lot_id: i64,
    pub bid_id: i64,
    pub assessor: &'a User,
    pub criteria: &'a [Scorable],
}

/// Corrects an assessor's locked scores with a motivated, recorded correction: a whole new set,
/// every criterion scored and motivated, until the perceel's consensus is final. Returns the
/// new hash.
pub fn correct(
    conn: &mut DbConn,
    l: &Locked,
    list: &[ScoreInput],
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, Error> {
    super::evaluation::touch(conn, l.lot_id)?;
    let before = of(conn, l.bid_id, l.assessor.id)?;
    if before.iter().all(|s| s.locked_at.is_none()) {
        return Err(Error::Conflict("Deze scores zijn nog niet vastgelegd; wijzig het concept.".into()));
    }
    if super::consensus::revealed(conn, l.lot_id)?.is_some() {
        return Err(Error::Conflict(
            "De consensus van dit perceel is definitief; een correctie gaat nu via de consensusscore.".into(),
        ));
    }
    let mut p = Problems::default();
    check(l.criteria, list, &mut p);
    for c in l.criteria {
        match list.iter().position(|s| s.criterion_id == c.criterion_id) {
            None => p.add(format!("scores[{}]", c.criterion_id), format!("{}: geef een score.", c.title)),
            Some(i) if list[i].motivation.trim().chars().count() < 10 => p.add(
                format!("scores[{i}].motivation"),
                format!("{}: motiveer de score (minstens 10 tekens).", c.title),
            ),
            Some(_) => {}
        }
    }
    let reason = super::evaluation_correction::reason(reason, "Uw beoordeling");
    if let Err(Error::Validation(found)) = &reason {
        p.0.extend(found.iter().cloned());
    }
    p.into_result(())?;
    let reason = reason?;
    for s in list {
        diesel::update(scores::table.find((l.bid_id, s.criterion_id, l.assessor.id)))
            .set((
                scores::points.eq(s.points),
                scores::motivation.eq(s.motivation.trim()),
                scores::saved_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
    }
    let after = of(conn, l.bid_id, l.assessor.id)?;
    let correction = super::evaluation_correction::NewCorrection {
        tender_id: l.tender_id,
        lot_id: l.lot_id,
        bid_id: l.bid_id,
        kind: super::evaluation_correction::Kind::Scores,
        reason: &reason,
        before: &before,
        after: &after,
    };
    super::evaluation_correction::record(conn, &correction, l.assessor, now)?;
    hash(l.bid_id, l.assessor.id, &after)
}

/// Who has locked which bid, among these bids: (bid id, assessor id).
pub fn locked(conn: &mut DbConn, bid_ids: &[i64]) -> Result<Vec<(i64, i64)>, Error> {
    Ok(scores::table
        .filter(scores::bid_id.eq_any(bid_ids))
        .filter(scores::locked_at.is_not_null())
        .select((scores::bid_id, scores::assessor_id))
        .distinct()
        .load(conn)?)
}

/// A locked score: (bid, criterion, assessor, points, motivation).
pub type LockedScore = (i64, i64, i64, i32, String);

/// Every locked score of these bids, with its motivation.
pub fn all_locked(conn: &mut DbConn, bid_ids: &[i64]) -> Result<Vec<LockedScore>, Error> {
    Ok(scores::table
        .filter(scores::bid_id.eq_any(bid_ids))
        .filter(scores::locked_at.is_not_null())
        .order((scores::bid_id, scores::criterion_id, scores::assessor_id))
        .select((scores::bid_id, scores::criterion_id, scores::assessor_id, scores::points, scores::motivation))
        .load(conn)?)
}
