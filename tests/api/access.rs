//! Every endpoint of the route table, for every role: the access rule holds in practice.

use aanbesteding::domain::role::Role;
use aanbesteding::endpoints::{Access, ENDPOINTS, Endpoint};
use serde_json::json;

use crate::both;
use crate::browser::Browser;
use crate::fixtures;
use crate::helpers::{PASSWORD, Resp, TestApp, TestUser};

struct Caller<'a> {
    role: Option<Role>,
    user: Option<TestUser>,
    browser: Browser<'a>,
}

/// Fills in the path with the ids of a draft tender that has every kind of part.
/// Capacity is walked in Westfriesland, and for a klantmanager's own gemeente Hoorn.
fn concrete(path: &str, ids: &[(&str, i64)]) -> String {
    let path = path.replace("{region}", "westfriesland").replace("{gemeente}", "GM0405");
    ids.iter().fold(path, |p, (name, id)| p.replace(&format!("{{{name}}}"), &id.to_string()))
}

fn published(app: &TestApp, token: &str, reference: &str) -> serde_json::Value {
    let t = app.post("/api/v1/tenders", Some(token), &fixtures::tender(reference)).json();
    let r = app.call("POST", &format!("/api/v1/tenders/{}/publish", t["id"]), Some(token), None);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// Bids, questions and notas need a published tender; the rest is walked on the concept.
fn on_published(path: &str) -> bool {
    [
        "bid",
        "enquir",
        "interest",
        "vragen",
        "volgen",
        "nota",
        "committee",
        "declarations",
        "suitability",
        "commissie",
        "verklaring",
        "geschiktheid",
        "beoordel",
    ]
    .iter()
    .any(|w| path.contains(w))
}

/// A question by the aanbieder, answered and published in nota 1: (question id, nota number).
fn asked_and_published(app: &TestApp, inkoper: &str, aanbieder: &str, t: &serde_json::Value) -> (i64, i64) {
    let path = format!("/api/v1/tenders/{}/enquiries", t["id"]);
    let q = app.post(&path, Some(aanbieder), &json!({ "question": "Mag een combinatie inschrijven?" })).json();
    let answer = json!({ "answer": "Ja." });
    assert_eq!(app.put(&format!("/api/v1/enquiries/{}/answer", q["id"]), Some(inkoper), &answer).status, 200);
    let note = app.call("POST", &format!("/api/v1/tenders/{}/enquiry-notes", t["id"]), Some(inkoper), None).json();
    (q["id"].as_i64().unwrap_or_default(), note["number"].as_i64().unwrap_or_default())
}

fn is_api(e: &Endpoint) -> bool {
    e.path.starts_with("/api/") || e.path.starts_with("/health")
}

fn call(app: &TestApp, c: &Caller, e: &Endpoint, path: &str) -> Resp {
    if is_api(e) {
        let token = c.user.as_ref().map(|u| u.token.as_str());
        let body = (e.method == "POST" || e.method == "PUT").then(|| json!({}));
        app.call(e.method, path, token, body.as_ref())
    } else if e.method == "GET" {
        c.browser.get(path)
    } else {
        c.browser.post_form(path, &[])
    }
}

/// What an allowed GET must answer: 200, except that a concept does not exist for outsiders.
fn expected_get(e: &Endpoint, role: Option<Role>, on_concept: bool) -> u16 {
    let concept_hidden =
        on_concept && e.access == Access::Public && e.path.contains("{id}") && !role.is_some_and(|r| r.sees_concepts());
    // Before the opening the vault answers that it is sealed, and a ranking waits for the consensus.
    let sealed =
        e.path.ends_with("/opened-bids") || e.path.ends_with("/ranking") || e.path.ends_with("/lotingen/{draw_id}");
    // And a sealed bid does not exist for an assessor.
    let unscorable = e.path.ends_with("/score-sheet")
        || e.path.starts_with("/beoordelen/inschrijvingen/")
        || e.path == "/inschrijvingen/{bid_id}/geschiktheid"
        || e.path == "/inschrijvingen/{bid_id}/consensus"
        // Nobody has been sent a letter yet.
        || e.path == "/brieven/{letter_id}"
        // Nor has any contract been made.
        || e.path.starts_with("/api/v1/contracts/")
        || e.path.starts_with("/contracten/")
        // Nor any placement.
        || e.path.contains("{placement_id}");
    if concept_hidden || unscorable {
        404
    } else if sealed {
        409
    } else {
        200
    }
}

fn check(app: &TestApp, c: &mut Caller, e: &Endpoint, path: &str, on_concept: bool) {
    let r = call(app, c, e, path);
    let who = c.role.map(|r| r.as_str()).unwrap_or("anoniem");
    let what =
        format!("{} {} als {who}: {} {}", e.method, path, r.status, r.body.chars().take(200).collect::<String>());
    if e.access.allows(c.role) {
        assert!(r.status < 500 && r.status != 401 && r.status != 403, "toegestaan maar geweigerd: {what}");
        if !is_api(e) {
            assert!(
                !r.location.as_deref().unwrap_or_default().starts_with("/inloggen"),
                "naar inloggen gestuurd: {what}"
            );
        }
        if e.method == "GET" {
            assert_eq!(r.status, expected_get(e, c.role, on_concept), "{what}");
        }
    } else if c.role.is_none() {
        if is_api(e) {
            assert_eq!(r.status, 401, "{what}");
            assert!(r.content_type.starts_with("application/problem+json"), "{what}");
        } else {
            assert_eq!(r.status, 303, "{what}");
            assert!(r.location.as_deref().unwrap_or_default().starts_with("/inloggen?terug="), "{what}");
        }
    } else {
        assert_eq!(r.status, 403, "niet toegestaan maar niet geweigerd: {what}");
    }
    // Logging out revokes the caller's tokens: log in again for the next endpoint.
    if (e.path.ends_with("logout") || e.path == "/uitloggen")
        && let Some(u) = &mut c.user
    {
        let fresh = app.post("/api/v1/auth/token", None, &json!({ "email": u.email, "password": PASSWORD }));
        u.token = fresh.json()["access_token"].as_str().unwrap_or_default().to_owned();
        c.browser.login(&u.email, PASSWORD);
    }
}

both! {
    fn every_endpoint_answers_every_role_as_its_access_rule_says(app) {
        let inkoper = app.user(Role::Inkoper);
        let created = app.post("/api/v1/tenders", Some(&inkoper.token), &fixtures::tender("WALK-1"));
        assert_eq!(created.status, 201, "{}", created.body);
        let t = created.json();
        let draft = [
            ("id", t["id"].as_i64().unwrap_or_default()),
            ("lot_id", t["lots"][0]["id"].as_i64().unwrap_or_default()),
            ("scale_id", t["scales"][0]["id"].as_i64().unwrap_or_default()),
            ("criterion_id", t["selection_criteria"][0]["id"].as_i64().unwrap_or_default()),
            ("draw_id", 1),
            ("decision_id", 1),
            ("objection_id", 1),
            ("contract_id", 1),
            ("document_id", 1),
            ("letter_id", 1),
            ("placement_id", 1),
        ];
        let mut callers: Vec<Caller> = vec![Caller { role: None, user: None, browser: Browser::new(&app) }];
        for role in Role::ALL {
            let user = app.user(role);
            let browser = Browser::new(&app);
            assert_eq!(browser.login(&user.email, PASSWORD).status, 303);
            callers.push(Caller { role: Some(role), user: Some(user), browser });
        }
        // Bids need a published tender, and the walking aanbieder owns one with a file.
        let open = published(&app, &inkoper.token, "WALK-2");
        let bidder = callers.iter().find(|c| c.role == Some(Role::Aanbieder)).and_then(|c| c.user.as_ref()).map(|u| u.token.clone()).unwrap_or_default();
        let bid = app.post(&format!("/api/v1/tenders/{}/lots/{}/bids", open["id"], open["lots"][0]["id"]), Some(&bidder), &json!({})).json();
        let file = app.upload(&format!("/api/v1/bids/{}/files", bid["id"]), &bidder, "plan.pdf", b"%PDF-1.7 plan van aanpak").json();
        let (enquiry_id, note_number) = asked_and_published(&app, &inkoper.token, &bidder, &open);
        let sealed = [
            ("id", open["id"].as_i64().unwrap_or_default()),
            ("lot_id", open["lots"][0]["id"].as_i64().unwrap_or_default()),
            ("bid_id", bid["id"].as_i64().unwrap_or_default()),
            ("file_id", file["id"].as_i64().unwrap_or_default()),
            ("enquiry_id", enquiry_id),
            ("note_number", note_number),
            ("draw_id", 1),
            ("decision_id", 1),
            ("objection_id", 1),
            ("contract_id", 1),
            ("document_id", 1),
            ("letter_id", 1),
            ("placement_id", 1),
        ];
        // Reads first, then writes, deletions last, so each step finds what it needs.
        let rank = |e: &Endpoint| match e.method { "GET" => 0, "DELETE" => 2, _ if e.path.ends_with("verwijderen") => 2, _ => 1 };
        let mut endpoints: Vec<&Endpoint> = ENDPOINTS.iter().collect();
        endpoints.sort_by_key(|e| rank(e));
        for e in endpoints {
            let open = on_published(e.path);
            let path = concrete(e.path, if open { &sealed } else { &draft });
            for c in &mut callers {
                check(&app, c, e, &path, !open);
            }
        }
        assert_eq!(app.get("/api/v1/bestaat-niet", None).status, 404);
        assert_eq!(Browser::new(&app).get("/bestaat-niet").status, 404);
    }
}

#[test]
fn every_endpoint_has_a_unique_method_and_path() {
    let mut seen = std::collections::HashSet::new();
    for e in ENDPOINTS {
        assert!(seen.insert((e.method, e.path)), "dubbel: {} {}", e.method, e.path);
    }
}

both! {
    fn every_form_refuses_a_post_without_the_csrf_token(app) {
        let inkoper = app.user(Role::Inkoper);
        let t = app.post("/api/v1/tenders", Some(&inkoper.token), &fixtures::tender("CSRF-ALL")).json();
        let draft = [
            ("id", t["id"].as_i64().unwrap_or_default()),
            ("lot_id", t["lots"][0]["id"].as_i64().unwrap_or_default()),
            ("scale_id", t["scales"][0]["id"].as_i64().unwrap_or_default()),
            ("criterion_id", t["selection_criteria"][0]["id"].as_i64().unwrap_or_default()),
            ("draw_id", 1),
            ("decision_id", 1),
            ("objection_id", 1),
            ("contract_id", 1),
            ("document_id", 1),
            ("letter_id", 1),
            ("placement_id", 1),
        ];
        let open = published(&app, &inkoper.token, "CSRF-OPEN");
        let owner = app.user(Role::Aanbieder);
        let bid = app.post(&format!("/api/v1/tenders/{}/lots/{}/bids", open["id"], open["lots"][0]["id"]), Some(&owner.token), &json!({})).json();
        let file = app.upload(&format!("/api/v1/bids/{}/files", bid["id"]), &owner.token, "plan.pdf", b"%PDF-1.7 plan").json();
        let (enquiry_id, _) = asked_and_published(&app, &inkoper.token, &owner.token, &open);
        let sealed = [("id", open["id"].as_i64().unwrap_or_default()), ("lot_id", open["lots"][0]["id"].as_i64().unwrap_or_default()), ("bid_id", bid["id"].as_i64().unwrap_or_default()), ("file_id", file["id"].as_i64().unwrap_or_default()), ("enquiry_id", enquiry_id), ("draw_id", 1)];
        let before = app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&owner.token)).body;
        for e in ENDPOINTS.iter().filter(|e| e.method == "POST" && !is_api(e)) {
            let bids = e.path.contains("bid");
            let email = if bids {
                owner.email.clone()
            } else {
                let role = Role::ALL.into_iter().find(|r| e.access.allows(Some(*r))).unwrap_or(Role::Inkoper);
                app.user(role).email
            };
            let browser = Browser::new(&app);
            browser.login(&email, PASSWORD);
            let path = concrete(e.path, if bids || on_published(e.path) { &sealed } else { &draft });
            let r = browser.post_form_raw(&path, &[("title", "x")]);
            assert_eq!(r.status, 403, "POST {path} zonder token: {}", r.status);
        }
        assert_eq!(app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&owner.token)).body, before, "the bid did not change");
    }
}
