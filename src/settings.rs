//! Instellingen (settings): everything the service reads from its environment, with defaults
//! that start a working service on a fresh machine. Every setting is listed in README.md.

use std::fmt;
use std::path::{Path, PathBuf};

use rand::RngCore;

use crate::errors::Error;

#[derive(Clone)]
pub struct Settings {
    /// `DATABASE_URL`: a SQLite path (default `data/aanbesteding.db`) or `postgres://…`.
    pub database_url: String,
    /// `DATABASE_POOL_SIZE`: connections kept open (default 8).
    pub pool_size: u32,
    /// `BIND_ADDRESS`: where the service listens (default `127.0.0.1:8080`).
    pub bind_address: String,
    /// `DATA_DIR`: the folder for the secret key file and stored files (default `data`).
    pub data_dir: PathBuf,
    /// `SECRET_KEY`: signs login tokens; by default generated once into `DATA_DIR/secret.key`.
    pub secret_key: Secret,
    /// `COOKIE_SECURE`: send cookies only over HTTPS (default false; set true behind TLS).
    pub cookie_secure: bool,
    /// `SESSION_MINUTES`: lifetime of a browser login (default 480).
    pub session_minutes: i64,
    /// `API_TOKEN_MINUTES`: lifetime of an API Bearer token (default 60).
    pub api_token_minutes: i64,
    /// `WORKERS`: HTTP worker threads (default: the number of cores).
    pub workers: usize,
    /// `PUBLIC_URL`: the address people reach the service at, for links in e-mails
    /// (default `http://` + `BIND_ADDRESS`).
    pub public_url: String,
    pub mail: MailSettings,
    /// `VAULT_KEY_FILE`: the master key of the vault (default `DATA_DIR/vault.key`, created on
    /// first start). Keep it outside database backups: without it no bid can be read.
    pub vault_key_file: PathBuf,
    /// `MAX_FILE_MB` (default 25) and `MAX_BID_MB` (default 200): upload limits per file and per bid.
    pub max_file_bytes: u64,
    pub max_bid_bytes: u64,
    /// The binary that reads uploaded spreadsheets in a child process: this very program.
    pub reader_exe: PathBuf,
}

/// Where e-mail goes.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `MAIL_FROM`: the sender (default `Aanbesteding inburgering <noreply@localhost>`).
    pub from: String,
    pub transport: MailTransport,
}

#[derive(Clone, Debug)]
pub enum MailTransport {
    /// Without `SMTP_HOST`: every message is written as an .eml file into `DATA_DIR/mail`.
    File(PathBuf),
    /// `SMTP_HOST`, `SMTP_PORT`, `SMTP_SECURITY` (`starttls`, `tls` or `none`),
    /// `SMTP_USERNAME` and `SMTP_PASSWORD`.
    Smtp { host: String, port: u16, security: SmtpSecurity, username: Option<String>, password: Option<Secret> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    StartTls,
    Tls,
    None,
}

/// A secret that never shows up in logs or debug output.
#[derive(Clone)]
pub struct Secret(pub Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("pool_size", &self.pool_size)
            .field("bind_address", &self.bind_address)
            .field("data_dir", &self.data_dir)
            .field("secret_key", &self.secret_key)
            .field("cookie_secure", &self.cookie_secure)
            .field("session_minutes", &self.session_minutes)
            .field("api_token_minutes", &self.api_token_minutes)
            .field("workers", &self.workers)
            .field("public_url", &self.public_url)
            .field("mail", &self.mail)
            .field("vault_key_file", &self.vault_key_file)
            .field("max_file_bytes", &self.max_file_bytes)
            .field("max_bid_bytes", &self.max_bid_bytes)
            .field("reader_exe", &self.reader_exe)
            .finish()
    }
}

/// Hides a password in a database URL.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn parsed<T: std::str::FromStr>(name: &str, default: T) -> Result<T, Error> {
    match var(name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| Error::Internal(format!("{name}={v} is geen geldige waarde"))),
    }
}

impl Settings {
    /// Reads the environment (after `.env`, when present).
    pub fn from_env() -> Result<Settings, Error> {
        let data_dir = PathBuf::from(var("DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url =
            var("DATABASE_URL").unwrap_or_else(|| data_dir.join("aanbesteding.db").to_string_lossy().into_owned());
        let secret_key = match var("SECRET_KEY") {
            Some(s) if s.len() >= 32 => Secret(s.into_bytes()),
            Some(_) => {
                return Err(Error::Internal("SECRET_KEY moet minstens 32 tekens lang zijn".into()));
            }
            None => Secret(load_or_create_key(&data_dir.join("secret.key"))?),
        };
        let bind_address = var("BIND_ADDRESS").unwrap_or_else(|| "127.0.0.1:8080".into());
        let public_url = var("PUBLIC_URL").unwrap_or_else(|| format!("http://{bind_address}"));
        let mail = MailSettings {
            from: var("MAIL_FROM").unwrap_or_else(|| "Aanbesteding inburgering <noreply@localhost>".into()),
            transport: mail_transport(&data_dir)?,
        };
        let vault_key_file = var("VAULT_KEY_FILE").map(PathBuf::from).unwrap_or_else(|| data_dir.join("vault.key"));
        Ok(Settings {
            database_url,
            pool_size: parsed("DATABASE_POOL_SIZE", 8)?,
            bind_address,
            data_dir,
            secret_key,
            cookie_secure: parsed("COOKIE_SECURE", false)?,
            session_minutes: parsed("SESSION_MINUTES", 480)?,
            api_token_minutes: parsed("API_TOKEN_MINUTES", 60)?,
            workers: parsed("WORKERS", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))?,
            public_url: public_url.trim_end_matches('/').to_owned(),
            mail,
            vault_key_file,
            max_file_bytes: parsed::<u64>("MAX_FILE_MB", 25)? * 1024 * 1024,
            max_bid_bytes: parsed::<u64>("MAX_BID_MB", 200)? * 1024 * 1024,
            reader_exe: std::env::current_exe()
                .map_err(|e| Error::Internal(format!("eigen programma niet te vinden: {e}")))?,
        })
    }
}

fn mail_transport(data_dir: &Path) -> Result<MailTransport, Error> {
    let Some(host) = var("SMTP_HOST") else { return Ok(MailTransport::File(data_dir.join("mail"))) };
    let security = match var("SMTP_SECURITY").as_deref() {
        None | Some("starttls") => SmtpSecurity::StartTls,
        Some("tls") => SmtpSecurity::Tls,
        Some("none") => SmtpSecurity::None,
        Some(other) => return Err(Error::Internal(format!("SMTP_SECURITY={other}: kies starttls, tls of none"))),
    };
    let default_port = match security {
        SmtpSecurity::StartTls => 587,
        SmtpSecurity::Tls => 465,
        SmtpSecurity::None => 25,
    };
    Ok(MailTransport::Smtp {
        host,
        port: parsed("SMTP_PORT", default_port)?,
        security,
        username: var("SMTP_USERNAME"),
        password: var("SMTP_PASSWORD").map(|p| Secret(p.into_bytes())),
    })
}

/// Reads the key file, or creates it with 64 random bytes (hex) readable by the owner only.
fn load_or_create_key(path: &Path) -> Result<Vec<u8>, Error> {
    if let Ok(existing) = std::fs::read_to_string(path) {
        let key = existing.trim();
        if key.len() >= 32 {
            return Ok(key.as_bytes().to_vec());
        }
        return Err(Error::Internal(format!(
            "{} is te kort; verwijder het bestand om een nieuwe sleutel te maken",
            path.display()
        )));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::Internal(format!("map {} niet aan te maken: {e}", dir.display())))?;
    }
    let mut bytes = [0u8; 64];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let key = hex::encode(bytes);
    write_private(path, &key).map_err(|e| Error::Internal(format!("{} niet te schrijven: {e}", path.display())))?;
    Ok(key.into_bytes())
}

/// Writes a new file readable by its owner only; refuses to overwrite.
#[cfg(unix)]
pub fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(content.as_bytes())
}

#[cfg(not(unix))]
pub fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    std::fs::write(path, content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_database_urls_are_hidden() {
        assert_eq!(redact_url("postgres://app:geheim@db:5432/x"), "postgres://app:***@db:5432/x");
        assert_eq!(redact_url("postgres://app@db/x"), "postgres://app@db/x");
        assert_eq!(redact_url("data/aanbesteding.db"), "data/aanbesteding.db");
    }

    #[test]
    fn secrets_do_not_print() {
        assert_eq!(format!("{:?}", Secret(b"abc".to_vec())), "Secret(***)");
    }
}
