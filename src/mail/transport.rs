//! Verzending (transport): SMTP when configured, otherwise .eml files in the data folder.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::outbox::Claimed;
use crate::errors::Error;
use crate::settings::{MailSettings, MailTransport, SmtpSecurity};

pub enum Transport {
    File(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

pub struct Mailer {
    pub from: Mailbox,
    transport: Transport,
}

impl Mailer {
    pub fn new(s: &MailSettings) -> Result<Mailer, Error> {
        let from: Mailbox = s.from.parse().map_err(|e| Error::Internal(format!("MAIL_FROM={}: {e}", s.from)))?;
        let transport = match &s.transport {
            MailTransport::File(dir) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::Internal(format!("map {} niet aan te maken: {e}", dir.display())))?;
                Transport::File(AsyncFileTransport::new(dir))
            }
            MailTransport::Smtp { host, port, security, username, password } => {
                let tls =
                    || TlsParameters::new(host.clone()).map_err(|e| Error::Internal(format!("TLS voor {host}: {e}")));
                let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.as_str())
                    .port(*port)
                    .timeout(Some(Duration::from_secs(30)));
                b = match security {
                    SmtpSecurity::StartTls => b.tls(Tls::Required(tls()?)),
                    SmtpSecurity::Tls => b.tls(Tls::Wrapper(tls()?)),
                    SmtpSecurity::None => b.tls(Tls::None),
                };
                if let (Some(user), Some(pass)) = (username, password) {
                    b = b.credentials(Credentials::new(user.clone(), String::from_utf8_lossy(&pass.0).into_owned()));
                }
                Transport::Smtp(b.build())
            }
        };
        Ok(Mailer { from, transport })
    }

    /// Hands one message over; an error says why, to be stored with the message.
    pub async fn send(&self, m: &Claimed) -> Result<(), String> {
        let to: Mailbox = m.recipient.parse().map_err(|e| format!("ongeldig adres {}: {e}", m.recipient))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .multipart(MultiPart::alternative_plain_html(m.text_body.clone(), m.html_body.clone()))
            .map_err(|e| e.to_string())?;
        match &self.transport {
            Transport::File(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Transport::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}
