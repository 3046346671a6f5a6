//! Vragen and the nota van inlichtingen through the forms: asking from the tender page, the
//! inkoper's page, the confirmation step, and the public nota.

use aanbesteding::domain::role::Role;
use chrono::Duration;

use crate::both;
use crate::browser::Browser;
use crate::enquiries::{company_of, instant, published};
use crate::helpers::PASSWORD;

/// The value of a hidden field in a page.
fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    body.split_once(&marker).and_then(|(_, rest)| rest.split_once('"')).map(|(v, _)| v.to_owned()).unwrap_or_default()
}

both! {
    fn an_aanbieder_asks_on_the_tender_page_and_the_inkoper_publishes_a_nota(app) {
        let (t, _) = published(&app, "NVI-WEB");
        let tender = format!("/aanbestedingen/{}", t["id"]);
        let bidder = app.user(Role::Aanbieder);
        let company = company_of(&app, &bidder);
        let b = Browser::new(&app);
        b.login(&bidder.email, PASSWORD);
        let page = b.get(&tender);
        assert!(page.body.contains("Vragen over deze aanbesteding"), "the aanbieder's section");
        assert!(page.body.contains("Uw bedrijf heeft nog geen vragen") && page.body.contains(">Volgen</button>"), "empty state");
        assert!(page.body.contains("<option value=\"\" selected>De aanbesteding als geheel</option>"), "each option says what it is");
        assert!(page.body.contains(&format!("<option value=\"{}\">Perceel 3: Z-route</option>", t["lots"][2]["id"])));
        let bad = b.post_form(&format!("{tender}/vragen"), &[("lot_id", ""), ("question", "kort")]);
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("Stel uw vraag in minstens 10 tekens.") && bad.body.contains("aria-invalid=\"true\""), "{}", bad.body);
        assert!(bad.body.contains("Er is een probleem") && bad.body.contains("href=\"#question\""), "a summary linking to the field");
        let lot = t["lots"][2]["id"].to_string();
        let asked = b.post_form(&format!("{tender}/vragen"), &[("lot_id", &lot), ("question", "Mag de Z-route in kleine groepen worden gegeven?")]);
        assert_eq!(asked.status, 303, "{}", asked.body);
        assert_eq!(asked.location.as_deref(), Some(format!("{tender}#vragen").as_str()));
        let after = b.get(&tender).body;
        assert!(after.contains("Uw vraag is ontvangen") && after.contains("Mag de Z-route in kleine groepen worden gegeven?"));
        assert!(after.contains("In behandeling") && after.contains("Perceel 3: Z-route"));
        assert!(after.contains("U volgt deze aanbesteding"), "asking follows the tender");

        let inkoper = app.user(Role::Inkoper);
        let i = Browser::new(&app);
        i.login(&inkoper.email, PASSWORD);
        assert!(i.get(&tender).body.contains("Vragen en nota van inlichtingen"), "a link from the tender page");
        let list = i.get(&format!("{tender}/vragen"));
        assert_eq!(list.status, 200);
        assert!(list.body.contains("Mag de Z-route in kleine groepen") && list.body.contains("Nog niet beantwoord"));
        assert!(!list.body.contains(&company) && !list.body.contains(&bidder.email), "the inkoper does not see who asked");
        let id = app.get(&format!("/api/v1/tenders/{}/enquiries", t["id"]), Some(&inkoper.token)).json()["items"][0]["id"].clone();
        let answer = format!("{tender}/vragen/{id}/antwoord");
        let empty = i.post_form(&answer, &[("question", ""), ("answer", " ")]);
        assert_eq!(empty.status, 422);
        assert!(empty.body.contains("Schrijf het antwoord.") && empty.body.contains(&format!("href=\"#answer-{id}\"")), "{}", empty.body);
        let saved = i.post_form(&answer, &[("question", ""), ("answer", "Ja, in groepen van hoogstens acht deelnemers.")]);
        assert_eq!(saved.status, 303, "{}", saved.body);
        let confirm = i.get(&format!("{tender}/nota/publiceren"));
        assert!(confirm.body.contains("Nota van inlichtingen 1 publiceren"), "{}", confirm.body);
        assert!(confirm.body.contains("Vraag 1") && confirm.body.contains("hoogstens acht deelnemers"), "lists what goes in");
        let stale = i.post_form(&format!("{tender}/nota/publiceren"), &[("fingerprint", "iets anders")]);
        assert_eq!(stale.status, 409);
        assert!(stale.body.contains("gewijzigd sinds u de nota controleerde"));
        let fingerprint = hidden(&confirm.body, "fingerprint");
        let done = i.post_form(&format!("{tender}/nota/publiceren"), &[("fingerprint", &fingerprint)]);
        assert_eq!(done.status, 303, "{}", done.body);
        assert_eq!(done.location.as_deref(), Some(format!("{tender}#nota-1").as_str()));
        let public = Browser::new(&app).get(&tender).body;
        assert!(public.contains("Nota van inlichtingen 1") && public.contains("hoogstens acht deelnemers"), "public");
        assert!(!public.contains(&company), "without who asked");
        assert!(b.get(&tender).body.contains("Beantwoord in de nota van inlichtingen"), "the asker sees the status");
        assert!(i.get(&format!("{tender}/nota/publiceren")).body.contains("Er is niets om te publiceren"), "empty state");
    }

    fn after_the_question_deadline_the_tender_page_says_so_and_a_question_is_refused(app) {
        let (t, _) = published(&app, "NVI-LAAT");
        let tender = format!("/aanbestedingen/{}", t["id"]);
        let bidder = app.user(Role::Aanbieder);
        let b = Browser::new(&app);
        b.login(&bidder.email, PASSWORD);
        app.clock.set(instant(&t["question_deadline"]) + Duration::minutes(1));
        let page = b.get(&tender).body;
        assert!(page.contains("is verstreken; er kunnen geen vragen meer worden gesteld"), "no form after the deadline");
        assert!(!page.contains(&format!("action=\"{tender}/vragen\"")));
        let late = b.post_form(&format!("{tender}/vragen"), &[("lot_id", ""), ("question", "Toch nog een vraag na de termijn?")]);
        assert_eq!(late.status, 422);
        assert!(late.body.contains("De termijn voor vragen was") && late.body.contains("servertijd"), "{}", late.body);
    }
}
