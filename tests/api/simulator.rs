//! The simulator: an inkoper tries the demo tender's B1-route with invented bids, on the page and
//! through the API, and gets the figures worked out by hand below.
//!
//! B1-route: quality 25%, 15%, 20% and 10% on 0–10, price 30% relative to lowest, two winners,
//! rounded to two decimals half up. Quality = 2,5·s1 + 1,5·s2 + 2·s3 + 1·s4; price = 30·Pmin/Pi.
//! - Leerhuis Hoorn, € 14.000, 10/8/10/8: 25 + 12 + 20 + 8 = 65; 30·10000/14000 = 21,428571…; 86,43.
//! - Taalhuis West, € 12.000, 8/6/8/6: 20 + 9 + 16 + 6 = 51; 30·10000/12000 = 25; 76,00.
//! - Inburgering Plus, € 10.000, 6/6/6/6: 15 + 9 + 12 + 6 = 42; 30; 72,00.
//! - Gelijk Oplossen, € 10.001, 6/6/6/6: 42 + 30·10000/10001 = 71,997…; 72,00, tied with Inburgering Plus.

use aanbesteding::domain::role::Role;
use serde_json::{Value, json};

use crate::both;
use crate::browser::Browser;
use crate::fixtures;
use crate::helpers::{PASSWORD, TestApp};

fn created(app: &TestApp, token: &str, reference: &str) -> Value {
    let r = app.post("/api/v1/tenders", Some(token), &fixtures::tender(reference));
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

fn bid(t: &Value, name: &str, price: &str, points: [i64; 4]) -> Value {
    let criteria = t["lots"][0]["quality_criteria"].as_array().cloned().unwrap_or_default();
    let scores: Vec<Value> =
        criteria.iter().zip(points).map(|(c, p)| json!({ "criterion_id": c["id"], "points": p })).collect();
    json!({ "name": name, "price": price, "scores": scores })
}

both! {
    fn the_api_ranks_invented_bids_as_worked_out_by_hand(app) {
        let inkoper = app.user(Role::Inkoper);
        let t = created(&app, &inkoper.token, "SIM-API");
        let path = format!("/api/v1/tenders/{}/lots/{}/simulation", t["id"], t["lots"][0]["id"]);
        let body = json!({ "bids": [
            bid(&t, "Taalhuis West", "12000.00", [8, 6, 8, 6]),
            bid(&t, "Inburgering Plus", "10000.00", [6, 6, 6, 6]),
            bid(&t, "Leerhuis Hoorn", "14000.00", [10, 8, 10, 8]),
            bid(&t, "Gelijk Oplossen", "10001.00", [6, 6, 6, 6]),
        ]});
        let r = app.post(&path, Some(&inkoper.token), &body);
        assert_eq!(r.status, 200, "{}", r.body);
        let s = r.json();
        let rows: Vec<(String, String, i64)> = s["bids"].as_array().into_iter().flatten()
            .map(|b| (b["name"].as_str().unwrap_or_default().to_owned(), b["total_rounded"].as_str().unwrap_or_default().to_owned(), b["rank"].as_i64().unwrap_or_default()))
            .collect();
        let expected = [("Leerhuis Hoorn", "86.43", 1), ("Taalhuis West", "76.00", 2), ("Inburgering Plus", "72.00", 3), ("Gelijk Oplossen", "72.00", 3)];
        assert_eq!(rows, expected.map(|(n, t, r)| (n.to_owned(), t.to_owned(), r)));
        let first = &s["bids"][0];
        assert_eq!(first["quality"], "65");
        assert!(first["price_points"].as_str().unwrap_or_default().starts_with("21.4285714285"), "{first}");
        assert_eq!(first["bid_id"], 3, "the position in the request");
        assert_eq!(s["bids"][2]["tie"], "draw_needed");
        // Places 3 and 4 lie below the two winners: reported, but not deciding the award.
        assert_eq!(s["ties"], json!([{ "bid_ids": [2, 4], "total_rounded": "72.00", "first_rank": 3, "last_rank": 4, "decides_award": false, "drawn": false }]));
        assert_eq!(s["award_decided"], true);
        assert_eq!(s["basis"], "highest_total");
    }

    fn the_api_names_each_bad_invented_bid_by_its_field(app) {
        let inkoper = app.user(Role::Inkoper);
        let t = created(&app, &inkoper.token, "SIM-BAD");
        let path = format!("/api/v1/tenders/{}/lots/{}/simulation", t["id"], t["lots"][0]["id"]);
        let above = app.post(&path, Some(&inkoper.token), &json!({ "bids": [bid(&t, "Te duur", "14500.01", [6; 4]), bid(&t, "Geen stap", "12000", [6, 5, 6, 6])] }));
        assert_eq!(above.status, 422, "{}", above.body);
        assert!(above.content_type.starts_with("application/problem+json"));
        assert_eq!(above.invalid_params(), ["bids[1].scores[1].points", "bids[0].price"]);
        assert!(above.body.contains("plafondprijs van € 14.500,00"), "{}", above.body);
        let empty = app.post(&path, Some(&inkoper.token), &json!({ "bids": [] }));
        assert_eq!(empty.invalid_params(), ["bids"]);
        let unnamed = app.post(&path, Some(&inkoper.token), &json!({ "bids": [{ "name": " ", "scores": [] }] }));
        assert_eq!(unnamed.invalid_params(), ["bids[0].name", "bids[0].price"]);
        let elsewhere = format!("/api/v1/tenders/{}/lots/999999/simulation", t["id"]);
        assert_eq!(app.post(&elsewhere, Some(&inkoper.token), &json!({ "bids": [] })).status, 404);
    }

    fn the_simulator_page_shows_the_ranking_and_the_tie_a_draw_must_decide(app) {
        let inkoper = app.user(Role::Inkoper);
        let t = created(&app, &inkoper.token, "SIM-PAGE");
        let b = Browser::new(&app);
        b.login(&inkoper.email, PASSWORD);
        let page = format!("/aanbestedingen/{}/percelen/{}/simulator", t["id"], t["lots"][0]["id"]);
        assert!(b.get(&format!("/aanbestedingen/{}", t["id"])).body.contains(&format!("href=\"{page}\"")), "link from the perceel");
        let form = b.get(&page);
        assert_eq!(form.status, 200);
        assert!(form.body.contains("8 – Goed: concreet") && form.body.contains("<label for=\"bids-0-scores-3\">"), "the scale's steps");
        // Row 1 stays empty and is ignored. Taalhuis West 76,00 wins; the two at 72,00 share places 2 and 3.
        let filled = b.post_form(&page, &[
            ("bids[0].name", "Inburgering Plus"), ("bids[0].price", "10.000,00"),
            ("bids[0].scores[0]", "6"), ("bids[0].scores[1]", "6"), ("bids[0].scores[2]", "6"), ("bids[0].scores[3]", "6"),
            ("bids[1].name", ""), ("bids[1].price", ""), ("bids[1].scores[0]", ""),
            ("bids[2].name", "Gelijk Oplossen"), ("bids[2].price", "10.001,00"),
            ("bids[2].scores[0]", "6"), ("bids[2].scores[1]", "6"), ("bids[2].scores[2]", "6"), ("bids[2].scores[3]", "6"),
            ("bids[3].name", "Taalhuis West"), ("bids[3].price", "12.000,00"),
            ("bids[3].scores[0]", "8"), ("bids[3].scores[1]", "6"), ("bids[3].scores[2]", "8"), ("bids[3].scores[3]", "6"),
        ]);
        assert_eq!(filled.status, 200, "{}", filled.body);
        let body = &filled.body;
        for text in ["<strong>76,00</strong>", "<strong>72,00</strong>", "€ 10.001,00", "29,997", "Gelijke stand</strong> op 72,00: Inburgering Plus en Gelijk Oplossen (plaats 2 tot en met 3)", "Deze gelijke stand beslist wie gegund wordt", "loting beslist"] {
            assert!(body.contains(text), "{text}: {body}");
        }
        assert!(body.find("Taalhuis West</th>") < body.find("Inburgering Plus</th>"), "highest total first");
        let bad = b.post_form(&page, &[("bids[0].name", "Taalhuis"), ("bids[0].price", "veertien"), ("bids[0].scores[0]", "6")]);
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("id=\"bids-0-price-fout\"") && bad.body.contains("is geen getal"), "{}", bad.body);
        assert!(bad.body.contains("id=\"bids-0-scores-1-fout\"") && bad.body.contains("Kies een score."));
        let none = b.post_form(&page, &[]);
        assert_eq!(none.status, 422);
        assert!(none.body.contains("Vul minstens één bedachte inschrijving in."));
    }
}

both! {
    fn gunnen_op_waarde_with_a_malus_step_ranks_the_lowest_fictive_price_first(app) {
        // Values € 2.000, € 1.000 (on a scale with a malus step of −5), € 500 and € 500; earned = value × points / 10.
        // A: € 14.000 − (1600 + 1000 + 300 + 300 = € 3.200) = € 10.800.
        // B: € 13.000 − (800 − 500 + 200 + 200 = € 700) = € 12.300; without the malus it would be € 11.800.
        let inkoper = app.user(Role::Inkoper);
        let mut doc = fixtures::tender("SIM-WAARDE");
        let malus = json!({ "name": "Met malus", "steps": [
            { "points": -5, "descriptor": "Risico voor de inburgeraar" }, { "points": 0, "descriptor": "Niets" },
            { "points": 5, "descriptor": "Voldoende" }, { "points": 10, "descriptor": "Goed" }] });
        if let Some(scales) = doc["scales"].as_array_mut() {
            scales.push(malus);
        }
        doc["lots"][0]["price"] = json!({ "formula": "value_for_money", "weight_percent": "0" });
        for (i, value) in ["2000.00", "1000.00", "500.00", "500.00"].iter().enumerate() {
            doc["lots"][0]["quality_criteria"][i]["weight_percent"] = "0".into();
            doc["lots"][0]["quality_criteria"][i]["value"] = (*value).into();
        }
        doc["lots"][0]["quality_criteria"][1]["scale"] = "Met malus".into();
        let r = app.post("/api/v1/tenders", Some(&inkoper.token), &doc);
        assert_eq!(r.status, 201, "{}", r.body);
        let t = r.json();
        let path = format!("/api/v1/tenders/{}/lots/{}/simulation", t["id"], t["lots"][0]["id"]);
        let body = json!({ "bids": [bid(&t, "B", "13000.00", [4, -5, 4, 4]), bid(&t, "A", "14000.00", [8, 10, 6, 6])] });
        let s = app.post(&path, Some(&inkoper.token), &body).json();
        assert_eq!(s["basis"], "lowest_fictive_price");
        let rows: Vec<(Value, Value, Value)> = s["bids"].as_array().into_iter().flatten()
            .map(|b| (b["name"].clone(), b["total_rounded"].clone(), b["quality"].clone())).collect();
        assert_eq!(rows, [(json!("A"), json!("10800.00"), json!("3200")), (json!("B"), json!("12300.00"), json!("700"))]);
        assert_eq!(s["bids"][1]["criteria"][1]["score"], "-500");
        assert_eq!(s["bids"][1]["price_points"], Value::Null);
        let b = Browser::new(&app);
        b.login(&inkoper.email, PASSWORD);
        let page = b.post_form(&format!("/aanbestedingen/{}/percelen/{}/simulator", t["id"], t["lots"][0]["id"]), &[
            ("bids[0].name", "B"), ("bids[0].price", "13.000,00"),
            ("bids[0].scores[0]", "4"), ("bids[0].scores[1]", "-5"), ("bids[0].scores[2]", "4"), ("bids[0].scores[3]", "4"),
        ]);
        assert_eq!(page.status, 200, "{}", page.body);
        for text in ["Fictieve prijs (afgerond)", "<strong>€ 12.300,00</strong>", "€ -500,00"] {
            assert!(page.body.contains(text), "{text}: {}", page.body);
        }
    }
}
