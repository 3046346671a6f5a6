//! Beoordeling through the forms: the inkoper appoints a committee and decides suitability,
//! a beoordelaar declares and scores one bid with a confirmation step.

use aanbesteding::domain::role::Role;

use crate::both;
use crate::browser::Browser;
use crate::evaluation::{open, with_bids};
use crate::helpers::PASSWORD;

both! {
    fn the_committee_suitability_declaration_and_scores_go_through_the_forms(app) {
        let (t, bids) = with_bids(&app, "EVAL-WEB", 1);
        let bid_id = bids[0]["id"].as_i64().unwrap_or_default();
        let lot_id = t["lots"][0]["id"].as_i64().unwrap_or_default();
        let (inkoper, assessor) = (app.user(Role::Inkoper), app.user(Role::Beoordelaar));
        let ink = Browser::new(&app);
        ink.login(&inkoper.email, PASSWORD);
        let form = ink.get(&format!("/aanbestedingen/{}/percelen/{lot_id}/commissie", t["id"]));
        assert!(form.body.contains(&assessor.email), "the beoordelaars to choose from");
        let id = assessor.id.to_string();
        assert_eq!(ink.post_form(&format!("/aanbestedingen/{}/percelen/{lot_id}/commissie", t["id"]), &[("assessor", &id)]).status, 303);
        let overview = ink.get(&format!("/aanbestedingen/{}/beoordeling", t["id"])).body;
        assert!(overview.contains("Test Gebruiker") && overview.contains("De kluis is nog niet geopend"), "{overview}");

        open(&app, &t);
        let page = ink.get(&format!("/inschrijvingen/{bid_id}/geschiktheid"));
        assert!(page.body.contains("Voorstel van de dienst: <strong>voldoet</strong>"), "{}", page.body);
        let subjects: Vec<String> = (0..6).map(|i| format!("subject_{i}")).collect();
        let mut fields: Vec<(String, String)> = Vec::new();
        for (i, s) in ["exclusion_grounds", "kvk"].iter().enumerate() {
            fields.push((subjects[i].clone(), s.to_string()));
            fields.push((format!("passes_{i}"), "ja".into()));
            fields.push((format!("motivation_{i}"), String::new()));
        }
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let refused = ink.post_form(&format!("/inschrijvingen/{bid_id}/geschiktheid"), &refs);
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("Motiveer het oordeel."), "the problem beside its field");
        let s = app.get(&format!("/api/v1/tenders/{}/lots/{lot_id}/suitability", t["id"]), Some(&inkoper.token)).json();
        let mut fields: Vec<(String, String)> = Vec::new();
        for (i, p) in s["bids"][0]["proposals"].as_array().into_iter().flatten().enumerate() {
            fields.push((format!("subject_{i}"), p["subject"].as_str().unwrap_or_default().into()));
            fields.push((format!("passes_{i}"), "ja".into()));
            fields.push((format!("motivation_{i}"), "Voldoet.".into()));
        }
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(ink.post_form(&format!("/inschrijvingen/{bid_id}/geschiktheid"), &refs).status, 303);
        assert!(ink.get(&format!("/inschrijvingen/{bid_id}/geschiktheid")).body.contains("<strong>toegelaten</strong>"));

        let b = Browser::new(&app);
        b.login(&assessor.email, PASSWORD);
        assert!(b.get("/beoordelen").body.contains("Verklaar eerst per inschrijver"));
        let declaration = format!("/aanbestedingen/{}/percelen/{lot_id}/verklaring", t["id"]);
        assert!(b.get(&declaration).body.contains("Taalschool"), "bidders by name in the declaration");
        assert_eq!(b.post_form(&declaration, &[("belang_1", "nee"), ("toelichting_1", "")]).status, 303);
        let list = b.get("/beoordelen").body;
        assert!(list.contains(&format!("href=\"/beoordelen/inschrijvingen/{bid_id}\"")), "{list}");
        let sheet = b.get(&format!("/beoordelen/inschrijvingen/{bid_id}"));
        assert!(sheet.body.contains("Antwoord van de inschrijver") && sheet.body.contains("Ons antwoord op"), "{}", sheet.body);
        let sheet_json = app.get(&format!("/api/v1/bids/{bid_id}/score-sheet"), Some(&assessor.token)).json();
        let mut fields: Vec<(String, String)> = vec![("actie".into(), "vastleggen".into())];
        for c in sheet_json["criteria"].as_array().into_iter().flatten() {
            fields.push((format!("punten_{}", c["id"]), "8".into()));
            fields.push((format!("motivering_{}", c["id"]), "Concreet en onderbouwd plan.".into()));
        }
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let saved = b.post_form(&format!("/beoordelen/inschrijvingen/{bid_id}"), &refs);
        assert_eq!(saved.location.as_deref(), Some(format!("/beoordelen/inschrijvingen/{bid_id}/vastleggen").as_str()));
        assert!(b.get(&format!("/beoordelen/inschrijvingen/{bid_id}/vastleggen")).body.contains("Definitief vastleggen"));
        assert_eq!(b.post_form(&format!("/beoordelen/inschrijvingen/{bid_id}/vastleggen"), &[]).status, 303);
        assert!(b.get(&format!("/beoordelen/inschrijvingen/{bid_id}")).body.contains("U hebt deze scores vastgelegd"));
        assert!(b.get("/beoordelen").body.contains("vastgelegd"));
    }
}
