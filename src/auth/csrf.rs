//! CSRF-bescherming: every form carries the token that is also in an HttpOnly cookie.
//!
//! Together with the SameSite=Strict session cookie, a form posted from another site
//! fails: it cannot read the cookie to copy the token into the form.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use rand::RngCore;

pub const COOKIE: &str = "aanbesteding_csrf";
pub const FIELD: &str = "csrf_token";

/// Whether a value has the form of a token: 64 lowercase hex digits, nothing that HTML or a
/// header could read as more.
fn well_formed(v: &str) -> bool {
    v.len() == 64 && v.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The token this browser already has, if any.
pub fn existing(req: &HttpRequest) -> Option<String> {
    req.cookie(COOKIE).map(|c| c.value().to_owned()).filter(|v| well_formed(v))
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
    well_formed(expected.value()) && a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn only_a_well_formed_cookie_counts_as_a_token() {
        let token = generate();
        let good = TestRequest::default().cookie(Cookie::new(COOKIE, token.clone())).to_http_request();
        assert_eq!(existing(&good), Some(token.clone()));
        assert!(matches(&good, &token));
        assert!(!matches(&good, &generate()));
        let markup = format!("\"><script>{}", &token[10..]);
        let bad = TestRequest::default().cookie(Cookie::new(COOKIE, markup.clone())).to_http_request();
        assert_eq!(existing(&bad), None, "markup of the right length is no token");
        assert!(!matches(&bad, &markup), "not even when the form sends the same markup back");
    }
}
