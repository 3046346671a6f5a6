//! Capaciteit in de browser: the klantmanager records a placement and overrules a full contract
//! by form, the pages of Hoorn show nothing of Enkhuizen, management keeps the taakstelling, the
//! distribution and a contract's places by form, with every mistake named at its field.

use serde_json::json;

use crate::both;
use crate::browser::Browser;
use crate::capacity::{capacity, contracted, place};
use crate::forecast::sheet;
use crate::helpers::PASSWORD;

both! {
    fn a_klantmanager_places_by_form_and_sees_only_the_own_gemeente(app) {
        let c = contracted(&app, "CAP-PAGES");
        let y = c.year;
        assert_eq!(capacity(&app, &c.inkoper, &c.contracts[0], json!([{ "year": y, "allocation": { "GM0405": 1, "GM0388": 3 } }])).status, 200);
        let theirs = place(&app, &c.enkhuizen, &c.contracts[0], &format!("{y}-02-01"), "ENK-GEHEIM-9", "").json();
        let hoorn = Browser::new(&app);
        hoorn.login(&c.hoorn.email, PASSWORD);
        let start = hoorn.get("/capaciteit");
        assert_eq!(start.status, 200, "{}", start.body);
        assert!(start.body.contains("Capaciteit Hoorn") && start.body.contains(r#"role="img""#), "{}", start.body);

        let contract = c.contracts[0]["id"].to_string();
        let date = format!("{y}-03-01");
        let missing = hoorn.post_form("/plaatsingen", &[("contract_id", ""), ("start_date", ""), ("reference", "")]);
        assert_eq!(missing.status, 422);
        for id in ["contract_id-fout", "start_date-fout"] {
            assert!(missing.body.contains(&format!("id=\"{id}\"")), "{id}: {}", missing.body);
        }
        let placed = hoorn.post_form("/plaatsingen", &[("contract_id", &contract), ("start_date", &date), ("reference", "HRN-100")]);
        assert_eq!(placed.status, 303, "{}", placed.body);
        let full = hoorn.post_form("/plaatsingen", &[("contract_id", &contract), ("start_date", &date), ("reference", "HRN-101")]);
        assert_eq!(full.status, 422, "{}", full.body);
        assert!(full.body.contains("id=\"overrule_reason\"") && full.body.contains("1 van 1 plaatsen"), "{}", full.body);
        assert!(full.body.contains("value=\"HRN-101\""), "what was typed stays");
        let overruled = hoorn.post_form("/plaatsingen", &[("contract_id", &contract), ("start_date", &date), ("reference", "HRN-101"), ("overrule_reason", "Wachtlijst bij de andere aanbieder is 14 weken")]);
        assert_eq!(overruled.status, 303, "{}", overruled.body);
        let list = hoorn.get("/plaatsingen");
        assert!(list.body.contains("HRN-100") && list.body.contains("HRN-101") && list.body.contains("boven capaciteit"), "{}", list.body);
        assert!(!list.body.contains("ENK-GEHEIM"), "{}", list.body);

        for path in ["/capaciteit/gemeente/GM0388", "/capaciteit/gemeente/GM0388/export", "/plaatsingen?gemeente=GM0388"] {
            let r = hoorn.get(path);
            assert_eq!(r.status, 404, "{path}: {}", r.body);
            assert!(!r.body.contains("ENK-GEHEIM") && !r.body.contains("Enkhuizen"), "{path}");
        }
        for path in ["/capaciteit/regio/westfriesland", "/capaciteit/regio/westfriesland/taakstelling", "/capaciteit/regio/westfriesland/export"] {
            assert_eq!(hoorn.get(path).status, 403, "{path}");
        }
        let ending = hoorn.post_form(&format!("/plaatsingen/{}/beeindigen", theirs["id"]), &[("ended_on", &date), ("reason", "afgerond")]);
        assert_eq!(ending.status, 404, "{}", ending.body);
        let own = hoorn.get("/capaciteit/gemeente/GM0405");
        assert!(!own.body.contains("ENK-GEHEIM") && !own.body.contains("Enkhuizen"), "{}", own.body);

        let mine = app.get("/api/v1/placements", Some(&c.hoorn.token)).json();
        let id = mine["items"][0]["id"].to_string();
        let early = hoorn.post_form(&format!("/plaatsingen/{id}/beeindigen"), &[("ended_on", &format!("{}-01-01", y - 1)), ("reason", "afgerond")]);
        assert_eq!(early.status, 422);
        assert!(early.body.contains("niet vóór haar start"), "{}", early.body);
        let ended = hoorn.post_form(&format!("/plaatsingen/{id}/beeindigen"), &[("ended_on", &format!("{y}-06-30")), ("reason", "afgeschaald")]);
        assert_eq!(ended.status, 303, "{}", ended.body);
    }
}

both! {
    fn management_keeps_taakstelling_distribution_and_places_by_form(app) {
        let c = contracted(&app, "CAP-FORMS");
        let y = c.year;
        let m = Browser::new(&app);
        m.login(&c.management.email, PASSWORD);
        let h1 = format!("GM0405_{y}-H1");
        let form = m.get(&format!("/capaciteit/regio/westfriesland/taakstelling?van={y}-H1"));
        assert_eq!(form.status, 200, "{}", form.body);
        assert!(form.body.contains(&format!("id=\"{h1}\"")), "{}", form.body);
        let wrong = m.post_form("/capaciteit/regio/westfriesland/taakstelling", &[("van", &format!("{y}-H1")), (&h1, "veel")]);
        assert_eq!(wrong.status, 422);
        assert!(wrong.body.contains(&format!("id=\"{h1}-fout\"")) && wrong.body.contains("is geen heel aantal"), "{}", wrong.body);
        let saved = m.post_form("/capaciteit/regio/westfriesland/taakstelling", &[("van", &format!("{y}-H1")), (&h1, "47")]);
        assert_eq!(saved.status, 303, "{}", saved.body);
        assert!(app.get("/api/v1/regions/westfriesland/taakstelling", Some(&c.management.token)).body.contains("\"people\":47"));

        let broken = sheet("Taakstelling", &[["Hoorn", "2027-H9", "5"]], None);
        let refused = m.upload("/capaciteit/regio/westfriesland/taakstelling/import", "taakstelling.xlsx", &broken);
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("B2: &#x27;2027-H9&#x27;") || refused.body.contains("B2: '2027-H9'"), "{}", refused.body);

        let shares = m.post_form("/capaciteit/regio/westfriesland/verdeling", &[("b1-route", "70"), ("onderwijsroute", "20")]);
        assert_eq!(shares.status, 422);
        assert!(shares.body.contains("90%") && shares.body.contains("id=\"b1-route-fout\""), "{}", shares.body);
        assert_eq!(m.post_form("/capaciteit/regio/westfriesland/verdeling", &[("b1-route", "70"), ("onderwijsroute", "20"), ("z-route", "10")]).status, 303);
        let region = m.get("/capaciteit/regio/westfriesland");
        assert!(region.body.contains("b1-route 70%"), "{}", region.body);

        let page = format!("/contracten/{}", c.contracts[0]["id"]);
        let over = m.post_form(&format!("{page}/capaciteit"), &[("year", &y.to_string()), ("total", "5"), ("gemeente_GM0405", "4"), ("gemeente_GM0388", "3")]);
        assert_eq!(over.status, 422, "{}", over.body);
        assert!(over.body.contains("id=\"total-fout\"") && over.body.contains("meer dan het totaal van 5"), "{}", over.body);
        let set = m.post_form(&format!("{page}/capaciteit"), &[("year", &y.to_string()), ("total", "5"), ("gemeente_GM0405", "4")]);
        assert_eq!(set.status, 303, "{}", set.body);
        let shown = m.get(&page).body;
        assert!(shown.contains("Hoorn 4") && shown.contains("Besluit uiterlijk"), "{shown}");
    }
}

both! {
    fn a_klantmanager_moves_placements_by_form_and_confirms_more_than_fifteen(app) {
        let c = contracted(&app, "CAP-MOVE-FORM");
        let y = c.year;
        for contract in &c.contracts {
            assert_eq!(capacity(&app, &c.inkoper, contract, json!([{ "year": y, "allocation": { "GM0405": 20 } }])).status, 200);
        }
        let ids: Vec<String> = (0..17)
            .map(|n| place(&app, &c.hoorn, &c.contracts[0], &format!("{y}-04-01"), &format!("MV-{n}"), "").json()["id"].to_string())
            .collect();
        let hoorn = Browser::new(&app);
        hoorn.login(&c.hoorn.email, PASSWORD);
        let list = hoorn.get("/plaatsingen");
        assert!(list.body.contains("id=\"verplaatsen\"") && list.body.contains(&format!("id=\"verplaats-{}\"", ids[0])), "{}", list.body);
        let to = c.contracts[1]["id"].to_string();
        let mut fields: Vec<(&str, &str)> = ids[..16].iter().map(|i| ("placement_ids", i.as_str())).collect();
        fields.push(("to_contract_id", &to));
        let warned = hoorn.post_form("/plaatsingen/verplaatsen", &fields);
        assert_eq!(warned.status, 422, "{}", warned.body);
        assert!(warned.body.contains("id=\"move-confirm\"") && warned.body.contains("16 cursisten"), "{}", warned.body);
        assert!(warned.body.contains(&format!("value=\"{}\" checked", ids[15])), "the ticked ones stay ticked");
        fields.push(("confirm", "ja"));
        let moved = hoorn.post_form("/plaatsingen/verplaatsen", &fields);
        assert_eq!(moved.status, 303, "{}", moved.body);
        let none = hoorn.post_form("/plaatsingen/verplaatsen", &[("to_contract_id", &to)]);
        assert_eq!(none.status, 422);
        assert!(none.body.contains("Kies de plaatsingen die verhuizen"), "{}", none.body);
        assert!(!none.body.contains("Kies het contract waar"), "a chosen contract is not asked for again");
        let nothing = hoorn.post_form("/plaatsingen/verplaatsen", &[("to_contract_id", "")]);
        assert_eq!(nothing.status, 422);
        assert!(
            nothing.body.contains("Kies de plaatsingen die verhuizen") && nothing.body.contains("Kies het contract waar"),
            "both missing choices are named: {}",
            nothing.body
        );
        let all = app.get("/api/v1/placements?per_page=100", Some(&c.hoorn.token)).json();
        let on_new = all["items"].as_array().into_iter().flatten().filter(|p| p["contract_id"] == c.contracts[1]["id"]).count();
        assert_eq!(on_new, 16);
    }
}
