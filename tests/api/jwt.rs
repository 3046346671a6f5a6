//! Attacks on the login token: each one is refused.

use aanbesteding::domain::role::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};

use crate::both;
use crate::browser::Browser;
use crate::helpers::{PASSWORD, SECRET, TestApp};

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn claims(user_id: i64) -> Value {
    json!({ "iss": "aanbesteding", "aud": "aanbesteding:login", "sub": user_id.to_string(), "ver": 0, "iat": now(), "exp": now() + 600 })
}

fn sign(claims: &Value, secret: &[u8]) -> String {
    encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret)).expect("sign")
}

fn b64(v: &Value) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = v.to_string().into_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn me(app: &TestApp, token: &str) -> u16 {
    app.get("/api/v1/me", Some(token)).status
}

both! {
    fn a_correctly_signed_token_is_accepted_so_the_refusals_below_mean_something(app) {
        let u = app.user(Role::Inkoper);
        assert_eq!(me(&app, &sign(&claims(u.id), SECRET.as_bytes())), 200);
    }

    fn a_token_with_alg_none_is_refused(app) {
        let u = app.user(Role::Inkoper);
        let token = format!("{}.{}.", b64(&json!({ "alg": "none", "typ": "JWT" })), b64(&claims(u.id)));
        let r = app.get("/api/v1/me", Some(&token));
        assert_eq!(r.status, 401);
        assert!(r.content_type.starts_with("application/problem+json"));
    }

    fn a_token_signed_with_another_key_is_refused(app) {
        let u = app.user(Role::Inkoper);
        assert_eq!(me(&app, &sign(&claims(u.id), b"een-andere-sleutel-een-andere-sleutel-0000")), 401);
    }

    fn an_expired_token_is_refused(app) {
        let u = app.user(Role::Inkoper);
        let mut c = claims(u.id);
        c["iat"] = json!(now() - 7200);
        c["exp"] = json!(now() - 3600);
        assert_eq!(me(&app, &sign(&c, SECRET.as_bytes())), 401);
    }

    fn a_token_without_audience_or_issuer_or_expiry_is_refused(app) {
        let u = app.user(Role::Inkoper);
        for claim in ["aud", "iss", "exp"] {
            let mut c = claims(u.id);
            c.as_object_mut().map(|m| m.remove(claim));
            assert_eq!(me(&app, &sign(&c, SECRET.as_bytes())), 401, "zonder {claim}");
        }
    }

    fn a_token_of_another_purpose_is_refused(app) {
        let u = app.user(Role::Inkoper);
        for aud in ["aanbesteding:password-reset", "aanbesteding:invitation", "aanbesteding:email-verification"] {
            let mut c = claims(u.id);
            c["aud"] = json!(aud);
            assert_eq!(me(&app, &sign(&c, SECRET.as_bytes())), 401, "{aud}");
        }
    }

    fn logging_out_revokes_every_earlier_token(app) {
        let u = app.user(Role::Inkoper);
        let second = app.post("/api/v1/auth/token", None, &json!({ "email": u.email, "password": PASSWORD })).json();
        let second = second["access_token"].as_str().unwrap_or_default().to_owned();
        assert_eq!(app.call("POST", "/api/v1/auth/logout", Some(&u.token), None).status, 204);
        assert_eq!(me(&app, &u.token), 401);
        assert_eq!(me(&app, &second), 401);
    }

    fn changing_the_password_revokes_earlier_tokens_and_the_browser_session(app) {
        let u = app.user(Role::Management);
        let browser = Browser::new(&app);
        browser.login(&u.email, PASSWORD);
        assert_eq!(browser.get("/aanbestedingen").status, 200);
        let r = app.post("/api/v1/auth/password", None, &json!({ "email": u.email, "current_password": PASSWORD, "new_password": "een-heel-nieuw-wachtwoord" }));
        assert_eq!(r.status, 200, "{}", r.body);
        let fresh = r.json()["access_token"].as_str().unwrap_or_default().to_owned();
        assert_eq!(me(&app, &u.token), 401);
        assert_eq!(me(&app, &fresh), 200);
        assert_eq!(browser.get("/aanbestedingen").status, 303, "the old session cookie no longer works");
    }

    fn a_forged_session_cookie_sends_the_browser_to_the_login_page(app) {
        let u = app.user(Role::Inkoper);
        let forged = sign(&claims(u.id), b"een-andere-sleutel-een-andere-sleutel-0000");
        let r = crate::helpers::read(
            crate::helpers::agent().get(app.url("/aanbestedingen")).header("Cookie", format!("aanbesteding_sessie={forged}")).call().expect("GET"),
        );
        assert_eq!(r.status, 303);
        assert_eq!(r.location.as_deref(), Some("/inloggen?terug=%2Faanbestedingen"));
    }
}
