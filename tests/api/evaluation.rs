//! Beoordeling, first steps: the committee per perceel, declarations of interest before any
//! bid is read, and the suitability of each bid with the service's proposals.

use aanbesteding::domain::role::Role;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::bidding::{published, submitted_bid};
use crate::both;
use crate::helpers::{TestApp, TestUser};

/// A published tender with `n` submitted bids on perceel 1; the vault still sealed.
pub fn with_bids(app: &TestApp, reference: &str, n: usize) -> (Value, Vec<Value>) {
    let t = published(app, reference);
    let bids = (0..n).map(|_| submitted_bid(app, &t, &app.user(Role::Aanbieder))).collect();
    (t, bids)
}

/// Opens the vault with two fresh inkopers after the deadline; returns one of them.
pub fn open(app: &TestApp, t: &Value) -> TestUser {
    let deadline: DateTime<Utc> = t["submission_deadline"].as_str().and_then(|s| s.parse().ok()).unwrap_or_default();
    app.clock.set(deadline + Duration::minutes(1));
    let (a, b) = (app.user(Role::Inkoper), app.user(Role::Inkoper));
    assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&a.token), None).status, 202);
    assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&b.token), None).status, 200);
    a
}

pub fn lot_path(t: &Value, what: &str) -> String {
    format!("/api/v1/tenders/{}/lots/{}/{what}", t["id"], t["lots"][0]["id"])
}

both! {
    fn the_inkoper_appoints_assessors_who_declare_their_interests_before_reading_a_bid(app) {
        let (t, _) = with_bids(&app, "EVAL-1", 3);
        let inkoper = app.user(Role::Inkoper);
        let (b1, b2, outsider) = (app.user(Role::Beoordelaar), app.user(Role::Beoordelaar), app.user(Role::Beoordelaar));
        let committee = lot_path(&t, "committee");
        let not_an_assessor = app.put(&committee, Some(&inkoper.token), &json!({ "assessors": [inkoper.id] }));
        assert_eq!(not_an_assessor.invalid_params(), ["assessors"]);
        let r = app.put(&committee, Some(&inkoper.token), &json!({ "assessors": [b1.id, b2.id] }));
        assert_eq!(r.status, 200, "{}", r.body);
        let appointed: Vec<i64> = r.json()["assessors"].as_array().into_iter().flatten().filter(|a| a["appointed_at"].is_string()).filter_map(|a| a["user_id"].as_i64()).collect();
        assert_eq!(appointed, [b1.id, b2.id]);
        assert_eq!(app.put(&committee, Some(&b1.token), &json!({ "assessors": [] })).status, 403, "only an inkoper appoints");

        let declarations = lot_path(&t, "declarations");
        let sealed = app.get(&declarations, Some(&b1.token)).json();
        assert_eq!((sealed["appointed"].clone(), sealed["opened"].clone(), sealed["bidders"].clone()), (json!(true), json!(false), json!([])));
        open(&app, &t);
        let d = app.get(&declarations, Some(&b1.token)).json();
        assert_eq!(d["bidders"].as_array().map(Vec::len), Some(3), "{d}");
        assert!(d["bidders"][0]["parties"][0]["kvk_number"].is_string(), "every party of a combination is named");
        assert!(d["bidders"][0].get("bid_id").is_none(), "bidders are numbered, not tied to their bids");
        let names: Vec<&str> = d["bidders"].as_array().into_iter().flatten().filter_map(|b| b["parties"][0]["company_name"].as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_by_key(|n| n.to_lowercase());
        assert_eq!(names, sorted, "in alphabetical order");
        assert_eq!(app.get(&declarations, Some(&outsider.token)).json()["bidders"], json!([]), "not appointed: nothing to see");
        let incomplete = app.post(&declarations, Some(&b1.token), &json!({ "declarations": [{ "bidder": 1, "has_conflict": false }] }));
        assert_eq!(incomplete.invalid_params(), ["declarations[2]", "declarations[3]"], "every bidder needs a declaration: {}", incomplete.body);
        let unexplained: Vec<Value> = (1..=3).map(|n| json!({ "bidder": n, "has_conflict": n == 2 })).collect();
        assert_eq!(app.post(&declarations, Some(&b1.token), &json!({ "declarations": unexplained })).invalid_params(), ["declarations[2].explanation"]);
        let full: Vec<Value> = (1..=3).map(|n| json!({ "bidder": n, "has_conflict": n == 2, "explanation": if n == 2 { "Mijn zus werkt daar." } else { "" } })).collect();
        let done = app.post(&declarations, Some(&b1.token), &json!({ "declarations": full }));
        assert_eq!(done.status, 200, "{}", done.body);
        assert_eq!(done.json()["bidders"][1]["has_conflict"], true);
        assert_eq!(done.json()["declared"], true);
        assert_eq!(app.post(&declarations, Some(&b1.token), &json!({ "declarations": full })).status, 409, "a declaration is final");
        assert_eq!(app.post(&declarations, Some(&outsider.token), &json!({ "declarations": full })).status, 409, "not appointed");
    }

    fn each_bid_gets_proposals_per_knock_out_and_a_failed_one_is_excluded_with_its_reason(app) {
        let (t, bids) = with_bids(&app, "EVAL-2", 2);
        let inkoper = app.user(Role::Inkoper);
        let suitability = lot_path(&t, "suitability");
        assert_eq!(app.get(&suitability, Some(&inkoper.token)).json(), json!({ "opened": false, "bids": [] }));
        let sealed_bid = format!("/api/v1/bids/{}/suitability", bids[0]["id"]);
        assert_eq!(app.put(&sealed_bid, Some(&inkoper.token), &json!({ "decisions": [] })).status, 404, "a sealed bid does not exist yet");
        open(&app, &t);
        let s = app.get(&suitability, Some(&inkoper.token)).json();
        let first = &s["bids"][0];
        let subjects: Vec<&str> = first["proposals"].as_array().into_iter().flatten().filter_map(|p| p["subject"].as_str()).collect();
        assert_eq!(&subjects[..2], ["exclusion_grounds", "kvk"]);
        assert_eq!(subjects.len(), 2 + 4, "the tender's three and perceel 1's Keurmerk");
        let keurmerk = first["proposals"].as_array().into_iter().flatten().find(|p| p["title"].as_str().unwrap_or_default().contains("Keurmerk")).cloned().unwrap_or_default();
        assert_eq!(keurmerk["passes"], true);
        assert!(keurmerk["reason"].as_str().unwrap_or_default().starts_with("Geldig tot 01-01-2029, na de sluitingsdatum"), "{keurmerk}");
        assert_eq!(first["standing"], json!({ "status": "open" }));

        let pass_all: Vec<Value> = subjects.iter().map(|s| json!({ "subject": s, "passes": true, "motivation": "Voldoet, zie voorstel." })).collect();
        let admitted = app.put(&format!("/api/v1/bids/{}/suitability", first["bid_id"]), Some(&inkoper.token), &json!({ "decisions": pass_all }));
        assert_eq!(admitted.status, 200, "{}", admitted.body);
        assert_eq!(admitted.json()["standing"], json!({ "status": "admitted" }));
        let second = format!("/api/v1/bids/{}/suitability", s["bids"][1]["bid_id"]);
        let fail = json!({ "decisions": [{ "subject": "criterion:999", "passes": true, "motivation": "x" }, { "subject": "kvk", "passes": false, "motivation": "" }] });
        assert_eq!(app.put(&second, Some(&inkoper.token), &fail).invalid_params(), ["decisions[0].subject", "decisions[0].motivation", "decisions[1].motivation"]);
        let excluded = app.put(&second, Some(&inkoper.token), &json!({ "decisions": [{ "subject": "kvk", "passes": false, "motivation": "KvK-uittreksel toont een andere rechtsvorm." }] })).json();
        assert_eq!(excluded["standing"], json!({ "status": "excluded", "reasons": ["KvK-nummers: KvK-uittreksel toont een andere rechtsvorm."] }));
        assert_eq!(app.put(&second, Some(&app.user(Role::Beoordelaar).token), &json!({ "decisions": [] })).status, 403);
    }
}
