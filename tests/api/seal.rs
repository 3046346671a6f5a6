//! The seal: before the opening no endpoint shows a bid's contents to anyone but its own
//! bidder, for no role — not before the deadline, nor after it while only one inkoper has
//! confirmed the opening — and neither the database nor the vault holds them readable.

use aanbesteding::domain::role::Role;
use aanbesteding::endpoints::ENDPOINTS;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::bidding::{complete_content, published, workbook};
use crate::both;
use crate::browser::Browser;
use crate::helpers::{Backend, PASSWORD, TestApp};

/// Written into every part of the sealed bid: answers, remarks, evidence, file names.
const MARKER: &str = "GEHEIM-7F3A";
/// Its unit price, as it would show on a page or in JSON.
const PRICE: f64 = 1234.57;
const SHOWN_PRICES: [&str; 3] = ["1.234,57", "1234.57", "123457"];

fn leaks(body: &str) -> Option<&'static str> {
    std::iter::once(MARKER).chain(SHOWN_PRICES).find(|m| body.contains(m))
}

/// Every byte the database holds: the SQLite files (WAL included), or a dump of PostgreSQL.
fn database_bytes(app: &TestApp) -> Vec<u8> {
    match app.backend() {
        Backend::Sqlite => ["", "-wal"]
            .iter()
            .flat_map(|s| std::fs::read(format!("{}{s}", app.database_url)).unwrap_or_default())
            .collect(),
        Backend::Postgres => {
            std::process::Command::new("pg_dump").arg(&app.database_url).output().expect("pg_dump").stdout
        }
    }
}

both! {
    fn before_the_opening_no_endpoint_no_role_and_no_dump_shows_a_bid(app) {
        let t = published(&app, "SEAL-1");
        let owner = app.user(Role::Aanbieder);
        let bid = app.post(&format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]), Some(&owner.token), &json!({})).json();
        let mut content = complete_content(&t, &bid);
        for answer in content["answers"].as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
            *answer = json!(format!("Ons plan {MARKER}"));
        }
        content["members"][0]["remarks"] = json!(format!("Zelfreiniging {MARKER}"));
        let path = format!("/api/v1/bids/{}", bid["id"]);
        assert_eq!(app.put(&path, Some(&owner.token), &content).status, 200);
        let sheet = aanbesteding::excel::price_sheet::write_with(&workbook(&app, &t["id"]), &|_, i| Some(if i == 1 { PRICE } else { 1.0 })).expect("sheet");
        let up = app.upload(&format!("{path}/price-sheet"), &owner.token, &format!("prijzen-{MARKER}.xlsx"), &sheet);
        assert_eq!(up.status, 201, "{}", up.body);
        let confirmation = json!({ "file_id": up.json()["file_id"] });
        assert_eq!(app.post(&format!("{path}/price-sheet/confirmation"), Some(&owner.token), &confirmation).status, 200);
        let pdf = format!("%PDF-1.7 plan {MARKER}");
        let file = app.upload(&format!("{path}/files"), &owner.token, &format!("plan-{MARKER}.pdf"), pdf.as_bytes()).json();
        assert_eq!(app.call("POST", &format!("{path}/submission"), Some(&owner.token), None).status, 201);
        assert!(leaks(&app.get(&path, Some(&owner.token)).body).is_some(), "the bidder itself reads its bid");

        let ids = [
            ("id", t["id"].as_i64().unwrap_or_default()),
            ("lot_id", t["lots"][0]["id"].as_i64().unwrap_or_default()),
            ("bid_id", bid["id"].as_i64().unwrap_or_default()),
            ("file_id", file["id"].as_i64().unwrap_or_default()),
            ("scale_id", t["scales"][0]["id"].as_i64().unwrap_or_default()),
            ("criterion_id", t["selection_criteria"][0]["id"].as_i64().unwrap_or_default()),
            ("enquiry_id", 1),
            ("note_number", 1),
        ];
        let mut callers = vec![(None, None, Browser::new(&app))];
        for role in Role::ALL {
            let user = app.user(role);
            let browser = Browser::new(&app);
            browser.login(&user.email, PASSWORD);
            callers.push((Some(role), Some(user.token), browser));
        }
        // Logging out would end the callers' sessions, and a second confirmation is the opening itself.
        let skipped = ["/api/v1/auth/logout", "/uitloggen", "/api/v1/tenders/{id}/opening", "/aanbestedingen/{id}/opening"];
        let walk = |methods: &[&str]| {
            let mut calls = 0;
            for e in ENDPOINTS.iter().filter(|e| methods.contains(&e.method) && !(e.method == "POST" && skipped.contains(&e.path))) {
                let concrete = ids.iter().fold(e.path.to_owned(), |p, (name, id)| p.replace(&format!("{{{name}}}"), &id.to_string()));
                for (role, token, browser) in &callers {
                    let r = match (e.path.starts_with("/api/"), e.method) {
                        (false, "GET") => browser.get(&concrete),
                        (false, _) => browser.post_form(&concrete, &[]),
                        (true, "GET") => app.get(&concrete, token.as_deref()),
                        (true, method) => app.call(method, &concrete, token.as_deref(), Some(&json!({}))),
                    };
                    calls += 1;
                    assert_eq!(leaks(&r.body), None, "{} {concrete} als {role:?} toont de verzegelde inschrijving: {}", e.method, r.status);
                }
            }
            calls
        };
        let read = walk(&["GET"]);
        assert!(read > 100, "every GET endpoint for every role: {read}");

        // After the deadline, with one inkoper's confirmation, the vault is still shut: every
        // endpoint, reading or writing, for every role.
        let deadline: DateTime<Utc> = t["submission_deadline"].as_str().and_then(|s| s.parse().ok()).unwrap_or_default();
        app.clock.set(deadline + Duration::minutes(1));
        let (a, b) = (app.user(Role::Inkoper), app.user(Role::Inkoper));
        assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&a.token), None).status, 202);
        let called = walk(&["GET", "POST", "PUT", "DELETE"]);
        assert!(called > 2 * read, "every endpoint for every role: {called}");
        let dump = database_bytes(&app);
        assert!(dump.len() > 10_000, "the database was read");
        assert!(!dump.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()), "the database holds the contents readable");
        let vault = app.data_dir().join("vault").join(t["id"].to_string());
        for f in std::fs::read_dir(&vault).into_iter().flatten().flatten() {
            let bytes = std::fs::read(f.path()).unwrap_or_default();
            assert!(!bytes.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()), "a vault file holds plaintext");
        }

        // After the opening by two inkopers the same contents are readable to them: the marker was there.
        assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), Some(&b.token), None).status, 200);
        let opened: Value = app.get(&format!("/api/v1/tenders/{}/opened-bids", t["id"]), Some(&a.token)).json();
        assert!(leaks(&opened.to_string()).is_some(), "{opened}");
    }
}
