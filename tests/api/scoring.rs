//! Individual scoring: only appointed assessors without a conflict score admitted bids, never
//! see prices nor each other's scores, and what they lock stays locked.

use aanbesteding::domain::role::Role;
use serde_json::{Value, json};

use crate::both;
use crate::evaluation::{lot_path, open, with_bids};
use crate::fixtures;
use crate::helpers::{TestApp, TestUser};

/// Appoints the assessors to perceel 1 and admits every bid; returns the bid ids.
pub fn ready_for_scoring(app: &TestApp, t: &Value, inkoper: &TestUser, assessors: &[&TestUser]) -> Vec<i64> {
    let ids: Vec<i64> = assessors.iter().map(|a| a.id).collect();
    assert_eq!(app.put(&lot_path(t, "committee"), Some(&inkoper.token), &json!({ "assessors": ids })).status, 200);
    let s = app.get(&lot_path(t, "suitability"), Some(&inkoper.token)).json();
    let mut bids = Vec::new();
    for b in s["bids"].as_array().into_iter().flatten() {
        let decisions: Vec<Value> = b["proposals"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| json!({ "subject": p["subject"], "passes": true, "motivation": "Voldoet." }))
            .collect();
        let r = app.put(
            &format!("/api/v1/bids/{}/suitability", b["bid_id"]),
            Some(&inkoper.token),
            &json!({ "decisions": decisions }),
        );
        assert_eq!(r.json()["standing"]["status"], "admitted", "{}", r.body);
        bids.push(b["bid_id"].as_i64().unwrap_or_default());
    }
    bids
}

/// The assessor declares no conflict with any bidder, except with the one that made bid
/// `conflict`; bidders are known to the declaration by name and number only.
pub fn declare(app: &TestApp, t: &Value, assessor: &TestUser, conflict: Option<i64>) {
    let names: Vec<(i64, String)> = app
        .get(&format!("/api/v1/tenders/{}/opened-bids", t["id"]), Some(&app.user(Role::Inkoper).token))
        .json()
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            (
                b["id"].as_i64().unwrap_or_default(),
                b["content"]["members"][0]["company_name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let with_conflict = names.iter().find(|(id, _)| Some(*id) == conflict).map(|(_, n)| n.clone());
    let d = app.get(&lot_path(t, "declarations"), Some(&assessor.token)).json();
    let list: Vec<Value> = d["bidders"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| {
            let conflicted =
                Some(b["parties"][0]["company_name"].as_str().unwrap_or_default().to_owned()) == with_conflict;
            json!({ "bidder": b["number"], "has_conflict": conflicted, "explanation": "Oud-collega werkt daar." })
        })
        .collect();
    let r = app.post(&lot_path(t, "declarations"), Some(&assessor.token), &json!({ "declarations": list }));
    assert_eq!(r.status, 200, "{}", r.body);
}

/// Scores with these points per criterion, motivated, for the bid's four criteria.
pub fn scores(sheet: &Value, points: &[i32]) -> Value {
    let list: Vec<Value> = sheet["criteria"].as_array().into_iter().flatten().zip(points).map(|(c, p)| json!({ "criterion_id": c["id"], "points": p, "motivation": format!("Onderbouwd met het plan: {p} punten.") })).collect();
    json!({ "scores": list })
}

both! {
    fn an_appointed_assessor_scores_an_admitted_bid_and_locks_it_for_good(app) {
        let (t, _) = with_bids(&app, "SCORE-1", 3);
        open(&app, &t);
        let inkoper = app.user(Role::Inkoper);
        let (a, b, outsider) = (app.user(Role::Beoordelaar), app.user(Role::Beoordelaar), app.user(Role::Beoordelaar));
        let bids = ready_for_scoring(&app, &t, &inkoper, &[&a, &b]);
        let sheet_of = |who: &TestUser, bid: i64| app.get(&format!("/api/v1/bids/{bid}/score-sheet"), Some(&who.token));
        assert_eq!(sheet_of(&a, bids[0]).status, 409, "declare first");
        declare(&app, &t, &a, Some(bids[2]));
        assert_eq!(sheet_of(&a, bids[2]).status, 409, "a declared conflict keeps the assessor away");
        assert_eq!(sheet_of(&outsider, bids[0]).status, 404, "another perceel's assessor does not find it");
        let sheet = sheet_of(&a, bids[0]);
        assert_eq!(sheet.status, 200, "{}", sheet.body);
        let s = sheet.json();
        assert_eq!(s["criteria"].as_array().map(Vec::len), Some(4));
        assert_eq!(s["criteria"][0]["steps"].as_array().map(Vec::len), Some(6), "the published 0-10 scale");
        assert!(s["criteria"][0]["answer"].as_str().unwrap_or_default().starts_with("Ons antwoord op"));
        assert_eq!(s["documents"].as_array().map(|d| d.iter().map(|f| f["name"].as_str().unwrap_or_default().to_owned()).collect::<Vec<_>>()), Some(vec!["plan-van-aanpak.pdf".to_owned()]), "the prijzenblad is not shown");
        for word in ["price", "prijs", "total_cents", "cents"] {
            assert!(!sheet.body.to_lowercase().contains(word), "no prices for assessors: {word}");
        }

        let path = format!("/api/v1/bids/{}/scores", bids[0]);
        assert_eq!(app.put(&path, Some(&a.token), &scores(&s, &[3, 4, 6, 8])).invalid_params(), ["scores[0].points"], "3 is no step of 0-2-4-6-8-10");
        let mut twice = scores(&s, &[6, 4, 8, 10]);
        twice["scores"][1]["criterion_id"] = s["criteria"][0]["id"].clone();
        assert_eq!(app.put(&path, Some(&a.token), &twice).invalid_params(), ["scores[1].criterion_id"], "one score per criterion");
        let draft = app.put(&path, Some(&a.token), &json!({ "scores": [{ "criterion_id": s["criteria"][0]["id"], "points": 6 }] }));
        assert_eq!(draft.status, 200, "{}", draft.body);
        let unmotivated = app.call("POST", &format!("{path}/lock"), Some(&a.token), None);
        assert_eq!(unmotivated.status, 422, "every criterion scored and motivated: {}", unmotivated.body);
        assert_eq!(app.put(&path, Some(&a.token), &scores(&s, &[6, 4, 8, 10])).status, 200);
        let locked = app.call("POST", &format!("{path}/lock"), Some(&a.token), None);
        assert_eq!(locked.status, 200, "{}", locked.body);
        let hash = locked.json()["sha256"].as_str().unwrap_or_default().to_owned();
        assert_eq!(hash.len(), 64);
        let unexplained = app.put(&path, Some(&a.token), &scores(&s, &[0, 0, 0, 0]));
        assert_eq!(unexplained.invalid_params(), ["correction_reason"], "locked changes only through a motivated correction: {}", unexplained.body);
        let mut correction = scores(&s, &[6, 4, 8, 8]);
        correction["correction_reason"] = json!("Criterium 4 verkeerd gelezen: de planning staat op bladzijde 12.");
        let corrected = app.put(&path, Some(&a.token), &correction);
        assert_eq!(corrected.status, 200, "{}", corrected.body);
        assert_eq!(corrected.json()["scores"][3]["points"], 8);
        assert_eq!(corrected.json()["locked"], true, "a correction keeps the scores locked");
        assert_eq!(app.call("POST", &format!("{path}/lock"), Some(&a.token), None).status, 409);
        let recorded: Vec<String> = {
            use aanbesteding::db::schema::audit_log;
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            audit_log::table.filter(audit_log::action.eq("scores.locked")).select(audit_log::subject).load(&mut *app.db.conn().expect("conn")).expect("audit")
        };
        assert_eq!(recorded.len(), 1);
        assert!(recorded[0].contains(&hash), "the hash is in the audit log: {recorded:?}");
        let corrections: Vec<(String, String, String)> = {
            use aanbesteding::db::schema::evaluation_corrections as c;
            use diesel::{QueryDsl, RunQueryDsl};
            c::table.select((c::kind, c::reason, c::before_json)).load(&mut *app.db.conn().expect("conn")).expect("corrections")
        };
        assert_eq!(corrections.len(), 1);
        assert_eq!((corrections[0].0.as_str(), corrections[0].1.as_str()), ("scores", "Criterium 4 verkeerd gelezen: de planning staat op bladzijde 12."));
        assert!(corrections[0].2.contains("\"points\":10"), "what it was before is kept: {}", corrections[0].2);

        declare(&app, &t, &b, None);
        let other = sheet_of(&b, bids[0]).json();
        assert_eq!(other["scores"], json!([]), "another assessor's scores are not shown, not even once locked");
        assert_eq!(other["locked"], false);
    }

    fn with_anonymous_evaluation_assessors_see_codes_not_names(app) {
        let inkoper = app.user(Role::Inkoper);
        let mut input = fixtures::tender("SCORE-2");
        input["anonymous_evaluation"] = json!(true);
        let created = app.post("/api/v1/tenders", Some(&inkoper.token), &input).json();
        let t = app.call("POST", &format!("/api/v1/tenders/{}/publish", created["id"]), Some(&inkoper.token), None).json();
        assert_eq!(t["anonymous_evaluation"], true);
        for _ in 0..2 {
            crate::bidding::submitted_bid(&app, &t, &app.user(Role::Aanbieder));
        }
        open(&app, &t);
        let a = app.user(Role::Beoordelaar);
        let bids = ready_for_scoring(&app, &t, &inkoper, &[&a]);
        declare(&app, &t, &a, None);
        let mut labels = Vec::new();
        for id in &bids {
            let sheet = app.get(&format!("/api/v1/bids/{id}/score-sheet"), Some(&a.token));
            assert!(!sheet.body.contains("Taalschool"), "no bidder names: {}", sheet.body);
            labels.push(sheet.json()["label"].as_str().unwrap_or_default().to_owned());
        }
        labels.sort();
        assert_eq!(labels, ["Inschrijving A", "Inschrijving B"]);
    }

    fn a_bid_not_yet_admitted_is_not_scored(app) {
        let (t, bids) = with_bids(&app, "SCORE-3", 1);
        open(&app, &t);
        let inkoper = app.user(Role::Inkoper);
        let a = app.user(Role::Beoordelaar);
        assert_eq!(app.put(&lot_path(&t, "committee"), Some(&inkoper.token), &json!({ "assessors": [a.id] })).status, 200);
        let id = bids[0]["id"].as_i64().unwrap_or_default();
        declare(&app, &t, &a, None);
        let r = app.get(&format!("/api/v1/bids/{id}/score-sheet"), Some(&a.token));
        assert_eq!(r.status, 409);
        assert!(r.body.contains("nog niet beoordeeld"), "{}", r.body);
    }
}
