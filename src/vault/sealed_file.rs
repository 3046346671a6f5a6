//! Verzegeld bestand (sealed file): encrypted while it streams in, hashed on the way, never
//! held whole in memory. Format: a 19-byte nonce, then STREAM blocks of 64 KiB plaintext each
//! (the last shorter), every block authenticated, so a cut-off or reordered file fails to open.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{KeyInit, OsRng};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::TenderKey;
use crate::errors::Error;

pub const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const NONCE: usize = 19;

fn io(what: &'static str) -> impl Fn(std::io::Error) -> Error {
    move |e| Error::Internal(format!("kluis: {what}: {e}"))
}

fn crypto(_: chacha20poly1305::aead::Error) -> Error {
    Error::Internal("kluis: bestand beschadigd of verkeerde sleutel".into())
}

/// What a finished file is: its size and the SHA-256 of its plaintext.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    pub size: u64,
    pub sha256: String,
}

pub struct SealedWriter {
    file: File,
    encryptor: EncryptorBE32<XChaCha20Poly1305>,
    buffer: Vec<u8>,
    hasher: Sha256,
    size: u64,
}

impl SealedWriter {
    /// Creates the file (which must not exist yet) and writes its nonce.
    pub fn create(path: &Path, key: &TenderKey) -> Result<SealedWriter, Error> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io("map maken"))?;
        }
        let mut file =
            std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(io("bestand maken"))?;
        let mut nonce = [0u8; NONCE];
        OsRng.fill_bytes(&mut nonce);
        file.write_all(&nonce).map_err(io("schrijven"))?;
        let encryptor = EncryptorBE32::from_aead(XChaCha20Poly1305::new(&key.0), &nonce.into());
        Ok(SealedWriter { file, encryptor, buffer: Vec::with_capacity(CHUNK), hasher: Sha256::new(), size: 0 })
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn write(&mut self, mut data: &[u8]) -> Result<(), Error> {
        self.hasher.update(data);
        self.size += data.len() as u64;
        while !data.is_empty() {
            let take = (CHUNK - self.buffer.len()).min(data.len());
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buffer.len() == CHUNK {
                // A full block is written only once more data follows: the last block is special.
                if !data.is_empty() {
                    let block = self.encryptor.encrypt_next(self.buffer.as_slice()).map_err(crypto)?;
                    self.file.write_all(&block).map_err(io("schrijven"))?;
                    self.buffer.clear();
                }
            }
        }
        Ok(())
    }

    /// Writes the last block and forces everything to disk before a receipt can name it.
    pub fn finish(mut self) -> Result<Sealed, Error> {
        if self.buffer.len() == CHUNK {
            // A full buffer at the end: it becomes a normal block, followed by an empty last one.
            let block = self.encryptor.encrypt_next(self.buffer.as_slice()).map_err(crypto)?;
            self.file.write_all(&block).map_err(io("schrijven"))?;
            self.buffer.clear();
        }
        let last = self.encryptor.encrypt_last(self.buffer.as_slice()).map_err(crypto)?;
        self.file.write_all(&last).map_err(io("schrijven"))?;
        self.file.sync_all().map_err(io("vastleggen"))?;
        Ok(Sealed { size: self.size, sha256: hex::encode(self.hasher.finalize()) })
    }
}

/// Decrypts a whole file (for an opened bid or a check); refuses any change to it.
pub fn read_all(path: &Path, key: &TenderKey) -> Result<Vec<u8>, Error> {
    let mut plain = Vec::new();
    copy_to(path, key, &mut plain)?;
    Ok(plain)
}

/// Decrypts a file block by block into `out`, holding one block at a time. Only authenticated
/// blocks are written; a changed or cut-off file stops with an error at the first bad block.
pub fn copy_to(path: &Path, key: &TenderKey, out: &mut dyn Write) -> Result<(), Error> {
    let mut file = std::io::BufReader::new(File::open(path).map_err(io("openen"))?);
    let mut nonce = [0u8; NONCE];
    file.read_exact(&mut nonce).map_err(io("lezen"))?;
    let mut decryptor = DecryptorBE32::from_aead(XChaCha20Poly1305::new(&key.0), &nonce.into());
    let mut block = vec![0u8; CHUNK + TAG];
    let mut next = vec![0u8; CHUNK + TAG];
    let mut len = fill(&mut file, &mut block)?;
    loop {
        // A block is the last one when nothing follows it.
        let next_len = if len == CHUNK + TAG { fill(&mut file, &mut next)? } else { 0 };
        if next_len == 0 {
            let plain = decryptor.decrypt_last(&block[..len]).map_err(crypto)?;
            return out.write_all(&plain).map_err(io("doorgeven"));
        }
        let plain = decryptor.decrypt_next(&block[..len]).map_err(crypto)?;
        out.write_all(&plain).map_err(io("doorgeven"))?;
        std::mem::swap(&mut block, &mut next);
        len = next_len;
    }
}

/// Reads until the buffer is full or the file ends; returns how much was read.
fn fill(file: &mut impl Read, buf: &mut [u8]) -> Result<usize, Error> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]).map_err(io("lezen"))? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chacha20poly1305::Key;

    fn key() -> TenderKey {
        TenderKey(Key::from([3u8; 32]))
    }

    fn roundtrip(len: usize, piece: usize) {
        let dir = std::env::temp_dir().join(format!("kluis-test-{len}-{piece}-{}", std::process::id()));
        let path = dir.join("f");
        let _ = std::fs::remove_dir_all(&dir);
        let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let mut w = SealedWriter::create(&path, &key()).unwrap_or_else(|e| panic!("{e}"));
        for part in data.chunks(piece.max(1)) {
            w.write(part).unwrap_or_else(|e| panic!("{e}"));
        }
        let sealed = w.finish().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sealed.size, len as u64);
        assert_eq!(sealed.sha256, hex::encode(Sha256::digest(&data)));
        assert_eq!(read_all(&path, &key()).unwrap_or_default(), data, "len {len} piece {piece}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn files_of_every_size_come_back_exactly() {
        for (len, piece) in
            [(0, 1), (1, 1), (CHUNK - 1, 1000), (CHUNK, 7000), (CHUNK + 1, CHUNK), (3 * CHUNK, 4096), (200_000, 65_537)]
        {
            roundtrip(len, piece);
        }
    }

    #[test]
    fn a_changed_or_truncated_file_does_not_open() {
        let dir = std::env::temp_dir().join(format!("kluis-tamper-{}", std::process::id()));
        let path = dir.join("f");
        let _ = std::fs::remove_dir_all(&dir);
        let mut w = SealedWriter::create(&path, &key()).unwrap_or_else(|e| panic!("{e}"));
        w.write(&vec![1u8; 2 * CHUNK + 10]).unwrap_or_else(|e| panic!("{e}"));
        w.finish().unwrap_or_else(|e| panic!("{e}"));
        let mut bytes = std::fs::read(&path).unwrap_or_default();
        let whole = bytes.clone();
        bytes[100] ^= 1;
        std::fs::write(&path, &bytes).unwrap_or_default();
        assert!(read_all(&path, &key()).is_err(), "changed");
        std::fs::write(&path, &whole[..NONCE + CHUNK + TAG]).unwrap_or_default();
        assert!(read_all(&path, &key()).is_err(), "last block cut off");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
