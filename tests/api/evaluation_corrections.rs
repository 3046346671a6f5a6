//! Corrections and evidence after the ranking: a final consensus or a recorded suitability
//! decision changes only through a motivated correction, kept with what it was before; evidence
//! is asked of a provisional winner only, and a failed winner is excluded by a correction.

use aanbesteding::domain::role::Role;
use serde_json::{Value, json};

use crate::bidding::{published, submitted_bid};
use crate::both;
use crate::consensus::{consensus_body, score_all};
use crate::evaluation::{lot_path, open, with_bids};
use crate::helpers::{TestApp, TestUser};
use crate::scoring::{declare, ready_for_scoring};

/// Three bids scored 8, 6 and 4 on every criterion by consensus, the prices revealed; with the
/// inkoper, the bids and each bid's aanbieder.
pub fn ranked(app: &TestApp, reference: &str) -> (Value, TestUser, Vec<i64>, Vec<TestUser>) {
    let t = published(app, reference);
    let bidders: Vec<TestUser> = (0..3).map(|_| app.user(Role::Aanbieder)).collect();
    for b in &bidders {
        submitted_bid(app, &t, b);
    }
    open(app, &t);
    let inkoper = app.user(Role::Inkoper);
    let a = app.user(Role::Beoordelaar);
    let bids = ready_for_scoring(app, &t, &inkoper, &[&a]);
    declare(app, &t, &a, None);
    score_all(app, &a, &bids, &[[8, 8, 8, 8], [6, 6, 6, 6], [4, 4, 4, 4]]);
    let view = app.get(&lot_path(&t, "consensus"), Some(&inkoper.token)).json();
    for (bid, points) in bids.iter().zip([[8, 8, 8, 8], [6, 6, 6, 6], [4, 4, 4, 4]]) {
        assert_eq!(
            app.put(
                &format!("/api/v1/bids/{bid}/consensus"),
                Some(&inkoper.token),
                &consensus_body(&view, *bid, points)
            )
            .status,
            200
        );
    }
    assert_eq!(app.call("POST", &lot_path(&t, "price-reveal"), Some(&inkoper.token), None).status, 200);
    (t, inkoper, bids, bidders)
}

fn order(r: &Value) -> Vec<(i64, String)> {
    r["ranking"]["bids"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| (b["bid_id"].as_i64().unwrap_or_default(), b["standing"].as_str().unwrap_or_default().to_owned()))
        .collect()
}

both! {
    fn evidence_is_asked_of_a_provisional_winner_only(app) {
        let (t, inkoper, bids, _) = ranked(&app, "CORR-1");
        let r = app.get(&lot_path(&t, "ranking"), Some(&inkoper.token)).json();
        assert_eq!(order(&r), [(bids[0], "winning".into()), (bids[1], "winning".into()), (bids[2], "not_winning".into())], "two winners on perceel 1");
        let ask = |bid: i64, body: Value| app.post(&format!("/api/v1/bids/{bid}/evidence-requests"), Some(&inkoper.token), &body);
        let body = json!({ "message": "Het Keurmerk-certificaat en een Gedragsverklaring Aanbesteden.", "due_at": "2030-03-01T12:00" });
        let third = ask(bids[2], body.clone());
        assert_eq!(third.status, 409, "{}", third.body);
        assert!(third.body.contains("alleen gevraagd van een voorlopige winnaar"), "{}", third.body);
        assert_eq!(ask(bids[0], json!({ "message": "kort", "due_at": "2001-01-01T12:00" })).invalid_params(), ["message", "due_at"]);
        let asked = ask(bids[0], body);
        assert_eq!(asked.status, 201, "{}", asked.body);
        assert_eq!(asked.json()["evidence_requests"][0]["bid_id"], bids[0]);
        let mails: Vec<String> = {
            use aanbesteding::db::schema::outbox;
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            outbox::table.filter(outbox::kind.eq("evidence_request")).select(outbox::text_body).load(&mut *app.db.conn().expect("conn")).expect("outbox")
        };
        assert_eq!(mails.len(), 1, "one mail to the winner's one user");
        assert!(mails[0].contains("Gedragsverklaring Aanbesteden") && mails[0].contains("1 maart 2030"), "{}", mails[0]);
        assert_eq!(app.post(&format!("/api/v1/bids/{}/evidence-requests", bids[0]), Some(&app.user(Role::Beoordelaar).token), &json!({})).status, 403);
    }

    fn a_final_consensus_and_a_recorded_decision_change_only_through_a_motivated_correction(app) {
        let (t, inkoper, bids, _) = ranked(&app, "CORR-2");
        let view = app.get(&lot_path(&t, "consensus"), Some(&inkoper.token)).json();
        let mut body = consensus_body(&view, bids[2], [10, 10, 10, 10]);
        assert_eq!(app.put(&format!("/api/v1/bids/{}/consensus", bids[2]), Some(&inkoper.token), &body).invalid_params(), ["correction_reason"]);
        body["correction_reason"] = json!("Rekenfout in het verslag van de consensusvergadering hersteld.");
        let corrected = app.put(&format!("/api/v1/bids/{}/consensus", bids[2]), Some(&inkoper.token), &body);
        assert_eq!(corrected.status, 200, "{}", corrected.body);
        let r = app.get(&lot_path(&t, "ranking"), Some(&inkoper.token)).json();
        assert_eq!(order(&r)[0].0, bids[2], "the ranking follows the corrected consensus: {r}");
        assert_eq!(r["corrections"][0]["kind"], "consensus");
        assert_eq!(r["corrections"][0]["before"][0]["points"], 4, "what it was before is kept");
        assert_eq!(r["corrections"][0]["after"][0]["points"], 10);

        // The winner's evidence falls short: excluded by a correction of its suitability.
        let s = app.get(&lot_path(&t, "suitability"), Some(&inkoper.token)).json();
        let keurmerk = s["bids"].as_array().into_iter().flatten().find(|b| b["bid_id"] == bids[2]).and_then(|b| b["proposals"].as_array().cloned()).unwrap_or_default()
            .into_iter().find(|p| p["title"].as_str().unwrap_or_default().contains("Keurmerk")).map(|p| p["subject"].clone()).unwrap_or_default();
        let path = format!("/api/v1/bids/{}/suitability", bids[2]);
        let fail = json!({ "decisions": [{ "subject": keurmerk, "passes": false, "motivation": "Het Keurmerk bleek ingetrokken." }] });
        assert_eq!(app.put(&path, Some(&inkoper.token), &fail).invalid_params(), ["correction_reason"]);
        let mut with_reason = fail.clone();
        with_reason["correction_reason"] = json!("Bewijsstukken van de voorlopige winnaar voldoen niet.");
        let excluded = app.put(&path, Some(&inkoper.token), &with_reason);
        assert_eq!(excluded.json()["standing"]["status"], "excluded", "{}", excluded.body);
        let r = app.get(&lot_path(&t, "ranking"), Some(&inkoper.token)).json();
        assert_eq!(order(&r), [(bids[0], "winning".into()), (bids[1], "winning".into())], "the next bid moves up: {r}");
        assert_eq!(r["corrections"][1]["kind"], "suitability");
        let back = json!({ "decisions": [{ "subject": keurmerk, "passes": true, "motivation": "Toch geldig." }], "correction_reason": "Het Keurmerk is toch geldig gebleken." });
        let readmit = app.put(&path, Some(&inkoper.token), &back);
        assert_eq!(readmit.status, 409, "a bid is not admitted again once prices are visible: {}", readmit.body);
        let kept: usize = {
            use aanbesteding::db::schema::evaluation_corrections as c;
            use diesel::{QueryDsl, RunQueryDsl};
            c::table.count().get_result::<i64>(&mut *app.db.conn().expect("conn")).expect("count") as usize
        };
        assert_eq!(kept, 2, "the refused correction left nothing behind");
        for sql in ["DELETE FROM evaluation_corrections", "UPDATE evaluation_corrections SET reason = 'anders'"] {
            let refused = diesel::RunQueryDsl::execute(diesel::sql_query(sql), &mut *app.db.conn().expect("conn"));
            assert!(refused.is_err(), "{sql}: a correction is kept for good");
        }
    }

    fn a_write_decided_on_an_older_copy_of_the_evaluation_is_refused(app) {
        use aanbesteding::db::evaluation::touch_from;
        use aanbesteding::db::schema::lots;
        use diesel::{QueryDsl, RunQueryDsl};
        let (t, _) = with_bids(&app, "CORR-3", 1);
        let lot_id = t["lots"][0]["id"].as_i64().unwrap_or_default();
        let mut conn = app.db.conn().expect("conn");
        let seen: i64 = lots::table.find(lot_id).select(lots::evaluation_version).first(&mut *conn).expect("version");
        assert!(touch_from(&mut conn, lot_id, seen).is_ok());
        let again = touch_from(&mut conn, lot_id, seen);
        assert!(matches!(again, Err(aanbesteding::errors::Error::Conflict(_))), "a copy older than the last write decides nothing");
        let now: i64 = lots::table.find(lot_id).select(lots::evaluation_version).first(&mut *conn).expect("version");
        assert_eq!(now, seen + 1, "the refused write changed nothing");
    }
}
