//! Prijzenblad: the sheet as downloaded, filled-in sheets read back exactly, and a corpus of
//! broken and hostile files each refused in Dutch while the service keeps answering.

use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use aanbesteding::domain::role::Role;
use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};

use crate::bidding::{complete_content, filled_sheet, published, workbook};
use crate::both;
use crate::helpers::{TestApp, TestUser, agent};

/// The fixtures carry the kenmerk of the demo tender under its own reference.
const DEMO_REFERENCE: &str = "WF-2027-001";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/spreadsheets/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

fn bid_on_first_lot(app: &TestApp, t: &Value, bidder: &TestUser) -> Value {
    let r = app.post(
        &format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]),
        Some(&bidder.token),
        &json!({}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

fn upload(app: &TestApp, bidder: &TestUser, bid: &Value, name: &str, content: &[u8]) -> crate::helpers::Resp {
    app.upload(&format!("/api/v1/bids/{}/price-sheet", bid["id"]), &bidder.token, name, content)
}

/// One part of an .xlsx file, as text.
fn part(xlsx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(xlsx)).expect("an xlsx is a zip");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).expect("part"), &mut text).expect("utf-8");
    text
}

/// The cells of a worksheet whose style leaves them unlocked under the sheet's protection.
fn unlocked_cells(sheet: &str, styles: &str) -> Vec<String> {
    let xfs = styles.split("<cellXfs").nth(1).and_then(|s| s.split("</cellXfs>").next()).unwrap_or_default();
    let unlocked: Vec<String> = xfs
        .split("<xf ")
        .skip(1)
        .enumerate()
        .filter(|(_, xf)| xf.split("</xf>").next().is_some_and(|x| x.contains("locked=\"0\"")))
        .map(|(i, _)| i.to_string())
        .collect();
    sheet
        .split("<c r=\"")
        .skip(1)
        .filter_map(|c| {
            let (cell, rest) = c.split_once('"')?;
            let style = rest
                .split_once("s=\"")
                .map(|(_, s)| s.split('"').next().unwrap_or_default())
                .filter(|_| rest.find("s=\"") < rest.find('>'));
            style.filter(|s| unlocked.iter().any(|u| u == s)).map(|_| cell.to_owned())
        })
        .collect()
}

fn reasons(r: &crate::helpers::Resp) -> String {
    r.json()["invalid_params"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["reason"].as_str().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" | ")
}

both! {
    fn the_downloaded_prijzenblad_has_a_sheet_per_perceel_with_its_lines_and_kenmerk(app) {
        let t = published(&app, "PS-1");
        let r = app.get(&format!("/api/v1/tenders/{}/price-sheet", t["id"]), None);
        assert_eq!(r.status, 200);
        assert!(r.content_type.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        let bytes = agent().get(app.url(&format!("/api/v1/tenders/{}/price-sheet", t["id"]))).call().expect("GET").into_body().read_to_vec().expect("body");
        let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).expect("an xlsx calamine reads");
        assert_eq!(book.sheet_names(), ["Toelichting", "B1-route", "Onderwijsroute", "Z-route"]);
        let b1 = book.worksheet_range("B1-route").expect("B1-route");
        assert_eq!(b1.get_value((1, 3)), Some(&Data::String(workbook(&app, &t["id"]).sheets[0].kenmerk.clone())));
        assert_eq!(b1.get_value((6, 0)), Some(&Data::String("Taallessen B1 (groep)".into())));
        assert_eq!(b1.get_value((6, 2)), Some(&Data::Float(600.0)));
        assert_eq!(b1.get_value((12, 0)), Some(&Data::String("Prijs per traject (excl. btw)".into())), "six lines, then the total");
        assert!(matches!(b1.get_value((3, 0)), Some(Data::String(s)) if s.contains("€ 14.500,00")), "the ceiling is stated");
        let (sheet, styles) = (part(&bytes, "xl/worksheets/sheet2.xml"), part(&bytes, "xl/styles.xml"));
        assert!(sheet.contains("<sheetProtection sheet=\"1\""), "the sheet is protected");
        assert_eq!(unlocked_cells(&sheet, &styles), ["D7", "D8", "D9", "D10", "D11", "D12"], "only the price cells take input");
        assert!(sheet.contains("<dataValidation type=\"decimal\" operator=\"greaterThanOrEqual\"") && sheet.contains("sqref=\"D7:D12\"><formula1>0</formula1>"), "prices are numbers of 0 or more");
        let page = app.get(&format!("/aanbestedingen/{}", t["id"]), None).body;
        assert!(page.contains(&format!("href=\"/aanbestedingen/{}/prijzenblad\"", t["id"])) && page.contains("Taallessen B1 (groep)"), "the public page links the sheet and shows its lines");
    }

    fn a_filled_prijzenblad_is_read_back_recomputed_and_must_be_confirmed(app) {
        let t = published(&app, "PS-2");
        let bidder = app.user(Role::Aanbieder);
        let bid = bid_on_first_lot(&app, &t, &bidder);
        app.put(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token), &complete_content(&t, &bid));
        // 644 units at € 22,52 are € 14.502,88: above the ceiling of € 14.500,00, named by its cell.
        let above = upload(&app, &bidder, &bid, "te-duur.xlsx", &filled_sheet(&app, &t["id"], 22.52));
        assert_eq!(above.status, 422, "{}", above.body);
        assert!(reasons(&above).starts_with("Blad B1-route, cel E13: de prijs per traject (€ 14.502,88) ligt boven de plafondprijs van € 14.500,00"), "{}", above.body);
        assert_eq!(app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token)).json()["files"], json!([]), "a refused sheet is not kept");
        let r = upload(&app, &bidder, &bid, "prijzen.xlsx", &filled_sheet(&app, &t["id"], 19.5));
        assert_eq!(r.status, 201, "{}", r.body);
        let read = r.json();
        // 600 + 1 + 1 + 1 + 40 + 1 units, all at € 19,50.
        assert_eq!(read["prices"]["total_cents"], 644 * 1950);
        assert_eq!(read["prices"]["lines"][0]["amount_cents"], 600 * 1950);
        assert!(read["confirmed_at"].is_null());
        let path = format!("/api/v1/bids/{}", bid["id"]);
        let missing = app.get(&path, Some(&bidder.token)).json()["missing"].clone();
        assert_eq!(missing[0]["name"], "price_sheet", "{missing}");
        let refused = app.call("POST", &format!("{path}/submission"), Some(&bidder.token), None);
        assert_eq!(refused.invalid_params(), ["price_sheet"], "unconfirmed prices are not submitted");
        let confirm = |file: &Value| app.post(&format!("{path}/price-sheet/confirmation"), Some(&bidder.token), &json!({ "file_id": file }));
        assert_eq!(confirm(&read["file_id"]).status, 200);
        // A second sheet replaces the first and needs confirming again; the first one's prices
        // can no longer be confirmed in its place.
        let again = upload(&app, &bidder, &bid, "prijzen-2.xlsx", &filled_sheet(&app, &t["id"], 10.0));
        assert_eq!(again.json()["prices"]["total_cents"], 644 * 1000);
        let stale = confirm(&read["file_id"]);
        assert_eq!(stale.status, 409, "{}", stale.body);
        assert!(stale.body.contains("ander prijzenblad"), "{}", stale.body);
        let view = app.get(&path, Some(&bidder.token)).json();
        let sheets: Vec<&Value> = view["files"].as_array().into_iter().flatten().filter(|f| f["kind"] == "prijzenblad").collect();
        assert_eq!(sheets.len(), 1, "{view}");
        assert_eq!(sheets[0]["name"], "prijzen-2.xlsx");
        assert!(view["price_sheet"]["confirmed_at"].is_null());
        assert_eq!(confirm(&again.json()["file_id"]).status, 200);
        assert_eq!(app.get(&path, Some(&bidder.token)).json()["missing"], json!([]));
        let other = app.user(Role::Aanbieder);
        assert_eq!(upload(&app, &other, &bid, "x.xlsx", &filled_sheet(&app, &t["id"], 1.0)).status, 404, "only the bidder's own bid");
    }

    fn a_correction_of_the_price_lines_makes_an_uploaded_prijzenblad_outdated(app) {
        let t = published(&app, "PS-3");
        let bidder = app.user(Role::Aanbieder);
        let bid = crate::bidding::ready_bid(&app, &t, &bidder);
        assert_eq!(app.call("POST", &format!("/api/v1/bids/{}/submission", bid["id"]), Some(&bidder.token), None).status, 201);
        let before = filled_sheet(&app, &t["id"], 10.0);
        let inkoper = app.user(Role::Inkoper);
        let mut lot = crate::fixtures::lot(0);
        lot["price_lines"][0]["quantity"] = json!(550);
        let correction = json!({ "reason": "Het aantal lesuren is 550, zoals in de kostprijsonderbouwing.", "lot_id": t["lots"][0]["id"], "lot": lot });
        let r = app.post(&format!("/api/v1/tenders/{}/corrections", t["id"]), Some(&inkoper.token), &correction);
        assert_eq!(r.status, 200, "{}", r.body);
        let path = format!("/api/v1/bids/{}", bid["id"]);
        let view = app.get(&path, Some(&bidder.token)).json();
        assert_eq!(view["needs_reconfirmation"], true, "the submitted bid is asked to confirm again");
        assert!(view["missing"][0]["reason"].as_str().unwrap_or_default().contains("eerdere versie"), "{view}");
        let reconfirm = app.call("POST", &format!("{path}/reconfirmation"), Some(&bidder.token), None);
        assert_eq!(reconfirm.invalid_params(), ["price_sheet"], "an outdated prijzenblad cannot be confirmed again: {}", reconfirm.body);
        let file_id = &view["price_sheet"]["file_id"];
        assert_eq!(app.post(&format!("{path}/price-sheet/confirmation"), Some(&bidder.token), &json!({ "file_id": file_id })).status, 409, "submitted: withdraw first");
        assert_eq!(app.call("POST", &format!("{path}/withdrawal"), Some(&bidder.token), None).status, 204);
        let stale = app.post(&format!("{path}/price-sheet/confirmation"), Some(&bidder.token), &json!({ "file_id": file_id }));
        assert!(stale.status == 409 && stale.body.contains("eerdere versie"), "{}", stale.body);
        let old = upload(&app, &bidder, &bid, "oud.xlsx", &before);
        assert_eq!(old.status, 422);
        assert!(reasons(&old).contains("Blad B1-route, cel D2: het kenmerk 'PS-3/P1/"), "{}", reasons(&old));
        let new = upload(&app, &bidder, &bid, "nieuw.xlsx", &filled_sheet(&app, &t["id"], 10.0));
        assert_eq!(new.status, 201, "{}", new.body);
        assert_eq!(new.json()["prices"]["lines"][0]["quantity"], 550);
        let confirmation = json!({ "file_id": new.json()["file_id"] });
        assert_eq!(app.post(&format!("{path}/price-sheet/confirmation"), Some(&bidder.token), &confirmation).status, 200);
        assert_eq!(app.call("POST", &format!("{path}/submission"), Some(&bidder.token), None).status, 201, "resubmitted under the corrected perceel");
        let receipts = app.get(&path, Some(&bidder.token)).json()["receipts"].clone();
        assert!(receipts[1]["withdrawn_at"].is_string() && receipts[0]["withdrawn_at"].is_null(), "{receipts}");
    }

    fn every_broken_or_hostile_spreadsheet_is_refused_in_dutch_while_the_service_keeps_answering(app) {
        let t = published(&app, DEMO_REFERENCE);
        let bidder = app.user(Role::Aanbieder);
        let bid = bid_on_first_lot(&app, &t, &bidder);
        let corpus = [
            ("zip-bom.xlsx", "wordt uitgepakt 2048 MB groot; de grens is 200 MB"),
            ("liegende-zip.xlsx", "Het rekenblad is beschadigd of onleesbaar."),
            ("gedeelde-teksten.xlsx", "vraagt te veel geheugen of is misvormd"),
            ("laatste-kolom.xlsx", "Blad B1-route, cel XFD1048576: buiten de tabel staat 1."),
            ("geen-zip.xlsx", "de inhoud is dat niet"),
            ("leeg.xlsx", "is leeg"),
            ("verkeerde-bladen.xlsx", "Blad 'B1-route' ontbreekt (dit bestand heeft de bladen: Toelichting, Blad1, Onderwijsroute, Z-route)"),
            ("tekst-in-getallen.xlsx", "Blad B1-route, cel D7: '19,50' is tekst, geen bedrag"),
            ("negatieve-prijzen.xlsx", "Blad B1-route, cel D8: een prijs kan niet negatief zijn (-5)"),
            ("formules.xlsx", "Blad B1-route, cel D7: bevat een formule (=B2*3)"),
            ("negatieve-prijzen.xls", "Blad B1-route, cel D8: een prijs kan niet negatief zijn (-5)"),
            ("tekst-in-getallen.ods", "Blad B1-route, cel D7: '19,50' is tekst, geen bedrag"),
            ("afgebroken.xls", "Het rekenblad is beschadigd of onleesbaar. Sla het opnieuw op als xlsx"),
        ];
        // Another visitor reads the tender all the while.
        let stop = Arc::new(AtomicBool::new(false));
        let (answered, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let url = app.url(&format!("/api/v1/tenders/{}", t["id"]));
        let reader = {
            let (stop, answered, failed) = (stop.clone(), answered.clone(), failed.clone());
            std::thread::spawn(move || {
                let agent = agent();
                while !stop.load(Ordering::Relaxed) {
                    match agent.get(&url).call() {
                        Ok(r) if r.status() == 200 => answered.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                }
            })
        };
        for (name, expected) in corpus {
            let r = upload(&app, &bidder, &bid, name, &fixture(name));
            assert_eq!(r.status, 422, "{name}: {}", r.body);
            assert!(reasons(&r).contains(expected), "{name}: {}", reasons(&r));
        }
        stop.store(true, Ordering::Relaxed);
        let _ = reader.join();
        assert_eq!(failed.load(Ordering::Relaxed), 0, "every other request was answered");
        assert!(answered.load(Ordering::Relaxed) > 0);
        let view = app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token)).json();
        assert_eq!(view["files"], json!([]), "nothing refused was kept");
        let vault = app.data_dir().join("vault").join(t["id"].to_string());
        assert_eq!(std::fs::read_dir(&vault).map(|d| d.count()).unwrap_or(0), 0, "nor left in the vault");
        // The same filled-in sheet saved by LibreOffice as xls and as ods reads the same.
        for name in ["ingevuld.xlsx", "ingevuld.xls", "ingevuld.ods"] {
            let r = upload(&app, &bidder, &bid, name, &fixture(name));
            assert_eq!(r.status, 201, "{name}: {}", r.body);
            assert_eq!(r.json()["prices"]["total_cents"], 644 * 500, "{name}");
        }
    }
}
