//! Vraag (enquiry) and nota van inlichtingen: what a question and an answer must be, and where a
//! question stands. Who asked is no part of these rules: it is never published.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::errors::{Error, Problems};

pub const QUESTION_MIN: usize = 10;
pub const QUESTION_MAX: usize = 5000;
pub const ANSWER_MAX: usize = 10000;

/// Where a question stands, as the inkoper works through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnquiryStatus {
    /// Received, no answer yet.
    Open,
    /// An answer (or a correction of a published one) waits for the next nota.
    Answered,
    /// Answered in a published nota, nothing pending.
    Published,
}

impl EnquiryStatus {
    pub fn of(published_versions: i32, drafted: bool) -> EnquiryStatus {
        match (drafted, published_versions) {
            (true, _) => EnquiryStatus::Answered,
            (false, 0) => EnquiryStatus::Open,
            (false, _) => EnquiryStatus::Published,
        }
    }

    /// For the inkoper, who sees the drafts.
    pub fn label(self, published_versions: i32) -> &'static str {
        match (self, published_versions) {
            (EnquiryStatus::Open, _) => "Nog niet beantwoord",
            (EnquiryStatus::Answered, 0) => "Beantwoord, nog niet gepubliceerd",
            (EnquiryStatus::Answered, _) => "Correctie klaar voor de volgende nota",
            (EnquiryStatus::Published, _) => "Gepubliceerd",
        }
    }

    /// For the asking company, which sees only what is published.
    pub fn label_for_asker(published_versions: i32) -> &'static str {
        if published_versions == 0 { "In behandeling" } else { "Beantwoord in de nota van inlichtingen" }
    }
}

/// A question as an aanbieder asks it.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnquiryInput {
    /// The perceel the question is about; none for the whole tender.
    #[serde(default)]
    pub lot_id: Option<i64>,
    pub question: String,
}

impl EnquiryInput {
    /// The question, trimmed; every problem named by its field.
    pub fn validate(&self) -> Result<String, Error> {
        let mut p = Problems::default();
        let question = self.question.trim().to_owned();
        let n = question.chars().count();
        if n < QUESTION_MIN {
            p.add("question", format!("Stel uw vraag in minstens {QUESTION_MIN} tekens."));
        } else if n > QUESTION_MAX {
            p.add("question", format!("Een vraag is hoogstens {QUESTION_MAX} tekens; u schreef er {n}."));
        }
        p.into_result(question)
    }
}

/// The inkoper's answer, with the question as it will be published.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    pub answer: String,
    /// The question as published, when details that could identify the asker are taken out;
    /// left out or empty, the question is published as asked.
    #[serde(default)]
    pub question: Option<String>,
}

/// A validated answer: the text, and the published wording of the question when it differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub answer: String,
    pub question: Option<String>,
}

impl AnswerInput {
    pub fn validate(&self) -> Result<Answer, Error> {
        let mut p = Problems::default();
        let answer = self.answer.trim().to_owned();
        let n = answer.chars().count();
        if n == 0 {
            p.add("answer", "Schrijf het antwoord.");
        } else if n > ANSWER_MAX {
            p.add("answer", format!("Een antwoord is hoogstens {ANSWER_MAX} tekens; u schreef er {n}."));
        }
        let question = self.question.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned);
        if let Some(q) = &question {
            let n = q.chars().count();
            if n < QUESTION_MIN {
                p.add("question", format!("De vraag is minstens {QUESTION_MIN} tekens, of laat het veld leeg."));
            } else if n > QUESTION_MAX {
                p.add("question", format!("Een vraag is hoogstens {QUESTION_MAX} tekens."));
            }
        }
        p.into_result(Answer { answer, question })
    }
}

/// How a question is headed in a nota: `Vraag 3`, or `Vraag 3, versie 2 (gewijzigd)`.
pub fn heading(number: i32, version: i32) -> String {
    if version > 1 { format!("Vraag {number}, versie {version} (gewijzigd)") } else { format!("Vraag {number}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_needs_some_words_and_not_a_book() {
        let ask = |q: &str| EnquiryInput { lot_id: None, question: q.into() }.validate();
        assert!(ask("  waarom?  ").is_err());
        assert_eq!(ask("  Mag een combinatie inschrijven?  ").ok().as_deref(), Some("Mag een combinatie inschrijven?"));
        assert!(ask(&"x".repeat(QUESTION_MAX + 1)).is_err());
    }

    #[test]
    fn an_answer_may_reword_the_question_but_an_empty_rewording_keeps_it() {
        let a = AnswerInput { answer: " Ja. ".into(), question: Some("  ".into()) }.validate();
        assert_eq!(a.ok(), Some(Answer { answer: "Ja.".into(), question: None }));
        let empty = AnswerInput { answer: " ".into(), question: Some("kort".into()) }.validate();
        let Err(Error::Validation(list)) = empty else { panic!("refused") };
        let names: Vec<&str> = list.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["answer", "question"]);
    }

    #[test]
    fn the_status_follows_the_drafts_and_the_published_versions() {
        assert_eq!(EnquiryStatus::of(0, false), EnquiryStatus::Open);
        assert_eq!(EnquiryStatus::of(0, true), EnquiryStatus::Answered);
        assert_eq!(EnquiryStatus::of(1, false), EnquiryStatus::Published);
        assert_eq!(EnquiryStatus::of(1, true).label(1), "Correctie klaar voor de volgende nota");
        assert!(EnquiryStatus::Open < EnquiryStatus::Answered, "unanswered questions come first");
    }

    #[test]
    fn a_corrected_answer_is_headed_as_a_new_version() {
        assert_eq!(heading(3, 1), "Vraag 3");
        assert_eq!(heading(3, 2), "Vraag 3, versie 2 (gewijzigd)");
    }
}
