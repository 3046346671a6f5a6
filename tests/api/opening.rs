//! Opening the vault: after the deadline, by two different inkopers within ten minutes.

use aanbesteding::domain::role::Role;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::bidding::submitted_bid;
use crate::both;
use crate::fixtures;
use crate::helpers::TestApp;

fn published(app: &TestApp, token: &str) -> Value {
    let t = app.post("/api/v1/tenders", Some(token), &fixtures::tender("OPEN-1")).json();
    app.call("POST", &format!("/api/v1/tenders/{}/publish", t["id"]), Some(token), None).json()
}

fn deadline(t: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(t["submission_deadline"].as_str().unwrap_or_default())
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

fn audit_actions(app: &TestApp, token: &str, t: &Value) -> Vec<String> {
    let log = app.get(&format!("/api/v1/tenders/{}/audit-log?per_page=100", t["id"]), Some(token)).json();
    log["entries"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str().map(str::to_owned))
        .collect()
}

both! {
    fn opening_early_or_alone_is_refused_and_recorded(app) {
        let a = app.user(Role::Inkoper);
        let t = published(&app, &a.token);
        submitted_bid(&app, &t, &app.user(Role::Aanbieder));
        let open = |token: &str| app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(token), None);
        let early = open(&a.token);
        assert_eq!(early.status, 409);
        assert!(early.json()["detail"].as_str().unwrap_or_default().contains("pas na de sluitingstermijn"));
        let peek = app.get(&format!("/api/v1/tenders/{}/opened-bids", t["id"]), Some(&a.token));
        assert_eq!(peek.status, 409);
        app.clock.set(deadline(&t) + Duration::seconds(1));
        assert_eq!(open(&a.token).status, 202, "first confirmation");
        let alone = open(&a.token);
        assert_eq!(alone.status, 409);
        assert!(alone.json()["detail"].as_str().unwrap_or_default().contains("tweede, andere inkoper"));
        assert_eq!(app.get(&format!("/api/v1/tenders/{}/opened-bids", t["id"]), Some(&a.token)).status, 409, "still sealed");
        let actions = audit_actions(&app, &a.token, &t);
        assert_eq!(actions.iter().filter(|a| *a == "opening.refused").count(), 2, "{actions:?}");
        assert_eq!(actions.iter().filter(|a| *a == "bid.read_refused").count(), 2, "{actions:?}");
    }

    fn two_inkopers_open_the_vault_and_the_proces_verbaal_matches_the_receipts(app) {
        let (a, b) = (app.user(Role::Inkoper), app.user(Role::Inkoper));
        let t = published(&app, &a.token);
        let receipt = submitted_bid(&app, &t, &app.user(Role::Aanbieder))["receipts"][0].clone();
        app.clock.set(deadline(&t) + Duration::minutes(5));
        assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&a.token), None).status, 202);
        app.clock.set(deadline(&t) + Duration::minutes(14));
        let opened = app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&b.token), None);
        assert_eq!(opened.status, 200, "{}", opened.body);
        let report = &opened.json()["report"];
        assert_eq!(report["bids"].as_array().map(Vec::len), Some(1));
        let entry = &report["bids"][0];
        assert_eq!(entry["receipt_number"], receipt["receipt_number"]);
        assert_eq!(entry["received_at"], receipt["submitted_at_local"]);
        assert_eq!(entry["files"][0]["sha256"], receipt["files"][0]["sha256"]);
        assert_eq!(entry["content_sha256"], receipt["content_sha256"]);
        assert_eq!(report["opened_by"].as_array().map(Vec::len), Some(2));
        let bids = app.get(&format!("/api/v1/tenders/{}/opened-bids", t["id"]), Some(&a.token));
        assert_eq!(bids.status, 200, "{}", bids.body);
        assert_eq!(bids.json()[0]["content"]["answers"].as_object().map(|m| m.len()), Some(4));
        let state = app.get(&format!("/api/v1/tenders/{}/opening", t["id"]), Some(&app.user(Role::Management).token)).json();
        assert_eq!(state["opened"], true);
        assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&a.token), None).status, 409, "opened once");
        let file = app.get(&format!("/api/v1/tenders/{}/messages", t["id"]), Some(&a.token)).json();
        let kinds: Vec<&str> = file["items"].as_array().into_iter().flatten().filter_map(|m| m["kind"].as_str()).collect();
        assert!(kinds.contains(&"receipt") && kinds.contains(&"opened"), "after the opening the file holds every message: {kinds:?}");
    }

    fn a_first_confirmation_lapses_after_ten_minutes(app) {
        let (a, b) = (app.user(Role::Inkoper), app.user(Role::Inkoper));
        let t = published(&app, &a.token);
        app.clock.set(deadline(&t) + Duration::minutes(1));
        assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&a.token), None).status, 202);
        app.clock.set(deadline(&t) + Duration::minutes(12));
        let late = app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&b.token), None);
        assert_eq!(late.status, 202, "the lapsed first confirmation is replaced: {}", late.body);
        assert_eq!(app.get(&format!("/api/v1/tenders/{}/opening", t["id"]), Some(&a.token)).json()["opened"], false);
    }
}
