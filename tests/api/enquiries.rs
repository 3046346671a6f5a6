//! Vragen en nota van inlichtingen: asked before the question deadline, answered, published as
//! numbered, versioned notas that name nobody, mailed to every interested aanbieder.

use aanbesteding::db::schema::outbox;
use aanbesteding::domain::role::Role;
use chrono::{DateTime, Duration, Utc};
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use serde_json::{Value, json};

use crate::bidding::submitted_bid;
use crate::both;
use crate::fixtures;
use crate::helpers::{TestApp, TestUser};

/// A published tender and the token of the inkoper who made it.
pub fn published(app: &TestApp, reference: &str) -> (Value, String) {
    let token = app.user(Role::Inkoper).token;
    let t = app.post("/api/v1/tenders", Some(&token), &fixtures::tender(reference)).json();
    let r = app.call("POST", &format!("/api/v1/tenders/{}/publish", t["id"]), Some(&token), None);
    assert_eq!(r.status, 200, "{}", r.body);
    (r.json(), token)
}

pub fn instant(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap_or_default()).map(|d| d.with_timezone(&Utc)).unwrap_or_default()
}

/// Every message queued for an address, oldest first: (kind, subject, text).
pub fn mails_to(app: &TestApp, email: &str) -> Vec<(String, String, String)> {
    let mut conn = app.db.conn().expect("conn");
    outbox::table
        .filter(outbox::recipient.eq(email))
        .order(outbox::id)
        .select((outbox::kind, outbox::subject, outbox::text_body))
        .load(&mut *conn)
        .expect("outbox")
}

/// The company name of a test aanbieder, as `app.user` registers it.
pub fn company_of(app: &TestApp, user: &TestUser) -> String {
    app.get("/api/v1/companies/me", Some(&user.token)).json()["company"]["name"].as_str().unwrap_or_default().to_owned()
}

pub fn ask(app: &TestApp, t: &Value, who: &TestUser, lot_id: Option<&Value>, question: &str) -> Value {
    let r = app.post(
        &format!("/api/v1/tenders/{}/enquiries", t["id"]),
        Some(&who.token),
        &json!({ "lot_id": lot_id, "question": question }),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

pub fn answer(app: &TestApp, token: &str, enquiry_id: &Value, answer: &str) -> Value {
    let r = app.put(&format!("/api/v1/enquiries/{enquiry_id}/answer"), Some(token), &json!({ "answer": answer }));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

pub fn publish_note(app: &TestApp, t: &Value, token: &str) -> Value {
    let r = app.call("POST", &format!("/api/v1/tenders/{}/enquiry-notes", t["id"]), Some(token), None);
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

both! {
    fn a_published_nota_answers_every_question_and_names_nobody(app) {
        let (t, inkoper) = published(&app, "NVI-1");
        let asker = app.user(Role::Aanbieder);
        let follower = app.user(Role::Aanbieder);
        let asker_company = company_of(&app, &asker);
        assert!(!asker_company.is_empty());
        assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/interest", t["id"]), Some(&follower.token), None).status, 201);
        let general = ask(&app, &t, &asker, None, "Mag een combinatie van twee taalscholen inschrijven?");
        let on_lot = ask(&app, &t, &asker, Some(&t["lots"][0]["id"]), &format!("Wij, {asker_company}, vragen: telt de KNM-module mee in de plafondprijs?"));
        assert_eq!(on_lot["lot"], "Perceel 1: B1-route");
        assert_eq!(on_lot["status"], "In behandeling");

        let all = app.get(&format!("/api/v1/tenders/{}/enquiries", t["id"]), Some(&inkoper));
        assert_eq!(all.status, 200, "{}", all.body);
        assert_eq!(all.json()["total"], 2);
        assert!(!all.body.contains(&asker.email) && !all.body.contains("company") && !all.body.contains("asked_by"), "staff never see who asked: {}", all.body);
        answer(&app, &inkoper, &general["id"], "Ja, met een penvoerder en leden, elk met een eigen UEA.");
        let reworded = app.put(&format!("/api/v1/enquiries/{}/answer", on_lot["id"]), Some(&inkoper), &json!({
            "answer": "Ja, de KNM-module valt binnen de plafondprijs.",
            "question": "Telt de KNM-module mee in de plafondprijs?",
        }));
        assert_eq!(reworded.status, 200, "{}", reworded.body);
        assert_eq!(reworded.json()["status"], "answered");

        let note = publish_note(&app, &t, &inkoper);
        assert_eq!(note["number"], 1);
        let headings: Vec<&str> = note["items"].as_array().into_iter().flatten().filter_map(|i| i["heading"].as_str()).collect();
        assert_eq!(headings, ["Vraag 1", "Vraag 2"]);
        assert_eq!(note["items"][1]["question"], "Telt de KNM-module mee in de plafondprijs?", "published as reworded");

        let public = app.get(&format!("/api/v1/tenders/{}/enquiry-notes", t["id"]), None);
        assert_eq!(public.status, 200);
        assert_eq!(public.json()["total"], 1);
        assert_eq!(public.json()["items"][0]["items"][0]["answer"], "Ja, met een penvoerder en leden, elk met een eigen UEA.");
        for body in [&public.body, &app.get(&format!("/aanbestedingen/{}", t["id"]), None).body] {
            assert!(!body.contains(&asker_company) && !body.contains(&asker.email), "the public nota names nobody");
        }
        let page = app.get(&format!("/aanbestedingen/{}", t["id"]), None).body;
        assert!(page.contains("Nota van inlichtingen 1") && page.contains("de KNM-module valt binnen de plafondprijs"), "on the public page");

        for who in [&asker, &follower] {
            let mails = mails_to(&app, &who.email);
            let (kind, subject, text) = mails.last().cloned().unwrap_or_default();
            assert_eq!(kind, "enquiry_note");
            assert_eq!(subject, "Nota van inlichtingen 1: Leerroutes inburgering Westfriesland (NVI-1)");
            assert!(text.contains("Vraag 2 (Perceel 1: B1-route)") && text.contains("valt binnen de plafondprijs"), "{text}");
            assert!(!text.contains(&asker_company), "the mail names nobody: {text}");
            assert!(text.contains("Heeft u al ingeschreven?"), "the same words whether or not anyone submitted: {text}");
        }
        let file = app.get(&format!("/api/v1/tenders/{}/messages", t["id"]), Some(&inkoper)).json();
        assert_eq!(file["total"], 2, "both mails are in the tender's file: {file}");
        let own = app.get(&format!("/api/v1/companies/me/enquiries?tender_id={}", t["id"]), Some(&asker.token)).json();
        assert_eq!(own["total"], 2);
        assert_eq!(own["items"][0]["status"], "Beantwoord in de nota van inlichtingen");
        assert_eq!(own["items"][0]["published"]["note_number"], 1);
        assert!(own["items"][0]["question"].as_str().unwrap_or_default().starts_with("Wij,"), "the asker sees its own wording");
        assert_eq!(app.get("/api/v1/companies/me/enquiries", Some(&follower.token)).json()["total"], 0, "nobody else's questions");
        // Correcting the answer keeps the published wording that hid the asker.
        answer(&app, &inkoper, &on_lot["id"], "Ja; de KNM-module valt binnen de plafondprijs, het PVT ook.");
        let two = publish_note(&app, &t, &inkoper);
        assert_eq!(two["items"][0]["heading"], "Vraag 2, versie 2 (gewijzigd)");
        assert_eq!(two["items"][0]["question"], "Telt de KNM-module mee in de plafondprijs?");
        let log = app.get(&format!("/api/v1/tenders/{}/audit-log?per_page=100", t["id"]), Some(&inkoper)).body;
        assert!(log.contains("enquiry_note.published") && log.contains("enquiry.asked"), "every step is recorded");
        assert!(!log.contains(&asker.email) && !log.contains(&asker_company), "the tender's log does not name the asker");
    }

    fn question_numbers_continue_and_a_corrected_answer_is_a_new_version(app) {
        let (t, inkoper) = published(&app, "NVI-2");
        let asker = app.user(Role::Aanbieder);
        let first = ask(&app, &t, &asker, None, "Hoeveel trajecten verwacht de regio per jaar?");
        let second = ask(&app, &t, &asker, None, "Moet de Keurmerk-verklaring bij de inschrijving?");
        answer(&app, &inkoper, &first["id"], "Ongeveer 120 per jaar.");
        answer(&app, &inkoper, &second["id"], "Ja.");
        let one = publish_note(&app, &t, &inkoper);
        let same = app.put(&format!("/api/v1/enquiries/{}/answer", first["id"]), Some(&inkoper), &json!({ "answer": "Ongeveer 120 per jaar." }));
        assert_eq!(same.invalid_params(), ["answer"], "repeating the published answer is no correction");
        let third = ask(&app, &t, &asker, Some(&t["lots"][1]["id"]), "Geldt de Onderwijsroute ook voor 27-jarigen?");
        answer(&app, &inkoper, &third["id"], "Nee, tot en met 27 jaar bij aanvang.");
        let corrected = answer(&app, &inkoper, &first["id"], "Ongeveer 150 per jaar; de taakstelling is verhoogd.");
        assert_eq!(corrected["status"], "answered");
        assert_eq!(corrected["published"]["answer"], "Ongeveer 120 per jaar.", "the published answer stands until the next nota");
        let two = publish_note(&app, &t, &inkoper);
        assert_eq!(two["number"], 2);
        let headings: Vec<&str> = two["items"].as_array().into_iter().flatten().filter_map(|i| i["heading"].as_str()).collect();
        assert_eq!(headings, ["Vraag 1, versie 2 (gewijzigd)", "Vraag 3"]);
        let first_again = app.get(&format!("/api/v1/tenders/{}/enquiry-notes/1", t["id"]), None);
        assert_eq!(first_again.status, 200);
        assert_eq!(first_again.json(), one, "the earlier nota stays as it was");
        let frozen = {
            let mut conn = app.db.conn().expect("conn");
            diesel::sql_query("UPDATE enquiry_note_items SET answer = 'anders'").execute(&mut *conn)
        };
        assert!(frozen.is_err(), "a published nota cannot be changed, not even in the database");
        let own = app.get("/api/v1/companies/me/enquiries", Some(&asker.token)).json();
        let mine_first = own["items"].as_array().into_iter().flatten().find(|e| e["id"] == first["id"]).cloned().unwrap_or_default();
        assert_eq!(mine_first["published"]["version"], 2);
        assert_eq!(mine_first["published"]["note_number"], 2);
    }

    fn a_nota_with_nothing_in_it_is_not_published(app) {
        let (t, inkoper) = published(&app, "NVI-3");
        let asker = app.user(Role::Aanbieder);
        ask(&app, &t, &asker, None, "Een vraag zonder antwoord nog.");
        let r = app.call("POST", &format!("/api/v1/tenders/{}/enquiry-notes", t["id"]), Some(&inkoper), None);
        assert_eq!(r.status, 409, "{}", r.body);
        assert!(r.json()["detail"].as_str().unwrap_or_default().contains("niets om te publiceren"));
        assert_eq!(app.get(&format!("/api/v1/tenders/{}/enquiry-notes", t["id"]), None).json()["total"], 0);
    }

    fn questions_are_refused_after_the_question_deadline_by_the_server_clock(app) {
        let (t, _) = published(&app, "NVI-4");
        let asker = app.user(Role::Aanbieder);
        let deadline = instant(&t["question_deadline"]);
        let path = format!("/api/v1/tenders/{}/enquiries", t["id"]);
        let body = json!({ "question": "Is de termijn voor vragen al voorbij?" });
        app.clock.set(deadline + Duration::seconds(1));
        let late = app.post(&path, Some(&asker.token), &body);
        assert_eq!(late.status, 409, "{}", late.body);
        let detail = late.json()["detail"].as_str().unwrap_or_default().to_owned();
        assert!(detail.contains("termijn voor vragen was") && detail.contains("12:00") && detail.contains("servertijd"), "{detail}");
        app.clock.set(deadline);
        assert_eq!(app.post(&path, Some(&asker.token), &body).status, 201, "at the deadline itself a question is in time");
        let bad = app.post(&path, Some(&asker.token), &json!({ "question": "kort", "lot_id": 999999 }));
        assert_eq!(bad.invalid_params(), ["question"]);
        let wrong_lot = app.post(&path, Some(&asker.token), &json!({ "question": "Over een perceel van een ander?", "lot_id": 999999 }));
        assert_eq!(wrong_lot.invalid_params(), ["lot_id"]);
    }

    fn publishing_a_nota_after_a_submission_asks_for_confirmation_again(app) {
        let (t, inkoper) = published(&app, "NVI-5");
        let bidder = app.user(Role::Aanbieder);
        let bid = submitted_bid(&app, &t, &bidder);
        assert_eq!(bid["needs_reconfirmation"], false);
        let q = ask(&app, &t, &app.user(Role::Aanbieder), None, "Wordt er een informatiebijeenkomst gehouden?");
        answer(&app, &inkoper, &q["id"], "Nee.");
        publish_note(&app, &t, &inkoper);
        let after = app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token)).json();
        assert_eq!(after["needs_reconfirmation"], true);
        assert_eq!(after["status"], "submitted", "still submitted, but to be confirmed again");
        let (_, _, text) = mails_to(&app, &bidder.email).last().cloned().unwrap_or_default();
        assert!(text.contains("opnieuw bevestigen"), "{text}");
    }

    fn following_once_is_enough_and_starting_a_bid_follows_too(app) {
        let (t, inkoper) = published(&app, "NVI-6");
        let a = app.user(Role::Aanbieder);
        let path = format!("/api/v1/tenders/{}/interest", t["id"]);
        assert_eq!(app.call("POST", &path, Some(&a.token), None).status, 201);
        assert_eq!(app.call("POST", &path, Some(&a.token), None).status, 200);
        let draft = app.post("/api/v1/tenders", Some(&inkoper), &fixtures::tender("NVI-6-CONCEPT")).json();
        assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/interest", draft["id"]), Some(&a.token), None).status, 404);
        let b = app.user(Role::Aanbieder);
        app.post(&format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]), Some(&b.token), &json!({}));
        assert_eq!(app.call("POST", &path, Some(&b.token), None).status, 200, "starting a bid made the company follow");
        let q = ask(&app, &t, &a, None, "Volgen twee gebruikers van één bedrijf samen?");
        answer(&app, &inkoper, &q["id"], "Ja.");
        publish_note(&app, &t, &inkoper);
        for who in [&a, &b] {
            assert_eq!(mails_to(&app, &who.email).last().map(|m| m.0.clone()).unwrap_or_default(), "enquiry_note");
        }
    }
}
