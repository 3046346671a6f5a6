//! The audit log: every change with who, when, before and after; append-only; hash-chained.

use aanbesteding::domain::role::Role;
use serde_json::json;

use crate::both;
use crate::fixtures;
use crate::helpers::{Backend, TestApp};

fn log(app: &TestApp, token: &str, tender: &serde_json::Value) -> serde_json::Value {
    app.get(&format!("/api/v1/tenders/{}/audit-log?per_page=100", tender["id"]), Some(token)).json()
}

fn cli_verify(app: &TestApp) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aanbesteding"))
        .args(["audit", "verify"])
        .env("DATABASE_URL", &app.database_url)
        .env("SECRET_KEY", crate::helpers::SECRET)
        .output()
        .expect("run aanbesteding");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

both! {
    fn every_change_records_who_what_when_and_before_and_after(app) {
        let inkoper = app.user(Role::Inkoper);
        let t = app.post("/api/v1/tenders", Some(&inkoper.token), &fixtures::tender("AU-1")).json();
        let mut general = fixtures::general("AU-1");
        general["title"] = json!("Nieuwe titel");
        assert_eq!(app.put(&format!("/api/v1/tenders/{}", t["id"]), Some(&inkoper.token), &general).status, 200);
        let l = log(&app, &inkoper.token, &t);
        assert_eq!(l["intact"], true);
        let entries = l["entries"]["items"].as_array().cloned().unwrap_or_default();
        let actions: Vec<&str> = entries.iter().rev().filter_map(|e| e["action"].as_str()).collect();
        assert_eq!(actions[0], "tender.created");
        assert_eq!(actions.iter().filter(|a| **a == "lot.created").count(), 3);
        assert_eq!(actions.last().copied(), Some("tender.updated"));
        let update = &entries[0];
        assert_eq!(update["before"]["title"], "Leerroutes inburgering Westfriesland");
        assert_eq!(update["after"]["title"], "Nieuwe titel");
        assert!(update["actor"].as_str().unwrap_or_default().contains(&inkoper.email));
        assert!(update["at"].is_string());
        assert_eq!(app.get(&format!("/api/v1/tenders/{}/audit-log", t["id"]), Some(&app.user(Role::Aanbieder).token)).status, 403);
    }

    fn the_audit_log_cannot_be_changed_through_the_database(app) {
        let inkoper = app.user(Role::Inkoper);
        app.post("/api/v1/tenders", Some(&inkoper.token), &fixtures::general("AU-2"));
        use diesel::RunQueryDsl;
        let mut conn = app.db.conn().expect("conn");
        assert!(diesel::sql_query("UPDATE audit_log SET actor = 'iemand anders'").execute(&mut *conn).is_err());
        assert!(diesel::sql_query("DELETE FROM audit_log").execute(&mut *conn).is_err());
    }

    fn tampering_is_found_and_the_first_broken_entry_named(app) {
        let inkoper = app.user(Role::Inkoper);
        let t = app.post("/api/v1/tenders", Some(&inkoper.token), &fixtures::tender("AU-3")).json();
        assert_eq!(cli_verify(&app).0, 0);
        // Someone with database rights switches the guard off and rewrites entry 3 of the chain.
        let chain = format!("tender:{}", t["id"]);
        match app.backend() {
            Backend::Sqlite => {
                app.sql("DROP TRIGGER audit_log_no_update");
            }
            Backend::Postgres => {
                app.sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change");
            }
        }
        assert_eq!(app.sql(&format!("UPDATE audit_log SET after_json = '{{\"weight\":99}}' WHERE chain = '{chain}' AND seq = 3")), 1);
        let l = log(&app, &inkoper.token, &t);
        assert_eq!(l["intact"], false);
        assert_eq!(l["broken_at"], 3);
        let (code, out) = cli_verify(&app);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains(&format!("GEBROKEN  {chain}: eerste gebroken regel is volgnummer 3")), "{out}");
        assert!(out.contains("in orde   system"), "{out}");
        let page = crate::browser::Browser::new(&app);
        page.login(&inkoper.email, crate::helpers::PASSWORD);
        assert!(page.get(&format!("/aanbestedingen/{}/logboek", t["id"])).body.contains("De hashketen is gebroken"));
    }

    fn removing_a_perceel_records_the_removal_of_its_own_requirements(app) {
        let inkoper = app.user(Role::Inkoper);
        let t = app.post("/api/v1/tenders", Some(&inkoper.token), &fixtures::tender("AU-4")).json();
        let r = app.call("DELETE", &format!("/api/v1/tenders/{}/lots/{}", t["id"], t["lots"][0]["id"]), Some(&inkoper.token), None);
        assert_eq!(r.status, 204);
        let l = log(&app, &inkoper.token, &t);
        let actions: Vec<&str> = l["entries"]["items"].as_array().into_iter().flatten().take(2).filter_map(|e| e["action"].as_str()).collect();
        assert_eq!(actions, ["lot.deleted", "selection_criterion.deleted"]);
        let left = app.get(&format!("/api/v1/tenders/{}", t["id"]), Some(&inkoper.token)).json();
        assert_eq!(left["selection_criteria"].as_array().map(Vec::len), Some(4));
    }
}
