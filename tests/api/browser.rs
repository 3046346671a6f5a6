//! A browser-like client: keeps cookies, sends the CSRF token with every form.

use crate::helpers::{Resp, TestApp, agent, read};

pub struct Browser<'a> {
    app: &'a TestApp,
    agent: ureq::Agent,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Browser<'a> {
        Browser { app, agent: agent() }
    }

    pub fn get(&self, path: &str) -> Resp {
        read(self.agent.get(self.app.url(path)).call().expect("GET"))
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.agent.cookie_jar_lock().iter().find(|c| c.name() == name).map(|c| c.value().to_owned())
    }

    /// The CSRF token, fetched with a page view when the browser has none yet.
    pub fn csrf(&self) -> String {
        if self.cookie("aanbesteding_csrf").is_none() {
            self.get("/inloggen");
        }
        self.cookie("aanbesteding_csrf").expect("csrf cookie")
    }

    pub fn has_session(&self) -> bool {
        self.cookie("aanbesteding_sessie").is_some()
    }

    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.csrf();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all)
    }

    /// A form post exactly as given, without adding the token.
    pub fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        read(self.agent.post(self.app.url(path)).send_form(fields.iter().copied()).expect("POST"))
    }

    pub fn login(&self, email: &str, password: &str) -> Resp {
        self.post_form("/inloggen", &[("email", email), ("password", password), ("terug", "")])
    }

    /// A file upload form: the CSRF token first, then the file.
    pub fn upload(&self, path: &str, name: &str, content: &[u8]) -> Resp {
        let token = self.csrf();
        let boundary = "----aanbesteding-browser-grens";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let r = self
            .agent
            .post(self.app.url(path))
            .header("Content-Type", format!("multipart/form-data; boundary={boundary}"))
            .send(&body[..])
            .expect("upload");
        read(r)
    }
}
