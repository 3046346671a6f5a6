//! Token (JWT): signed tokens with an issuer, an audience per purpose and an expiry, all required.
//!
//! A token carries the user's token version; raising that version in the database (logout,
//! password change) revokes every token issued before.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "aanbesteding";

/// What a token may be used for; a token of one purpose is worthless for another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A logged-in session (browser cookie) or API Bearer token.
    Login,
    /// Accepting an invitation to join an aanbieder's company.
    Invitation,
    /// Resetting a forgotten password.
    PasswordReset,
    /// Confirming an e-mail address.
    EmailVerification,
}

impl Purpose {
    pub fn audience(self) -> &'static str {
        match self {
            Purpose::Login => "aanbesteding:login",
            Purpose::Invitation => "aanbesteding:invitation",
            Purpose::PasswordReset => "aanbesteding:password-reset",
            Purpose::EmailVerification => "aanbesteding:email-verification",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The user id.
    pub sub: String,
    /// The user's token version when issued.
    pub ver: i32,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Keys {
    pub fn new(secret: &[u8]) -> Keys {
        Keys { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret) }
    }

    pub fn issue(
        &self,
        user_id: i64,
        token_version: i32,
        purpose: Purpose,
        minutes: i64,
    ) -> Result<String, crate::errors::Error> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: ISSUER.into(),
            aud: purpose.audience().into(),
            sub: user_id.to_string(),
            ver: token_version,
            iat: now,
            exp: now + minutes * 60,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| crate::errors::Error::Internal(format!("token maken mislukt: {e}")))
    }

    /// Checks signature, algorithm, issuer, audience and expiry; every one must be present.
    pub fn verify(&self, token: &str, purpose: Purpose) -> Option<Claims> {
        let mut v = Validation::new(Algorithm::HS256);
        v.set_issuer(&[ISSUER]);
        v.set_audience(&[purpose.audience()]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        v.leeway = 5;
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &v).ok().map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_for_its_own_purpose_only() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef");
        let t = keys.issue(7, 3, Purpose::Login, 5).unwrap_or_default();
        let claims = keys.verify(&t, Purpose::Login);
        assert_eq!(claims.map(|c| (c.sub, c.ver)), Some(("7".to_string(), 3)));
        assert!(keys.verify(&t, Purpose::PasswordReset).is_none());
    }

    #[test]
    fn another_key_or_an_expired_token_is_refused() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef");
        let other = Keys::new(b"fedcba9876543210fedcba9876543210");
        let t = keys.issue(7, 0, Purpose::Login, 5).unwrap_or_default();
        assert!(other.verify(&t, Purpose::Login).is_none());
        let expired = keys.issue(7, 0, Purpose::Login, -10).unwrap_or_default();
        assert!(keys.verify(&expired, Purpose::Login).is_none());
    }
}
