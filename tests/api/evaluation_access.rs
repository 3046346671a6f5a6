//! Who sees what during the beoordeling, through every endpoint: an assessor sees only the
//! perceel it was appointed to, never a price, never another assessor's scores, and with
//! anonymous evaluation never a bidder's name outside the declaration of interests; nobody sees
//! a price before the consensus is final; and no endpoint changes scores once locked.

use aanbesteding::domain::role::Role;
use aanbesteding::endpoints::ENDPOINTS;
use serde_json::{Value, json};

use crate::both;
use crate::browser::Browser;
use crate::evaluation::open;
use crate::fixtures;
use crate::helpers::{PASSWORD, Resp, TestApp, TestUser};
use crate::scoring::{declare, ready_for_scoring, scores};

/// Written into one assessor's locked motivations and another's draft.
const LOCKED: &str = "VASTGELEGD-9C1";
const DRAFT: &str = "CONCEPT-4B7";
/// Every bid's price per trajectory (644 units at € 10,00), as a page or JSON would show it.
const PRICES: [&str; 3] = ["6.440,00", "6440.00", "644000"];

/// Logging out would end the callers' sessions; the rest is walked.
const SKIPPED: [&str; 2] = ["/api/v1/auth/logout", "/uitloggen"];
/// Where an appointed assessor legitimately reads bidder names: the declaration of interests,
/// which numbers bidders alphabetically so that names cannot be tied to bid codes.
const DECLARATION: [&str; 2] =
    ["/api/v1/tenders/{id}/lots/{lot_id}/declarations", "/aanbestedingen/{id}/percelen/{lot_id}/verklaring"];

struct Walker<'a> {
    app: &'a TestApp,
    user: TestUser,
    browser: Browser<'a>,
}

impl<'a> Walker<'a> {
    fn new(app: &'a TestApp, user: TestUser) -> Walker<'a> {
        let browser = Browser::new(app);
        browser.login(&user.email, PASSWORD);
        Walker { app, user, browser }
    }

    fn call(&self, method: &str, path: &str, concrete: &str) -> Resp {
        match (path.starts_with("/api/"), method) {
            (false, "GET") => self.browser.get(concrete),
            (false, _) => self.browser.post_form(concrete, &[]),
            (true, "GET") => self.app.get(concrete, Some(&self.user.token)),
            (true, m) => self.app.call(m, concrete, Some(&self.user.token), Some(&json!({}))),
        }
    }

    /// Calls every endpoint of these methods; fails on the first answer holding a forbidden text.
    fn walk(
        &self,
        ids: &[(&str, i64)],
        methods: &[&str],
        forbidden: &[&str],
        names_allowed_in_declaration: bool,
    ) -> usize {
        let mut calls = 0;
        for e in ENDPOINTS.iter().filter(|e| methods.contains(&e.method) && !SKIPPED.contains(&e.path)) {
            let concrete =
                ids.iter().fold(e.path.to_owned(), |p, (name, id)| p.replace(&format!("{{{name}}}"), &id.to_string()));
            let r = self.call(e.method, e.path, &concrete);
            calls += 1;
            let exempt = names_allowed_in_declaration && DECLARATION.contains(&e.path);
            for f in forbidden.iter().filter(|f| !(exempt && f.starts_with("Taalschool"))) {
                assert!(
                    !r.body.contains(f),
                    "{} {concrete} als {}: toont '{f}' ({})",
                    e.method,
                    self.user.email,
                    r.status
                );
            }
        }
        calls
    }
}

fn locked_rows(app: &TestApp, bid: i64, assessor: i64) -> Vec<(i64, i32, String, bool)> {
    use aanbesteding::db::schema::scores as s;
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
    let rows: Vec<(i64, i32, String, Option<chrono::NaiveDateTime>)> = s::table
        .filter(s::bid_id.eq(bid))
        .filter(s::assessor_id.eq(assessor))
        .order(s::criterion_id)
        .select((s::criterion_id, s::points, s::motivation, s::locked_at))
        .load(&mut *app.db.conn().expect("conn"))
        .expect("scores");
    rows.into_iter().map(|(c, p, m, l)| (c, p, m, l.is_some())).collect()
}

both! {
    fn assessors_see_their_perceel_only_without_prices_names_or_each_others_scores(app) {
        let inkoper = app.user(Role::Inkoper);
        let mut input = fixtures::tender("SEE-1");
        input["anonymous_evaluation"] = json!(true);
        let created = app.post("/api/v1/tenders", Some(&inkoper.token), &input).json();
        let t = app.call("POST", &format!("/api/v1/tenders/{}/publish", created["id"]), Some(&inkoper.token), None).json();
        for _ in 0..2 {
            crate::bidding::submitted_bid(&app, &t, &app.user(Role::Aanbieder));
        }
        open(&app, &t);
        let (a, b, c) = (app.user(Role::Beoordelaar), app.user(Role::Beoordelaar), app.user(Role::Beoordelaar));
        let bids = ready_for_scoring(&app, &t, &inkoper, &[&a, &b]);
        let other_lot = format!("/api/v1/tenders/{}/lots/{}/committee", t["id"], t["lots"][1]["id"]);
        assert_eq!(app.put(&other_lot, Some(&inkoper.token), &json!({ "assessors": [c.id] })).status, 200);
        declare(&app, &t, &a, None);
        declare(&app, &t, &b, None);
        let opened: Value = app.get(&format!("/api/v1/tenders/{}/opened-bids", t["id"]), Some(&inkoper.token)).json();
        let names: Vec<String> = opened.as_array().into_iter().flatten().filter_map(|x| x["content"]["members"][0]["company_name"].as_str().map(str::to_owned)).collect();
        assert_eq!(names.len(), 2);

        let sheet = app.get(&format!("/api/v1/bids/{}/score-sheet", bids[0]), Some(&a.token)).json();
        let mine = |marker: &str| {
            let mut s = scores(&sheet, &[8, 6, 6, 4]);
            for x in s["scores"].as_array_mut().into_iter().flatten() {
                x["motivation"] = json!(format!("Goed onderbouwd plan {marker}."));
            }
            s
        };
        assert_eq!(app.put(&format!("/api/v1/bids/{}/scores", bids[0]), Some(&a.token), &mine(LOCKED)).status, 200);
        assert_eq!(app.call("POST", &format!("/api/v1/bids/{}/scores/lock", bids[0]), Some(&a.token), None).status, 200);
        assert_eq!(app.put(&format!("/api/v1/bids/{}/scores", bids[0]), Some(&b.token), &mine(DRAFT)).status, 200);

        // The markers are real: each assessor reads its own scores.
        assert!(app.get(&format!("/api/v1/bids/{}/score-sheet", bids[0]), Some(&a.token)).body.contains(LOCKED));
        assert!(app.get(&format!("/api/v1/bids/{}/score-sheet", bids[0]), Some(&b.token)).body.contains(DRAFT));
        let ids = |bid: i64, lot: &Value| {
            vec![
                ("id", t["id"].as_i64().unwrap_or_default()),
                ("lot_id", lot.as_i64().unwrap_or_default()),
                ("bid_id", bid),
                ("file_id", 1),
                ("scale_id", t["scales"][0]["id"].as_i64().unwrap_or_default()),
                ("criterion_id", t["selection_criteria"][0]["id"].as_i64().unwrap_or_default()),
                ("enquiry_id", 1),
                ("note_number", 1),
                ("draw_id", 1),
            ]
        };
        let lot1 = ids(bids[0], &t["lots"][0]["id"]);
        let mut forbidden: Vec<&str> = PRICES.to_vec();
        forbidden.extend(names.iter().map(String::as_str));
        let (wa, wb, wc) = (Walker::new(&app, a.clone()), Walker::new(&app, b), Walker::new(&app, c));
        let with = |extra: &'static str| forbidden.iter().copied().chain([extra]).collect::<Vec<_>>();
        let read = wb.walk(&lot1, &["GET"], &with(LOCKED), true);
        let count = |methods: &[&str]| ENDPOINTS.iter().filter(|e| methods.contains(&e.method) && !SKIPPED.contains(&e.path)).count();
        assert_eq!(read, count(&["GET"]), "every GET endpoint");
        wa.walk(&lot1, &["GET"], &with(DRAFT), true);
        // The assessor of perceel 2 finds nothing of perceel 1, not even the bidders' names.
        let both_markers: Vec<&str> = forbidden.iter().copied().chain([LOCKED, DRAFT]).collect();
        wc.walk(&lot1, &["GET"], &both_markers, false);
        wc.walk(&ids(bids[0], &t["lots"][1]["id"]), &["GET"], &both_markers, false);
        assert_eq!(app.get(&format!("/api/v1/bids/{}/score-sheet", bids[0]), Some(&wc.user.token)).status, 404);

        // Locked is locked: every writing endpoint, called by the assessor who locked, changes nothing.
        let before = locked_rows(&app, bids[0], a.id);
        assert_eq!(before.len(), 4);
        assert!(before.iter().all(|r| r.3 && r.2.contains(LOCKED)));
        let wrote = wa.walk(&lot1, &["POST", "PUT", "DELETE"], &with(DRAFT), true);
        assert_eq!(wrote, count(&["POST", "PUT", "DELETE"]), "every writing endpoint");
        assert_eq!(locked_rows(&app, bids[0], a.id), before, "no endpoint changed the locked scores");

        // Nobody sees a price before the consensus is final: staff walk every page and API.
        for role in [Role::Inkoper, Role::Management, Role::Beheerder] {
            Walker::new(&app, app.user(role)).walk(&lot1, &["GET"], &PRICES, false);
        }
    }
}
