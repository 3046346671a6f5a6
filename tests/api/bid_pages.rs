//! Inschrijven through the forms: start, fill in, upload, submit, see the receipt.

use aanbesteding::domain::role::Role;
use serde_json::Value;

use aanbesteding::excel::price_sheet::write_with;

use crate::bidding::{filled_sheet, workbook};
use crate::both;
use crate::browser::Browser;
use crate::fixtures;
use crate::helpers::{PASSWORD, TestApp};

fn published(app: &TestApp) -> Value {
    let token = app.user(Role::Inkoper).token;
    let t = app.post("/api/v1/tenders", Some(&token), &fixtures::tender("WEB-BID")).json();
    app.call("POST", &format!("/api/v1/tenders/{}/publish", t["id"]), Some(&token), None).json()
}

both! {
    fn an_aanbieder_submits_through_the_forms_and_sees_the_receipt(app) {
        let t = published(&app);
        let bidder = app.user(Role::Aanbieder);
        let b = Browser::new(&app);
        b.login(&bidder.email, PASSWORD);
        let page = b.get(&format!("/aanbestedingen/{}", t["id"]));
        assert!(page.body.contains("Inschrijven") && page.body.contains("Perceel 1: B1-route"), "the bidding section");
        let started = b.post_form(&format!("/aanbestedingen/{}/percelen/{}/inschrijving", t["id"], t["lots"][0]["id"]), &[]);
        assert_eq!(started.status, 303, "{}", started.body);
        let bid_path = started.location.clone().unwrap_or_default();
        let form = b.get(&bid_path);
        assert!(form.body.contains("NIET INGEDIEND"));
        let lot = &t["lots"][0];
        let mut fields: Vec<(String, String)> = vec![
            ("member_name".into(), "Taalschool".into()), ("member_kvk".into(), "1234 5678".into()),
            ("member_uea".into(), "0".into()), ("member_remarks".into(), String::new()),
        ];
        for c in t["selection_criteria"].as_array().into_iter().flatten().filter(|c| c["lot"].is_null() || c["lot"] == lot["number"]) {
            fields.push((format!("evidence_reference_{}", c["id"]), "bewijs".into()));
            fields.push((format!("evidence_issued_on_{}", c["id"]), "2026-06-01".into()));
            fields.push((format!("evidence_valid_until_{}", c["id"]), "2029-01-01".into()));
        }
        for q in lot["quality_criteria"].as_array().into_iter().flatten() {
            fields.push((format!("answer_{}", q["id"]), "Ons antwoord".into()));
        }
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let saved = b.post_form(&bid_path, &refs);
        assert_eq!(saved.status, 303, "{}", saved.body);
        let download = b.get(&format!("/aanbestedingen/{}/prijzenblad", t["id"]));
        assert_eq!(download.status, 200);
        assert!(download.content_type.starts_with("application/vnd.openxmlformats"), "{}", download.content_type);
        let half = write_with(&workbook(&app, &t["id"]), &|_, i| (i > 0).then_some(12.5)).expect("sheet");
        let refused = b.upload(&format!("{bid_path}/prijzenblad"), "prijzenblad.xlsx", &half);
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("Het prijzenblad is niet aangenomen") && refused.body.contains("Blad B1-route, cel D7: vul de prijs per eenheid in"), "{}", refused.body);
        let priced = b.upload(&format!("{bid_path}/prijzenblad"), "prijzenblad.xlsx", &filled_sheet(&app, &t["id"], 12.5));
        assert_eq!(priced.status, 303, "{}", priced.body);
        let read_back = b.get(&bid_path);
        assert!(read_back.body.contains("€ 7.500,00") && read_back.body.contains("Deze prijzen kloppen"), "600 lesuren à € 12,50");
        let id = bid_path.rsplit('/').next().unwrap_or_default();
        let file_id = app.get(&format!("/api/v1/bids/{id}"), Some(&bidder.token)).json()["price_sheet"]["file_id"].to_string();
        assert!(read_back.body.contains(&format!("name=\"file_id\" value=\"{file_id}\"")), "the form names the sheet it confirms");
        assert_eq!(b.post_form(&format!("{bid_path}/prijzenblad/bevestigen"), &[("file_id", &file_id)]).status, 303);
        assert!(b.get(&bid_path).body.contains("U hebt deze prijzen bevestigd op"));
        let upload = b.upload(&format!("{bid_path}/documenten"), "plan van aanpak.pdf", b"%PDF-1.7 plan");
        assert_eq!(upload.status, 303, "{}", upload.body);
        let check = b.get(&format!("{bid_path}/indienen"));
        assert!(check.body.contains("Uw inschrijving is compleet."), "{}", check.body);
        assert!(check.body.contains("plan van aanpak.pdf"));
        let submitted = b.post_form(&format!("{bid_path}/indienen"), &[]);
        assert_eq!(submitted.status, 303);
        let after = b.get(&bid_path);
        assert!(!after.body.contains("NIET INGEDIEND"), "the banner is gone once submitted");
        assert!(after.body.contains("Ontvangstbewijs WEB-BID-P1-"), "the receipt is shown");
        assert!(after.body.contains("Inschrijving intrekken"));
        app.sql(&format!("UPDATE bids SET needs_reconfirmation = TRUE WHERE id = {id}"));
        assert!(b.get(&bid_path).body.contains("Inschrijving opnieuw bevestigen"));
        let confirmed = b.post_form(&format!("{bid_path}/bevestigen"), &[]);
        assert_eq!(confirmed.status, 303, "{}", confirmed.body);
        let page = b.get(&bid_path).body;
        assert!(page.contains("opnieuw bevestigd") && !page.contains("Inschrijving opnieuw bevestigen"), "{page}");
        let other = Browser::new(&app);
        other.login(&app.user(Role::Aanbieder).email, PASSWORD);
        assert_eq!(other.get(&bid_path).status, 404, "another bidder does not see it");
    }
}
