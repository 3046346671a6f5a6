//! Fouten: the one list of what can go wrong for a user.
//!
//! Which to use where:
//! - `Validation` — the input is wrong; every problem names its field and says in Dutch what to do.
//!   Forms show it beside the field, the API as problem+json `invalid_params`.
//! - `NotFound` — it does not exist, *or the caller may not know that it exists* (a concept
//!   tender for a bidder): never reveal existence through a 403.
//! - `Unauthenticated` — no valid login; `BadCredentials` — a login attempt that failed; `Forbidden` — logged in, but the role may not do this.
//! - `Conflict` — the state forbids it (a published tender is frozen).
//! - `Throttled` — too many failed logins. `Unavailable` — the database does not answer.
//! - `Internal` — our bug; the detail is logged, never shown.

use serde::Serialize;
use utoipa::ToSchema;

/// One problem with one input field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field, as named in the JSON body or the form (`lots[0].weight_percent`).
    pub name: String,
    /// What is wrong, in Dutch.
    pub reason: String,
}

impl FieldError {
    pub fn new(name: impl Into<String>, reason: impl Into<String>) -> FieldError {
        FieldError { name: name.into(), reason: reason.into() }
    }
}

#[derive(Clone, Debug, thiserror::Error)]
pub enum Error {
    #[error("U bent niet ingelogd of uw sessie is verlopen.")]
    Unauthenticated,
    #[error("E-mailadres of wachtwoord is onjuist.")]
    BadCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} niet gevonden.")]
    NotFound(&'static str),
    #[error("De invoer is niet in orde.")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("Te veel mislukte pogingen. Probeer het over {retry_after} seconden opnieuw.")]
    Throttled { retry_after: u64 },
    #[error("De dienst is tijdelijk niet beschikbaar.")]
    Unavailable(String),
    #[error("Er ging iets mis aan onze kant.")]
    Internal(String),
}

impl Error {
    /// What a person reads: the reasons of a validation error, otherwise the error itself.
    pub fn message(&self) -> String {
        match self {
            Error::Validation(list) => list.iter().map(|f| f.reason.as_str()).collect::<Vec<_>>().join(" "),
            other => other.to_string(),
        }
    }

    /// Whether this is a validation error about `field`.
    pub fn concerns(&self, field: &str) -> bool {
        matches!(self, Error::Validation(list) if list.iter().any(|f| f.name == field))
    }

    pub fn invalid(name: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Validation(vec![FieldError::new(name, reason)])
    }

    pub fn status(&self) -> u16 {
        match self {
            Error::Unauthenticated | Error::BadCredentials => 401,
            Error::Forbidden(_) => 403,
            Error::NotFound(_) => 404,
            Error::Validation(_) => 422,
            Error::Conflict(_) => 409,
            Error::Throttled { .. } => 429,
            Error::Unavailable(_) => 503,
            Error::Internal(_) => 500,
        }
    }

    /// A short, stable machine name for the problem type.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Unauthenticated => "unauthenticated",
            Error::BadCredentials => "bad-credentials",
            Error::Forbidden(_) => "forbidden",
            Error::NotFound(_) => "not-found",
            Error::Validation(_) => "invalid-input",
            Error::Conflict(_) => "conflict",
            Error::Throttled { .. } => "too-many-attempts",
            Error::Unavailable(_) => "unavailable",
            Error::Internal(_) => "internal",
        }
    }

    /// Logs what the user must not see; called once where the error leaves the service.
    pub fn log(&self) {
        match self {
            Error::Internal(detail) => tracing::error!("interne fout: {detail}"),
            Error::Unavailable(detail) => tracing::warn!("niet beschikbaar: {detail}"),
            _ => {}
        }
    }
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Error {
        use diesel::result::{DatabaseErrorKind, Error as D};
        match e {
            D::NotFound => Error::NotFound("Gegeven"),
            D::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                Error::Conflict(format!("Dit bestaat al ({}).", info.message()))
            }
            D::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                Error::Unavailable("gelijktijdige wijziging; probeer opnieuw".into())
            }
            other => Error::Internal(other.to_string()),
        }
    }
}

/// Collects field errors while validating a whole input, so the user sees every problem at once.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, name: impl Into<String>, reason: impl Into<String>) {
        self.0.push(FieldError::new(name, reason));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Turns collected problems into an error, or hands back the value when there were none.
    pub fn into_result<T>(self, value: T) -> Result<T, Error> {
        if self.0.is_empty() { Ok(value) } else { Err(Error::Validation(self.0)) }
    }

    /// Merges an error of a nested part, prefixing its field names.
    pub fn absorb(&mut self, prefix: &str, error: Error) {
        match error {
            Error::Validation(list) => {
                for f in list {
                    self.0.push(FieldError::new(format!("{prefix}{}", f.name), f.reason));
                }
            }
            other => self.add(prefix.trim_end_matches('.'), other.to_string()),
        }
    }
}
