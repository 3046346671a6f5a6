//! Bericht (message): renders a message from its folder `templates/mail/<kind>/` (subject,
//! text, html) and puts it in the outbox, inside the caller's transaction.

use serde_json::{Value, json};

use crate::db::DbConn;
use crate::db::outbox::{self, Outgoing};
use crate::errors::Error;
use crate::templates;

pub struct Mail<'a> {
    /// The folder under `templates/mail/`.
    pub kind: &'a str,
    pub to: &'a str,
    /// The recipient's account, so they find the message in their portal.
    pub user_id: Option<i64>,
    /// The tender whose file the message belongs to.
    pub tender_id: Option<i64>,
    pub data: Value,
}

/// Renders and stores the message; `public_url` is put in the data for links. The outbox keeps
/// to the wall clock (not the service's settable clock): delivery happens in real time.
pub fn queue(conn: &mut DbConn, mail: Mail, public_url: &str) -> Result<(), Error> {
    let mut data = mail.data;
    if let Value::Object(map) = &mut data {
        map.insert("public_url".into(), json!(public_url));
    }
    let name = |part: &str| format!("mail/{}/{part}", mail.kind);
    let outgoing = Outgoing {
        tender_id: mail.tender_id,
        user_id: mail.user_id,
        recipient: mail.to.to_owned(),
        kind: mail.kind.to_owned(),
        subject: templates::render_text(&name("subject"), &data)?.trim().to_owned(),
        text_body: templates::render_text(&name("text"), &data)?,
        html_body: templates::render(&name("html"), &data)?,
    };
    outbox::insert(conn, &outgoing, crate::db::now())
}
