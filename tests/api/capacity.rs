//! Capaciteit: contract places per year, plaatsingen by the klantmanager of one gemeente, the
//! refusal of a full contract and its overrule, a move of many, and the forecast against the
//! places, by hand.

use aanbesteding::domain::role::Role;
use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

use crate::awards::awarded;
use crate::both;
use crate::enquiries::mails_to;
use crate::helpers::{TestApp, TestUser};

/// Two active B1-route contracts with Hoorn and Enkhuizen among their gemeenten, a klantmanager
/// for each of those two, and management; `year` is the contracts' first full year.
pub struct Contracted {
    pub contracts: Vec<Value>,
    pub inkoper: TestUser,
    pub management: TestUser,
    pub hoorn: TestUser,
    pub enkhuizen: TestUser,
    pub year: i32,
}

pub fn contracted(app: &TestApp, reference: &str) -> Contracted {
    let (contracts, inkoper) = awarded(app, reference);
    let start: NaiveDate = contracts[0]["start_date"].as_str().and_then(|s| s.parse().ok()).expect("start date");
    app.clock.set(start.and_hms_opt(12, 0, 0).expect("noon").and_utc());
    for c in &contracts {
        let r = app.call("POST", &format!("/api/v1/contracts/{}/activate", c["id"]), Some(&inkoper.token), None);
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let enkhuizen = app.user(Role::Klantmanager);
    app.sql(&format!(
        "UPDATE users SET municipality_id = (SELECT id FROM municipalities WHERE cbs_code = 'GM0388') WHERE id = {}",
        enkhuizen.id
    ));
    Contracted {
        contracts,
        management: app.user(Role::Management),
        hoorn: app.user(Role::Klantmanager),
        enkhuizen,
        inkoper,
        year: start.year() + 1,
    }
}

pub fn capacity(app: &TestApp, who: &TestUser, contract: &Value, years: Value) -> crate::helpers::Resp {
    app.put(&format!("/api/v1/contracts/{}/capacity", contract["id"]), Some(&who.token), &json!({ "years": years }))
}

pub fn place(
    app: &TestApp,
    who: &TestUser,
    contract: &Value,
    start: &str,
    reference: &str,
    reason: &str,
) -> crate::helpers::Resp {
    let body = json!({ "contract_id": contract["id"], "start_date": start, "reference": reference, "overrule_reason": reason });
    app.post("/api/v1/placements", Some(&who.token), &body)
}

fn audit_actions(app: &TestApp, action: &str) -> usize {
    use aanbesteding::db::schema::audit_log as a;
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
    let n: i64 =
        a::table.filter(a::action.eq(action)).count().get_result(&mut *app.db.conn().expect("conn")).expect("audit");
    n as usize
}

both! {
    fn a_full_contract_refuses_a_placement_unless_a_klantmanager_overrules_it_with_a_reason(app) {
        let c = contracted(&app, "CAP-FULL");
        let (first, y) = (&c.contracts[0], c.year);
        let wrong = capacity(&app, &c.inkoper, first, json!([{ "year": y, "total": 3, "allocation": { "GM0405": 2, "GM0388": 2 } }]));
        assert_eq!(wrong.invalid_params(), ["years[0].allocation"], "{}", wrong.body);
        assert_eq!(capacity(&app, &c.hoorn, first, json!([{ "year": y, "total": 3 }])).status, 403);
        let set = capacity(&app, &c.management, first, json!([{ "year": y, "total": 3, "allocation": { "GM0405": 2 } }]));
        assert_eq!(set.status, 200, "{}", set.body);
        let start = format!("{y}-02-01");

        assert_eq!(place(&app, &c.hoorn, first, &start, "HRN-1", "").status, 201);
        assert_eq!(place(&app, &c.hoorn, first, &start, "HRN-1", "").invalid_params(), ["reference"], "a reference once");
        assert_eq!(place(&app, &c.hoorn, first, &start, "123456782", "").invalid_params(), ["reference"], "no BSN");
        assert_eq!(place(&app, &c.hoorn, first, &start, "HRN-2", "").status, 201);
        let full = place(&app, &c.hoorn, first, &start, "HRN-3", "");
        assert_eq!(full.invalid_params(), ["overrule_reason"], "Hoorn's 2 places are taken: {}", full.body);
        assert!(full.body.contains("2 van 2 plaatsen"), "{}", full.body);
        assert_eq!(place(&app, &c.hoorn, first, &start, "HRN-3", "te kort").status, 422, "a reason says something");
        let before = audit_actions(&app, "placement.overruled");
        let overruled = place(&app, &c.hoorn, first, &start, "HRN-3", "Cursist woont naast deze school; wachtlijst elders 12 weken");
        assert_eq!(overruled.status, 201, "{}", overruled.body);
        assert_eq!(overruled.json()["overrule_reason"], "Cursist woont naast deze school; wachtlijst elders 12 weken");
        assert_eq!(audit_actions(&app, "placement.overruled"), before + 1, "the overrule is in the audit log");

        // Enkhuizen has no allocation: it shares what the total leaves, 3 - 2 = 1 place, which
        // Hoorn's overruled placement did not take.
        assert_eq!(place(&app, &c.enkhuizen, first, &start, "ENK-1", "").status, 201);
        let shared = place(&app, &c.enkhuizen, first, &start, "ENK-2", "");
        assert_eq!(shared.invalid_params(), ["overrule_reason"], "{}", shared.body);
        assert!(shared.body.contains("1 van 1 plaatsen") && !shared.body.contains("van 3"), "{}", shared.body);
        // A year without places is no room either, and another year does not count this one's.
        let next = place(&app, &c.enkhuizen, first, &format!("{}-02-01", y + 1), "ENK-2", "");
        assert_eq!(next.invalid_params(), ["overrule_reason"], "{}", next.body);
        assert!(next.body.contains("geen plaatsen"), "{}", next.body);
        // The mail to management, once, from the moment Hoorn's overrule filled the contract.
        let mails = mails_to(&app, &c.management.email);
        let warning = mails.iter().find(|m| m.0 == "capacity_warning").map(|m| m.2.clone()).unwrap_or_default();
        assert!(warning.contains(&format!("{y}: 3 van 3 plaatsen bezet (100%)")), "{mails:?}");
        let warned = mails.iter().filter(|m| m.0 == "capacity_warning").count();
        assert_eq!(place(&app, &c.hoorn, first, &start, "HRN-4", "Spoedplaatsing op verzoek van de wethouder").status, 201);
        let again = mails_to(&app, &c.management.email).into_iter().filter(|m| m.0 == "capacity_warning").count();
        assert_eq!(again, warned, "a nearly full contract is mailed once");

        let ended = app.post("/api/v1/placements/1/end", Some(&c.hoorn.token), &json!({ "ended_on": format!("{y}-01-01"), "reason": "afgerond" }));
        assert!(ended.status == 422 || ended.status == 404, "{}", ended.body);
        let list = app.get("/api/v1/placements", Some(&c.hoorn.token)).json();
        let id = list["items"][0]["id"].clone();
        let path = format!("/api/v1/placements/{id}/end");
        assert_eq!(app.post(&path, Some(&c.hoorn.token), &json!({ "ended_on": format!("{y}-01-01"), "reason": "afgerond" })).invalid_params(), ["ended_on"]);
        assert_eq!(app.post(&path, Some(&c.hoorn.token), &json!({ "ended_on": format!("{y}-06-30"), "reason": "weg" })).invalid_params(), ["reason"]);
        let done = app.post(&path, Some(&c.hoorn.token), &json!({ "ended_on": format!("{y}-06-30"), "reason": "uitgevallen" }));
        assert_eq!((done.status, done.json()["end_reason"].as_str()), (200, Some("uitgevallen")), "{}", done.body);
        assert_eq!(app.post(&path, Some(&c.hoorn.token), &json!({ "ended_on": format!("{y}-06-30"), "reason": "afgerond" })).status, 409);
    }
}

both! {
    fn moving_more_than_fifteen_cursisten_to_another_provider_needs_a_confirmation(app) {
        let c = contracted(&app, "CAP-MOVE");
        let (from, to, y) = (&c.contracts[0], &c.contracts[1], c.year);
        for contract in [from, to] {
            assert_eq!(capacity(&app, &c.management, contract, json!([{ "year": y, "allocation": { "GM0405": 20 } }])).status, 200);
        }
        let mut ids = Vec::new();
        for n in 0..17 {
            let r = place(&app, &c.hoorn, from, &format!("{y}-03-01"), &format!("HRN-{n}"), "");
            assert_eq!(r.status, 201, "{}", r.body);
            ids.push(r.json()["id"].clone());
        }
        let body = |ids: &[Value], confirm: bool| json!({ "placement_ids": ids, "to_contract_id": to["id"], "confirm": confirm });
        let warned = app.post("/api/v1/placements/move", Some(&c.hoorn.token), &body(&ids[..16], false));
        assert_eq!(warned.invalid_params(), ["confirm"], "{}", warned.body);
        assert!(warned.body.contains("16 cursisten") && warned.body.contains("Blik op Werk"), "{}", warned.body);
        let fifteen = app.post("/api/v1/placements/move", Some(&c.hoorn.token), &body(&ids[..15], false));
        assert_eq!(fifteen.status, 200, "fifteen move without a question: {}", fifteen.body);
        let rest = app.post("/api/v1/placements/move", Some(&c.hoorn.token), &body(&ids[15..], false));
        assert_eq!(rest.status, 200, "{}", rest.body);
        let same = app.post("/api/v1/placements/move", Some(&c.hoorn.token), &body(&ids[..1], false));
        assert_eq!(same.invalid_params(), ["to_contract_id"], "already there: {}", same.body);
        let moved: Vec<Value> = app.get("/api/v1/placements?per_page=100", Some(&c.hoorn.token)).json()["items"]
            .as_array().cloned().unwrap_or_default();
        assert_eq!(moved.iter().filter(|p| p["contract_id"] == to["id"]).count(), 17);
        // Enkhuizen cannot move Hoorn's.
        let theirs = app.post("/api/v1/placements/move", Some(&c.enkhuizen.token), &body(&ids[..1], false));
        assert_eq!(theirs.status, 404, "{}", theirs.body);
    }
}

both! {
    fn management_is_reminded_60_and_14_days_before_each_extension_decision(app) {
        use aanbesteding::db::{self, capacity_notice};
        use aanbesteding::domain::contract::decision_date;
        use aanbesteding::domain::deadline::format_date_nl;
        let c = contracted(&app, "CAP-EXT");
        let end: NaiveDate = c.contracts[0]["end_date"].as_str().and_then(|s| s.parse().ok()).expect("end date");
        let decision = decision_date(end, 6).expect("decision date");
        let remind = |days_before: i64| {
            app.clock.set((decision - chrono::Duration::days(days_before)).and_hms_opt(10, 0, 0).expect("time").and_utc());
            let mut conn = app.db.conn().expect("conn");
            db::transaction(&mut conn, |conn| capacity_notice::remind_extensions(conn, app.clock.now(), "http://127.0.0.1")).expect("remind")
        };
        // What the worker looks at first, without writing.
        let due = |days_before: i64| {
            let at = (decision - chrono::Duration::days(days_before)).and_hms_opt(10, 0, 0).expect("time").and_utc();
            capacity_notice::extension_reminders_due(&mut app.db.conn().expect("conn"), at, "http://127.0.0.1").expect("due").len()
        };
        let reminders = || mails_to(&app, &c.management.email).into_iter().filter(|m| m.0 == "extension_decision").collect::<Vec<_>>();
        assert_eq!((due(61), remind(61)), (0, 0), "not yet");
        assert_eq!((due(59), remind(59)), (2, 2), "one per contract");
        assert_eq!((due(58), remind(58)), (0, 0), "once per lead");
        let first = reminders();
        assert_eq!(first.len(), 2);
        assert!(first[0].1.contains(&format!("uiterlijk {}", format_date_nl(decision))), "{first:?}");
        assert!(first[0].2.contains("Over 59 dagen") && first[0].2.contains("optie 1 van 2 jaar"), "{}", first[0].2);
        assert_eq!(remind(13), 2, "the 14-day reminder");
        assert_eq!(remind(0), 0, "on the day itself it is too late to remind");
        assert_eq!(reminders().len(), 4);
    }
}

both! {
    fn a_region_forgets_only_its_own_warnings(app) {
        use aanbesteding::db::schema::{capacity_notices as n, regions};
        use aanbesteding::db::{self, capacity_notice, scope};
        use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
        let mut conn = app.db.conn().expect("conn");
        // `_` is a wildcard to LIKE: "a_c:%" also matches the keys of region "abc".
        for code in ["a_c", "abc"] {
            diesel::insert_into(regions::table)
                .values((regions::code.eq(code), regions::name.eq(code)))
                .execute(&mut *conn)
                .expect("region");
        }
        let theirs = "abc:tekort:b1-route:4053";
        diesel::insert_into(n::table)
            .values((n::subject.eq(theirs), n::sent_at.eq(app.clock.now().naive_utc())))
            .execute(&mut *conn)
            .expect("notice");
        let region = scope::region(&mut conn, "a_c").expect("region");
        let warned = db::transaction(&mut conn, |conn| capacity_notice::region_changed(conn, &region, app.clock.now(), "http://127.0.0.1"))
            .expect("changed");
        assert!(warned.is_empty(), "a region without gemeenten has nothing to warn about");
        let kept: i64 = n::table.filter(n::subject.eq(theirs)).count().get_result(&mut *conn).expect("count");
        assert_eq!(kept, 1, "the other region's warning is still known, so it is not mailed again");
    }
}
