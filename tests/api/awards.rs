//! Gunning: the voornemen from the ranking, approved by a second person, one letter per bidder
//! at one moment, the Alcatel-termijn with objections and a kort geding, the definitive award
//! and the contracts that cannot start before the period has ended.

use aanbesteding::domain::role::Role;
use aanbesteding::domain::standstill::StandstillPeriod;
use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc};
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use serde_json::{Value, json};

use crate::both;
use crate::evaluation::lot_path;
use crate::evaluation_corrections::ranked;
use crate::helpers::{TestApp, TestUser};

fn decision(app: &TestApp, t: &Value, who: &TestUser) -> Value {
    let award = app.get(&lot_path(t, "award"), Some(&who.token)).json();
    award["decisions"].as_array().and_then(|d| d.last()).cloned().unwrap_or_default()
}

fn step(app: &TestApp, t: &Value, d: &Value, what: &str, who: &TestUser, body: &Value) -> crate::helpers::Resp {
    app.post(&format!("{}/{}/{what}", lot_path(t, "award"), d["id"]), Some(&who.token), body)
}

/// The stored letters of a kind: (bid id, sent at, text).
fn letters(app: &TestApp, kind: &str) -> Vec<(i64, chrono::NaiveDateTime, String)> {
    use aanbesteding::db::schema::award_letters as l;
    l::table
        .filter(l::kind.eq(kind))
        .order(l::id)
        .select((l::bid_id, l::sent_at, l::text_body))
        .load(&mut *app.db.conn().expect("conn"))
        .expect("letters")
}

fn mails(app: &TestApp, kind: &str) -> usize {
    use aanbesteding::db::schema::outbox;
    let n: i64 = outbox::table
        .filter(outbox::kind.eq(kind))
        .count()
        .get_result(&mut *app.db.conn().expect("conn"))
        .expect("outbox");
    n as usize
}

/// 10:00 Dutch summer time on 15 October of next year: a period that crosses the month's end
/// and the change to winter time.
fn october_fifteenth(app: &TestApp) -> DateTime<Utc> {
    let year = app.clock.now().year() + 1;
    Utc.with_ymd_and_hms(year, 10, 15, 8, 0, 0).single().unwrap_or_default()
}

/// A tender whose first perceel is awarded for good, its letters sent on the day of
/// [`october_fifteenth`]: the contracts and the inkoper, with the clock past the period.
pub fn awarded(app: &TestApp, reference: &str) -> (Vec<Value>, TestUser) {
    let (t, inkoper, _, _) = ranked(app, reference);
    assert_eq!(app.post(&lot_path(&t, "award"), Some(&inkoper.token), &json!({})).status, 201);
    let d = decision(app, &t, &inkoper);
    assert_eq!(step(app, &t, &d, "approve", &app.user(Role::Management), &json!({})).status, 200);
    app.clock.set(october_fifteenth(app));
    assert_eq!(step(app, &t, &d, "send", &inkoper, &json!({})).status, 200);
    app.clock.set(october_fifteenth(app) + Duration::days(40));
    let start = (october_fifteenth(app) + Duration::days(60)).date_naive().to_string();
    let definitive = step(app, &t, &d, "definitive", &inkoper, &json!({ "contract_start": start }));
    assert_eq!(definitive.status, 200, "{}", definitive.body);
    (definitive.json()["contracts"].as_array().cloned().unwrap_or_default(), inkoper)
}

both! {
    fn an_award_goes_from_proposal_through_the_standstill_to_contracts(app) {
        let (t, inkoper, bids, bidders) = ranked(&app, "AWARD-1");
        let management = app.user(Role::Management);
        let short = app.post(&lot_path(&t, "award"), Some(&inkoper.token), &json!({ "standstill_days": 10 }));
        assert_eq!(short.invalid_params(), ["standstill_reason"], "a shorter period needs its reason");
        let proposed = app.post(&lot_path(&t, "award"), Some(&inkoper.token), &json!({}));
        assert_eq!(proposed.status, 201, "{}", proposed.body);
        let d = decision(&app, &t, &inkoper);
        assert_eq!((d["status"].as_str(), d["winner_bid_ids"].clone()), (Some("proposed"), json!([bids[0], bids[1]])));
        assert_eq!(app.post(&lot_path(&t, "award"), Some(&inkoper.token), &json!({})).status, 409, "one open decision at a time");
        assert_eq!(step(&app, &t, &d, "send", &inkoper, &json!({})).status, 409, "no letters before approval");
        assert_eq!(step(&app, &t, &d, "approve", &inkoper, &json!({})).status, 403, "management approves");
        let approved = step(&app, &t, &d, "approve", &management, &json!({}));
        assert_eq!(approved.status, 200, "{}", approved.body);

        let sent_at = october_fifteenth(&app);
        app.clock.set(sent_at);
        let sent = step(&app, &t, &d, "send", &inkoper, &json!({}));
        assert_eq!(sent.status, 200, "{}", sent.body);
        let d = decision(&app, &t, &inkoper);
        let period = StandstillPeriod::starting(sent_at, 20).expect("period");
        let ends_at: DateTime<Utc> = d["standstill_ends_at"].as_str().and_then(|s| s.parse().ok()).unwrap_or_default();
        assert_eq!(ends_at, period.ends_at);
        assert_eq!(ends_at.hour(), 23, "sent in summer time, the period ends at midnight winter time");
        assert_eq!(period.last_day.month(), 11, "and in the next month");
        assert!(period.last_day >= sent_at.date_naive() + Duration::days(20));
        assert_eq!(d["standstill_last_day"], aanbesteding::domain::deadline::format_date_nl(period.last_day));
        let intent = letters(&app, "award_intent");
        assert_eq!(intent.iter().map(|l| l.0).collect::<Vec<_>>(), bids, "exactly one letter per bidder");
        assert!(intent.iter().all(|l| l.1 == intent[0].1), "all at one moment");
        assert_eq!(mails(&app, "award_intent"), 3, "and one mail to each bidder's user");
        let last_day = d["standstill_last_day"].as_str().unwrap_or_default().to_owned();
        for (_, _, text) in &intent {
            assert!(text.contains(&last_day) && text.contains("kort geding"), "{text}");
            assert!(text.contains("Kenmerken en relatieve voordelen van de winnende inschrijving"), "{text}");
        }
        assert!(intent[2].2.contains("plaats 3"), "{}", intent[2].2);
        let compared = |text: &str| text.matches("Kenmerken en relatieve voordelen van de winnende inschrijving").count();
        assert_eq!(compared(&intent[2].2), 2 * 4, "the third is compared with both winners on 4 criteria");
        assert_eq!(compared(&intent[0].2), 4, "a winner with the other winner only");
        assert_eq!(step(&app, &t, &d, "send", &inkoper, &json!({})).status, 409, "letters go once per decision");

        let mine = app.get("/api/v1/award-letters", Some(&bidders[2].token)).json();
        assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
        assert_eq!(mine[0]["bid_id"], bids[2]);
        assert!(mine[0]["subject"].as_str().unwrap_or_default().starts_with("Voornemen tot gunning"));

        let early = step(&app, &t, &d, "definitive", &inkoper, &json!({ "contract_start": "2030-01-01" }));
        assert_eq!(early.status, 409);
        assert!(early.body.contains("Alcatel-termijn loopt nog"), "{}", early.body);
        let objection = json!({ "body": "De motivering van criterium 2 is onvoldoende.", "kort_geding": true });
        assert_eq!(step(&app, &t, &d, "objections", &bidders[2], &objection).status, 201);
        app.clock.set(ends_at);
        let suspended = step(&app, &t, &d, "definitive", &inkoper, &json!({ "contract_start": "2030-01-01" }));
        assert!(suspended.status == 409 && suspended.body.contains("opgeschort"), "{}", suspended.body);
        let d = decision(&app, &t, &inkoper);
        let lift = format!("objections/{}/lift", d["objections"][0]["id"]);
        assert_eq!(step(&app, &t, &d, &lift, &inkoper, &json!({ "reason": "kort" })).invalid_params(), ["reason"]);
        assert_eq!(step(&app, &t, &d, &lift, &inkoper, &json!({ "reason": "Vordering afgewezen bij vonnis." })).status, 200);

        let start = (ends_at + Duration::days(30)).date_naive().to_string();
        let definitive = step(&app, &t, &d, "definitive", &inkoper, &json!({ "contract_start": start }));
        assert_eq!(definitive.status, 200, "{}", definitive.body);
        let award = definitive.json();
        assert_eq!(award["decisions"][0]["status"], "definitive");
        assert_eq!(letters(&app, "award_definitive").len(), 3, "every bidder is told");
        let contracts = award["contracts"].as_array().cloned().unwrap_or_default();
        assert_eq!(contracts.iter().map(|c| c["bid_id"].clone()).collect::<Vec<_>>(), [json!(bids[0]), json!(bids[1])]);
        assert_eq!(contracts[0]["extensions"], json!([2, 2]));
        assert!(contracts[0]["total_cents"].as_i64().unwrap_or_default() > 0);

        let activate = format!("/api/v1/contracts/{}/activate", contracts[0]["id"]);
        let too_soon = app.call("POST", &activate, Some(&inkoper.token), None);
        assert!(too_soon.status == 409 && too_soon.body.contains("ingangsdatum"), "{}", too_soon.body);
        app.clock.set(ends_at - Duration::seconds(1));
        let in_period = app.call("POST", &activate, Some(&inkoper.token), None);
        assert!(in_period.status == 409 && in_period.body.contains("Alcatel-termijn"), "{}", in_period.body);
        app.clock.set(ends_at + Duration::days(30));
        let active = app.call("POST", &activate, Some(&inkoper.token), None);
        assert_eq!((active.status, active.json()["active"].clone()), (200, json!(true)), "{}", active.body);
        assert_eq!(app.post(&lot_path(&t, "award"), Some(&inkoper.token), &json!({})).status, 409, "awarded for good");
    }

    fn a_letter_without_the_motivation_is_refused_and_nothing_is_sent(app) {
        let (t, inkoper, bids, _) = ranked(&app, "AWARD-2");
        assert_eq!(app.post(&lot_path(&t, "award"), Some(&inkoper.token), &json!({})).status, 201);
        let d = decision(&app, &t, &inkoper);
        assert_eq!(step(&app, &t, &d, "approve", &app.user(Role::Management), &json!({})).status, 200);
        // The winner's external motivation went missing (the evaluation reloads with the version).
        app.sql(&format!("UPDATE consensus_scores SET external_motivation = '' WHERE bid_id = {}", bids[0]));
        app.sql(&format!("UPDATE lots SET evaluation_version = evaluation_version + 1 WHERE id = {}", t["lots"][0]["id"]));
        let refused = step(&app, &t, &d, "send", &inkoper, &json!({}));
        assert_eq!(refused.status, 409, "{}", refused.body);
        assert!(refused.body.contains("mist de motivering van de score van Taalschool"), "{}", refused.body);
        assert!(letters(&app, "award_intent").is_empty() && mails(&app, "award_intent") == 0, "not one letter went");
        assert_eq!(decision(&app, &t, &inkoper)["status"], "approved");
        let withdrawn = step(&app, &t, &d, "withdraw", &inkoper, &json!({ "reason": "Motivering wordt eerst hersteld." }));
        assert_eq!(withdrawn.status, 200, "{}", withdrawn.body);
        assert_eq!(app.post(&lot_path(&t, "award"), Some(&inkoper.token), &json!({})).status, 201, "a new decision");
    }
}

both! {
    fn a_winner_no_longer_ranked_stops_every_letter(app) {
        let (t, inkoper, bids, _) = ranked(&app, "AWARD-4");
        assert_eq!(app.post(&lot_path(&t, "award"), Some(&inkoper.token), &json!({})).status, 201);
        let d = decision(&app, &t, &inkoper);
        assert_eq!(step(&app, &t, &d, "approve", &app.user(Role::Management), &json!({})).status, 200);
        // The second winner fails a requirement after all, and leaves the ranking.
        app.sql(&format!("UPDATE suitability_decisions SET passes = FALSE WHERE bid_id = {}", bids[1]));
        app.sql(&format!("UPDATE lots SET evaluation_version = evaluation_version + 1 WHERE id = {}", t["lots"][0]["id"]));
        let refused = step(&app, &t, &d, "send", &inkoper, &json!({}));
        assert_eq!(refused.status, 409, "{}", refused.body);
        assert!(refused.body.contains("staat niet (volledig) in de rangorde"), "{}", refused.body);
        assert!(letters(&app, "award_intent").is_empty() && mails(&app, "award_intent") == 0, "not one letter went");
    }
}

both! {
    fn a_perceel_not_awarded_is_told_to_every_bidder_and_copied_into_a_new_tender(app) {
        let (t, inkoper, _, bidders) = ranked(&app, "AWARD-3");
        let copy = format!("{}/copy", lot_path(&t, "").trim_end_matches('/'));
        assert_eq!(app.call("POST", &copy, Some(&inkoper.token), None).status, 409, "only after \"niet gegund\"");
        let body = json!({ "not_awarded_reason": "Alle prijzen liggen boven het beschikbare budget." });
        assert_eq!(app.post(&lot_path(&t, "award"), Some(&inkoper.token), &body).status, 201);
        let d = decision(&app, &t, &inkoper);
        assert_eq!(d["winner_bid_ids"], json!([]));
        assert_eq!(step(&app, &t, &d, "approve", &app.user(Role::Management), &json!({})).status, 200);
        let sent = step(&app, &t, &d, "send", &inkoper, &json!({}));
        assert_eq!(sent.status, 200, "{}", sent.body);
        let told = letters(&app, "award_intent");
        assert_eq!(told.len(), 3);
        assert!(told.iter().all(|l| l.2.contains("niet te gunnen") && l.2.contains("boven het beschikbare budget")), "{}", told[0].2);
        let mine = app.get("/api/v1/award-letters", Some(&bidders[0].token)).json();
        assert!(mine[0]["subject"].as_str().unwrap_or_default().starts_with("Voornemen niet te gunnen"), "{mine}");

        let copied = app.call("POST", &copy, Some(&inkoper.token), None);
        assert_eq!(copied.status, 201, "{}", copied.body);
        let new = copied.json();
        assert_eq!((new["status"].as_str(), new["lots"].as_array().map(Vec::len)), (Some("draft"), Some(1)));
        let titles = |x: &Value| x["quality_criteria"].as_array().into_iter().flatten().map(|c| c["title"].clone()).collect::<Vec<_>>();
        assert_eq!(titles(&new["lots"][0]), titles(&t["lots"][0]), "the criteria come along");
        assert_eq!(new["lots"][0]["price_lines"], t["lots"][0]["price_lines"]);
        assert!(new["reference"].as_str().unwrap_or_default().starts_with("AWARD-3-P1-"));
    }
}
