//! Bad input gets a clear error naming the field, and stores nothing.

use aanbesteding::domain::role::Role;
use serde_json::json;

use crate::both;
use crate::browser::Browser;
use crate::fixtures;
use crate::helpers::{PASSWORD, TestApp};

/// Counts rows, to show that a refused request stored nothing.
fn count(app: &TestApp, table: &str) -> i64 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = app.db.conn().expect("conn");
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result::<N>(&mut *conn).expect("count").n
}

fn stored(app: &TestApp) -> [i64; 4] {
    [count(app, "tenders"), count(app, "lots"), count(app, "award_criteria"), count(app, "audit_log")]
}

both! {
    fn malformed_json_wrong_types_missing_and_unknown_fields_are_named(app) {
        let token = app.user(Role::Inkoper).token;
        let before = stored(&app);
        let raw = crate::helpers::read(
            crate::helpers::agent().post(app.url("/api/v1/tenders")).header("Authorization", format!("Bearer {token}"))
                .header("Content-Type", "application/json").send("{\"title\": ").expect("POST"),
        );
        assert_eq!(raw.status, 422);
        assert!(raw.content_type.starts_with("application/problem+json"));
        assert_eq!(raw.invalid_params(), ["body"]);
        let mut wrong_type = fixtures::general("IN-1");
        wrong_type["standstill_days"] = json!("twintig");
        assert_eq!(app.post("/api/v1/tenders", Some(&token), &wrong_type).invalid_params(), ["standstill_days"]);
        let mut missing = fixtures::general("IN-1");
        missing.as_object_mut().map(|m| m.remove("title"));
        assert_eq!(app.post("/api/v1/tenders", Some(&token), &missing).invalid_params(), ["title"]);
        let mut unknown = fixtures::general("IN-1");
        unknown["titel"] = json!("typfout");
        assert_eq!(app.post("/api/v1/tenders", Some(&token), &unknown).invalid_params(), ["titel"]);
        let mut nested = fixtures::tender("IN-1");
        nested["lots"][1]["price"]["formula"] = json!("goedkoopste");
        let r = app.post("/api/v1/tenders", Some(&token), &nested);
        assert_eq!(r.invalid_params(), ["lots[1].price.formula"]);
        assert!(r.json()["invalid_params"][0]["reason"].as_str().unwrap_or_default().contains("relative_to_lowest"));
        let not_json = crate::helpers::read(
            crate::helpers::agent().post(app.url("/api/v1/tenders")).header("Authorization", format!("Bearer {token}"))
                .send_form([("title", "x")]).expect("POST"),
        );
        assert_eq!(not_json.invalid_params(), ["body"]);
        assert_eq!(stored(&app), before);
    }

    fn weights_not_totalling_one_hundred_are_refused_with_the_total_and_nothing_is_stored(app) {
        let token = app.user(Role::Inkoper).token;
        let before = stored(&app);
        let mut t = fixtures::tender("IN-2");
        t["lots"][1]["quality_criteria"][0]["weight_percent"] = json!("21");
        let r = app.post("/api/v1/tenders", Some(&token), &t);
        assert_eq!(r.status, 422);
        assert_eq!(r.invalid_params(), ["lots[1].weights"]);
        assert!(r.json()["invalid_params"][0]["reason"].as_str().unwrap_or_default().contains("101%"));
        assert_eq!(stored(&app), before, "all or nothing: no tender, no other perceel");
        let created = app.post("/api/v1/tenders", Some(&token), &fixtures::tender("IN-3")).json();
        let before = stored(&app);
        let mut lot = fixtures::lot(0);
        lot["price"]["weight_percent"] = json!("35");
        let r = app.put(&format!("/api/v1/tenders/{}/lots/{}", created["id"], created["lots"][0]["id"]), Some(&token), &lot);
        assert_eq!(r.invalid_params(), ["weights"]);
        assert_eq!(stored(&app), before);
        assert_eq!(app.get(&format!("/api/v1/tenders/{}", created["id"]), Some(&token)).json(), created);
    }

    fn deadlines_in_the_past_or_in_the_wrong_order_are_refused(app) {
        let token = app.user(Role::Inkoper).token;
        let mut past = fixtures::general("IN-4");
        past["question_deadline"] = json!(fixtures::local_noon(-10));
        past["submission_deadline"] = json!(fixtures::local_noon(-2));
        assert_eq!(app.post("/api/v1/tenders", Some(&token), &past).invalid_params(), ["submission_deadline", "question_deadline"]);
        let mut order = fixtures::general("IN-4");
        order["question_deadline"] = json!(fixtures::local_noon(50));
        assert_eq!(app.post("/api/v1/tenders", Some(&token), &order).invalid_params(), ["question_deadline"]);
        let mut seconds = fixtures::general("IN-4");
        seconds["submission_deadline"] = json!("2099-01-15T12:00:30+01:00");
        assert_eq!(app.post("/api/v1/tenders", Some(&token), &seconds).invalid_params(), ["submission_deadline"]);
        assert_eq!(count(&app, "tenders"), 0);
    }

    fn unknown_gemeenten_routes_and_scales_are_named(app) {
        let token = app.user(Role::Inkoper).token;
        let mut t = fixtures::tender("IN-5");
        t["municipalities"][0] = json!("GM9999");
        t["lots"][0]["volumes"][0]["municipality"] = json!("GM9999");
        assert_eq!(app.post("/api/v1/tenders", Some(&token), &t).invalid_params(), ["municipalities[0]"]);
        let mut t = fixtures::tender("IN-5");
        t["lots"][0]["learning_route"] = json!("c1-route");
        t["lots"][2]["quality_criteria"][1]["scale"] = json!("Schaal 1-5");
        assert_eq!(app.post("/api/v1/tenders", Some(&token), &t).invalid_params(), ["lots[0].learning_route", "lots[2].quality_criteria[1].scale"]);
        let mut merged = fixtures::general("IN-5");
        merged["municipalities"] = json!(["GM0398"]);
        merged["lead_municipality"] = json!(null);
        let r = app.post("/api/v1/tenders", Some(&token), &merged);
        assert!(r.body.contains("Heerhugowaard") && r.body.contains("opvolger"), "{}", r.body);
        assert_eq!(count(&app, "tenders"), 0);
    }

    fn a_duplicate_reference_is_refused_on_its_field(app) {
        let token = app.user(Role::Inkoper).token;
        assert_eq!(app.post("/api/v1/tenders", Some(&token), &fixtures::general("IN-6")).status, 201);
        let r = app.post("/api/v1/tenders", Some(&token), &fixtures::general("IN-6"));
        assert_eq!((r.status, r.invalid_params()), (422, vec!["reference".to_string()]));
    }

    fn an_unknown_role_is_refused(app) {
        let admin = app.user(Role::Beheerder);
        let r = app.post("/api/v1/users", Some(&admin.token), &json!({ "email": "x@test.example", "name": "X", "role": "superuser" }));
        assert_eq!(r.status, 422);
        assert_eq!(r.invalid_params(), ["role"]);
        assert!(r.json()["invalid_params"][0]["reason"].as_str().unwrap_or_default().contains("inkoper"));
    }

    fn a_form_with_errors_shows_each_dutch_message_beside_its_field_and_keeps_the_input(app) {
        let u = app.user(Role::Inkoper);
        let browser = Browser::new(&app);
        browser.login(&u.email, PASSWORD);
        let r = browser.post_form("/aanbestedingen", &[
            ("title", ""), ("reference", "WF 2027"), ("procedure", "social_services"), ("description", "Mijn omschrijving"),
            ("municipalities", "GM0405"), ("lead_municipality", "GM0388"),
            ("question_deadline", &fixtures::local_noon(30)), ("submission_deadline", &fixtures::local_noon(20)),
            ("standstill_days", "twintig"), ("standstill_reason", ""), ("rounding.decimals", "2"), ("rounding.mode", "half_up"),
        ]);
        assert_eq!(r.status, 422);
        for (id, message) in [
            ("title", "Geef de aanbesteding een titel."),
            ("reference", "Een kenmerk bestaat uit"),
            ("lead_municipality", "De penvoerder is een van de deelnemende gemeenten."),
            ("question_deadline", "vóór de sluitingstermijn"),
            ("standstill_days", "Vul een heel getal in."),
        ] {
            assert!(r.body.contains(&format!("id=\"{id}-fout\"")), "geen fout bij {id}");
            assert!(r.body.contains(message), "{message}");
            assert!(r.body.contains(&format!("href=\"#{id}\"")), "samenvatting linkt naar {id}");
        }
        assert!(r.body.contains("Mijn omschrijving"), "the input is kept");
        assert_eq!(count(&app, "tenders"), 0);
    }

    fn an_absurd_amount_is_an_input_error_not_a_crash(app) {
        let token = app.user(Role::Inkoper).token;
        let mut t = fixtures::tender("IN-7");
        t["lots"][0]["ceiling_price"] = json!("79228162514264337593543950335");
        let r = app.post("/api/v1/tenders", Some(&token), &t);
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.invalid_params(), ["lots[0].ceiling_price"]);
    }
}
