//! Prognose: the taakstelling entered or imported, split over the leerroutes and set against the
//! contracted places per gemeente and for the region, by hand; and a klantmanager of Hoorn who
//! sees nothing of Enkhuizen.

use aanbesteding::domain::role::Role;
use serde_json::{Value, json};

use crate::both;
use crate::capacity::{capacity, contracted, place};
use crate::enquiries::mails_to;
use crate::helpers::TestApp;

fn period(o: &Value, route: &str, half: usize) -> (u64, u64, u64, i64) {
    let r = o["routes"].as_array().into_iter().flatten().find(|r| r["code"] == route).cloned().unwrap_or_default();
    let p = &r["periods"][half];
    (
        p["expected"].as_u64().unwrap_or(99),
        p["capacity"].as_u64().unwrap_or(99),
        p["placed"].as_u64().unwrap_or(99),
        p["surplus"].as_i64().unwrap_or(99),
    )
}

/// An xlsx with these rows under a header; `extra` is one more cell (row, col, text).
pub fn sheet(name: &str, rows: &[[&str; 3]], extra: Option<(u32, u16, &str)>) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(name).expect("name");
    for (c, h) in ["Gemeente", "Halfjaar", "Aantal"].iter().enumerate() {
        ws.write(0, c as u16, *h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            match v.parse::<f64>() {
                Ok(n) => ws.write(r as u32 + 1, c as u16, n).expect("cell"),
                Err(_) => ws.write(r as u32 + 1, c as u16, *v).expect("cell"),
            };
        }
    }
    if let Some((r, c, v)) = extra {
        ws.write(r, c, v).expect("extra");
    }
    book.save_to_buffer().expect("xlsx")
}

fn upload(app: &TestApp, token: &str, bytes: &[u8]) -> crate::helpers::Resp {
    app.upload("/api/v1/regions/westfriesland/taakstelling/import", token, "taakstelling.xlsx", bytes)
}

both! {
    fn the_forecast_splits_the_taakstelling_and_sets_it_against_the_places_by_hand(app) {
        let c = contracted(&app, "FORECAST-1");
        let y = c.year;
        let (h1, h2) = (format!("{y}-H1"), format!("{y}-H2"));
        let entries = json!({ "entries": [
            { "municipality": "GM0405", "half_year": h1, "people": 47 },
            { "municipality": "GM0405", "half_year": h2, "people": 20 },
            { "municipality": "gm0388", "half_year": h1, "people": 10 },
        ]});
        let put = app.put("/api/v1/regions/westfriesland/taakstelling", Some(&c.management.token), &entries);
        assert_eq!(put.status, 200, "{}", put.body);
        let set = capacity(&app, &c.management, &c.contracts[0], json!([{ "year": y, "total": 50, "allocation": { "GM0405": 30, "GM0388": 12 } }]));
        assert_eq!(set.status, 200, "{}", set.body);
        for n in 0..3 {
            assert_eq!(place(&app, &c.hoorn, &c.contracts[0], &format!("{y}-03-0{}", n + 1), &format!("H-{n}"), "").status, 201);
        }
        assert_eq!(place(&app, &c.enkhuizen, &c.contracts[0], &format!("{y}-09-01"), "E-1", "").status, 201);

        let q = format!("van={h1}&tot={h2}");
        let hoorn = app.get(&format!("/api/v1/overview/municipalities/GM0405?{q}"), Some(&c.hoorn.token));
        assert_eq!(hoorn.status, 200, "{}", hoorn.body);
        let o = hoorn.json();
        // 47 people at 60/25/15: 28.2, 11.75, 7.05 -> 28, 12, 7. 30 places a year: 15 a half.
        assert_eq!(period(&o, "b1-route", 0), (28, 15, 3, -13), "{o}");
        assert_eq!(period(&o, "onderwijsroute", 0), (12, 0, 0, -12));
        assert_eq!(period(&o, "z-route", 0), (7, 0, 0, -7));
        // 20 people: 12, 5, 3.
        assert_eq!(period(&o, "b1-route", 1), (12, 15, 0, 3));
        assert_eq!(o["contracts"][0]["years"][0], json!({ "year": y, "places": 30, "placed": 3, "utilisation_percent": 10 }));

        let region = app.get(&format!("/api/v1/overview/regions/westfriesland?{q}"), Some(&c.management.token)).json();
        // Hoorn 28 + Enkhuizen 10 people: 6 (6, 2.5, 1.5: the tie goes to the larger share) = 34;
        // 50 places a year: 25 a half; the second contract has none.
        assert_eq!(period(&region, "b1-route", 0), (34, 25, 3, -9), "{region}");
        assert_eq!(period(&region, "b1-route", 1), (12, 25, 1, 13));
        assert_eq!(period(&region, "onderwijsroute", 0), (12 + 3, 0, 0, -15));
        let warnings: Vec<String> = mails_to(&app, &c.management.email).into_iter().filter(|m| m.0 == "capacity_warning").map(|m| m.2).collect();
        // Told once, when the taakstelling came in before any places; the places since made
        // the shortage smaller but did not end it.
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains(&format!("B1-route {h1}: 34 trajecten verwacht, 0 plaatsen gecontracteerd (tekort 34)")), "{warnings:?}");

        // Another distribution: 50/30/20 of 47 is 23.5, 14.1, 9.4 -> 24, 14, 9.
        let wrong = app.put("/api/v1/regions/westfriesland/distribution", Some(&c.management.token),
            &json!({ "shares": [{ "route": "b1-route", "percent": "50" }, { "route": "z-route", "percent": "40" }] }));
        assert_eq!(wrong.invalid_params(), ["shares"], "{}", wrong.body);
        assert!(wrong.body.contains("90%"), "{}", wrong.body);
        let shares = json!({ "shares": [{ "route": "b1-route", "percent": "50" }, { "route": "onderwijsroute", "percent": "30" }, { "route": "z-route", "percent": 20 }] });
        let d = app.put("/api/v1/regions/westfriesland/distribution", Some(&c.management.token), &shares);
        assert_eq!(d.status, 200, "{}", d.body);
        let o = app.get(&format!("/api/v1/overview/municipalities/GM0405?{q}"), Some(&c.management.token)).json();
        assert_eq!((period(&o, "b1-route", 0).0, period(&o, "onderwijsroute", 0).0, period(&o, "z-route", 0).0), (24, 14, 9));

        let book = app.get(&format!("/api/v1/overview/regions/westfriesland/export?{q}"), Some(&c.management.token));
        assert_eq!(book.status, 200);
        assert!(book.content_type.starts_with("application/vnd.openxmlformats"), "{}", book.content_type);
        let bytes = app.bytes(&format!("/api/v1/overview/regions/westfriesland/export?{q}"), &c.management.token);
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("xlsx");
        let names: Vec<String> = zip.file_names().filter_map(|n| n.ok()).map(|n| n.into_owned()).collect();
        assert!(names.iter().any(|n| n.starts_with("xl/charts/chart")), "a native chart: {names:?}");
        let mut x: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
        use calamine::Reader;
        let cells = x.worksheet_range("Overzicht").expect("Overzicht");
        let rows: Vec<String> = cells.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
        // At 50/30/20: Hoorn 24 and Enkhuizen 5 on the B1-route; 3 of the 25 places taken is 12%.
        assert!(rows.iter().any(|r| r == &format!("{h1}|29|25|3|-4|12")), "{rows:?}");
    }
}

both! {
    fn a_klantmanager_of_hoorn_sees_nothing_of_enkhuizen(app) {
        let c = contracted(&app, "SCOPE-1");
        let y = c.year;
        assert_eq!(capacity(&app, &c.inkoper, &c.contracts[0], json!([{ "year": y, "allocation": { "GM0405": 5, "GM0388": 5 } }])).status, 200);
        let theirs = place(&app, &c.enkhuizen, &c.contracts[0], &format!("{y}-02-01"), "ENK-GEHEIM-7", "").json();
        assert_eq!(place(&app, &c.hoorn, &c.contracts[0], &format!("{y}-02-01"), "HRN-1", "").status, 201);
        let t = &c.hoorn.token;
        let end = json!({ "ended_on": format!("{y}-03-01"), "reason": "afgerond" });
        assert_eq!(app.post(&format!("/api/v1/placements/{}/end", theirs["id"]), Some(t), &end).status, 404);
        for path in [
            "/api/v1/placements?gemeente=GM0388".to_owned(),
            "/api/v1/overview/municipalities/GM0388".into(),
            "/api/v1/overview/municipalities/GM0388/export".into(),
        ] {
            let r = app.get(&path, Some(t));
            assert_eq!(r.status, 404, "{path}: {}", r.body);
            assert!(!r.body.contains("ENK-GEHEIM") && !r.body.contains("Enkhuizen"), "{path}: {}", r.body);
        }
        for path in ["/api/v1/overview/regions/westfriesland", "/api/v1/overview/regions/westfriesland/export", "/api/v1/regions/westfriesland/taakstelling", "/api/v1/regions/westfriesland/distribution"] {
            assert_eq!(app.get(path, Some(t)).status, 403, "{path}");
        }
        let mine = app.get("/api/v1/placements?per_page=100", Some(t)).body;
        assert!(mine.contains("HRN-1") && !mine.contains("ENK-GEHEIM") && !mine.contains("GM0388"), "{mine}");
        let own = app.get("/api/v1/overview/municipalities/GM0405", Some(t)).body;
        assert!(!own.contains("Enkhuizen") && !own.contains("GM0388"), "{own}");
        assert_eq!(app.get("/api/v1/contracts/1/capacity", Some(t)).status, 403, "the register is for staff");
        let all = app.get("/api/v1/placements?per_page=100", Some(&c.management.token)).body;
        assert!(all.contains("ENK-GEHEIM-7") && all.contains("HRN-1"), "management sees the region");

        // Every page and endpoint that can be read, with Enkhuizen's gemeente and placement
        // filled in: none shows Enkhuizen's placement or its numbers.
        let browser = crate::browser::Browser::new(&app);
        browser.login(&c.hoorn.email, crate::helpers::PASSWORD);
        for e in aanbesteding::endpoints::ENDPOINTS.iter().filter(|e| e.method == "GET") {
            let mut path = e
                .path
                .replace("{gemeente}", "GM0388")
                .replace("{region}", "westfriesland")
                .replace("{placement_id}", &theirs["id"].to_string())
                .replace("{contract_id}", &c.contracts[0]["id"].to_string());
            // Any other id: the first of its kind.
            while let (Some(open), Some(close)) = (path.find('{'), path.find('}')) {
                path.replace_range(open..=close, "1");
            }
            let r = if path.starts_with("/api/") { app.get(&path, Some(t)) } else { browser.get(&path) };
            assert!(!r.body.contains("ENK-GEHEIM"), "{path}: {}", r.status);
            if path.contains("GM0388") {
                assert_eq!(r.status, 404, "{path}");
            }
        }
    }
}

both! {
    fn a_broken_taakstelling_file_is_refused_whole_with_every_bad_cell_named(app) {
        let management = app.user(Role::Management);
        let t = &management.token;
        let good = sheet("Blad1", &[["Hoorn", "2027-H1", "47"], ["GM0388", "2027-H1", "10"]], None);
        let r = upload(&app, t, &good);
        assert_eq!((r.status, r.json()["imported"].as_u64()), (200, Some(2)), "{}", r.body);
        let before = app.get("/api/v1/regions/westfriesland/taakstelling", Some(t)).body;
        assert!(before.contains("\"people\":47"), "{before}");

        let broken = sheet(
            "Taakstelling",
            &[["Hoorn", "2027-H3", "5"], ["Atlantis", "2027-H1", "3"], ["Hoorn", "2027-H2", "12,5"], ["Enkhuizen", "2027-H1", "99"]],
            Some((4, 3, "opmerking")),
        );
        let refused = upload(&app, t, &broken);
        assert_eq!(refused.status, 422, "{}", refused.body);
        for named in ["B2:", "A3: 'Atlantis'", "C4: '12,5'", "D5:"] {
            assert!(refused.body.contains(named), "{named}: {}", refused.body);
        }
        let twice = sheet("Taakstelling", &[["Hoorn", "2027-H1", "5"], ["GM0405", "2027-H1", "6"]], None);
        assert!(upload(&app, t, &twice).body.contains("Rij 3: GM0405 2027-H1 staat ook in rij 2."));
        for (name, bytes) in [("tekst", b"Gemeente;Halfjaar;Aantal\nHoorn;2027-H1;5".to_vec()), ("leeg", Vec::new()), ("kapot", b"PK\x03\x04kapot".to_vec())] {
            let r = upload(&app, t, &bytes);
            assert_eq!(r.invalid_params(), ["file"], "{name}: {}", r.body);
        }
        let only_header = sheet("Taakstelling", &[], None);
        assert!(upload(&app, t, &only_header).body.contains("geen regels"));
        assert_eq!(app.get("/api/v1/regions/westfriesland/taakstelling", Some(t)).body, before, "nothing was half imported");
    }
}
