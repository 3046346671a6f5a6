//! The demo data: both regions, the leerroutes, one account per role, the published demo tender
//! and the example taakstelling.

use aanbesteding::demo;
use serde_json::Value;

use crate::both;

both! {
    fn the_demo_loads_once_and_prints_a_one_time_password_per_role(app) {
        let lines = demo::load(&app.db).expect("demo");
        assert_eq!(lines.len(), 6);
        for role in ["beheerder", "inkoper", "beoordelaar", "aanbieder", "management", "klantmanager"] {
            assert!(lines.iter().any(|l| l.starts_with(role)), "{role}");
        }
        let again = demo::load(&app.db).expect("demo again");
        assert_eq!(again.len(), 6, "untouched accounts get a fresh one-time password");
        assert_ne!(lines, again);
        let (taakstelling, version): (i64, i64) = {
            use aanbesteding::db::schema::{regions, taakstellingen};
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            let mut conn = app.db.conn().expect("conn");
            (
                taakstellingen::table.count().get_result(&mut *conn).expect("count"),
                regions::table.filter(regions::code.eq("westfriesland")).select(regions::capacity_version).first(&mut *conn).expect("version"),
            )
        };
        assert_eq!(taakstelling, 7 * 4, "seven gemeenten, four half years, loaded once");
        assert_eq!(version, 1, "loading the taakstelling raised the region's version once");
        let list = app.get("/api/v1/tenders", None).json();
        assert_eq!(list["total"], 1, "the demo tender is loaded once and published");
        let t: Value = app.get(&format!("/api/v1/tenders/{}", list["items"][0]["id"]), None).json();
        assert_eq!(t["title"], "Leerroutes inburgering Westfriesland");
        let lots: Vec<&str> = t["lots"].as_array().into_iter().flatten().filter_map(|l| l["title"].as_str()).collect();
        assert_eq!(lots, ["B1-route", "Onderwijsroute", "Z-route"]);
        let keurmerk: Vec<i64> = t["selection_criteria"].as_array().into_iter().flatten()
            .filter(|c| c["title"].as_str().is_some_and(|s| s.contains("Keurmerk")))
            .filter_map(|c| c["lot"].as_i64())
            .collect();
        assert_eq!(keurmerk, [1, 3], "the Onderwijsroute is outside the Keurmerk");
        let gva = t["selection_criteria"].as_array().into_iter().flatten().find(|c| c["title"] == "Gedragsverklaring Aanbesteden").cloned().unwrap_or_default();
        assert_eq!((gva["validity_rule"].as_str(), gva["validity_months"].as_i64()), (Some("max_age_at_deadline"), Some(24)));
        let alkmaar = app.get("/api/v1/municipalities?region=alkmaar", None).json();
        let names: Vec<&str> = alkmaar["items"].as_array().into_iter().flatten().filter_map(|m| m["name"].as_str()).collect();
        for name in ["Alkmaar", "Bergen (NH.)", "Castricum", "Heerhugowaard", "Heiloo", "Langedijk", "Uitgeest", "Dijk en Waard"] {
            assert!(names.contains(&name), "{name}");
        }
    }
}
