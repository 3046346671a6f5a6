//! Gunningsbrief (award letter): what the letter to one bidder about a voornemen tot gunning
//! must hold, and the refusal of a letter that lacks any of it.
//!
//! Art. 2.130 Aw: the letter gives the reasons of the decision — the characteristics and relative
//! advantages of the winning bid —, the name of the winner(s), the exact end of the standstill
//! and how to object. A bidder that was excluded is told why. A letter missing any part cannot
//! be sent: not one letter of the decision goes out until every letter is complete.

use serde::Serialize;

/// A winner's consensus score on one criterion, with the committee's external motivation.
#[derive(Clone, Debug, Serialize)]
pub struct WinnerScore {
    pub winner: String,
    pub points: String,
    pub score: String,
    /// Why the winner scored what it did: the characteristics and relative advantages.
    pub motivation: String,
}

/// One quality criterion as the letter shows it: the bidder's consensus score beside every
/// other winner's.
#[derive(Clone, Debug, Serialize)]
pub struct LetterCriterion {
    pub name: String,
    /// "30%", as published.
    pub weight: String,
    pub own_points: String,
    pub own_score: String,
    /// Why this bidder scored what it did.
    pub own_motivation: String,
    /// The winners other than this bidder, in their order in the ranking.
    pub winners: Vec<WinnerScore>,
}

/// A winner's total and price points.
#[derive(Clone, Debug, Serialize)]
pub struct WinnerTotal {
    pub winner: String,
    pub total: String,
    pub price_points: String,
}

/// The bidder's own result, when it was scored, beside every other winner's.
#[derive(Clone, Debug, Serialize)]
pub struct LetterResult {
    pub rank: u32,
    pub total: String,
    pub price_points: String,
    pub winners: Vec<WinnerTotal>,
    pub criteria: Vec<LetterCriterion>,
}

/// Everything one letter says; rendered by the templates under `templates/mail/award_intent/`.
#[derive(Clone, Debug, Serialize)]
pub struct Letter {
    pub bidder: String,
    pub tender: String,
    pub reference: String,
    pub lot: String,
    pub winners: Vec<String>,
    /// Whether this bidder is among the winners.
    pub wins: bool,
    /// Set for a scored bid; an excluded bid has `exclusion` instead.
    pub result: Option<LetterResult>,
    /// Why the bid was excluded, as recorded.
    pub exclusion: Vec<String>,
    /// "maandag 1 februari 2027": the last day on which an objection is in time.
    pub last_day: String,
    /// Why the last day moved past a rest day, when it did.
    pub last_day_moved: Option<String>,
    pub standstill_days: i32,
    /// How to object: where, to whom, and that a kort geding must be brought within the period.
    pub objection_route: String,
    /// Why nobody wins, when the perceel is not awarded ("niet gegund").
    pub not_awarded_reason: String,
}

impl Letter {
    /// The parts the law requires that this letter lacks, in Dutch; empty when it may be sent.
    pub fn missing(&self) -> Vec<String> {
        let mut missing = Vec::new();
        if self.winners.is_empty() {
            if self.not_awarded_reason.trim().is_empty() {
                missing.push("de naam van de winnaar of de reden van niet gunnen".to_owned());
            }
        } else if self.winners.iter().any(|w| w.trim().is_empty()) {
            missing.push("de naam van de winnaar".to_owned());
        }
        if self.last_day.trim().is_empty() {
            missing.push("de laatste dag van de Alcatel-termijn".to_owned());
        }
        if self.objection_route.trim().is_empty() {
            missing.push("hoe bezwaar te maken".to_owned());
        }
        match &self.result {
            Some(r) if r.criteria.is_empty() => missing.push("de scores per criterium".to_owned()),
            Some(r) => {
                for c in &r.criteria {
                    // A bidder that did not win is compared with at least one winner.
                    if c.winners.is_empty() && !self.wins {
                        missing.push(format!("de score van de winnaar op \"{}\"", c.name));
                    }
                    for w in c.winners.iter().filter(|w| w.motivation.trim().is_empty()) {
                        missing.push(format!("de motivering van de score van {} op \"{}\"", w.winner, c.name));
                    }
                }
            }
            None if !self.winners.is_empty() && self.exclusion.iter().all(|r| r.trim().is_empty()) => {
                missing.push("de reden van uitsluiting".to_owned());
            }
            None => {}
        }
        missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(motivations: &[&str]) -> LetterCriterion {
        LetterCriterion {
            name: "Plan van aanpak".into(),
            weight: "30%".into(),
            own_points: "6".into(),
            own_score: "18".into(),
            own_motivation: "Voldoende uitgewerkt.".into(),
            winners: motivations
                .iter()
                .enumerate()
                .map(|(i, m)| WinnerScore {
                    winner: format!("Winnaar {}", i + 1),
                    points: "8".into(),
                    score: "24".into(),
                    motivation: (*m).into(),
                })
                .collect(),
        }
    }

    fn letter() -> Letter {
        Letter {
            bidder: "Taalhuis BV".into(),
            tender: "Inburgering Westfriesland".into(),
            reference: "WF-2027-01".into(),
            lot: "perceel 1 (B1-route)".into(),
            winners: vec!["Leerwerk Noord BV".into()],
            wins: false,
            result: Some(LetterResult {
                rank: 2,
                total: "71,50".into(),
                price_points: "35,00".into(),
                winners: vec![WinnerTotal {
                    winner: "Leerwerk Noord BV".into(),
                    total: "80,25".into(),
                    price_points: "32,50".into(),
                }],
                criteria: vec![criterion(&["Concreet plan met duale trajecten per gemeente."])],
            }),
            exclusion: Vec::new(),
            last_day: "maandag 1 februari 2027".into(),
            last_day_moved: None,
            standstill_days: 20,
            objection_route: "Via het portaal, onder Mijn brieven.".into(),
            not_awarded_reason: String::new(),
        }
    }

    #[test]
    fn a_complete_letter_lacks_nothing() {
        assert!(letter().missing().is_empty());
    }

    #[test]
    fn a_letter_without_the_winners_name_or_the_motivation_is_refused() {
        let mut l = letter();
        l.winners = vec![" ".into()];
        assert_eq!(l.missing(), vec!["de naam van de winnaar".to_owned()]);
        let mut l = letter();
        if let Some(r) = l.result.as_mut() {
            r.criteria.push(criterion(&["Sterk netwerk van werkgevers.", ""]));
        }
        assert_eq!(l.missing(), vec!["de motivering van de score van Winnaar 2 op \"Plan van aanpak\"".to_owned()]);
        let mut l = letter();
        if let Some(r) = l.result.as_mut() {
            r.criteria = vec![criterion(&[])];
        }
        assert_eq!(l.missing(), vec!["de score van de winnaar op \"Plan van aanpak\"".to_owned()]);
        l.wins = true;
        assert!(l.missing().is_empty(), "the only winner is compared with nobody");
        let mut l = letter();
        l.last_day.clear();
        l.objection_route.clear();
        assert_eq!(l.missing().len(), 2);
    }

    #[test]
    fn an_excluded_bidder_is_told_why() {
        let mut l = letter();
        l.result = None;
        assert_eq!(l.missing(), vec!["de reden van uitsluiting".to_owned()]);
        l.exclusion = vec!["Keurmerk verlopen vóór de sluitingsdatum".into()];
        assert!(l.missing().is_empty());
    }

    #[test]
    fn a_perceel_not_awarded_says_why_instead_of_naming_a_winner() {
        let mut l = letter();
        l.winners.clear();
        l.result = None;
        assert_eq!(l.missing(), vec!["de naam van de winnaar of de reden van niet gunnen".to_owned()]);
        l.not_awarded_reason = "Geen enkele inschrijving voldeed aan de geschiktheidseisen.".into();
        assert!(l.missing().is_empty());
    }
}
