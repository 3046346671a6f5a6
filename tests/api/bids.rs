//! Inschrijven: the bidder's flow through the vault, the deadline to the second, and the seal.

use aanbesteding::db::schema::{bid_files, bids, tender_keys};
use aanbesteding::domain::role::Role;
use aanbesteding::vault::MasterKey;
use aanbesteding::vault::sealed_file::read_all;
use chrono::{DateTime, Duration, Utc};
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::bidding::{PLAN, published, ready_bid};
use crate::both;
use crate::helpers::{TestApp, spawn_app_tuned};

fn deadline(t: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(t["submission_deadline"].as_str().unwrap_or_default())
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

both! {
    fn a_bid_is_submitted_and_its_receipt_matches_the_stored_files(app) {
        let t = published(&app, "BID-1");
        let bidder = app.user(Role::Aanbieder);
        let bid = ready_bid(&app, &t, &bidder);
        assert_eq!(bid["status"], "draft");
        let r = app.call("POST", &format!("/api/v1/bids/{}/submission", bid["id"]), Some(&bidder.token), None);
        assert_eq!(r.status, 201, "{}", r.body);
        let receipt = r.json();
        assert!(receipt["receipt_number"].as_str().unwrap_or_default().starts_with("BID-1-P1-"), "{receipt}");
        assert!(receipt["submitted_at_local"].as_str().unwrap_or_default().len() > 20);
        let expected = hex::encode(Sha256::digest(PLAN));
        let files = receipt["files"].as_array().cloned().unwrap_or_default();
        assert_eq!(files.iter().map(|f| f["kind"].as_str().unwrap_or_default()).collect::<Vec<_>>(), ["prijzenblad", "document"]);
        assert_eq!(files[1]["sha256"], expected);
        assert_eq!(files[1]["name"], "plan-van-aanpak.pdf");
        // The stored file, decrypted with the key from the vault, is exactly what was uploaded.
        let master = MasterKey::load_or_create(&app.data_dir().join("vault.key")).expect("master key");
        let mut conn = app.db.conn().expect("conn");
        let wrapped: Vec<u8> = tender_keys::table.find(t["id"].as_i64().unwrap_or_default()).select(tender_keys::wrapped_key).first(&mut *conn).expect("key");
        let key = master.unwrap(&wrapped).expect("unwrap");
        let stored: Vec<String> = bid_files::table.filter(bid_files::bid_id.eq(bid["id"].as_i64().unwrap_or_default())).order(bid_files::id).select(bid_files::storage_name).load(&mut *conn).expect("files");
        assert_eq!(stored.len(), files.len());
        // Every hash on the receipt is the hash of the stored file after decryption.
        for (storage, file) in stored.iter().zip(&files) {
            let path = app.data_dir().join("vault").join(t["id"].to_string()).join(storage);
            let on_disk = std::fs::read(&path).expect("sealed file");
            assert!(!on_disk.windows(11).any(|w| w == &b"bibliotheek"[..]), "the vault holds no plaintext");
            let plain = read_all(&path, &key).expect("decrypt");
            assert_eq!(json!(hex::encode(Sha256::digest(&plain))), file["sha256"], "{}", file["name"]);
        }
        let sealed: Vec<u8> = bids::table.find(bid["id"].as_i64().unwrap_or_default()).select(bids::sealed_content).first(&mut *conn).expect("content");
        assert!(!sealed.windows(12).any(|w| w == &b"Ons antwoord"[..]), "answers are not readable in the database");
        let messages = app.get("/api/v1/me/messages", Some(&bidder.token)).json();
        assert!(messages["items"][0]["subject"].as_str().unwrap_or_default().starts_with("Ontvangstbewijs"), "{messages}");
        assert!(messages["items"][0]["text_body"].as_str().unwrap_or_default().contains(&expected));
    }

    fn an_incomplete_bid_is_refused_with_every_gap_named(app) {
        let t = published(&app, "BID-2");
        let bidder = app.user(Role::Aanbieder);
        let bid = app.post(&format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]), Some(&bidder.token), &json!({})).json();
        let r = app.call("POST", &format!("/api/v1/bids/{}/submission", bid["id"]), Some(&bidder.token), None);
        assert_eq!(r.status, 422);
        let names = r.invalid_params();
        assert!(names.contains(&"members[0].no_exclusion_grounds".to_string()), "{names:?}");
        assert_eq!(names.iter().filter(|n| n.starts_with("answers[")).count(), 4);
        assert_eq!(names.iter().filter(|n| n.ends_with(".reference")).count(), 4, "Keurmerk for perceel 1 plus three for all: {names:?}");
        assert!(names.contains(&"evidence[1].valid_until".to_string()), "the Keurmerk needs its end date: {names:?}");
        assert_eq!(app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token)).json()["status"], "draft");
    }

    fn a_combination_bids_with_the_kvk_and_uea_of_every_member(app) {
        let t = published(&app, "BID-2B");
        let bidder = app.user(Role::Aanbieder);
        let bid = ready_bid(&app, &t, &bidder);
        let path = format!("/api/v1/bids/{}", bid["id"]);
        let mut content = json!({ "members": bid["content"]["members"], "evidence": bid["content"]["evidence"], "answers": bid["content"]["answers"] });
        content["members"].as_array_mut().expect("members").push(json!({ "company_name": "Taalhuis Hoorn B.V.", "kvk_number": "1234567" }));
        assert_eq!(app.put(&path, Some(&bidder.token), &content).status, 200, "a draft keeps what was typed");
        let refused = app.call("POST", &format!("{path}/submission"), Some(&bidder.token), None);
        assert_eq!(refused.invalid_params(), ["members[1].kvk_number", "members[1].no_exclusion_grounds"], "{}", refused.body);
        content["members"][1] = json!({ "company_name": "Taalhuis Hoorn B.V.", "kvk_number": "12345678", "no_exclusion_grounds": true });
        assert_eq!(app.put(&path, Some(&bidder.token), &content).status, 200);
        assert_eq!(app.call("POST", &format!("{path}/submission"), Some(&bidder.token), None).status, 201);

        let inkoper = crate::evaluation::open(&app, &t);
        let s = app.get(&crate::evaluation::lot_path(&t, "suitability"), Some(&inkoper.token)).json();
        let proposals = &s["bids"][0]["proposals"];
        assert_eq!(proposals[0]["subject"], "exclusion_grounds");
        assert_eq!(proposals[0]["reason"], "Elke partij (2) heeft de eigen verklaring afgelegd.", "{proposals}");
        assert_eq!(proposals[1]["reason"], "Elke partij heeft een KvK-nummer van 8 cijfers.");
        let opened = app.get(&format!("/api/v1/tenders/{}/opened-bids", t["id"]), Some(&inkoper.token)).body;
        assert!(opened.contains("Taalhuis Hoorn B.V.") && opened.contains("12345678"), "{opened}");
    }

    fn the_deadline_holds_to_the_second_by_the_server_clock(app) {
        let t = published(&app, "BID-3");
        let bidder = app.user(Role::Aanbieder);
        let bid = ready_bid(&app, &t, &bidder);
        let submit = |app: &TestApp| app.call("POST", &format!("/api/v1/bids/{}/submission", bid["id"]), Some(&bidder.token), None);
        app.clock.set(deadline(&t) + Duration::seconds(1));
        let late = submit(&app);
        assert_eq!(late.status, 409, "{}", late.body);
        let detail = late.json()["detail"].as_str().unwrap_or_default().to_owned();
        assert!(detail.contains("servertijd") && detail.contains("12:00:0"), "{detail}");
        assert_eq!(app.put(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token), &bid["content"]).status, 409, "no edits after the deadline");
        assert_eq!(app.upload(&format!("/api/v1/bids/{}/files", bid["id"]), &bidder.token, "laat.pdf", PLAN).status, 409);
        app.clock.set(deadline(&t));
        let in_time = submit(&app);
        assert_eq!(in_time.status, 201, "at 12:00:00 the deadline has not passed: {}", in_time.body);
    }

    fn a_bid_can_be_withdrawn_and_submitted_again_and_the_history_stays(app) {
        let t = published(&app, "BID-4");
        let bidder = app.user(Role::Aanbieder);
        let bid = ready_bid(&app, &t, &bidder);
        let path = format!("/api/v1/bids/{}", bid["id"]);
        assert_eq!(app.call("POST", &format!("{path}/submission"), Some(&bidder.token), None).status, 201);
        assert_eq!(app.put(&path, Some(&bidder.token), &bid["content"]).status, 409, "a submitted bid is not edited");
        assert_eq!(app.call("POST", &format!("{path}/withdrawal"), Some(&bidder.token), None).status, 204);
        let counts = app.get(&format!("/api/v1/tenders/{}/bid-counts", t["id"]), Some(&app.user(Role::Inkoper).token)).json();
        assert_eq!(counts[0]["submitted"], 0, "a withdrawn bid does not count");
        assert_eq!(app.call("POST", &format!("{path}/submission"), Some(&bidder.token), None).status, 201);
        let after = app.get(&path, Some(&bidder.token)).json();
        assert_eq!(after["status"], "submitted");
        let receipts = after["receipts"].as_array().cloned().unwrap_or_default();
        assert_eq!(receipts.len(), 2);
        assert!(receipts[0]["withdrawn_at"].is_null() && receipts[1]["withdrawn_at"].is_string());
    }

    fn nobody_but_the_bidder_reads_a_bid_before_the_opening(app) {
        let t = published(&app, "BID-5");
        let bidder = app.user(Role::Aanbieder);
        let bid = ready_bid(&app, &t, &bidder);
        app.call("POST", &format!("/api/v1/bids/{}/submission", bid["id"]), Some(&bidder.token), None);
        let other = app.user(Role::Aanbieder);
        let path = format!("/api/v1/bids/{}", bid["id"]);
        assert_eq!(app.get(&path, Some(&other.token)).status, 404, "another bidder");
        assert_eq!(app.put(&path, Some(&other.token), &bid["content"]).status, 404);
        assert_eq!(app.upload(&format!("{path}/files"), &other.token, "x.pdf", PLAN).status, 404);
        assert_eq!(app.call("POST", &format!("{path}/withdrawal"), Some(&other.token), None).status, 404);
        assert_eq!(app.get(&format!("/api/v1/tenders/{}/bids", t["id"]), Some(&other.token)).json(), json!([]));
        for role in [Role::Inkoper, Role::Beoordelaar, Role::Management, Role::Beheerder] {
            let token = app.user(role).token;
            assert_eq!(app.get(&path, Some(&token)).status, 403, "{role:?}");
            assert_eq!(app.get(&format!("/api/v1/tenders/{}/bids", t["id"]), Some(&token)).status, 403, "{role:?}");
        }
        let inkoper = app.user(Role::Inkoper).token;
        let counts = app.get(&format!("/api/v1/tenders/{}/bid-counts", t["id"]), Some(&inkoper)).json();
        assert_eq!(counts, json!([
            { "lot_id": t["lots"][0]["id"], "lot_number": 1, "submitted": 1 },
            { "lot_id": t["lots"][1]["id"], "lot_number": 2, "submitted": 0 },
            { "lot_id": t["lots"][2]["id"], "lot_number": 3, "submitted": 0 },
        ]));
        let file = app.get(&format!("/api/v1/tenders/{}/messages", t["id"]), Some(&inkoper)).json();
        assert_eq!(file["total"], 0, "the receipt, which names the bidder, stays out of the tender file");
        let log = app.get(&format!("/api/v1/tenders/{}/audit-log?per_page=100", t["id"]), Some(&inkoper)).body;
        assert!(!log.contains("bid.") && !log.contains(&bidder.email), "the tender's log does not name bidders");
    }

    fn only_real_documents_within_the_limits_are_taken(app) {
        let t = published(&app, "BID-6");
        let bidder = app.user(Role::Aanbieder);
        let bid = app.post(&format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]), Some(&bidder.token), &json!({})).json();
        let path = format!("/api/v1/bids/{}/files", bid["id"]);
        let exe = app.upload(&path, &bidder.token, "setup.exe", b"MZ\x90\x00");
        assert_eq!(exe.invalid_params(), ["file"]);
        let fake = app.upload(&path, &bidder.token, "plan.pdf", b"<html>geen pdf</html>");
        assert!(fake.json()["detail"].as_str().unwrap_or_default().contains("inhoud is dat niet"), "{}", fake.body);
        let empty = app.upload(&path, &bidder.token, "leeg.pdf", b"");
        assert_eq!(empty.invalid_params(), ["file"]);
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(25 * 1024 * 1024 + 1, b'x');
        let too_big = app.upload(&path, &bidder.token, "groot.pdf", &big);
        assert!(too_big.json()["detail"].as_str().unwrap_or_default().contains("25 MB"), "{}", too_big.body);
        assert_eq!(app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token)).json()["files"], json!([]));
        let vault = app.data_dir().join("vault").join(t["id"].to_string());
        assert_eq!(std::fs::read_dir(&vault).map(|d| d.count()).unwrap_or(0), 0, "nothing half-written stays behind");
    }

    fn the_limits_per_file_and_per_bid_follow_the_settings(_app) {
        let Some(app) = spawn_app_tuned(_app.backend(), |s| {
            s.max_file_bytes = 1024 * 1024;
            s.max_bid_bytes = 2 * 1024 * 1024;
        }) else {
            return;
        };
        let t = published(&app, "BID-6B");
        let bidder = app.user(Role::Aanbieder);
        let bid = app.post(&format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]), Some(&bidder.token), &json!({})).json();
        let path = format!("/api/v1/bids/{}/files", bid["id"]);
        let of_size = |head: &[u8], n: usize| {
            let mut v = head.to_vec();
            v.resize(n, b'x');
            v
        };
        let too_big = app.upload(&path, &bidder.token, "groot.pdf", &of_size(b"%PDF-1.7\n", 1024 * 1024 + 1));
        assert!(too_big.json()["detail"].as_str().unwrap_or_default().contains("1 MB"), "{}", too_big.body);
        // A PDF, a Word document and an Excel file, each within the limit per file.
        for (name, head) in [("plan.pdf", &b"%PDF-1.7\n"[..]), ("plan.docx", b"PK\x03\x04"), ("bijlage.xlsx", b"PK\x03\x04")] {
            let r = app.upload(&path, &bidder.token, name, &of_size(head, 600 * 1024));
            assert_eq!(r.status, 201, "{name}: {}", r.body);
        }
        let over = app.upload(&path, &bidder.token, "nog-een.pdf", &of_size(b"%PDF-1.7\n", 600 * 1024));
        assert_eq!(over.invalid_params(), ["file"], "{}", over.body);
        assert!(over.body.contains("hoogstens 2 MB aan bestanden bevatten en heeft nog 0,2 MB ruimte"), "{}", over.body);
        let files = app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&bidder.token)).json()["files"].clone();
        let names: Vec<&str> = files.as_array().into_iter().flatten().filter_map(|f| f["name"].as_str()).collect();
        assert_eq!(names, ["plan.pdf", "plan.docx", "bijlage.xlsx"]);
    }

    fn staff_asking_for_a_sealed_bid_are_refused_and_recorded(app) {
        let t = published(&app, "BID-7");
        let bidder = app.user(Role::Aanbieder);
        let bid = app.post(&format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]), Some(&bidder.token), &json!({})).json();
        let inkoper = app.user(Role::Inkoper);
        assert_eq!(app.get(&format!("/api/v1/bids/{}", bid["id"]), Some(&inkoper.token)).status, 403);
        use aanbesteding::db::schema::audit_log;
        let mut conn = app.db.conn().expect("conn");
        let recorded: Vec<String> = audit_log::table
            .filter(audit_log::action.eq("access.refused"))
            .select(audit_log::subject)
            .load(&mut *conn)
            .expect("audit");
        assert!(recorded.contains(&format!("GET /api/v1/bids/{}", bid["id"])), "{recorded:?}");
    }

    fn a_removed_document_that_no_receipt_names_leaves_the_vault(app) {
        let t = published(&app, "BID-8");
        let bidder = app.user(Role::Aanbieder);
        let bid = ready_bid(&app, &t, &bidder);
        let vault = app.data_dir().join("vault").join(t["id"].to_string());
        let count = || std::fs::read_dir(&vault).map(|d| d.count()).unwrap_or(0);
        assert_eq!(count(), 2, "the prijzenblad and the plan");
        let file_id = &bid["files"][1]["id"];
        assert_eq!(bid["files"][1]["kind"], "document");
        assert_eq!(app.call("DELETE", &format!("/api/v1/bids/{}/files/{file_id}", bid["id"]), Some(&bidder.token), None).status, 204);
        assert_eq!(count(), 1, "never receipted: gone for good");
        let again = app.upload(&format!("/api/v1/bids/{}/files", bid["id"]), &bidder.token, "plan.pdf", PLAN).json();
        assert_eq!(app.call("POST", &format!("/api/v1/bids/{}/submission", bid["id"]), Some(&bidder.token), None).status, 201);
        assert_eq!(app.call("POST", &format!("/api/v1/bids/{}/withdrawal", bid["id"]), Some(&bidder.token), None).status, 204);
        assert_eq!(app.call("DELETE", &format!("/api/v1/bids/{}/files/{}", bid["id"], again["id"]), Some(&bidder.token), None).status, 204);
        assert_eq!(count(), 2, "a receipted file stays in the vault with the history");
        let mail = app.last_mail_to(&bidder.email);
        assert!(!mail.contains("plan.pdf") && mail.contains("bestand 1"), "the unsealed outbox does not name files: {mail}");
    }

    fn the_service_refuses_to_start_when_the_vault_key_is_lost(app) {
        let t = published(&app, "BID-9");
        let bidder = app.user(Role::Aanbieder);
        app.post(&format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]), Some(&bidder.token), &json!({}));
        let elsewhere = app.data_dir().join("zonder-sleutel");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_aanbesteding"))
            .args(["serve"])
            .env("DATABASE_URL", &app.database_url)
            .env("DATA_DIR", &elsewhere)
            .env("BIND_ADDRESS", "127.0.0.1:0")
            .env("SECRET_KEY", crate::helpers::SECRET)
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("ontbreekt"), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(!elsewhere.join("vault.key").exists(), "no new key was made");
    }
}

both! {
    fn a_submitted_bid_marked_for_reconfirmation_is_confirmed_again_with_a_new_receipt(app) {
        let t = published(&app, "BID-10");
        let bidder = app.user(Role::Aanbieder);
        let bid = ready_bid(&app, &t, &bidder);
        let path = format!("/api/v1/bids/{}", bid["id"]);
        let reconfirm = |app: &TestApp| app.call("POST", &format!("{path}/reconfirmation"), Some(&bidder.token), None);
        assert_eq!(reconfirm(&app).status, 409, "a draft has nothing to confirm");
        let first = app.call("POST", &format!("{path}/submission"), Some(&bidder.token), None).json();
        assert_eq!(reconfirm(&app).status, 409, "nothing was published since");
        // What a nota van inlichtingen or a correction does to submitted bids.
        app.sql(&format!("UPDATE bids SET needs_reconfirmation = TRUE WHERE id = {}", bid["id"]));
        assert_eq!(app.get(&path, Some(&bidder.token)).json()["needs_reconfirmation"], true);
        let r = reconfirm(&app);
        assert_eq!(r.status, 201, "{}", r.body);
        let second = r.json();
        assert_ne!(second["receipt_number"], first["receipt_number"]);
        assert_eq!(second["content_sha256"], first["content_sha256"], "the same contents, confirmed again");
        let after = app.get(&path, Some(&bidder.token)).json();
        assert_eq!(after["needs_reconfirmation"], false);
        assert_eq!(after["status"], "submitted");
        let receipts = after["receipts"].as_array().cloned().unwrap_or_default();
        assert_eq!(receipts.len(), 2, "the history keeps the first submission");
        assert_eq!(receipts[0]["receipt_number"], second["receipt_number"], "the last one counts");
        assert_eq!(reconfirm(&app).status, 409);
        app.sql(&format!("UPDATE bids SET needs_reconfirmation = TRUE WHERE id = {}", bid["id"]));
        app.clock.set(deadline(&t) + Duration::seconds(1));
        assert_eq!(reconfirm(&app).status, 409, "not after the deadline");
    }
}

both! {
    fn bidders_starting_at_the_same_moment_all_get_their_bid(app) {
        let t = published(&app, "BID-11");
        let bidders: Vec<_> = (0..8).map(|_| app.user(Role::Aanbieder)).collect();
        let url = app.url(&format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]));
        let start = std::sync::Barrier::new(bidders.len());
        // The first bids of a tender also begin its sealed audit chain: they race for its head.
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = bidders
                .iter()
                .map(|b| {
                    let (url, start) = (&url, &start);
                    s.spawn(move || {
                        start.wait();
                        let r = crate::helpers::agent().post(url).header("Authorization", format!("Bearer {}", b.token)).send_json(json!({}));
                        r.map(|r| r.status().as_u16()).unwrap_or(0)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or(0)).collect()
        });
        assert_eq!(statuses, vec![201; 8]);
        let mut conn = app.db.conn().expect("conn");
        let chain = aanbesteding::domain::audit::vault_chain(t["id"].as_i64().unwrap_or_default());
        let verified = aanbesteding::db::audit::verify_chain(&mut conn, &chain).map(|r| r.map_err(|b| b.reason));
        assert!(matches!(verified, Ok(Ok(n)) if n >= 8), "one unbroken chain: {verified:?}");
    }
}
