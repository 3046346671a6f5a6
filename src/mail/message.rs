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

/// A message rendered from its templates: what the outbox sends and the portal shows.
pub struct Rendered {
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

/// Renders the message of `kind` from `data`, with `public_url` put in the data for links.
pub fn render(kind: &str, mut data: Value, public_url: &str) -> Result<Rendered, Error> {
    if let Value::Object(map) = &mut data {
        map.insert("public_url".into(), json!(public_url));
    }
    let name = |part: &str| format!("mail/{kind}/{part}");
    Ok(Rendered {
        subject: templates::render_text(&name("subject"), &data)?.trim().to_owned(),
        text_body: templates::render_text(&name("text"), &data)?,
        html_body: templates::render(&name("html"), &data)?,
    })
}

/// Renders and stores the message. The outbox keeps to the wall clock (not the service's
/// settable clock): delivery happens in real time.
pub fn queue(conn: &mut DbConn, mail: Mail, public_url: &str) -> Result<(), Error> {
    let r = render(mail.kind, mail.data, public_url)?;
    let e = Envelope { kind: mail.kind, to: mail.to, user_id: mail.user_id, tender_id: mail.tender_id };
    queue_rendered(conn, &e, r)
}

/// Who a rendered message goes to.
pub struct Envelope<'a> {
    pub kind: &'a str,
    pub to: &'a str,
    pub user_id: Option<i64>,
    pub tender_id: Option<i64>,
}

/// Stores a message rendered before, as it is: the letter in the portal and the mail are one text.
pub fn queue_rendered(conn: &mut DbConn, e: &Envelope, r: Rendered) -> Result<(), Error> {
    let outgoing = Outgoing {
        tender_id: e.tender_id,
        user_id: e.user_id,
        recipient: e.to.to_owned(),
        kind: e.kind.to_owned(),
        subject: r.subject,
        text_body: r.text_body,
        html_body: r.html_body,
    };
    outbox::insert(conn, &outgoing, crate::db::now())
}
