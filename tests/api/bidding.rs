//! Test data for bids: a published tender, complete contents, a filled-in prijzenblad.

use aanbesteding::db::tender;
use aanbesteding::domain::price_sheet::Workbook;
use aanbesteding::domain::role::Role;
use aanbesteding::excel::price_sheet::write_with;
use serde_json::{Value, json};

use crate::fixtures;
use crate::helpers::{TestApp, TestUser};

pub const PLAN: &[u8] = b"%PDF-1.7\nPlan van aanpak B1-route: samen met de bibliotheek en het buurthuis.\n%%EOF";

/// The demo tender under this reference, published by a fresh inkoper.
pub fn published(app: &TestApp, reference: &str) -> Value {
    let token = app.user(Role::Inkoper).token;
    let created = app.post("/api/v1/tenders", Some(&token), &fixtures::tender(reference));
    assert_eq!(created.status, 201, "{}", created.body);
    let r = app.call("POST", &format!("/api/v1/tenders/{}/publish", created.json()["id"]), Some(&token), None);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// The tender's layout as the service sees it now.
pub fn workbook(app: &TestApp, tender_id: &Value) -> Workbook {
    let mut conn = app.db.conn().expect("conn");
    let t = tender::load(&mut conn, tender_id.as_i64().unwrap_or_default()).expect("load").expect("tender");
    Workbook::of(&t)
}

/// The tender's prijzenblad with every price cell filled with `unit_price`.
pub fn filled_sheet(app: &TestApp, tender_id: &Value, unit_price: f64) -> Vec<u8> {
    write_with(&workbook(app, tender_id), &|_, _| Some(unit_price)).expect("prijzenblad")
}

/// Uploads a filled-in prijzenblad into the bid and confirms the prices read from it.
pub fn upload_and_confirm(app: &TestApp, bidder: &TestUser, bid_id: &Value, sheet: &[u8]) -> Value {
    let up = app.upload(&format!("/api/v1/bids/{bid_id}/price-sheet"), &bidder.token, "prijzenblad.xlsx", sheet);
    assert_eq!(up.status, 201, "{}", up.body);
    let confirmation = json!({ "file_id": up.json()["file_id"] });
    let r = app.post(&format!("/api/v1/bids/{bid_id}/price-sheet/confirmation"), Some(&bidder.token), &confirmation);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// The bid's prijzenblad filled in at € 10 a unit, uploaded and confirmed.
pub fn priced(app: &TestApp, bidder: &TestUser, t: &Value, bid_id: &Value) -> Value {
    upload_and_confirm(app, bidder, bid_id, &filled_sheet(app, &t["id"], 10.0))
}

/// Everything the first perceel asks, for the bidder's own company.
pub fn complete_content(t: &Value, bid: &Value) -> Value {
    let lot = &t["lots"][0];
    let mut evidence = serde_json::Map::new();
    for c in t["selection_criteria"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["lot"].is_null() || c["lot"] == lot["number"])
    {
        evidence.insert(c["id"].to_string(), json!({ "reference": format!("bewijs {}", c["title"]), "issued_on": "2026-06-01", "valid_until": "2029-01-01" }));
    }
    let mut answers = serde_json::Map::new();
    for q in lot["quality_criteria"].as_array().into_iter().flatten() {
        answers.insert(q["id"].to_string(), json!(format!("Ons antwoord op {}", q["title"])));
    }
    let mut member = bid["content"]["members"][0].clone();
    member["no_exclusion_grounds"] = json!(true);
    json!({ "members": [member], "evidence": evidence, "answers": answers })
}

/// A bid on the first perceel with everything filled in, its prices confirmed and one
/// document: ready to submit.
pub fn ready_bid(app: &TestApp, t: &Value, bidder: &TestUser) -> Value {
    let bid = app.post(
        &format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]),
        Some(&bidder.token),
        &json!({}),
    );
    assert_eq!(bid.status, 201, "{}", bid.body);
    let bid = bid.json();
    let saved = app.put(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token), &complete_content(t, &bid));
    assert_eq!(saved.status, 200, "{}", saved.body);
    priced(app, bidder, t, &bid["id"]);
    let file = app.upload(&format!("/api/v1/bids/{}/files", bid["id"]), &bidder.token, "plan-van-aanpak.pdf", PLAN);
    assert_eq!(file.status, 201, "{}", file.body);
    let bid = app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token)).json();
    assert_eq!(bid["missing"], json!([]), "{bid}");
    bid
}

/// A complete bid on the first perceel, submitted by `bidder`; the bid as its owner reads it,
/// its receipt first in `receipts`.
pub fn submitted_bid(app: &TestApp, t: &Value, bidder: &TestUser) -> Value {
    let bid = ready_bid(app, t, bidder);
    let r = app.call("POST", &format!("/api/v1/bids/{}/submission", bid["id"]), Some(&bidder.token), None);
    assert_eq!(r.status, 201, "{}", r.body);
    app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token)).json()
}
