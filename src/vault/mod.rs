//! Kluis (vault): bid contents are encrypted at rest with a key per tender, and every tender key
//! is itself encrypted ("wrapped") with a master key that lives in a file outside the database.
//!
//! A copy of the database alone therefore reveals nothing of any bid; the service decrypts only
//! for those the rules allow (the bidder itself, and after the opening the roles that assess).

pub mod sealed_file;
pub mod upload;

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, OsRng};
use chacha20poly1305::{AeadCore, Key, XChaCha20Poly1305, XNonce};
use rand::RngCore;

use crate::errors::Error;

const NONCE: usize = 24;

/// The master key: 32 bytes, kept in `VAULT_KEY_FILE`, never in the database.
#[derive(Clone)]
pub struct MasterKey(Key);

/// The key of one tender's bids, unwrapped in memory only while in use.
#[derive(Clone)]
pub struct TenderKey(pub(crate) Key);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(***)")
    }
}

impl std::fmt::Debug for TenderKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TenderKey(***)")
    }
}

fn internal(what: &str) -> impl Fn(chacha20poly1305::Error) -> Error + '_ {
    move |_| Error::Internal(format!("kluis: {what} mislukt"))
}

fn key_from(bytes: &[u8]) -> Result<Key, Error> {
    let array: [u8; 32] = bytes.try_into().map_err(|_| Error::Internal("kluis: sleutel is geen 32 bytes".into()))?;
    Ok(Key::from(array))
}

/// Encrypts with a fresh random nonce, stored in front of the ciphertext.
fn seal_with(key: &Key, plain: &[u8]) -> Result<Vec<u8>, Error> {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let mut out = nonce.to_vec();
    out.extend(XChaCha20Poly1305::new(key).encrypt(&nonce, plain).map_err(internal("versleutelen"))?);
    Ok(out)
}

fn open_with(key: &Key, sealed: &[u8]) -> Result<Vec<u8>, Error> {
    if sealed.len() < NONCE {
        return Err(Error::Internal("kluis: versleutelde gegevens te kort".into()));
    }
    let (nonce, cipher) = sealed.split_at(NONCE);
    let nonce: [u8; NONCE] = nonce.try_into().map_err(|_| Error::Internal("kluis: nonce beschadigd".into()))?;
    XChaCha20Poly1305::new(key).decrypt(&XNonce::from(nonce), cipher).map_err(internal("ontsleutelen"))
}

impl MasterKey {
    /// Reads the key file, or creates it (owner-only) with a new random key on first start.
    pub fn load_or_create(path: &Path) -> Result<MasterKey, Error> {
        let hex_key = match std::fs::read_to_string(path) {
            Ok(text) => text.trim().to_owned(),
            Err(_) => {
                let mut bytes = [0u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut bytes);
                let text = hex::encode(bytes);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| Error::Internal(format!("map {} niet aan te maken: {e}", dir.display())))?;
                }
                crate::settings::write_private(path, &text)
                    .map_err(|e| Error::Internal(format!("{} niet te schrijven: {e}", path.display())))?;
                text
            }
        };
        let bytes = hex::decode(&hex_key).ok().filter(|b| b.len() == 32).ok_or_else(|| {
            Error::Internal(format!("{} bevat geen sleutel van 32 bytes (64 hextekens)", path.display()))
        })?;
        Ok(MasterKey(key_from(&bytes)?))
    }

    /// A new random tender key, and its wrapped form for the database.
    pub fn new_tender_key(&self) -> Result<(TenderKey, Vec<u8>), Error> {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        Ok((TenderKey(key), seal_with(&self.0, &key[..])?))
    }

    pub fn unwrap(&self, wrapped: &[u8]) -> Result<TenderKey, Error> {
        let bytes = open_with(&self.0, wrapped)?;
        Ok(TenderKey(key_from(&bytes)?))
    }
}

impl TenderKey {
    /// Encrypts a small piece of bid content (answers, declarations) for the database.
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>, Error> {
        seal_with(&self.0, plain)
    }

    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, Error> {
        open_with(&self.0, sealed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn master() -> MasterKey {
        MasterKey(Key::from([7u8; 32]))
    }

    #[test]
    fn a_wrapped_tender_key_opens_only_with_its_master_key() {
        let (key, wrapped) = master().new_tender_key().unwrap_or_else(|e| panic!("{e}"));
        let sealed = key.seal(b"ons antwoord").unwrap_or_default();
        let unwrapped = master().unwrap(&wrapped).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(unwrapped.open(&sealed).unwrap_or_default(), b"ons antwoord");
        let other = MasterKey(Key::from([8u8; 32]));
        assert!(other.unwrap(&wrapped).is_err());
    }

    #[test]
    fn sealed_content_does_not_show_its_text_and_detects_tampering() {
        let (key, _) = master().new_tender_key().unwrap_or_else(|e| panic!("{e}"));
        let mut sealed = key.seal(b"prijs 12345").unwrap_or_default();
        assert!(!sealed.windows(5).any(|w| w == b"12345"));
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert!(key.open(&sealed).is_err());
    }
}
