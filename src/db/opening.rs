//! Opening (opening of the vault): after the deadline, two different inkopers confirm within
//! ten minutes of each other; only then are bids readable. A proces-verbaal records it.
//! Refused attempts (too early, alone) are recorded in the audit log as well.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::audit::{self, Change};
use super::bid::BidRow;
use super::schema::{bids, companies, openings, users};
use super::user::User;
use super::{DbConn, submission, tender};
use crate::domain::bid::{BidStatus, in_time};
use crate::domain::deadline;
use crate::errors::Error;
use crate::mail::{self, Mail};
use crate::vault::TenderKey;

/// How long the first confirmation waits for the second.
pub const WINDOW_MINUTES: i64 = 10;

/// The proces-verbaal van opening.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Report {
    pub tender: String,
    pub reference: String,
    pub deadline: String,
    pub opened_at: String,
    pub opened_by: Vec<String>,
    pub bids: Vec<ReportBid>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportBid {
    pub lot: String,
    pub company: String,
    pub kvk_number: String,
    pub receipt_number: String,
    pub received_at: String,
    pub content_sha256: String,
    pub files: Vec<ReportFile>,
    /// Submitted before a correction or nota van inlichtingen and not confirmed again since.
    #[serde(default)]
    pub not_reconfirmed: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportFile {
    pub name: String,
    pub size: i64,
    pub sha256: String,
}

/// What a confirmation did.
pub enum Step {
    /// Refused and recorded: the reason, in Dutch.
    Refused(String),
    /// The first confirmation: a second inkoper must follow before `until`.
    AwaitingSecond {
        until: DateTime<Utc>,
    },
    Opened(Report),
}

fn name_of(conn: &mut DbConn, id: i64) -> Result<String, Error> {
    Ok(users::table.find(id).select(users::name).first(conn)?)
}

fn refuse(conn: &mut DbConn, user: &User, tender_id: i64, reason: String) -> Result<Step, Error> {
    let change = Change {
        tender_id: Some(tender_id),
        action: "opening.refused",
        subject: reason.clone(),
        before: None,
        after: None,
    };
    audit::record(conn, &user.actor(), change)?;
    Ok(Step::Refused(reason))
}

/// One inkoper's confirmation. Refusals are returned (not errors), so that their record commits.
pub fn confirm(
    conn: &mut DbConn,
    key: &TenderKey,
    tender_id: i64,
    user: &User,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<Step, Error> {
    tender::touch(conn, tender_id)?;
    let (_, deadline_at) = tender::deadlines(conn, tender_id)?.ok_or(Error::NotFound("Aanbesteding"))?;
    if in_time(now, deadline_at) {
        let reason = format!(
            "Openen kan pas na de sluitingstermijn ({}); het is nu {} (servertijd).",
            deadline::format_nl(deadline_at),
            deadline::format_nl_seconds(now)
        );
        return refuse(conn, user, tender_id, reason);
    }
    type Row = (i64, NaiveDateTime, Option<NaiveDateTime>);
    let row: Option<Row> = openings::table
        .find(tender_id)
        .select((openings::first_by, openings::first_at, openings::opened_at))
        .first(conn)
        .optional()?;
    let window = Duration::minutes(WINDOW_MINUTES);
    match row {
        Some((_, _, Some(_))) => Err(Error::Conflict("De kluis van deze aanbesteding is al geopend.".into())),
        Some((first_by, first_at, None)) if first_at.and_utc() + window >= now => {
            if first_by == user.id {
                return refuse(
                    conn,
                    user,
                    tender_id,
                    "Openen vraagt een tweede, andere inkoper; u bevestigde al.".into(),
                );
            }
            open(conn, key, tender_id, (first_by, first_at.and_utc()), user, now, public_url).map(Step::Opened)
        }
        expired_or_none => {
            let values = (openings::first_by.eq(user.id), openings::first_at.eq(now.naive_utc()));
            if expired_or_none.is_some() {
                diesel::update(openings::table.find(tender_id)).set(values).execute(conn)?;
            } else {
                diesel::insert_into(openings::table)
                    .values((openings::tender_id.eq(tender_id), values))
                    .execute(conn)?;
            }
            let change = Change {
                tender_id: Some(tender_id),
                action: "opening.first_confirmation",
                subject: "eerste bevestiging van de opening".into(),
                before: None,
                after: None,
            };
            audit::record(conn, &user.actor(), change)?;
            Ok(Step::AwaitingSecond { until: now + window })
        }
    }
}

fn open(
    conn: &mut DbConn,
    key: &TenderKey,
    tender_id: i64,
    first: (i64, DateTime<Utc>),
    second: &User,
    now: DateTime<Utc>,
    public_url: &str,
) -> Result<Report, Error> {
    let t = tender::load(conn, tender_id)?.ok_or(Error::NotFound("Aanbesteding"))?;
    let mut report_bids = Vec::new();
    let mut receivers = Vec::new();
    for b in submitted(conn, tender_id)? {
        let lot = t.lots.iter().find(|l| l.id == b.lot_id).ok_or(Error::NotFound("Perceel"))?;
        let (company, kvk_number): (String, String) =
            companies::table.find(b.company_id).select((companies::name, companies::kvk_number)).first(conn)?;
        let receipt = submission::receipts(conn, key, b.id)?
            .into_iter()
            .find(|r| r.withdrawn_at.is_none())
            .ok_or(Error::NotFound("Ontvangstbewijs"))?;
        receivers.push((b.id, receipt.receipt_number.clone()));
        report_bids.push(ReportBid {
            lot: format!("Perceel {}: {}", lot.number, lot.title),
            company,
            kvk_number,
            receipt_number: receipt.receipt_number,
            received_at: receipt.submitted_at_local,
            content_sha256: receipt.content_sha256,
            files: receipt
                .files
                .into_iter()
                .map(|f| ReportFile { name: f.name, size: f.size, sha256: f.sha256 })
                .collect(),
            not_reconfirmed: b.needs_reconfirmation,
        });
    }
    let report = Report {
        tender: t.title.clone(),
        reference: t.reference.clone(),
        deadline: deadline::format_nl(t.submission_deadline),
        opened_at: deadline::format_nl_seconds(now),
        opened_by: vec![
            format!("{} (eerste bevestiging {})", name_of(conn, first.0)?, deadline::format_nl_seconds(first.1)),
            format!("{} (tweede bevestiging {})", second.name, deadline::format_nl_seconds(now)),
        ],
        bids: report_bids,
    };
    let report_json = serde_json::to_string(&report).map_err(|e| Error::Internal(e.to_string()))?;
    diesel::update(openings::table.find(tender_id))
        .set((
            openings::second_by.eq(second.id),
            openings::opened_at.eq(now.naive_utc()),
            openings::report.eq(&report_json),
        ))
        .execute(conn)?;
    super::bid::assign_codes(conn, tender_id)?;
    super::evaluation::touch_tender(conn, tender_id)?;
    let change = Change {
        tender_id: Some(tender_id),
        action: "tender.opened",
        subject: format!("opening van {}", t.reference),
        before: None,
        after: audit::json(&report),
    };
    audit::record(conn, &second.actor(), change)?;
    for (bid_id, receipt_number) in receivers {
        let submitter: i64 = super::schema::submissions::table
            .filter(super::schema::submissions::receipt_number.eq(&receipt_number))
            .select(super::schema::submissions::submitted_by)
            .first(conn)?;
        let (email, name): (String, String) =
            users::table.find(submitter).select((users::email, users::name)).first(conn)?;
        let data = json!({ "name": name, "tender": t.title, "reference": t.reference, "receipt_number": receipt_number, "opened_at": report.opened_at, "bid_id": bid_id });
        mail::queue(
            conn,
            Mail { kind: "opened", to: &email, user_id: Some(submitter), tender_id: Some(tender_id), data },
            public_url,
        )?;
    }
    Ok(report)
}

/// The bids that stand submitted.
/// The submitted bids on one perceel of the tender, by id.
pub fn submitted_on(conn: &mut DbConn, tender_id: i64, lot_id: i64) -> Result<Vec<BidRow>, Error> {
    Ok(bids::table
        .filter(bids::tender_id.eq(tender_id))
        .filter(bids::lot_id.eq(lot_id))
        .filter(bids::status.eq(BidStatus::Submitted.as_str()))
        .order(bids::id)
        .select(BidRow::as_select())
        .load(conn)?)
}

pub fn submitted(conn: &mut DbConn, tender_id: i64) -> Result<Vec<BidRow>, Error> {
    Ok(bids::table
        .filter(bids::tender_id.eq(tender_id))
        .filter(bids::status.eq(BidStatus::Submitted.as_str()))
        .order((bids::lot_id, bids::id))
        .select(BidRow::as_select())
        .load(conn)?)
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OpeningState {
    pub opened: bool,
    pub first_confirmation_by: Option<String>,
    pub first_confirmation_at: Option<DateTime<Utc>>,
    pub opened_at: Option<DateTime<Utc>>,
    pub report: Option<Report>,
}

pub fn state(conn: &mut DbConn, tender_id: i64) -> Result<OpeningState, Error> {
    type Row = (i64, NaiveDateTime, Option<NaiveDateTime>, Option<String>);
    let row: Option<Row> = openings::table
        .find(tender_id)
        .select((openings::first_by, openings::first_at, openings::opened_at, openings::report))
        .first(conn)
        .optional()?;
    Ok(match row {
        None => OpeningState {
            opened: false,
            first_confirmation_by: None,
            first_confirmation_at: None,
            opened_at: None,
            report: None,
        },
        Some((first_by, first_at, opened_at, report)) => OpeningState {
            opened: opened_at.is_some(),
            first_confirmation_by: Some(name_of(conn, first_by)?),
            first_confirmation_at: Some(first_at.and_utc()),
            opened_at: opened_at.map(|t| t.and_utc()),
            report: report.and_then(|r| serde_json::from_str(&r).ok()),
        },
    })
}

/// Whether the vault of this tender is open; bids are readable for the assessing roles only then.
pub fn is_opened(conn: &mut DbConn, tender_id: i64) -> Result<bool, Error> {
    let opened: Option<Option<NaiveDateTime>> =
        openings::table.find(tender_id).select(openings::opened_at).first(conn).optional()?;
    Ok(opened.flatten().is_some())
}

/// Records a refused attempt to read sealed bids.
pub fn refuse_read(conn: &mut DbConn, tender_id: i64, user: &User) -> Result<(), Error> {
    let change = Change {
        tender_id: Some(tender_id),
        action: "bid.read_refused",
        subject: "inzage in verzegelde inschrijvingen geweigerd".into(),
        before: None,
        after: None,
    };
    audit::record(conn, &user.actor(), change)
}
