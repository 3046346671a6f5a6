//! Consensus, prices, ranking and draws through the forms: the inkoper records the consensus
//! per bid, makes it final with a confirmation step, announces and records a draw, and asks the
//! winner for evidence; an assessor corrects locked scores with a reason.

use aanbesteding::domain::role::Role;
use serde_json::Value;

use crate::both;
use crate::browser::Browser;
use crate::consensus::score_all;
use crate::evaluation::{lot_path, open, with_bids};
use crate::helpers::PASSWORD;
use crate::scoring::{declare, ready_for_scoring};

/// The consensus form's fields for a bid: every criterion at `points`, with both motivations.
fn consensus_fields(criteria: &Value, points: &str, external: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for c in criteria.as_array().into_iter().flatten() {
        let id = &c["criterion_id"];
        fields.push((format!("punten_{id}"), points.to_owned()));
        fields.push((format!("intern_{id}"), "Besproken in de commissie.".to_owned()));
        fields.push((format!("extern_{id}"), external.to_owned()));
    }
    fields
}

fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

both! {
    fn the_inkoper_reaches_consensus_reveals_the_prices_and_settles_a_tie_through_the_forms(app) {
        let (t, _) = with_bids(&app, "RANK-WEB", 3);
        open(&app, &t);
        let inkoper = app.user(Role::Inkoper);
        let assessor = app.user(Role::Beoordelaar);
        let bids = ready_for_scoring(&app, &t, &inkoper, &[&assessor]);
        declare(&app, &t, &assessor, None);
        let (tid, lid) = (t["id"].as_i64().unwrap_or_default(), t["lots"][0]["id"].as_i64().unwrap_or_default());
        let ink = Browser::new(&app);
        ink.login(&inkoper.email, PASSWORD);
        let consensus = format!("/aanbestedingen/{tid}/percelen/{lid}/consensus");
        assert!(ink.get(&consensus).body.contains("wacht op Test Gebruiker"), "the assessor is still at work");
        score_all(&app, &assessor, &bids, &[[10, 8, 8, 8], [6, 6, 6, 6], [6, 6, 6, 6]]);

        // The assessor corrects a locked score through the form, with a reason.
        let a = Browser::new(&app);
        a.login(&assessor.email, PASSWORD);
        let sheet = app.get(&format!("/api/v1/bids/{}/score-sheet", bids[0]), Some(&assessor.token)).json();
        let mut fields = vec![("actie".to_owned(), "corrigeren".to_owned())];
        for c in sheet["criteria"].as_array().into_iter().flatten() {
            fields.push((format!("punten_{}", c["id"]), "8".into()));
            fields.push((format!("motivering_{}", c["id"]), "Concreet plan, op elk punt onderbouwd.".into()));
        }
        let unexplained = a.post_form(&format!("/beoordelen/inschrijvingen/{}", bids[0]), &refs(&fields));
        assert_eq!(unexplained.status, 422);
        assert!(unexplained.body.contains("Motiveer de correctie"), "the reason is asked beside its field");
        fields.push(("correctie".into(), "De 10 was een tikfout; bedoeld was 8.".into()));
        assert_eq!(a.post_form(&format!("/beoordelen/inschrijvingen/{}", bids[0]), &refs(&fields)).status, 303);

        let lot_page = ink.get(&consensus).body;
        assert!(lot_page.contains(&format!("href=\"/inschrijvingen/{}/consensus\"", bids[0])), "{lot_page}");
        assert!(!lot_page.contains("prijzen tonen…"), "not before every bid has its consensus");
        let view = app.get(&lot_path(&t, "consensus"), Some(&inkoper.token)).json();
        let page = ink.get(&format!("/inschrijvingen/{}/consensus", bids[0])).body;
        assert!(page.contains("Concreet plan, op elk punt onderbouwd.") && page.contains("Externe motivering"), "individual scores and the fields: {page}");
        for (i, points) in ["8", "6", "6"].iter().enumerate() {
            let criteria = &view["bids"][i]["criteria"];
            let bid = view["bids"][i]["bid_id"].clone();
            let short = ink.post_form(&format!("/inschrijvingen/{bid}/consensus"), &refs(&consensus_fields(criteria, points, "kort")));
            assert_eq!(short.status, 422);
            assert!(short.body.contains("kenmerken en voordelen van de inschrijving"), "{}", short.body);
            let full = consensus_fields(criteria, points, "Een plan dat taal en werk verbindt met lokale partners.");
            assert_eq!(ink.post_form(&format!("/inschrijvingen/{bid}/consensus"), &refs(&full)).status, 303);
        }
        let reveal = format!("/aanbestedingen/{tid}/percelen/{lid}/prijzen");
        assert!(ink.get(&consensus).body.contains(&format!("href=\"{reveal}\"")));
        assert!(ink.get(&reveal).body.contains("Definitief maken en prijzen tonen"), "a confirmation step");
        let ranking = format!("/aanbestedingen/{tid}/percelen/{lid}/rangorde");
        assert!(ink.get(&ranking).body.contains("nog niet definitief"), "no ranking before the reveal");
        assert_eq!(ink.post_form(&reveal, &[]).location.as_deref(), Some(ranking.as_str()));

        let page = ink.get(&ranking).body;
        assert!(page.contains("<strong>86,00</strong>") && page.contains("<strong>72,00</strong>"), "{page}");
        assert!(page.contains("€ 6.440,00") && page.contains("30,0000"), "prices and price points: {page}");
        assert!(page.contains("de gunning wacht op een loting"), "the tie decides the award");
        let tied = format!("{},{}", bids[1].min(bids[2]), bids[1].max(bids[2]));
        let draws = format!("/aanbestedingen/{tid}/percelen/{lid}/lotingen");
        let missing = ink.post_form(&draws, &[("inschrijvingen", &tied), ("moment", "2030-02-01T10:00"), ("plaats", ""), ("door", "Notaris De Vries")]);
        assert_eq!(missing.status, 422);
        assert!(missing.body.contains("Geef aan waar de loting plaatsvindt."), "{}", missing.body);
        assert!(missing.body.contains("value=\"Notaris De Vries\""), "what was typed stays");
        assert_eq!(ink.post_form(&draws, &[("inschrijvingen", &tied), ("moment", "2030-02-01T10:00"), ("plaats", "Stadhuis Hoorn"), ("door", "Notaris De Vries")]).status, 303);
        let draw_id = app.get(&lot_path(&t, "ranking"), Some(&inkoper.token)).json()["draws"][0]["id"].clone();
        let outcome = format!("{draws}/{draw_id}");
        assert!(ink.get(&outcome).body.contains("Getrokken volgorde"));
        let (first, second) = (bids[2].to_string(), bids[1].to_string());
        let same = ink.post_form(&outcome, &[(&format!("plaats_{first}"), "1"), (&format!("plaats_{second}"), "1"), ("getuigen", "Notaris De Vries")]);
        assert!(same.body.contains("Geef elke inschrijving een eigen plaats."), "{}", same.body);
        assert_eq!(ink.post_form(&outcome, &[(&format!("plaats_{first}"), "1"), (&format!("plaats_{second}"), "2"), ("aanwezigen", ""), ("getuigen", "Notaris De Vries")]).status, 303);
        let r = app.get(&lot_path(&t, "ranking"), Some(&inkoper.token)).json();
        let order: Vec<i64> = r["ranking"]["bids"].as_array().into_iter().flatten().filter_map(|b| b["bid_id"].as_i64()).collect();
        assert_eq!(order, [bids[0], bids[2], bids[1]], "the ranking follows the draw");
        assert!(ink.get(&ranking).body.contains("Uitslag vastgelegd"));

        let evidence = format!("/inschrijvingen/{}/bewijsstukken", bids[0]);
        let early = ink.post_form(&evidence, &[("bericht", "Het Keurmerk-certificaat."), ("termijn", "2001-01-01T12:00")]);
        assert_eq!(early.status, 422);
        assert!(early.body.contains("De termijn voor de bewijsstukken ligt in de toekomst."), "{}", early.body);
        assert_eq!(ink.post_form(&evidence, &[("bericht", "Het Keurmerk-certificaat."), ("termijn", "2030-03-01T12:00")]).status, 303);
        let loser = ink.post_form(&format!("/inschrijvingen/{}/bewijsstukken", bids[1]), &[("bericht", "Het Keurmerk-certificaat."), ("termijn", "2030-03-01T12:00")]);
        assert!(loser.body.contains("alleen gevraagd van een voorlopige winnaar"), "{}", loser.body);
        let page = ink.get(&ranking).body;
        assert!(page.contains("Het Keurmerk-certificaat.") && page.contains("De 10 was een tikfout"), "requests and corrections are listed: {page}");
        let management = Browser::new(&app);
        management.login(&app.user(Role::Management).email, PASSWORD);
        let seen = management.get(&ranking).body;
        assert!(seen.contains("<strong>86,00</strong>") && !seen.contains("Loting aankondigen") && !seen.contains("Bewijsstukken opvragen"), "management reads, does not act");
    }
}
