//! Logging in: throttling, one-time passwords, CSRF and logging out.

use aanbesteding::domain::role::Role;
use serde_json::json;

use crate::both;
use crate::browser::Browser;
use crate::helpers::{PASSWORD, TestApp};

fn token_status(app: &TestApp, email: &str, password: &str) -> crate::helpers::Resp {
    app.post("/api/v1/auth/token", None, &json!({ "email": email, "password": password }))
}

both! {
    fn repeated_failed_logins_are_throttled_even_for_the_right_password(app) {
        let u = app.user(Role::Inkoper);
        for _ in 0..5 {
            assert_eq!(token_status(&app, &u.email, "fout").status, 401);
        }
        let sixth = token_status(&app, &u.email, "fout");
        assert_eq!(sixth.status, 429, "{}", sixth.body);
        let locked = token_status(&app, &u.email, PASSWORD);
        assert_eq!(locked.status, 429);
        assert!(locked.retry_after.as_deref().and_then(|s| s.parse::<u64>().ok()).is_some_and(|s| s > 0 && s <= 60));
        let other = app.user(Role::Inkoper);
        assert_eq!(token_status(&app, &other.email, PASSWORD).status, 200, "another address is not locked");
        let page = Browser::new(&app).login(&u.email, PASSWORD);
        assert_eq!(page.status, 429);
        assert!(page.body.contains("Te veel mislukte pogingen"), "{}", page.body);
    }

    fn a_wrong_password_and_an_unknown_address_get_the_same_answer(app) {
        let u = app.user(Role::Inkoper);
        let wrong = token_status(&app, &u.email, "fout");
        let unknown = token_status(&app, "niemand@test.example", "fout");
        assert_eq!((wrong.status, wrong.json()["detail"].clone()), (unknown.status, unknown.json()["detail"].clone()));
    }

    fn a_one_time_password_must_be_replaced_before_anything_else(app) {
        let admin = app.user(Role::Beheerder);
        let created = app.post("/api/v1/users", Some(&admin.token), &json!({ "email": "nieuw@hoorn.example", "name": "Nina Nieuw", "role": "inkoper" }));
        assert_eq!(created.status, 201, "{}", created.body);
        let one_time = created.json()["one_time_password"].as_str().unwrap_or_default().to_owned();
        assert_eq!(one_time.len(), 16);
        let refused = token_status(&app, "nieuw@hoorn.example", &one_time);
        assert_eq!(refused.status, 403);
        assert!(refused.json()["detail"].as_str().unwrap_or_default().contains("eenmalige wachtwoord"));
        let browser = Browser::new(&app);
        assert_eq!(browser.login("nieuw@hoorn.example", &one_time).location.as_deref(), Some("/wachtwoord"));
        assert_eq!(browser.get("/aanbestedingen").location.as_deref(), Some("/wachtwoord"));
        let weak = browser.post_form("/wachtwoord", &[("current_password", &one_time), ("new_password", "kort"), ("repeat_password", "kort")]);
        assert_eq!(weak.status, 422);
        assert!(weak.body.contains("minstens 12 tekens"));
        let good = "een-eigen-sterk-wachtwoord";
        let changed = browser.post_form("/wachtwoord", &[("current_password", &one_time), ("new_password", good), ("repeat_password", good)]);
        assert_eq!(changed.status, 303, "{}", changed.body);
        assert_eq!(browser.get("/aanbestedingen").status, 200);
        assert_eq!(token_status(&app, "nieuw@hoorn.example", good).status, 200);
        assert_eq!(token_status(&app, "nieuw@hoorn.example", &one_time).status, 401);
    }

    fn a_form_without_the_csrf_token_is_refused_and_stores_nothing(app) {
        let u = app.user(Role::Inkoper);
        let browser = Browser::new(&app);
        browser.login(&u.email, PASSWORD);
        let fields = [("title", "Zonder token"), ("reference", "CSRF-1")];
        let r = browser.post_form_raw("/aanbestedingen", &fields);
        assert_eq!(r.status, 403);
        assert!(r.body.contains("formulier is verlopen"));
        let forged = browser.post_form_raw("/aanbestedingen", &[("csrf_token", &"a".repeat(64)), ("title", "Vals token")]);
        assert_eq!(forged.status, 403);
        assert_eq!(app.get("/api/v1/tenders", Some(&u.token)).json()["total"], 0);
        let login_without_token = Browser::new(&app).post_form_raw("/inloggen", &[("email", &u.email), ("password", PASSWORD)]);
        assert_eq!(login_without_token.status, 403);
    }

    fn the_session_cookie_is_http_only_and_same_site_strict(app) {
        let u = app.user(Role::Inkoper);
        let agent = crate::helpers::agent();
        agent.get(app.url("/inloggen")).call().expect("GET");
        let csrf = agent.cookie_jar_lock().iter().find(|c| c.name() == "aanbesteding_csrf").map(|c| c.value().to_owned()).unwrap_or_default();
        let r = agent.post(app.url("/inloggen")).send_form([("csrf_token", csrf.as_str()), ("email", &u.email), ("password", PASSWORD), ("terug", "")]).expect("POST");
        let cookies: Vec<String> = r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok().map(str::to_owned)).collect();
        let session = cookies.iter().find(|c| c.starts_with("aanbesteding_sessie=")).cloned().unwrap_or_default();
        assert!(session.contains("HttpOnly"), "{session}");
        assert!(session.contains("SameSite=Strict"), "{session}");
    }

    fn logging_out_in_the_browser_ends_the_session(app) {
        let u = app.user(Role::Inkoper);
        let browser = Browser::new(&app);
        assert_eq!(browser.login(&u.email, PASSWORD).location.as_deref(), Some("/aanbestedingen"));
        let out = browser.post_form("/uitloggen", &[]);
        assert_eq!(out.status, 303);
        assert!(!browser.has_session());
        assert_eq!(browser.get("/aanbestedingen").status, 303);
        assert_eq!(app.get("/api/v1/me", Some(&u.token)).status, 401, "logging out revokes API tokens too");
    }

    fn login_only_returns_to_pages_of_this_site(app) {
        let u = app.user(Role::Inkoper);
        let browser = Browser::new(&app);
        let r = browser.post_form("/inloggen", &[("email", &u.email), ("password", PASSWORD), ("terug", "//evil.example/x")]);
        assert_eq!(r.location.as_deref(), Some("/aanbestedingen"));
        let browser = Browser::new(&app);
        let r = browser.post_form("/inloggen", &[("email", &u.email), ("password", PASSWORD), ("terug", "/aanbestedingen/nieuw")]);
        assert_eq!(r.location.as_deref(), Some("/aanbestedingen/nieuw"));
    }

    fn attempts_sent_all_at_once_get_no_more_guesses_than_one_by_one(app) {
        let u = app.user(Role::Inkoper);
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..12).map(|_| s.spawn(|| token_status(&app, &u.email, "fout").status)).collect();
            handles.into_iter().map(|h| h.join().unwrap_or(0)).collect()
        });
        let guesses = statuses.iter().filter(|s| **s == 401).count();
        assert!(guesses <= 5, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 12 - guesses, "{statuses:?}");
    }

    fn a_return_path_with_a_control_character_is_not_followed(app) {
        let u = app.user(Role::Inkoper);
        let r = Browser::new(&app).post_form("/inloggen", &[("email", &u.email), ("password", PASSWORD), ("terug", "/\t/evil.example")]);
        assert_eq!(r.location.as_deref(), Some("/aanbestedingen"));
    }
}
