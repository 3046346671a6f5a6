//! The award report read back with calamine: every sheet, the figures equal to the ranking the
//! API gives, from the API, the web page and the command line alike.

use std::io::Cursor;

use aanbesteding::domain::role::Role;
use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};

use crate::both;
use crate::evaluation::lot_path;
use crate::evaluation_corrections::ranked;
use crate::helpers::TestApp;

const SHEETS: [&str; 7] = ["Samenvatting", "Rangorde", "Scores", "Prijzen", "Geschiktheid", "Tijdlijn", "Logboek"];

/// The rows under a sheet's table header (the title is row 1, the header row 3).
fn rows(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(sheet).expect("sheet");
    range.rows().skip(3).map(|r| r.to_vec()).filter(|r| r.iter().any(|c| *c != Data::Empty)).collect()
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        _ => f64::NAN,
    }
}

fn as_f64(v: &Value) -> f64 {
    v.as_str().and_then(|s| s.parse().ok()).or_else(|| v.as_f64()).unwrap_or(f64::NAN)
}

fn export(app: &TestApp, tender_id: &Value, out: &std::path::Path) -> (i32, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_aanbesteding"))
        .args(["export", "award", &tender_id.to_string(), "-o", &out.to_string_lossy()])
        .env("DATABASE_URL", &app.database_url)
        .env("SECRET_KEY", crate::helpers::SECRET)
        .env("DATA_DIR", app.data_dir())
        .output()
        .expect("run aanbesteding");
    (
        o.status.code().unwrap_or(-1),
        format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)),
    )
}

/// Converts the workbook to PDF with LibreOffice headless: a file LibreOffice would want to
/// repair does not convert.
fn opens_in_libreoffice(xlsx: &std::path::Path) {
    let dir = xlsx.parent().expect("folder");
    let profile = format!("-env:UserInstallation=file://{}", dir.join("libreoffice").display());
    let out = std::process::Command::new("libreoffice")
        .args(["--headless", &profile, "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(xlsx)
        .output()
        .expect("libreoffice ontbreekt: apt-get install libreoffice-calc-nogui (scripts/test doet dat)");
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let pdf = xlsx.with_extension("pdf");
    assert!(out.status.success() && !said.contains("Error"), "{said}");
    let size = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or_default();
    assert!(size > 1_000, "no PDF from the report: {said}");
}

both! {
    fn the_award_report_holds_every_sheet_with_the_rankings_figures(app) {
        let (t, inkoper, bids, _) = ranked(&app, "REPORT-1");
        assert_eq!(app.post(&lot_path(&t, "award"), Some(&inkoper.token), &json!({})).status, 201);
        let path = format!("/api/v1/tenders/{}/award-report", t["id"]);
        assert_eq!(app.call("GET", &path, Some(&app.user(Role::Aanbieder).token), None).status, 403);
        let management = app.user(Role::Management);
        let r = app.call("GET", &path, Some(&management.token), None);
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.content_type.starts_with("application/vnd.openxmlformats"), "{}", r.content_type);
        let bytes = app.bytes(&path, &management.token);
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx calamine reads");
        assert_eq!(book.sheet_names(), SHEETS);

        let ranking = app.get(&lot_path(&t, "ranking"), Some(&inkoper.token)).json();
        let expected = ranking["ranking"]["bids"].as_array().cloned().unwrap_or_default();
        let rank_rows = rows(&mut book, "Rangorde");
        assert_eq!(rank_rows.len(), expected.len());
        for (row, b) in rank_rows.iter().zip(&expected) {
            assert_eq!(num(&row[1]), b["rank"].as_f64().unwrap_or_default());
            assert!((num(&row[5]) - as_f64(&b["total_rounded"])).abs() < 1e-9, "{row:?} {b}");
            assert!((num(&row[6]) * 100.0 - b["price_cents"].as_f64().unwrap_or_default()).abs() < 1e-6);
        }
        assert_eq!(rank_rows[0][7], Data::String("winnaar".into()));
        assert_eq!(rank_rows[2][7], Data::String("niet gewonnen".into()));

        let summary = rows(&mut book, "Samenvatting");
        assert!((num(&summary[0][4]) - as_f64(&expected[0]["total_rounded"])).abs() < 1e-9, "{summary:?}");
        assert!(summary[0][8].to_string().contains("voorgesteld"), "{summary:?}");
        let scores = rows(&mut book, "Scores");
        assert_eq!(scores.len(), bids.len() * 4, "a row per bid and criterion");
        assert_eq!((num(&scores[0][3]), num(&scores[0][4]), num(&scores[0][5])), (8.0, 8.0, 0.0), "assessor, consensus, spread");
        assert_eq!(rows(&mut book, "Prijzen").len(), 3);
        assert!(rows(&mut book, "Geschiktheid").len() >= 3);
        let timeline: Vec<String> = rows(&mut book, "Tijdlijn").iter().map(|r| r[1].to_string()).collect();
        assert!(timeline.iter().any(|e| e == "Sluiting inschrijving") && timeline.iter().any(|e| e.starts_with("Voornemen")), "{timeline:?}");
        assert!(rows(&mut book, "Logboek").iter().any(|r| r[2] == Data::String("award.proposed".into())));

        let page = crate::browser::Browser::new(&app);
        page.login(&management.email, crate::helpers::PASSWORD);
        assert_eq!(page.get(&format!("/aanbestedingen/{}/gunningsrapportage", t["id"])).status, 200);

        let out = app.data_dir().join("rapport.xlsx");
        let (code, said) = export(&app, &t["id"], &out);
        assert_eq!(code, 0, "{said}");
        let mut file: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(&out).expect("written"))).expect("xlsx");
        assert_eq!(rows(&mut file, "Rangorde"), rank_rows, "the command line writes the same figures");
        opens_in_libreoffice(&out);
        let (code, said) = export(&app, &json!(999_999), &out);
        assert!(code == 1 && said.contains("Aanbesteding"), "{said}");
    }
}
