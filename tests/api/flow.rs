//! The whole flow through the API: an aanbieder registers and confirms its address, bids with a
//! prijzenblad and a document, submits; after the deadline two inkopers open the vault.

use aanbesteding::domain::role::Role;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::bidding::{PLAN, complete_content, filled_sheet, published, upload_and_confirm};
use crate::both;
use crate::helpers::{TestApp, TestUser};

/// Registers a company through the API and confirms the address with the token from the mail.
fn registered(app: &TestApp) -> TestUser {
    let email = "info@taalkracht.example";
    let password = "een-sterk-wachtwoord-2";
    let body = json!({
        "company_name": "Taalkracht Westfriesland BV", "kvk_number": "8765.4321", "street": "Kleine Oost 3",
        "postal_code": "1621 gr", "city": "Hoorn", "contact_name": "Joris de Boer", "phone": "0229 987 654",
        "email": email, "password": password,
    });
    let r = app.post("/api/v1/registrations", None, &body);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["email_verified"], false);
    let refused = app.post("/api/v1/auth/token", None, &json!({ "email": email, "password": password }));
    assert_eq!(refused.status, 403, "not before the address is confirmed: {}", refused.body);
    let mail = app.last_mail_to(email);
    let token = mail.split("token=").nth(1).and_then(|t| t.split_whitespace().next()).unwrap_or_default();
    let verified = app.post("/api/v1/registrations/verification", None, &json!({ "token": token }));
    assert_eq!(verified.status, 204, "{}", verified.body);
    let login = app.post("/api/v1/auth/token", None, &json!({ "email": email, "password": password }));
    assert_eq!(login.status, 200, "{}", login.body);
    TestUser { id: 0, email: email.into(), token: login.json()["access_token"].as_str().unwrap_or_default().into() }
}

fn deadline(t: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(t["submission_deadline"].as_str().unwrap_or_default())
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

both! {
    fn an_aanbieder_goes_from_registration_to_a_bid_opened_by_two_inkopers(app) {
        let t = published(&app, "FLOW-1");
        let bidder = registered(&app);
        let bid = app.post(&format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]), Some(&bidder.token), &json!({}));
        assert_eq!(bid.status, 201, "{}", bid.body);
        let bid = bid.json();
        assert_eq!(bid["content"]["members"][0]["kvk_number"], "87654321", "the bid starts with the registered company");
        let path = format!("/api/v1/bids/{}", bid["id"]);
        assert_eq!(app.put(&path, Some(&bidder.token), &complete_content(&t, &bid)).status, 200);
        let sheet = filled_sheet(&app, &t["id"], 20.0);
        upload_and_confirm(&app, &bidder, &bid["id"], &sheet);
        assert_eq!(app.upload(&format!("{path}/files"), &bidder.token, "plan.pdf", PLAN).status, 201);
        let counts_url = format!("/api/v1/tenders/{}/bid-counts", t["id"]);
        let (a, b) = (app.user(Role::Inkoper), app.user(Role::Inkoper));
        assert_eq!(app.get(&counts_url, Some(&a.token)).json()[0]["submitted"], 0, "a draft is not a bid");
        let receipt = app.call("POST", &format!("{path}/submission"), Some(&bidder.token), None);
        assert_eq!(receipt.status, 201, "{}", receipt.body);
        let receipt = receipt.json();
        let hashes: Vec<&str> = receipt["files"].as_array().into_iter().flatten().filter_map(|f| f["sha256"].as_str()).collect();
        let expected = [hex::encode(Sha256::digest(&sheet)), hex::encode(Sha256::digest(PLAN))];
        assert_eq!(hashes, expected.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(app.last_mail_to(&bidder.email).contains(&expected[1]), "the receipt is mailed with the hashes");
        assert_eq!(app.get(&counts_url, Some(&a.token)).json()[0]["submitted"], 1, "staff see the count and nothing more");
        let sealed = app.get(&format!("/api/v1/tenders/{}/opened-bids", t["id"]), Some(&a.token));
        assert_eq!(sealed.status, 409, "sealed before the deadline");

        app.clock.set(deadline(&t) + Duration::minutes(3));
        assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&a.token), None).status, 202);
        assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&a.token), None).status, 409, "not twice by the same inkoper");
        let opened = app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&b.token), None);
        assert_eq!(opened.status, 200, "{}", opened.body);
        let entry = &opened.json()["report"]["bids"][0];
        assert_eq!(entry["company"], "Taalkracht Westfriesland BV");
        assert_eq!(entry["receipt_number"], receipt["receipt_number"]);
        assert_eq!(entry["files"].as_array().map(Vec::len), Some(2));
        let bids = app.get(&format!("/api/v1/tenders/{}/opened-bids", t["id"]), Some(&b.token)).json();
        assert!(bids[0]["content"]["answers"].is_object(), "the contents are readable now");
        assert!(bids[0]["price_sheet"].is_null(), "prices stay hidden until the consensus is final");
        assert!(app.last_mail_to(&bidder.email).contains("geopend"), "the bidder is told of the opening");
    }
}
