//! Documents of a raamovereenkomst: the inkoper adds the signed agreement, sealed in the vault;
//! staff read it back byte for byte; the winning bid's own documents are listed with it.

use aanbesteding::domain::role::Role;
use sha2::{Digest, Sha256};

use crate::awards::awarded;
use crate::both;
use crate::browser::Browser;
use crate::helpers::{PASSWORD, spawn_app_tuned};

fn vault_files(app: &crate::helpers::TestApp, contract: &serde_json::Value) -> usize {
    let dir = app.data_dir().join("vault").join(contract["tender_id"].to_string());
    std::fs::read_dir(dir).into_iter().flatten().flatten().count()
}

const SIGNED: &[u8] = b"%PDF-1.7\nRaamovereenkomst B1-route, getekend door beide partijen.\n%%EOF";

both! {
    fn the_signed_agreement_is_kept_with_the_contract_and_read_back_unchanged(app) {
        let (contracts, inkoper) = awarded(&app, "CONTRACT-DOC");
        let path = format!("/api/v1/contracts/{}/documents", contracts[0]["id"]);
        let none = app.get(&path, Some(&inkoper.token)).json();
        assert_eq!(none["documents"], serde_json::json!([]));
        let names: Vec<_> = none["bid_documents"].as_array().into_iter().flatten().map(|d| d["name"].clone()).collect();
        assert_eq!(names, ["plan-van-aanpak.pdf"], "the winning bid's documents belong to the contract");

        let script = app.upload(&path, &inkoper.token, "overeenkomst.pdf", b"#!/bin/sh\necho hallo\n");
        assert_eq!(script.invalid_params(), ["file"], "{}", script.body);
        let bidder = app.user(Role::Aanbieder);
        assert_eq!(app.upload(&path, &bidder.token, "overeenkomst.pdf", SIGNED).status, 403);
        let management = app.user(Role::Management);
        assert_eq!(app.upload(&path, &management.token, "overeenkomst.pdf", SIGNED).status, 403, "the inkoper adds documents");

        let added = app.upload(&path, &inkoper.token, "overeenkomst getekend.pdf", SIGNED);
        assert_eq!(added.status, 201, "{}", added.body);
        let d = added.json();
        assert_eq!(d["sha256"], hex::encode(Sha256::digest(SIGNED)));
        assert_eq!(d["size"], SIGNED.len());
        let stored = std::fs::read_dir(app.data_dir().join("vault")).into_iter().flatten().flatten();
        let plain = stored
            .flat_map(|dir| std::fs::read_dir(dir.path()).into_iter().flatten().flatten())
            .any(|f| std::fs::read(f.path()).is_ok_and(|b| b.windows(16).any(|w| w == &SIGNED[9..25])));
        assert!(!plain, "no file in the vault holds the agreement in plain text");

        let listed = app.get(&path, Some(&management.token)).json();
        assert_eq!(listed["documents"].as_array().map(Vec::len), Some(1), "{listed}");
        let read = app.get(&format!("{path}/{}", d["id"]), Some(&management.token));
        assert_eq!(read.status, 200);
        assert_eq!(read.body.as_bytes(), SIGNED, "the document comes back unchanged");
        assert_eq!(read.disposition.as_deref(), Some("attachment; filename=\"overeenkomst getekend.pdf\""));
        // A Dutch name keeps its letters: header values are ASCII, so it goes out in filename*.
        let dutch = app.upload(&path, &inkoper.token, "beëindiging – Hoorn.pdf", SIGNED).json();
        let read = app.get(&format!("{path}/{}", dutch["id"]), Some(&management.token));
        assert_eq!(read.status, 200, "{}", read.body);
        assert_eq!(
            read.disposition.as_deref(),
            Some("attachment; filename=\"be_indiging _ Hoorn.pdf\"; filename*=UTF-8''be%C3%ABindiging%20%E2%80%93%20Hoorn.pdf")
        );
        assert_eq!(app.get(&format!("{path}/{}", d["id"]), Some(&bidder.token)).status, 403);
        let other = format!("/api/v1/contracts/{}/documents/{}", contracts[1]["id"], d["id"]);
        assert_eq!(app.get(&other, Some(&inkoper.token)).status, 404, "a document belongs to one contract");

        let page = format!("/contracten/{}", contracts[0]["id"]);
        let ink = Browser::new(&app);
        ink.login(&inkoper.email, PASSWORD);
        let shown = ink.get(&page);
        assert_eq!(shown.status, 200, "{}", shown.body);
        assert!(shown.body.contains("overeenkomst getekend.pdf") && shown.body.contains("plan-van-aanpak.pdf"), "{}", shown.body);
        let empty = ink.upload(&format!("{page}/documenten"), "leeg.pdf", b"");
        assert_eq!(empty.status, 422, "{}", empty.body);
        assert!(empty.body.contains("id=\"document-fout\"") && empty.body.contains("leeg.pdf is leeg"), "{}", empty.body);
        let added = ink.upload(&format!("{page}/documenten"), "bijlage.pdf", SIGNED);
        assert_eq!(added.status, 303, "{}", added.body);
        assert_eq!(app.get(&path, Some(&inkoper.token)).json()["documents"].as_array().map(Vec::len), Some(3));
    }

    fn two_documents_at_once_cannot_both_take_the_last_room(_app) {
        let Some(app) = spawn_app_tuned(_app.backend(), |s| s.max_bid_bytes = 1024 * 1024) else {
            return;
        };
        let (contracts, inkoper) = awarded(&app, "CONTRACT-ROOM");
        let path = format!("/api/v1/contracts/{}/documents", contracts[0]["id"]);
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.resize(600 * 1024, b'x');
        let stored = vault_files(&app, &contracts[0]);
        assert!(stored > 0, "the winning bid's documents are in the tender's vault");
        let barrier = std::sync::Barrier::new(2);
        let answers: Vec<_> = std::thread::scope(|s| {
            let send = |name: &'static str| {
                let (app, inkoper, path, pdf, barrier) = (&app, &inkoper, &path, &pdf, &barrier);
                s.spawn(move || {
                    barrier.wait();
                    app.upload(path, &inkoper.token, name, pdf)
                })
            };
            let (a, b) = (send("a.pdf"), send("b.pdf"));
            [a, b].into_iter().map(|h| h.join().expect("upload")).collect()
        });
        let mut statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
        statuses.sort();
        assert_eq!(statuses, [201, 422], "{:?}", answers.iter().map(|r| &r.body).collect::<Vec<_>>());
        let refused = answers.iter().find(|r| r.status == 422).map(|r| r.body.clone()).unwrap_or_default();
        assert!(refused.contains("de raamovereenkomst mag samen hoogstens 1 MB"), "{refused}");
        let listed = app.get(&path, Some(&inkoper.token)).json();
        assert_eq!(listed["documents"].as_array().map(Vec::len), Some(1), "{listed}");

        // The count that decides is the one under the lock, whatever the upload saw before.
        use aanbesteding::db::{self, contract, contract_document, user};
        use aanbesteding::vault::{sealed_file::Sealed, upload::Limits};
        let mut conn = app.db.conn().expect("conn");
        let c = contract::find(&mut conn, contracts[0]["id"].as_i64().expect("id")).expect("contract");
        let who = user::find(&mut conn, inkoper.id).expect("user").expect("inkoper");
        let sealed = Sealed { size: 600 * 1024, sha256: "0".repeat(64) };
        let d = contract_document::NewDocument { storage_name: "x", name: "c.pdf", content_type: "application/pdf", sealed: &sealed };
        let seen_before = Limits { per_file: 1024 * 1024, in_all: 1024 * 1024, used: 0, whole: "de raamovereenkomst" };
        let late = db::transaction(&mut conn, |conn| contract_document::add(conn, &c, &d, seen_before, &who, app.clock.now()));
        assert!(matches!(&late, Err(e) if e.concerns("file")), "{:?}", late.err());
        assert_eq!(vault_files(&app, &contracts[0]), stored + 1, "the refused upload leaves nothing in the vault");
    }
}
