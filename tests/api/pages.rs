//! The web forms: an inkoper sets up and publishes a tender without the API.

use aanbesteding::domain::role::Role;

use crate::both;
use crate::browser::Browser;
use crate::fixtures;
use crate::helpers::PASSWORD;

/// The number in `/aanbestedingen/7...` of a redirect.
fn tender_id(location: &str) -> String {
    location.trim_start_matches("/aanbestedingen/").split(['/', '#']).next().unwrap_or_default().to_owned()
}

both! {
    fn an_inkoper_sets_up_and_publishes_a_tender_through_the_forms(app) {
        let u = app.user(Role::Inkoper);
        let b = Browser::new(&app);
        b.login(&u.email, PASSWORD);
        assert!(b.get("/aanbestedingen").body.contains("Er zijn nog geen aanbestedingen"), "empty state");
        let new = b.get("/aanbestedingen/nieuw");
        assert!(new.body.contains("Drechterland") && new.body.contains("Dijk en Waard") && !new.body.contains("Langedijk"));
        let (q, s) = (fixtures::local_noon(14), fixtures::local_noon(35));
        let created = b.post_form("/aanbestedingen", &[
            ("title", "Modules inburgering Hoorn en Enkhuizen"), ("reference", "HE-2027-01"), ("procedure", "social_services"),
            ("description", "KNM en MAP voor twee gemeenten."), ("municipalities", "GM0405"), ("municipalities", "GM0388"),
            ("lead_municipality", "GM0405"), ("question_deadline", &q), ("submission_deadline", &s),
            ("standstill_days", "20"), ("standstill_reason", ""), ("rounding.decimals", "2"), ("rounding.mode", "half_up"),
        ]);
        assert_eq!(created.status, 303, "{}", created.body);
        let id = tender_id(created.location.as_deref().unwrap_or_default());
        let show = b.get(&format!("/aanbestedingen/{id}"));
        assert!(show.body.contains("is aangemaakt als concept"), "flash message");
        assert!(show.body.contains("Voeg minstens één perceel toe."));
        let scale = b.post_form(&format!("/aanbestedingen/{id}/schalen"), &[("name", "Vijfpuntsschaal"), ("steps", "0 = Onvoldoende\n5 = Voldoende\n10 = Goed")]);
        assert_eq!(scale.status, 303, "{}", scale.body);
        let lot_form = b.get(&format!("/aanbestedingen/{id}/percelen/nieuw"));
        assert!(lot_form.body.contains("Enkhuizen") && lot_form.body.contains("Vijfpuntsschaal"));
        let bad = b.post_form(&format!("/aanbestedingen/{id}/percelen"), &[
            ("title", "KNM"), ("learning_route", "knm"), ("max_winners", "1"), ("ceiling_price", "1.250,00"), ("ceiling_price_rationale", ""),
            ("price.formula", "relative_to_lowest"), ("price.weight_percent", "40"),
            ("volume_municipality", "GM0388"), ("volume", "4"), ("volume_municipality", "GM0405"), ("volume", ""),
            ("criterion_title", ""), ("criterion_description", ""), ("criterion_weight", ""), ("criterion_scale", ""), ("criterion_value", ""),
            ("criterion_title", "Aanpak"), ("criterion_description", ""), ("criterion_weight", "50"), ("criterion_scale", "Vijfpuntsschaal"), ("criterion_value", ""),
        ]);
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("De gewichten tellen op tot 90% in plaats van 100%."), "weights");
        assert!(bad.body.contains("Onderbouw de plafondprijs"), "rationale");
        assert!(bad.body.contains("id=\"volumes-1-estimated_volume-fout\""), "the empty volume of the second gemeente");
        let good = b.post_form(&format!("/aanbestedingen/{id}/percelen"), &[
            ("title", "KNM"), ("learning_route", "knm"), ("max_winners", "1"), ("ceiling_price", "1.250,00"),
            ("ceiling_price_rationale", "40 uur les à € 31,25 inclusief materiaal"),
            ("price.formula", "relative_to_lowest"), ("price.weight_percent", "40"),
            ("volume_municipality", "GM0388"), ("volume", "4"), ("volume_municipality", "GM0405"), ("volume", "12"),
            ("criterion_title", ""), ("criterion_description", ""), ("criterion_weight", ""), ("criterion_scale", ""), ("criterion_value", ""),
            ("criterion_title", "Aanpak"), ("criterion_description", "Hoe?"), ("criterion_weight", "60"), ("criterion_scale", "Vijfpuntsschaal"), ("criterion_value", ""),
        ]);
        assert_eq!(good.status, 303, "{}", good.body);
        let criterion = b.post_form(&format!("/aanbestedingen/{id}/eisen"), &[
            ("lot", ""), ("title", "Gedragsverklaring Aanbesteden"), ("description", ""), ("evidence", "GVA van Justis"),
            ("validity_rule", "max_age_at_deadline"), ("validity_months", "24"),
        ]);
        assert_eq!(criterion.status, 303, "{}", criterion.body);
        let check = b.get(&format!("/aanbestedingen/{id}/publiceren"));
        assert!(check.body.contains("De aanbesteding is compleet."), "{}", check.body);
        let published = b.post_form(&format!("/aanbestedingen/{id}/publiceren"), &[]);
        assert_eq!(published.status, 303);
        let public = Browser::new(&app).get(&format!("/aanbestedingen/{id}"));
        assert_eq!(public.status, 200);
        for text in ["Modules inburgering Hoorn en Enkhuizen", "€ 1.250,00", "40%", "60%", "Gepubliceerd", "niet ouder dan 24 maanden"] {
            assert!(public.body.contains(text), "{text}");
        }
        let api = app.get(&format!("/api/v1/tenders/{id}"), None).json();
        assert_eq!(api["lots"][0]["volumes"].as_array().map(Vec::len), Some(2));
        assert_eq!(api["lots"][0]["ceiling_price"], "1250.00");
    }

    fn a_correction_through_the_form_needs_a_reason(app) {
        let u = app.user(Role::Inkoper);
        let t = app.post("/api/v1/tenders", Some(&u.token), &fixtures::tender("PG-2")).json();
        app.call("POST", &format!("/api/v1/tenders/{}/publish", t["id"]), Some(&u.token), None);
        let b = Browser::new(&app);
        b.login(&u.email, PASSWORD);
        let path = format!("/aanbestedingen/{}/eisen/{}/bewerken", t["id"], t["selection_criteria"][2]["id"]);
        let form = b.get(&path);
        assert!(form.body.contains("Reden van de correctie"));
        let fields = [("lot", ""), ("title", "Gedragsverklaring Aanbesteden"), ("description", ""), ("evidence", "GVA van Justis, origineel"), ("validity_rule", "max_age_at_deadline"), ("validity_months", "24")];
        let refused = b.post_form(&path, &fields);
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("Motiveer de correctie"));
        let mut with_reason = fields.to_vec();
        with_reason.push(("correction_reason", "Origineel exemplaar gevraagd in plaats van kopie"));
        assert_eq!(b.post_form(&path, &with_reason).status, 303);
        let show = b.get(&format!("/aanbestedingen/{}", t["id"]));
        assert!(show.body.contains("Correctie 1"), "the correction is listed on the tender page");
    }

    fn pages_carry_the_accessibility_basics(app) {
        let page = Browser::new(&app).get("/");
        assert!(page.body.contains("<html lang=\"nl\">"));
        assert!(page.body.contains("href=\"#inhoud\""), "skip link");
        assert!(page.body.contains("Er staan op dit moment geen aanbestedingen open."), "empty state");
        let css = Browser::new(&app).get("/static/app.css");
        assert!(css.content_type.starts_with("text/css"));
    }
}
