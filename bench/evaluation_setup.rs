//! The evaluation benchmark's set-up: accounts, two published tenders, bids submitted through
//! the API, the vault opened, every assessor's scores locked and the consensus recorded — all
//! through the service itself, in parallel where the service allows it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aanbesteding::auth::password;
use aanbesteding::auth::token::{Keys, Purpose};
use aanbesteding::db::audit::Actor;
use aanbesteding::db::user::{self, NewUser};
use aanbesteding::db::{self, Db, company};
use aanbesteding::domain::company::RegistrationInput;
use aanbesteding::domain::role::Role;
use chrono::{DateTime, Timelike, Utc};
use serde_json::{Value, json};

pub const SECRET: &str = "benchmark-sleutel-benchmark-sleutel-benchmark-sleutel-0123456789";

/// A caller of the API with a token of its own.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub token: String,
    pub id: i64,
    agent: ureq::Agent,
}

impl Api {
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let auth = format!("Bearer {}", self.token);
        let r = match (method, body) {
            ("GET", _) => self.agent.get(&url).header("Authorization", &auth).call(),
            ("PUT", Some(b)) => self.agent.put(&url).header("Authorization", &auth).send_json(b),
            (_, Some(b)) => self.agent.post(&url).header("Authorization", &auth).send_json(b),
            (_, None) => self.agent.post(&url).header("Authorization", &auth).send_empty(),
        };
        let mut r = r.expect("request");
        let status = r.status().as_u16();
        (status, r.body_mut().read_json().unwrap_or(Value::Null))
    }

    /// Calls and insists on the expected status.
    pub fn ok(&self, method: &str, path: &str, body: Option<Value>, expected: u16) -> Value {
        let (status, answer) = self.call(method, path, body);
        assert_eq!(status, expected, "{method} {path}: {answer}");
        answer
    }

    fn upload(&self, path: &str, name: &str, content: &[u8]) -> Value {
        let boundary = "----aanbesteding-bench-grens";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut r = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.token))
            .header("Content-Type", format!("multipart/form-data; boundary={boundary}"))
            .send(&body[..])
            .expect("upload");
        let status = r.status().as_u16();
        let answer = r.body_mut().read_json().unwrap_or(Value::Null);
        assert_eq!(status, 201, "upload {path}: {answer}");
        answer
    }
}

/// The benchmark's people: two inkopers, five beoordelaars and the aanbieders.
pub struct People {
    pub inkopers: [Api; 2],
    pub assessors: Vec<Api>,
    pub bidders: Vec<Api>,
}

/// Accounts made directly in the database (registration is not what this measures), each with
/// a login token signed with the service's key.
pub fn people(db: &Db, base: &str, bidders: usize) -> People {
    let hash = password::hash("benchmark-wachtwoord-123").expect("hash");
    let actor = Actor::system("benchmark");
    let keys = Keys::new(SECRET.as_bytes());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(300)))
        .build()
        .into();
    let mut roles = vec![Role::Inkoper, Role::Inkoper];
    roles.extend([Role::Beoordelaar; 5]);
    roles.extend(std::iter::repeat_n(Role::Aanbieder, bidders));
    let made = db::transaction(&mut db.conn().expect("conn"), |c| {
        let mut made = Vec::new();
        for (i, role) in roles.iter().enumerate() {
            let email = format!("{}-{i}@bench.example", role.as_str());
            let company_id = if *role == Role::Aanbieder {
                let r = RegistrationInput {
                    company_name: format!("Taalschool {i:04}"),
                    kvk_number: format!("{:08}", 30_000_000 + i),
                    street: "Grote Oost 1".into(),
                    postal_code: "1621 AB".into(),
                    city: "Hoorn".into(),
                    contact_name: "Bench".into(),
                    phone: "0229 123 456".into(),
                    email: email.clone(),
                    password: "benchmark-wachtwoord-123".into(),
                };
                Some(company::insert(c, &r, &actor)?.id)
            } else {
                None
            };
            let name = format!("{} {i}", role.label());
            let new = NewUser {
                email: &email,
                name: &name,
                role: *role,
                password_hash: &hash,
                must_change_password: false,
                company_id,
                municipality_id: None,
                verified: true,
            };
            made.push((*role, user::insert(c, &new, &actor)?));
        }
        Ok(made)
    })
    .expect("accounts");
    let api = |u: &aanbesteding::db::user::User| Api {
        base: base.to_owned(),
        token: keys.issue(u.id, u.token_version, Purpose::Login, 600).expect("token"),
        id: u.id,
        agent: agent.clone(),
    };
    let of = |role: Role| made.iter().filter(|(r, _)| *r == role).map(|(_, u)| api(u)).collect::<Vec<_>>();
    let inkopers = of(Role::Inkoper);
    People {
        inkopers: [inkopers[0].clone(), inkopers[1].clone()],
        assessors: of(Role::Beoordelaar),
        bidders: of(Role::Aanbieder),
    }
}

/// The demo tender with one perceel of `criteria` equal quality criteria (70% together) and a
/// price weight of 30%; deadlines a month ahead.
fn tender_input(reference: &str, criteria: usize) -> Value {
    tender_with_lots(reference, criteria, 1)
}

/// As [`tender_input`], with `lots` such percelen.
fn tender_with_lots(reference: &str, criteria: usize, lots: usize) -> Value {
    let doc: Value = serde_json::from_str(aanbesteding::demo::DEMO_TENDER).expect("demo tender");
    let mut t = doc["tender"].clone();
    t["reference"] = json!(reference);
    let month = Utc::now() + chrono::Duration::days(30);
    t["question_deadline"] = json!((month - chrono::Duration::days(7)).format("%Y-%m-%dT12:00").to_string());
    t["submission_deadline"] = json!(month.format("%Y-%m-%dT12:00").to_string());
    let mut lot = t["lots"][0].clone();
    let first = lot["quality_criteria"][0].clone();
    let weight = format!("{:.2}", 70.0 / criteria as f64);
    let mut list: Vec<Value> = (0..criteria)
        .map(|i| {
            let mut c = first.clone();
            c["title"] = json!(format!("Kwaliteitscriterium {}", i + 1));
            c["weight_percent"] = json!(weight);
            c
        })
        .collect();
    // The weights must add up to exactly 70 with the price's 30.
    let rest = 70.0 - weight.parse::<f64>().unwrap_or(0.0) * (criteria as f64 - 1.0);
    list[criteria - 1]["weight_percent"] = json!(format!("{rest:.2}"));
    lot["quality_criteria"] = json!(list);
    lot["max_winners"] = json!(3);
    let copies: Vec<Value> = (1..=lots)
        .map(|n| {
            let mut l = lot.clone();
            l["number"] = json!(n);
            l["title"] = json!(if lots == 1 {
                lot["title"].clone()
            } else {
                json!(format!("{} {n}", lot["title"].as_str().unwrap_or_default()))
            });
            l
        })
        .collect();
    t["lots"] = json!(copies);
    // With one perceel its own geschiktheidseisen stay; with more, the tender-wide ones.
    let kept: Vec<Value> = t["selection_criteria"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["lot"].is_null() || (lots == 1 && c["lot"] == 1))
        .cloned()
        .collect();
    t["selection_criteria"] = json!(kept);
    t
}

pub fn publish(inkoper: &Api, reference: &str, criteria: usize) -> Value {
    publish_lots(inkoper, reference, criteria, 1)
}

/// A published tender of `lots` equal percelen.
pub fn publish_lots(inkoper: &Api, reference: &str, criteria: usize, lots: usize) -> Value {
    let created = inkoper.ok("POST", "/api/v1/tenders", Some(tender_with_lots(reference, criteria, lots)), 201);
    inkoper.ok("POST", &format!("/api/v1/tenders/{}/publish", created["id"]), None, 200)
}

/// Runs `f` for 0..n on a few threads; the service, not this loop, is the limit.
pub fn parallel(n: usize, f: impl Fn(usize) + Sync) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    f(i);
                }
            });
        }
    });
}

/// A complete bid on the tender's perceel, its prijzenblad `sheet` confirmed, submitted.
pub fn bid(bidder: &Api, t: &Value, sheet: &[u8]) -> i64 {
    bid_on(bidder, t, 0, sheet)
}

/// As [`bid`], on the tender's perceel at `index`.
pub fn bid_on(bidder: &Api, t: &Value, index: usize, sheet: &[u8]) -> i64 {
    let lot = &t["lots"][index];
    let b = bidder.ok("POST", &format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], lot["id"]), Some(json!({})), 201);
    let mut content = json!({ "members": b["content"]["members"], "evidence": {}, "answers": {} });
    content["members"][0]["no_exclusion_grounds"] = json!(true);
    for cr in t["selection_criteria"].as_array().into_iter().flatten() {
        content["evidence"][cr["id"].to_string()] =
            json!({ "reference": "bewijs", "issued_on": "2026-06-01", "valid_until": "2029-01-01" });
    }
    for q in lot["quality_criteria"].as_array().into_iter().flatten() {
        content["answers"][q["id"].to_string()] =
            json!("Wij werken samen met de bibliotheek, het buurthuis en lokale werkgevers in elke gemeente.");
    }
    let path = format!("/api/v1/bids/{}", b["id"]);
    bidder.ok("PUT", &path, Some(content), 200);
    let read = bidder.upload(&format!("{path}/price-sheet"), "prijzenblad.xlsx", sheet);
    bidder.ok("POST", &format!("{path}/price-sheet/confirmation"), Some(json!({ "file_id": read["file_id"] })), 200);
    bidder.upload(&format!("{path}/files"), "plan-van-aanpak.pdf", b"%PDF-1.7\nPlan van aanpak\n%%EOF");
    bidder.ok("POST", &format!("{path}/submission"), None, 201);
    b["id"].as_i64().unwrap_or_default()
}

/// Moves the tender's deadlines to the coming minutes by a correction, waits until the
/// sluitingstermijn has passed and opens the vault with both inkopers.
pub fn close_and_open(people: &People, tenders: &[&Value]) {
    let now = Utc::now() + chrono::Duration::seconds(5);
    let question: DateTime<Utc> =
        now.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(now) + chrono::Duration::minutes(1);
    let deadline = question + chrono::Duration::minutes(1);
    for t in tenders {
        let mut general = tender_input(t["reference"].as_str().unwrap_or_default(), 1);
        for part in ["scales", "lots", "selection_criteria"] {
            general.as_object_mut().map(|m| m.remove(part));
        }
        general["question_deadline"] = json!(question.to_rfc3339());
        general["submission_deadline"] = json!(deadline.to_rfc3339());
        let body = json!({ "reason": "De sluitingstermijn van de benchmark.", "tender": general });
        people.inkopers[0].ok("POST", &format!("/api/v1/tenders/{}/corrections", t["id"]), Some(body), 200);
    }
    if let Ok(wait) = (deadline + chrono::Duration::seconds(1) - Utc::now()).to_std() {
        std::thread::sleep(wait);
    }
    for t in tenders {
        people.inkopers[0].ok("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), None, 202);
        people.inkopers[1].ok("POST", &format!("/api/v1/tenders/{}/opening", t["id"]), None, 200);
    }
}

/// Appoints the assessors, admits every bid, and has each assessor declare, score and lock
/// every bid; then records the consensus of every bid. Points follow a fixed pattern.
pub fn evaluate(people: &People, t: &Value, assessors: &[Api], bids: &[i64]) {
    evaluate_lot(people, t, 0, assessors, bids)
}

/// As [`evaluate`], for the tender's perceel at `index`.
pub fn evaluate_lot(people: &People, t: &Value, index: usize, assessors: &[Api], bids: &[i64]) {
    let inkoper = &people.inkopers[0];
    let lot = format!("/api/v1/tenders/{}/lots/{}", t["id"], t["lots"][index]["id"]);
    let ids: Vec<i64> = assessors.iter().map(|a| a.id).collect();
    inkoper.ok("PUT", &format!("{lot}/committee"), Some(json!({ "assessors": ids })), 200);
    for a in assessors {
        let d = a.ok("GET", &format!("{lot}/declarations"), None, 200);
        let list: Vec<Value> = d["bidders"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|b| json!({ "bidder": b["number"], "has_conflict": false }))
            .collect();
        a.ok("POST", &format!("{lot}/declarations"), Some(json!({ "declarations": list })), 200);
    }
    let s = inkoper.ok("GET", &format!("{lot}/suitability"), None, 200);
    let subjects: Vec<Value> = s["bids"][0]["proposals"].as_array().cloned().unwrap_or_default();
    let decisions: Vec<Value> =
        subjects.iter().map(|p| json!({ "subject": p["subject"], "passes": true, "motivation": "Voldoet." })).collect();
    parallel(bids.len(), |i| {
        inkoper.ok(
            "PUT",
            &format!("/api/v1/bids/{}/suitability", bids[i]),
            Some(json!({ "decisions": decisions })),
            200,
        );
    });
    let criteria: Vec<Value> =
        t["lots"][index]["quality_criteria"].as_array().into_iter().flatten().map(|q| q["id"].clone()).collect();
    let points = |bid: usize, c: usize, a: usize| ((bid * 7 + c * 3 + a) % 4) as i32 * 2 + 2;
    parallel(bids.len() * assessors.len(), |k| {
        let (i, a) = (k / assessors.len(), k % assessors.len());
        let list: Vec<Value> = criteria
            .iter()
            .enumerate()
            .map(|(c, id)| json!({ "criterion_id": id, "points": points(i, c, a), "motivation": "Concreet plan, met lokale partners onderbouwd." }))
            .collect();
        let path = format!("/api/v1/bids/{}/scores", bids[i]);
        assessors[a].ok("PUT", &path, Some(json!({ "scores": list })), 200);
        assessors[a].ok("POST", &format!("{path}/lock"), None, 200);
    });
    parallel(bids.len(), |i| {
        let list: Vec<Value> = criteria
            .iter()
            .enumerate()
            .map(|(c, id)| {
                json!({
                    "criterion_id": id, "points": points(i, c, 0),
                    "internal_motivation": "Besproken in de commissie.",
                    "external_motivation": "Een plan dat taal en werk verbindt met lokale partners.",
                })
            })
            .collect();
        inkoper.ok("PUT", &format!("/api/v1/bids/{}/consensus", bids[i]), Some(json!({ "scores": list })), 200);
    });
}
