//! Setting up an aanbesteding through the API.

use aanbesteding::domain::role::Role;
use serde_json::json;

use crate::both;
use crate::fixtures;

both! {
    fn an_inkoper_creates_a_complete_tender_in_one_request(app) {
        let inkoper = app.user(Role::Inkoper);
        let r = app.post("/api/v1/tenders", Some(&inkoper.token), &fixtures::tender("WF-T-1"));
        assert_eq!(r.status, 201, "{}", r.body);
        let t = r.json();
        assert_eq!(r.location.as_deref(), Some(format!("/api/v1/tenders/{}", t["id"]).as_str()));
        assert_eq!(t["status"], "draft");
        assert_eq!(t["procedure"], "social_services");
        assert_eq!(t["municipalities"].as_array().map(Vec::len), Some(7));
        assert_eq!(t["lead_municipality"]["name"], "Hoorn");
        assert_eq!(t["lots"].as_array().map(Vec::len), Some(3));
        let b1 = &t["lots"][0];
        assert_eq!(b1["learning_route"], "b1-route");
        assert_eq!(b1["ceiling_price"], "14500.00");
        assert_eq!(b1["price"]["formula"], "relative_to_lowest");
        assert_eq!(b1["price"]["weight_percent"], "30");
        assert_eq!(b1["quality_criteria"][0]["weight_percent"], "25");
        assert!(b1["quality_criteria"][0]["title"].as_str().unwrap_or_default().contains("maatschappelijke organisaties"));
        assert!(b1["quality_criteria"][1]["title"].as_str().unwrap_or_default().contains("dubbel aanbod"));
        assert_eq!(t["lots"][1]["price"]["bandwidth_max"], "16000.00");
        assert_eq!(t["lots"][2]["price"]["log_factor"], "2");
        assert_eq!(t["selection_criteria"].as_array().map(Vec::len), Some(5));
        let again = app.get(&format!("/api/v1/tenders/{}", t["id"]), Some(&inkoper.token));
        assert_eq!(again.json(), t);
    }

    fn deadlines_are_entered_in_dutch_time_and_stored_in_utc(app) {
        let inkoper = app.user(Role::Inkoper);
        let mut body = fixtures::general("WF-T-2");
        body["question_deadline"] = json!("2099-01-15T12:00");
        body["submission_deadline"] = json!("2099-07-15T12:00");
        let t = app.post("/api/v1/tenders", Some(&inkoper.token), &body).json();
        assert_eq!(t["question_deadline"], "2099-01-15T11:00:00Z", "winter time: UTC+1");
        assert_eq!(t["submission_deadline"], "2099-07-15T10:00:00Z", "summer time: UTC+2");
    }

    fn a_concept_exists_only_for_staff(app) {
        let inkoper = app.user(Role::Inkoper);
        let t = app.post("/api/v1/tenders", Some(&inkoper.token), &fixtures::tender("WF-T-3")).json();
        let path = format!("/api/v1/tenders/{}", t["id"]);
        for role in [Role::Management, Role::Beheerder] {
            assert_eq!(app.get(&path, Some(&app.user(role).token)).status, 200);
        }
        for role in [Role::Aanbieder, Role::Beoordelaar] {
            assert_eq!(app.get(&path, Some(&app.user(role).token)).status, 404);
        }
        assert_eq!(app.get(&path, None).status, 404);
        assert_eq!(app.get("/api/v1/tenders", None).json()["total"], 0);
        assert_eq!(app.get("/api/v1/tenders", Some(&inkoper.token)).json()["total"], 1);
    }

    fn a_tender_is_built_up_part_by_part(app) {
        let inkoper = app.user(Role::Inkoper);
        let token = Some(inkoper.token.as_str());
        let t = app.post("/api/v1/tenders", token, &fixtures::general("WF-T-4")).json();
        let base = format!("/api/v1/tenders/{}", t["id"]);
        let scale = json!({ "name": "Kwaliteit 0-10", "steps": [{ "points": 0, "descriptor": "Ontbreekt" }, { "points": 10, "descriptor": "Uitstekend" }] });
        assert_eq!(app.post(&format!("{base}/scales"), token, &scale).status, 201);
        let lot = app.post(&format!("{base}/lots"), token, &fixtures::lot(0));
        assert_eq!(lot.status, 201, "{}", lot.body);
        assert_eq!(lot.json()["number"], 1, "the next free number");
        let criterion = json!({ "title": "Gedragsverklaring Aanbesteden", "evidence": "GVA", "validity_rule": "max_age_at_deadline", "validity_months": 24 });
        assert_eq!(app.post(&format!("{base}/selection-criteria"), token, &criterion).status, 201);
        let checklist = app.get(&format!("{base}/checklist"), token).json();
        assert_eq!(checklist["problems"], json!([]), "{checklist}");
        let mut changed = fixtures::lot(0);
        changed["title"] = json!("B1-route met werk");
        let updated = app.put(&format!("{base}/lots/{}", lot.json()["id"]), token, &changed);
        assert_eq!(updated.status, 200, "{}", updated.body);
        assert_eq!(updated.json()["title"], "B1-route met werk");
    }

    fn a_scale_in_use_cannot_be_deleted(app) {
        let inkoper = app.user(Role::Inkoper);
        let t = app.post("/api/v1/tenders", Some(&inkoper.token), &fixtures::tender("WF-T-5")).json();
        let r = app.call("DELETE", &format!("/api/v1/tenders/{}/scales/{}", t["id"], t["scales"][0]["id"]), Some(&inkoper.token), None);
        assert_eq!(r.status, 409);
        assert!(r.json()["detail"].as_str().unwrap_or_default().contains("in gebruik"));
    }

    fn reference_data_is_readable_by_anyone_and_paginated(app) {
        let regions = app.get("/api/v1/regions", None).json();
        assert_eq!(regions["total"], 2);
        let wf = app.get("/api/v1/municipalities?region=westfriesland", None).json();
        assert_eq!(wf["total"], 7);
        let page = app.get("/api/v1/municipalities?per_page=5&page=3", None).json();
        assert_eq!((page["total"].as_i64(), page["items"].as_array().map(Vec::len)), (Some(15), Some(5)));
        let routes = app.get("/api/v1/learning-routes", None).json();
        let codes: Vec<&str> = routes["items"].as_array().into_iter().flatten().filter_map(|r| r["code"].as_str()).collect();
        assert_eq!(codes, ["b1-route", "onderwijsroute", "z-route", "knm", "map", "pvt", "alfabetisering"]);
        assert_eq!(app.get("/api/v1/learning-routes?page=abc", None).status, 422);
    }

    fn health_reports_that_the_database_answers(app) {
        let r = app.get("/health", None);
        assert_eq!(r.status, 200);
        assert_eq!(r.json(), json!({ "status": "ok", "database": "ok" }));
        assert_eq!(app.get("/health/live", None).body, "ok");
    }

    fn a_change_by_another_instance_shows_within_the_trusted_second(app) {
        let inkoper = app.user(Role::Inkoper);
        let t = app.post("/api/v1/tenders", Some(&inkoper.token), &fixtures::general("WF-T-6")).json();
        let path = format!("/api/v1/tenders/{}", t["id"]);
        assert_eq!(app.get(&path, Some(&inkoper.token)).json()["title"], t["title"]);
        // Another instance on the same database changes the tender; this one has not written since.
        app.sql(&format!("UPDATE tenders SET title = 'Elders gewijzigd', version = version + 1 WHERE id = {}", t["id"]));
        let trusted = aanbesteding::db::trust::TRUSTED_FOR;
        std::thread::sleep(trusted / 2);
        assert_eq!(app.get(&path, Some(&inkoper.token)).json()["title"], t["title"], "still trusted");
        // Once the second is up, the copy is answered with while one look runs in the background.
        std::thread::sleep(trusted);
        let started = std::time::Instant::now();
        let mut title = app.get(&path, Some(&inkoper.token)).json()["title"].clone();
        while title != "Elders gewijzigd" && started.elapsed() < trusted * 2 {
            std::thread::sleep(std::time::Duration::from_millis(20));
            title = app.get(&path, Some(&inkoper.token)).json()["title"].clone();
        }
        assert_eq!(title, "Elders gewijzigd");
    }
}
