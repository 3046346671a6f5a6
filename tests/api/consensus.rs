//! Consensus, prices and the ranking: the consensus view opens when every assessor has locked,
//! the prices appear only once it is final, and a tie that decides the award follows a draw.

use aanbesteding::domain::role::Role;
use serde_json::{Value, json};

use crate::both;
use crate::evaluation::{lot_path, open, with_bids};
use crate::helpers::{TestApp, TestUser};
use crate::scoring::{declare, ready_for_scoring, scores};

/// The assessor scores and locks every bid with these points on each criterion.
pub fn score_all(app: &TestApp, a: &TestUser, bids: &[i64], points: &[[i32; 4]]) {
    for (bid, p) in bids.iter().zip(points) {
        let sheet = app.get(&format!("/api/v1/bids/{bid}/score-sheet"), Some(&a.token)).json();
        assert_eq!(app.put(&format!("/api/v1/bids/{bid}/scores"), Some(&a.token), &scores(&sheet, p)).status, 200);
        assert_eq!(app.call("POST", &format!("/api/v1/bids/{bid}/scores/lock"), Some(&a.token), None).status, 200);
    }
}

pub fn consensus_body(view: &Value, bid: i64, points: [i32; 4]) -> Value {
    let entry = view["bids"].as_array().into_iter().flatten().find(|b| b["bid_id"] == bid).cloned().unwrap_or_default();
    let list: Vec<Value> = entry["criteria"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(points)
        .map(|(c, p)| {
            json!({
                "criterion_id": c["criterion_id"], "points": p,
                "internal_motivation": "Besproken in de commissie op 3 februari.",
                "external_motivation": "Het plan verbindt taal en werk met lokale partners in elke gemeente.",
            })
        })
        .collect();
    json!({ "scores": list })
}

both! {
    fn consensus_then_prices_then_a_ranking_that_follows_the_draw(app) {
        let (t, _) = with_bids(&app, "CONS-1", 3);
        open(&app, &t);
        let inkoper = app.user(Role::Inkoper);
        let (a, b) = (app.user(Role::Beoordelaar), app.user(Role::Beoordelaar));
        let bids = ready_for_scoring(&app, &t, &inkoper, &[&a, &b]);
        declare(&app, &t, &a, None);
        declare(&app, &t, &b, None);
        let consensus = lot_path(&t, "consensus");
        score_all(&app, &a, &bids, &[[10, 8, 8, 8], [6, 6, 6, 6], [6, 6, 6, 6]]);
        let half = app.get(&consensus, Some(&inkoper.token)).json();
        assert_eq!(half["ready"], false);
        assert_eq!(half["bids"], json!([]), "no scores are shown while an assessor is still at work");
        assert!(half["waiting"].to_string().contains("Test Gebruiker"), "{half}");
        let early = app.put(&format!("/api/v1/bids/{}/consensus", bids[0]), Some(&inkoper.token), &json!({ "scores": [] }));
        assert_eq!(early.status, 409);
        score_all(&app, &b, &bids, &[[6, 8, 8, 8], [6, 6, 6, 6], [6, 6, 6, 6]]);

        let view = app.get(&consensus, Some(&inkoper.token)).json();
        assert_eq!(view["ready"], true, "{view}");
        let first = view["bids"].as_array().into_iter().flatten().find(|x| x["bid_id"] == bids[0]).cloned().unwrap_or_default();
        assert_eq!(first["criteria"][0]["spread"]["steps"], 2, "10 and 6 are two steps apart on 0-2-4-6-8-10");
        assert_eq!(first["criteria"][0]["spread"]["outlier"], true);
        assert_eq!(first["criteria"][1]["spread"]["outlier"], false);
        assert_eq!(first["criteria"][0]["scores"].as_array().map(Vec::len), Some(2));
        assert_eq!(app.get(&consensus, Some(&a.token)).status, 403, "assessors do not see the consensus view");

        let ranking = lot_path(&t, "ranking");
        assert_eq!(app.get(&ranking, Some(&inkoper.token)).status, 409, "no prices before the consensus is final");
        let opened = app.get(&format!("/api/v1/tenders/{}/opened-bids", t["id"]), Some(&inkoper.token)).json();
        assert!(opened[0]["price_sheet"].is_null(), "not for the inkoper either");
        let unmotivated = json!({ "scores": [{ "criterion_id": first["criteria"][0]["criterion_id"], "points": 8, "internal_motivation": "", "external_motivation": "" }] });
        assert_eq!(app.put(&format!("/api/v1/bids/{}/consensus", bids[0]), Some(&inkoper.token), &unmotivated).invalid_params(), ["scores[0].internal_motivation", "scores[0].external_motivation"]);
        for (bid, points) in bids.iter().zip([[8, 8, 8, 8], [6, 6, 6, 6], [6, 6, 6, 6]]) {
            let r = app.put(&format!("/api/v1/bids/{bid}/consensus"), Some(&inkoper.token), &consensus_body(&view, *bid, points));
            assert_eq!(r.status, 200, "{}", r.body);
        }
        let reveal = lot_path(&t, "price-reveal");
        assert_eq!(app.call("POST", &reveal, Some(&inkoper.token), None).status, 200);
        assert_eq!(app.call("POST", &reveal, Some(&inkoper.token), None).status, 409, "once");
        let unexplained = app.put(&format!("/api/v1/bids/{}/consensus", bids[0]), Some(&inkoper.token), &consensus_body(&view, bids[0], [10, 10, 10, 10]));
        assert_eq!(unexplained.invalid_params(), ["correction_reason"], "final changes only through a motivated correction");

        let r = app.get(&ranking, Some(&inkoper.token)).json();
        // All prices € 6.440,00: 30 price points each. Quality 70 × 8/10 = 56 and 70 × 6/10 = 42.
        let total = |bid: i64| r["ranking"]["bids"].as_array().into_iter().flatten().find(|x| x["bid_id"] == bid).map(|x| x["total_rounded"].clone()).unwrap_or_default();
        assert_eq!((total(bids[0]), total(bids[1]), total(bids[2])), (json!("86.00"), json!("72.00"), json!("72.00")), "{r}");
        assert_eq!(r["ranking"]["award_decided"], false, "two winners, and places 2 and 3 are tied");
        let tie = &r["ranking"]["ties"][0];
        assert_eq!(tie["decides_award"], true);
        let opened = app.get(&format!("/api/v1/tenders/{}/opened-bids", t["id"]), Some(&inkoper.token)).json();
        assert_eq!(opened[0]["price_sheet"]["prices"]["total_cents"], 644_000, "prices visible now");

        let draws = lot_path(&t, "draws");
        let wrong = app.post(&draws, Some(&inkoper.token), &json!({ "bid_ids": [bids[0], bids[1]], "scheduled_at": "2030-02-01T10:00", "place": "Stadhuis Hoorn", "conducted_by": "Notaris De Vries" }));
        assert_eq!(wrong.invalid_params(), ["bid_ids"], "only a real tie is drawn");
        let announced = app.post(&draws, Some(&inkoper.token), &json!({ "bid_ids": [bids[2], bids[1]], "scheduled_at": "2030-02-01T10:00", "place": "Stadhuis Hoorn, kamer 2.14", "conducted_by": "Notaris De Vries" }));
        assert_eq!(announced.status, 201, "{}", announced.body);
        let invited: Vec<String> = {
            use aanbesteding::db::schema::outbox;
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            outbox::table.filter(outbox::kind.eq("draw_invitation")).select(outbox::text_body).load(&mut *app.db.conn().expect("conn")).expect("outbox")
        };
        assert_eq!(invited.len(), 2, "one invitation to each tied bidder, none to the first");
        assert!(invited[0].contains("Stadhuis Hoorn, kamer 2.14") && invited[0].contains("Notaris De Vries") && invited[0].contains("72,00"), "{}", invited[0]);
        let draw_id = announced.json()["draws"][0]["id"].clone();
        let outcome = json!({ "attendees": "J. de Boer namens de inschrijver", "witnesses": "Notaris De Vries", "outcome": [bids[2], bids[1]] });
        let done = app.put(&format!("{draws}/{draw_id}"), Some(&inkoper.token), &outcome);
        assert_eq!(done.status, 200, "{}", done.body);
        let r = done.json();
        let rank = |bid: i64| r["ranking"]["bids"].as_array().into_iter().flatten().find(|x| x["bid_id"] == bid).map(|x| x["rank"].clone()).unwrap_or_default();
        assert_eq!((rank(bids[0]), rank(bids[2]), rank(bids[1])), (json!(1), json!(2), json!(3)), "the ranking follows the draw: {r}");
        assert_eq!(r["ranking"]["award_decided"], true);
        assert_eq!(app.put(&format!("{draws}/{draw_id}"), Some(&inkoper.token), &outcome).status, 409, "an outcome is recorded once");
    }
}
