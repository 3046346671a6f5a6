//! Gunning through the forms: the inkoper proposes, management approves, the letters go, the
//! bidder reads its letter in the portal and objects; a bad entry is named beside its field.

use aanbesteding::domain::role::Role;

use crate::both;
use crate::browser::Browser;
use crate::evaluation_corrections::ranked;
use crate::helpers::PASSWORD;

both! {
    fn the_award_goes_through_the_forms_and_the_bidder_reads_its_letter(app) {
        let (t, inkoper, _, bidders) = ranked(&app, "AWARD-WEB");
        let page = format!("/aanbestedingen/{}/percelen/{}/gunning", t["id"], t["lots"][0]["id"]);
        let ink = Browser::new(&app);
        ink.login(&inkoper.email, PASSWORD);
        let shown = ink.get(&page);
        assert_eq!(shown.status, 200);
        assert!(shown.body.contains("Er is voor dit perceel nog geen voornemen tot gunning."), "empty state");
        let short = ink.post_form(&page, &[("termijn", "10"), ("reden_termijn", ""), ("niet_gunnen", "")]);
        assert_eq!(short.status, 422);
        assert!(short.body.contains("korter dan 20 kalenderdagen vraagt een vastgelegde reden"), "{}", short.body);
        assert!(short.body.contains("id=\"voorstel-reden_termijn-fout\""), "the message sits beside its field");
        let proposed = ink.post_form(&page, &[("termijn", "20"), ("reden_termijn", ""), ("niet_gunnen", "")]);
        assert_eq!((proposed.status, proposed.location.as_deref()), (303, Some(page.as_str())), "{}", proposed.body);
        let decision = ink.get(&page);
        assert!(decision.body.contains("voorgesteld, wacht op goedkeuring"), "{}", decision.body);
        assert!(!decision.body.contains("goedkeuren\""), "the inkoper sees no approve button");

        let management = app.user(Role::Management);
        let mgmt = Browser::new(&app);
        mgmt.login(&management.email, PASSWORD);
        let id = app.get(&format!("/api/v1/tenders/{}/lots/{}/award", t["id"], t["lots"][0]["id"]), Some(&management.token)).json()["decisions"][0]["id"].clone();
        assert_eq!(mgmt.post_form(&format!("{page}/{id}/goedkeuren"), &[]).status, 303);
        let sent = ink.post_form(&format!("{page}/{id}/verzenden"), &[]);
        assert_eq!(sent.status, 303, "{}", sent.body);
        assert!(ink.get(&page).body.contains("Laatste dag voor bezwaar"));

        let bidder = Browser::new(&app);
        bidder.login(&bidders[2].email, PASSWORD);
        let list = bidder.get("/brieven");
        assert!(list.body.contains("Voornemen tot gunning"), "{}", list.body);
        let letter_id = app.get("/api/v1/award-letters", Some(&bidders[2].token)).json()[0]["id"].clone();
        let letter = bidder.get(&format!("/brieven/{letter_id}"));
        assert!(letter.body.contains("plaats 3") && letter.body.contains("Bezwaar maken"), "{}", letter.body);
        let empty = bidder.post_form(&format!("/brieven/{letter_id}/bezwaar"), &[("bezwaar", "")]);
        assert_eq!(empty.status, 422);
        assert!(empty.body.contains("Beschrijf het bezwaar"), "{}", empty.body);
        let objected = bidder.post_form(&format!("/brieven/{letter_id}/bezwaar"), &[("bezwaar", "De score op criterium 1 is niet gemotiveerd.")]);
        assert_eq!(objected.status, 303, "{}", objected.body);
        assert!(ink.get(&page).body.contains("De score op criterium 1 is niet gemotiveerd."), "the inkoper sees it");
        let other = Browser::new(&app);
        other.login(&bidders[0].email, PASSWORD);
        assert_eq!(other.get(&format!("/brieven/{letter_id}")).status, 404, "another bidder's letter does not exist for it");
    }
}
