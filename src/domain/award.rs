//! Gunningsbeslissing (award decision): the voornemen tot gunning of a perceel, from proposal
//! through approval and the letters to the definitieve gunning.
//!
//! The order is the law's: a proposal by an inkoper, approved by a second person; the letters to
//! every bidder at one moment, which starts the Alcatel-termijn; the definitive award only after
//! that period has ended with nothing suspending it. A new decision replaces the old one and
//! starts its own period.

use super::standstill::StandstillPeriod;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// Where a decision stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AwardStatus {
    /// Proposed by an inkoper, awaiting approval.
    Proposed,
    /// Approved by management; the letters can go.
    Approved,
    /// The letters went out: the standstill runs.
    Sent,
    /// Definitively awarded.
    Definitive,
    /// Replaced by a new decision, or withdrawn before sending.
    Withdrawn,
}

impl AwardStatus {
    pub fn code(self) -> &'static str {
        match self {
            AwardStatus::Proposed => "proposed",
            AwardStatus::Approved => "approved",
            AwardStatus::Sent => "sent",
            AwardStatus::Definitive => "definitive",
            AwardStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<AwardStatus> {
        [
            AwardStatus::Proposed,
            AwardStatus::Approved,
            AwardStatus::Sent,
            AwardStatus::Definitive,
            AwardStatus::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// In Dutch, as pages show it.
    pub fn label(self) -> &'static str {
        match self {
            AwardStatus::Proposed => "voorgesteld, wacht op goedkeuring",
            AwardStatus::Approved => "goedgekeurd, brieven nog niet verzonden",
            AwardStatus::Sent => "voornemen verzonden, Alcatel-termijn loopt",
            AwardStatus::Definitive => "definitief gegund",
            AwardStatus::Withdrawn => "ingetrokken",
        }
    }
}

/// Why a step of the decision is refused; the text is what the person is told.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AwardRefusal {
    #[error("Dit voornemen is {}; deze stap kan nu niet.", .0.label())]
    WrongStatus(AwardStatus),
    #[error("Wie het voornemen voorstelt, keurt het niet zelf goed: dat doet een tweede persoon.")]
    SamePerson,
    #[error("De Alcatel-termijn loopt nog tot en met {0}; pas daarna kan definitief gegund worden.")]
    StandstillRunning(String),
    #[error("De gunning is opgeschort: {0}. Hef de opschorting eerst op.")]
    Suspended(String),
}

/// The facts about one decision that its next step depends on.
#[derive(Clone, Debug)]
pub struct AwardDecision {
    pub status: AwardStatus,
    pub proposed_by: i64,
    pub standstill: Option<StandstillPeriod>,
    /// The reason of a suspension in force (a kort geding), if any.
    pub suspension: Option<String>,
}

impl AwardDecision {
    /// A second person approves the proposal.
    pub fn approve(&self, approver: i64) -> Result<(), AwardRefusal> {
        self.expect(AwardStatus::Proposed)?;
        if approver == self.proposed_by {
            return Err(AwardRefusal::SamePerson);
        }
        Ok(())
    }

    /// The letters go out: only once approved, and only once.
    pub fn send(&self) -> Result<(), AwardRefusal> {
        self.expect(AwardStatus::Approved)
    }

    /// The definitive award: after the standstill, with nothing suspending it.
    pub fn make_definitive(&self, now: DateTime<Utc>) -> Result<(), AwardRefusal> {
        self.expect(AwardStatus::Sent)?;
        if let Some(reason) = &self.suspension {
            return Err(AwardRefusal::Suspended(reason.clone()));
        }
        match &self.standstill {
            Some(p) if p.has_ended(now) => Ok(()),
            Some(p) => Err(AwardRefusal::StandstillRunning(super::deadline::format_date_nl(p.last_day))),
            None => Err(AwardRefusal::WrongStatus(self.status)),
        }
    }

    /// Withdrawn to make way for a new decision; a definitive award stays.
    pub fn withdraw(&self) -> Result<(), AwardRefusal> {
        match self.status {
            AwardStatus::Definitive | AwardStatus::Withdrawn => Err(AwardRefusal::WrongStatus(self.status)),
            _ => Ok(()),
        }
    }

    fn expect(&self, status: AwardStatus) -> Result<(), AwardRefusal> {
        if self.status == status { Ok(()) } else { Err(AwardRefusal::WrongStatus(self.status)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    fn sent(suspension: Option<&str>) -> AwardDecision {
        AwardDecision {
            status: AwardStatus::Sent,
            proposed_by: 1,
            standstill: StandstillPeriod::starting(utc("2027-01-08T09:00:00Z"), 20).ok(),
            suspension: suspension.map(str::to_owned),
        }
    }

    #[test]
    fn the_proposer_cannot_approve_their_own_proposal() {
        let d = AwardDecision { status: AwardStatus::Proposed, proposed_by: 1, standstill: None, suspension: None };
        assert_eq!(d.approve(1), Err(AwardRefusal::SamePerson));
        assert_eq!(d.approve(2), Ok(()));
        assert_eq!(d.send(), Err(AwardRefusal::WrongStatus(AwardStatus::Proposed)), "no letters before approval");
    }

    #[test]
    fn the_award_becomes_definitive_only_after_the_standstill() {
        let d = sent(None);
        let refused = d.make_definitive(utc("2027-01-28T22:59:59Z"));
        assert_eq!(refused, Err(AwardRefusal::StandstillRunning("donderdag 28 januari 2027".into())));
        assert_eq!(d.make_definitive(utc("2027-01-28T23:00:00Z")), Ok(()));
        assert_eq!(d.send(), Err(AwardRefusal::WrongStatus(AwardStatus::Sent)), "letters go once per decision");
    }

    #[test]
    fn a_suspension_blocks_the_definitive_award_even_after_the_standstill() {
        let d = sent(Some("kort geding aangespannen door Taalhuis BV"));
        assert!(matches!(d.make_definitive(utc("2027-03-01T12:00:00Z")), Err(AwardRefusal::Suspended(_))));
    }

    #[test]
    fn a_definitive_award_is_not_withdrawn() {
        let d = AwardDecision { status: AwardStatus::Definitive, ..sent(None) };
        assert!(d.withdraw().is_err());
        assert!(sent(None).withdraw().is_ok(), "a sent decision makes way for a new one");
    }
}
