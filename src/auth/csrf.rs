//! CSRF-bescherming: every form carries the token that is also in an HttpOnly cookie.
//!
//! Together with the SameSite=Strict session cookie, a form posted from another site
//! fails: it cannot read the cookie to copy the token into the form.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use rand::RngCore;

pub const COOKIE: &str = "aanbesteding_csrf";
pub const FIELD: &str = "csrf_token";

/// The token this browser already has, if any.
pub fn existing(req: &HttpRequest) -> Option<String> {
    req.cookie(COOKIE).map(|c| c.value().to_owned()).filter(|v| v.len() == 64)
}

/// A new token: 32 random bytes, hex.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, token).path("/").http_only(true).secure(secure).same_site(SameSite::Strict).finish()
}

/// Compares in constant time so the token cannot be guessed byte by byte.
pub fn matches(req: &HttpRequest, submitted: &str) -> bool {
    let Some(expected) = req.cookie(COOKIE) else {
        return false;
    };
    let (a, b) = (expected.value().as_bytes(), submitted.as_bytes());
    a.len() == 64 && a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
