//! Publishing: the completeness check, the frozen set-up and corrections.

use aanbesteding::domain::role::Role;
use serde_json::{Value, json};

use crate::both;
use crate::fixtures;
use crate::helpers::TestApp;

fn published(app: &TestApp, token: &str, reference: &str) -> Value {
    let t = app.post("/api/v1/tenders", Some(token), &fixtures::tender(reference)).json();
    let r = app.call("POST", &format!("/api/v1/tenders/{}/publish", t["id"]), Some(token), None);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

both! {
    fn an_incomplete_tender_is_not_published_and_says_why(app) {
        let token = app.user(Role::Inkoper).token;
        let mut body = fixtures::general("PUB-1");
        body["description"] = json!("");
        body.as_object_mut().map(|m| m.remove("lead_municipality"));
        let t = app.post("/api/v1/tenders", Some(&token), &body).json();
        let r = app.call("POST", &format!("/api/v1/tenders/{}/publish", t["id"]), Some(&token), None);
        assert_eq!(r.status, 422);
        assert_eq!(r.invalid_params(), ["description", "lead_municipality", "lots"]);
        let after = app.get(&format!("/api/v1/tenders/{}", t["id"]), Some(&token)).json();
        assert_eq!(after["status"], "draft");
        assert_eq!(app.get("/api/v1/tenders", None).json()["total"], 0);
    }

    fn a_published_tender_is_on_the_public_list_and_readable_without_login(app) {
        let token = app.user(Role::Inkoper).token;
        let t = published(&app, &token, "PUB-2");
        assert_eq!(t["status"], "published");
        assert!(t["published_at"].is_string());
        let list = app.get("/api/v1/tenders", None).json();
        assert_eq!(list["items"][0]["reference"], "PUB-2");
        assert_eq!(app.get(&format!("/api/v1/tenders/{}", t["id"]), None).json()["title"], t["title"]);
        let page = crate::browser::Browser::new(&app).get("/");
        assert!(page.body.contains("Leerroutes inburgering Westfriesland"));
        assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/publish", t["id"]), Some(&token), None).status, 409);
    }

    fn publishing_freezes_the_set_up(app) {
        let token = app.user(Role::Inkoper).token;
        let t = published(&app, &token, "PUB-3");
        let base = format!("/api/v1/tenders/{}", t["id"]);
        let mut general = fixtures::general("PUB-3");
        general["title"] = json!("Andere titel");
        let r = app.put(&base, Some(&token), &general);
        assert_eq!(r.status, 409);
        assert!(r.json()["detail"].as_str().unwrap_or_default().contains("correctie"));
        assert_eq!(app.put(&format!("{base}/lots/{}", t["lots"][0]["id"]), Some(&token), &fixtures::lot(0)).status, 409);
        assert_eq!(app.post(&format!("{base}/lots"), Some(&token), &fixtures::lot(0)).status, 409);
        assert_eq!(app.call("DELETE", &format!("{base}/lots/{}", t["lots"][0]["id"]), Some(&token), None).status, 409);
        assert_eq!(app.call("DELETE", &format!("{base}/selection-criteria/{}", t["selection_criteria"][0]["id"]), Some(&token), None).status, 409);
        assert_eq!(app.get(&base, Some(&token)).json(), t, "nothing changed");
    }

    fn a_correction_changes_a_published_tender_only_with_a_reason_and_is_recorded(app) {
        let token = app.user(Role::Inkoper).token;
        let t = published(&app, &token, "PUB-4");
        let base = format!("/api/v1/tenders/{}", t["id"]);
        let mut lot = fixtures::lot(0);
        lot["ceiling_price"] = json!("15000.00");
        let without = app.post(&format!("{base}/corrections"), Some(&token), &json!({ "reason": "kort", "lot_id": t["lots"][0]["id"], "lot": lot }));
        assert_eq!(without.invalid_params(), ["reason"]);
        let reason = "Plafondprijs verhoogd na nieuwe cao-loonschaal docenten";
        let r = app.post(&format!("{base}/corrections"), Some(&token), &json!({ "reason": reason, "lot_id": t["lots"][0]["id"], "lot": lot }));
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["lots"][0]["ceiling_price"], "15000.00");
        assert_eq!(r.json()["status"], "published");
        let corrections = app.get(&format!("{base}/corrections"), None).json();
        assert_eq!(corrections[0]["number"], 1);
        assert_eq!(corrections[0]["reason"], reason);
        assert_eq!(corrections[0]["before"]["ceiling_price"], "14500.00");
        assert_eq!(corrections[0]["after"]["ceiling_price"], "15000.00");
        let same = app.post(&format!("{base}/corrections"), Some(&token), &json!({ "reason": reason, "lot_id": t["lots"][0]["id"], "lot": lot }));
        assert_eq!(same.status, 409, "a correction that changes nothing is refused");
        let draft = app.post("/api/v1/tenders", Some(&token), &fixtures::general("PUB-5")).json();
        let on_draft = app.post(&format!("/api/v1/tenders/{}/corrections", draft["id"]), Some(&token), &json!({ "reason": reason, "tender": fixtures::general("PUB-5") }));
        assert_eq!(on_draft.status, 409);
    }

    fn a_correction_that_would_leave_the_set_up_incomplete_is_refused_whole(app) {
        let token = app.user(Role::Inkoper).token;
        let t = published(&app, &token, "PUB-6");
        let base = format!("/api/v1/tenders/{}", t["id"]);
        let mut general = fixtures::general("PUB-6");
        if let Some(m) = general["municipalities"].as_array_mut() {
            m.push(json!("GM0361"));
        }
        let r = app.post(&format!("{base}/corrections"), Some(&token), &json!({ "reason": "Alkmaar doet ook mee aan deze inkoop", "tender": general }));
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("Alkmaar"), "names the gemeente without volumes: {}", r.body);
        assert_eq!(app.get(&base, Some(&token)).json(), t, "nothing changed");
        assert_eq!(app.get(&format!("{base}/corrections"), None).json(), json!([]));
    }

    fn the_general_set_up_can_be_corrected_after_the_question_deadline(app) {
        let token = app.user(Role::Inkoper).token;
        let t = published(&app, &token, "PUB-7");
        let passed = "2020-01-06T12:00:00+01:00";
        app.sql(&format!("UPDATE tenders SET question_deadline = '2020-01-06 11:00:00', version = version + 1 WHERE id = {}", t["id"]));
        let mut general = fixtures::general("PUB-7");
        general["question_deadline"] = json!(passed);
        general["description"] = json!("Omschrijving met een verbeterde typfout.");
        let r = app.post(&format!("/api/v1/tenders/{}/corrections", t["id"]), Some(&token), &json!({ "reason": "Typfout in de omschrijving hersteld", "tender": general }));
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["question_deadline"], "2020-01-06T11:00:00Z");
    }
}
