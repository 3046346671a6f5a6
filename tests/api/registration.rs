//! Aanbieders: registration with a confirmed address, colleagues by invitation, their messages.

use aanbesteding::domain::role::Role;
use serde_json::json;

use crate::both;
use crate::browser::Browser;
use crate::helpers::TestApp;

/// The path and query of the link in a mail (the mail holds the public address).
fn link_path(mail: &str, marker: &str) -> String {
    let start = mail.find(marker).unwrap_or_else(|| panic!("no {marker} in: {mail}"));
    mail[start..].split_whitespace().next().unwrap_or_default().to_owned()
}

fn registration() -> [(&'static str, &'static str); 10] {
    [
        ("company_name", "Taalhuis West-Friesland BV"),
        ("kvk_number", "1234 5678"),
        ("street", "Grote Noord 12"),
        ("postal_code", "1621kd"),
        ("city", "Hoorn"),
        ("contact_name", "Fatima el Amrani"),
        ("phone", "0229-123456"),
        ("email", "fatima@taalhuis.example"),
        ("password", "een-sterk-wachtwoord-1"),
        ("repeat_password", "een-sterk-wachtwoord-1"),
    ]
}

fn wait_for_delivery(app: &TestApp, token: &str) -> serde_json::Value {
    for _ in 0..100 {
        let page = app.get("/api/v1/me/messages", Some(token)).json();
        if page["items"][0]["sent_at"].is_string() {
            return page;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the message was not delivered within 5 s");
}

both! {
    fn an_aanbieder_registers_confirms_the_address_and_then_logs_in(app) {
        let b = Browser::new(&app);
        assert!(b.get("/registreren").body.contains("KvK-nummer"));
        let r = b.post_form("/registreren", &registration());
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.location.as_deref(), Some("/registreren/verstuurd"));
        let refused = b.login("fatima@taalhuis.example", "een-sterk-wachtwoord-1");
        assert_eq!(refused.status, 403);
        assert!(refused.body.contains("Bevestig eerst uw e-mailadres"));
        let mail = app.last_mail_to("fatima@taalhuis.example");
        assert!(mail.starts_with("Beste Fatima el Amrani,"), "{mail}");
        let confirm = b.get(&link_path(&mail, "/registreren/bevestigen?token="));
        assert!(confirm.body.contains("is bevestigd"), "{}", confirm.body);
        assert_eq!(b.login("fatima@taalhuis.example", "een-sterk-wachtwoord-1").location.as_deref(), Some("/"));
        let company = b.get("/bedrijf");
        for text in ["Taalhuis West-Friesland BV", "12345678", "1621 KD"] {
            assert!(company.body.contains(text), "{text}");
        }
        let token = app.post("/api/v1/auth/token", None, &json!({ "email": "fatima@taalhuis.example", "password": "een-sterk-wachtwoord-1" })).json();
        let messages = wait_for_delivery(&app, token["access_token"].as_str().unwrap_or_default());
        assert_eq!(messages["items"][0]["subject"], "Bevestig uw e-mailadres voor Aanbesteding inburgering");
    }

    fn a_kvk_number_registers_once_and_bad_input_is_named(app) {
        let b = Browser::new(&app);
        assert_eq!(b.post_form("/registreren", &registration()).status, 303);
        let mut again = registration();
        again[7] = ("email", "ander@taalhuis.example");
        let r = b.post_form("/registreren", &again);
        assert_eq!(r.status, 422);
        assert!(r.body.contains("Taalhuis West-Friesland BV is al geregistreerd met dit KvK-nummer"));
        let bad = app.post("/api/v1/registrations", None, &json!({
            "company_name": "X", "kvk_number": "1234567", "street": "Straat 1", "postal_code": "0123 AB", "city": "Hoorn",
            "contact_name": "X", "phone": "12", "email": "geen-adres", "password": "kort",
        }));
        assert_eq!(bad.invalid_params(), ["kvk_number", "postal_code", "phone", "email"]);
    }

    fn a_colleague_is_invited_chooses_a_password_once_and_joins_the_company(app) {
        let first = app.user(Role::Aanbieder);
        let r = app.post("/api/v1/companies/me/invitations", Some(&first.token), &json!({ "email": "collega@taalschool.example", "name": "Chris Collega" }));
        assert_eq!(r.status, 201, "{}", r.body);
        let mail = app.last_mail_to("collega@taalschool.example");
        assert!(mail.contains("nodigt") || mail.contains("uitgenodigd"), "{mail}");
        let path = link_path(&mail, "/uitnodiging?token=");
        let token = path.trim_start_matches("/uitnodiging?token=").to_owned();
        let b = Browser::new(&app);
        assert!(b.get(&path).body.contains("Welkom, Chris Collega"));
        let accepted = b.post_form("/uitnodiging", &[("token", &token), ("password", "geheim-wachtwoord-van-chris"), ("repeat_password", "geheim-wachtwoord-van-chris")]);
        assert_eq!(accepted.status, 303, "{}", accepted.body);
        let again = app.post("/api/v1/invitations/acceptance", None, &json!({ "token": token, "password": "nog-een-wachtwoord-2" }));
        assert_eq!(again.invalid_params(), ["token"], "the link works once");
        let login = app.post("/api/v1/auth/token", None, &json!({ "email": "collega@taalschool.example", "password": "geheim-wachtwoord-van-chris" }));
        assert_eq!(login.status, 200);
        let company = app.get("/api/v1/companies/me", Some(login.json()["access_token"].as_str().unwrap_or_default())).json();
        let names: Vec<&str> = company["colleagues"].as_array().into_iter().flatten().filter_map(|c| c["name"].as_str()).collect();
        assert!(names.contains(&"Chris Collega"));
        assert_eq!(app.post("/api/v1/companies/me/invitations", Some(&app.user(Role::Inkoper).token), &json!({ "email": "x@y.example", "name": "X" })).status, 403);
    }

    fn a_resent_link_answers_the_same_for_unknown_addresses(app) {
        let b = Browser::new(&app);
        b.post_form("/registreren", &registration());
        let known = b.post_form("/registreren/opnieuw", &[("email", "fatima@taalhuis.example")]);
        let unknown = b.post_form("/registreren/opnieuw", &[("email", "niemand@nergens.example")]);
        assert_eq!((known.status, known.location.clone()), (unknown.status, unknown.location.clone()));
        assert!(app.get("/registreren/bevestigen?token=onzin", None).status == 200);
        assert!(Browser::new(&app).get("/registreren/bevestigen?token=onzin").body.contains("Deze link werkt niet"));
    }
}
