//! Wachtwoord (password): argon2id hashes and one-time passwords.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;
use rand::rngs::OsRng;

use crate::errors::Error;

pub const MIN_LENGTH: usize = 12;

pub fn hash(password: &str) -> Result<String, Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("wachtwoord hashen mislukt: {e}")))
}

/// Constant-time check against a stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash to verify against when the account does not exist, so the answer takes as long
/// either way and does not reveal which e-mail addresses have accounts.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("geen-account-met-dit-adres").unwrap_or_default())
}

/// A one-time password of 16 characters without look-alikes (no 0/O, 1/l/I).
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = OsRng;
    (0..16).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect()
}

/// The rules a new password must meet, as a Dutch message per failure.
pub fn check_strength(password: &str, email: &str) -> Result<(), Error> {
    if password.chars().count() < MIN_LENGTH {
        return Err(Error::invalid("new_password", format!("Kies een wachtwoord van minstens {MIN_LENGTH} tekens.")));
    }
    if password.len() > 1024 {
        return Err(Error::invalid("new_password", "Dit wachtwoord is te lang."));
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if local.len() >= 4 && password.to_lowercase().contains(&local) {
        return Err(Error::invalid("new_password", "Uw wachtwoord mag uw e-mailadres niet bevatten."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_own_password_only() {
        let h = hash("correct paard batterij").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct paard batterij", &h));
        assert!(!verify("correct paard batterij!", &h));
        assert!(!verify("x", "geen-hash"));
    }

    #[test]
    fn one_time_passwords_are_long_and_differ() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
        assert!(check_strength(&a, "inkoper@example.nl").is_ok());
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(check_strength("kort", "a@b.nl").is_err());
        assert!(check_strength("inkoper-westfriesland", "inkoper@hoorn.nl").is_err());
    }
}
