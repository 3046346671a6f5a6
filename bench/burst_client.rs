//! The deadline burst's bidders: each logs in, prepares a complete bid with a confirmed
//! prijzenblad, and at its moment uploads its document and submits.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

pub struct Client {
    base: String,
    agent: ureq::Agent,
    token: String,
    pub bid_id: i64,
}

pub struct Outcome {
    pub status: u16,
    pub receipt: Option<Value>,
    pub elapsed: Duration,
    /// When the answer came, by this machine's clock (the service's, too).
    pub finished: DateTime<Utc>,
    pub bid_id: i64,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

impl Client {
    pub fn login(base: &str, email: &str, password: &str) -> Client {
        let agent = agent();
        let mut r = agent
            .post(format!("{base}/api/v1/auth/token"))
            .send_json(json!({ "email": email, "password": password }))
            .expect("login");
        let body: Value = r.body_mut().read_json().expect("token");
        let token = body["access_token"].as_str().expect("access_token").to_owned();
        Client { base: base.to_owned(), agent, token, bid_id: 0 }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
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

    fn upload(&self, path: &str, name: &str, content: &[u8]) -> (u16, Value) {
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
        (status, r.body_mut().read_json().unwrap_or(Value::Null))
    }

    /// Publishes the demo tender with this submission deadline.
    pub fn publish(&self, deadline: DateTime<Utc>) -> Value {
        let doc: Value = serde_json::from_str(aanbesteding::demo::DEMO_TENDER).expect("demo tender");
        let mut t = doc["tender"].clone();
        t["reference"] = json!("BURST-1");
        t["question_deadline"] = json!((deadline - chrono::Duration::minutes(1)).to_rfc3339());
        t["submission_deadline"] = json!(deadline.to_rfc3339());
        let (status, created) = self.call("POST", "/api/v1/tenders", Some(t));
        assert_eq!(status, 201, "{created}");
        let (status, published) = self.call("POST", &format!("/api/v1/tenders/{}/publish", created["id"]), None);
        assert_eq!(status, 200, "{published}");
        published
    }

    /// Logs in and prepares a complete bid on the first perceel, prijzenblad confirmed.
    pub fn ready(base: &str, email: &str, password: &str, t: &Value, sheet: &[u8]) -> Client {
        let mut c = Client::login(base, email, password);
        let (status, bid) =
            c.call("POST", &format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]), Some(json!({})));
        assert_eq!(status, 201, "{bid}");
        c.bid_id = bid["id"].as_i64().unwrap_or_default();
        let lot = &t["lots"][0];
        let mut content = json!({ "members": bid["content"]["members"], "evidence": {}, "answers": {} });
        content["members"][0]["no_exclusion_grounds"] = json!(true);
        for cr in t["selection_criteria"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|cr| cr["lot"].is_null() || cr["lot"] == lot["number"])
        {
            content["evidence"][cr["id"].to_string()] =
                json!({ "reference": "bewijs", "issued_on": "2026-06-01", "valid_until": "2029-01-01" });
        }
        for q in lot["quality_criteria"].as_array().into_iter().flatten() {
            content["answers"][q["id"].to_string()] = json!("Ons antwoord.");
        }
        let path = format!("/api/v1/bids/{}", c.bid_id);
        assert_eq!(c.call("PUT", &path, Some(content)).0, 200);
        let (status, read) = c.upload(&format!("{path}/price-sheet"), "prijzenblad.xlsx", sheet);
        assert_eq!(status, 201, "{read}");
        let confirmation = json!({ "file_id": read["file_id"] });
        assert_eq!(c.call("POST", &format!("{path}/price-sheet/confirmation"), Some(confirmation)).0, 200);
        c
    }

    /// Waits for its moment, then uploads the document and submits; times both together.
    pub fn burst(&self, start: DateTime<Utc>, document: &[u8]) -> Outcome {
        if let Ok(wait) = (start - Utc::now()).to_std() {
            std::thread::sleep(wait);
        }
        let began = Instant::now();
        let path = format!("/api/v1/bids/{}", self.bid_id);
        let (status, _) = self.upload(&format!("{path}/files"), "plan-van-aanpak.pdf", document);
        let (status, receipt) =
            if status == 201 { self.call("POST", &format!("{path}/submission"), None) } else { (status, Value::Null) };
        Outcome {
            status,
            receipt: (status == 201).then_some(receipt),
            elapsed: began.elapsed(),
            finished: Utc::now(),
            bid_id: self.bid_id,
        }
    }
}
