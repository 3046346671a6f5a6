//! Bekendmaking: corrections and moved deadlines reach every interested aanbieder; a
//! correction asks submitted bids to be confirmed again, a moved deadline does not.

use aanbesteding::domain::deadline::{format_nl, input_value};
use aanbesteding::domain::role::Role;
use chrono::Duration;
use serde_json::{Value, json};

use crate::bidding::submitted_bid;
use crate::both;
use crate::browser::Browser;
use crate::enquiries::{instant, mails_to, published};
use crate::fixtures;
use crate::helpers::{PASSWORD, TestApp, TestUser};

/// The general set-up as published, ready to be corrected.
fn general(t: &Value) -> Value {
    let mut g = fixtures::general(t["reference"].as_str().unwrap_or_default());
    g["question_deadline"] = t["question_deadline"].clone();
    g["submission_deadline"] = t["submission_deadline"].clone();
    g
}

fn follow(app: &TestApp, t: &Value) -> TestUser {
    let u = app.user(Role::Aanbieder);
    assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/interest", t["id"]), Some(&u.token), None).status, 201);
    u
}

both! {
    fn a_correction_is_announced_and_asks_submitted_bids_to_confirm_again(app) {
        let (t, inkoper) = published(&app, "ANN-1");
        let follower = follow(&app, &t);
        let bidder = app.user(Role::Aanbieder);
        let bid = submitted_bid(&app, &t, &bidder);
        let mut lot = fixtures::lot(0);
        lot["ceiling_price"] = json!("15000.00");
        let reason = "Plafondprijs verhoogd na de nieuwe cao voor docenten";
        let r = app.post(&format!("/api/v1/tenders/{}/corrections", t["id"]), Some(&inkoper), &json!({ "reason": reason, "lot_id": t["lots"][0]["id"], "lot": lot }));
        assert_eq!(r.status, 200, "{}", r.body);
        for who in [&follower, &bidder] {
            let (kind, subject, text) = mails_to(&app, &who.email).last().cloned().unwrap_or_default();
            assert_eq!(kind, "correction");
            assert_eq!(subject, "Correctie 1: Leerroutes inburgering Westfriesland (ANN-1)");
            assert!(text.contains(reason) && text.contains("perceel"), "{text}");
            assert!(text.contains("opnieuw bevestigen"), "a bid stands submitted: {text}");
        }
        let corrections = app.get(&format!("/api/v1/tenders/{}/corrections", t["id"]), None).json();
        assert!(corrections[0]["announced_at"].is_string(), "{corrections}");
        assert_eq!(app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token)).json()["needs_reconfirmation"], true);
        let stranger = app.user(Role::Aanbieder);
        assert!(mails_to(&app, &stranger.email).is_empty(), "only interested aanbieders hear of it");
    }

    fn moving_the_submission_deadline_mails_old_and_new_and_needs_no_reconfirmation(app) {
        let (t, inkoper) = published(&app, "ANN-2");
        let follower = follow(&app, &t);
        let bidder = app.user(Role::Aanbieder);
        let bid = submitted_bid(&app, &t, &bidder);
        let (old, new) = (instant(&t["submission_deadline"]), instant(&t["submission_deadline"]) + Duration::days(7));
        let mut g = general(&t);
        g["submission_deadline"] = json!(new.to_rfc3339());
        let r = app.post(&format!("/api/v1/tenders/{}/corrections", t["id"]), Some(&inkoper), &json!({ "reason": "Meer tijd na vragen over het prijzenblad", "tender": g }));
        assert_eq!(r.status, 200, "{}", r.body);
        for who in [&follower, &bidder] {
            let mails = mails_to(&app, &who.email);
            let (kind, subject, text) = mails.last().cloned().unwrap_or_default();
            assert_eq!(kind, "deadline_changed");
            assert_eq!(subject, "Sluitingstermijn gewijzigd: Leerroutes inburgering Westfriesland (ANN-2)");
            assert!(text.contains(&format!("was:   {}", format_nl(old))) && text.contains(&format!("wordt: {}", format_nl(new))), "{text}");
            assert!(!mails.iter().any(|m| m.0 == "correction"), "only the deadline moved: no correction message");
        }
        assert_eq!(app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token)).json()["needs_reconfirmation"], false);
    }

    fn a_deadline_that_has_passed_cannot_be_moved(app) {
        let (t, inkoper) = published(&app, "ANN-3");
        let follower = follow(&app, &t);
        let deadline = instant(&t["submission_deadline"]);
        app.clock.set(deadline + Duration::minutes(1));
        let mut g = general(&t);
        g["submission_deadline"] = json!((deadline + Duration::days(7)).to_rfc3339());
        let r = app.post(&format!("/api/v1/tenders/{}/corrections", t["id"]), Some(&inkoper), &json!({ "reason": "Te laat bedacht dat er meer tijd nodig is", "tender": g }));
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.invalid_params(), ["submission_deadline"]);
        assert!(r.body.contains("verstreken"), "{}", r.body);
        assert!(mails_to(&app, &follower.email).is_empty(), "nothing was announced");
        assert_eq!(app.get(&format!("/api/v1/tenders/{}", t["id"]), None).json()["submission_deadline"], t["submission_deadline"]);
    }

    fn a_deadline_moved_through_the_form_is_announced(app) {
        let (t, _) = published(&app, "ANN-4");
        let follower = follow(&app, &t);
        let inkoper = app.user(Role::Inkoper);
        let b = Browser::new(&app);
        b.login(&inkoper.email, PASSWORD);
        let new = instant(&t["submission_deadline"]) + Duration::days(3);
        let question = input_value(instant(&t["question_deadline"]));
        let submission = input_value(new);
        let mut fields: Vec<(&str, &str)> = vec![
            ("title", t["title"].as_str().unwrap_or_default()), ("reference", "ANN-4"), ("procedure", "social_services"),
            ("description", t["description"].as_str().unwrap_or_default()), ("lead_municipality", t["lead_municipality"]["cbs_code"].as_str().unwrap_or_default()),
            ("question_deadline", &question), ("submission_deadline", &submission), ("standstill_days", "20"), ("standstill_reason", ""),
            ("rounding.decimals", "2"), ("rounding.mode", "half_up"), ("correction_reason", "Drie dagen extra vanwege de feestdagen"),
        ];
        for m in t["municipalities"].as_array().into_iter().flatten() {
            fields.push(("municipalities", m["cbs_code"].as_str().unwrap_or_default()));
        }
        let r = b.post_form(&format!("/aanbestedingen/{}/bewerken", t["id"]), &fields);
        assert_eq!(r.status, 303, "{}", r.body);
        let (kind, _, text) = mails_to(&app, &follower.email).last().cloned().unwrap_or_default();
        assert_eq!(kind, "deadline_changed", "{text}");
        assert!(text.contains(&format_nl(new)) && text.contains("Drie dagen extra"), "{text}");
    }

    fn a_correction_that_changes_nothing_is_refused(app) {
        let (t, inkoper) = published(&app, "ANN-5");
        let r = app.post(&format!("/api/v1/tenders/{}/corrections", t["id"]), Some(&inkoper), &json!({ "reason": "Niets gewijzigd, toch vastgelegd", "tender": general(&t) }));
        assert_eq!(r.status, 409, "{}", r.body);
        assert_eq!(app.get(&format!("/api/v1/tenders/{}/corrections", t["id"]), None).json(), json!([]));
    }

    fn after_the_deadline_a_correction_is_announced_but_asks_no_confirmation(app) {
        let (t, inkoper) = published(&app, "ANN-6");
        let bidder = app.user(Role::Aanbieder);
        let bid = submitted_bid(&app, &t, &bidder);
        app.clock.set(instant(&t["submission_deadline"]) + Duration::hours(1));
        let mut g = general(&t);
        g["description"] = json!("Omschrijving met een verbeterde typfout.");
        let r = app.post(&format!("/api/v1/tenders/{}/corrections", t["id"]), Some(&inkoper), &json!({ "reason": "Typfout in de omschrijving hersteld", "tender": g }));
        assert_eq!(r.status, 200, "{}", r.body);
        let (kind, _, text) = mails_to(&app, &bidder.email).last().cloned().unwrap_or_default();
        assert_eq!(kind, "correction");
        assert!(!text.contains("opnieuw bevestigen"), "a bid can no longer be confirmed again: {text}");
        assert_eq!(app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token)).json()["needs_reconfirmation"], false);
    }
}
