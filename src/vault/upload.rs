//! Upload naar de kluis: a multipart field streamed into a sealed file, within the limits.
//! Encryption and disk writes run on the blocking pool in pieces of 1 MiB, so an upload never
//! holds the async workers, and never more than that piece in memory.

use std::path::{Path, PathBuf};

use actix_multipart::Field;
use futures_util::StreamExt;
use rand::RngCore;

use super::TenderKey;
use super::sealed_file::{Sealed, SealedWriter};
use crate::errors::Error;

const PIECE: usize = 1024 * 1024;
/// Enough of a file's first bytes to recognise every accepted kind.
const HEAD: usize = 8;

/// A file now sealed in the vault, with what the bidder called it. Until `keep` is called the
/// file is removed when this is dropped: a failed or cancelled upload leaves nothing behind.
pub struct Uploaded {
    pub name: String,
    pub content_type: String,
    pub storage_name: String,
    pub sealed: Sealed,
    pending: Pending,
}

impl Uploaded {
    /// Where the sealed file lies, to read it back before it is kept.
    pub fn path(&self) -> &Path {
        &self.pending.path
    }

    pub fn keep(mut self) {
        self.pending.kept = true;
    }
}

struct Pending {
    path: PathBuf,
    kept: bool,
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// What an upload may be: its kinds by extension, each recognised by its first bytes too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accept {
    /// Documents of a bid: PDF, DOCX, XLSX.
    Documents,
    /// A filled-in prijzenblad: XLSX, XLS, ODS.
    Spreadsheets,
}

struct FileKind {
    ext: &'static str,
    label: &'static str,
    content_type: &'static str,
    magic: &'static [u8],
}

const PDF: FileKind = FileKind { ext: ".pdf", label: "PDF", content_type: "application/pdf", magic: b"%PDF" };
const DOCX: FileKind = FileKind {
    ext: ".docx",
    label: "DOCX",
    content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    magic: b"PK\x03\x04",
};
const XLSX: FileKind = FileKind {
    ext: ".xlsx",
    label: "XLSX",
    content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    magic: b"PK\x03\x04",
};
const XLS: FileKind = FileKind {
    ext: ".xls",
    label: "XLS",
    content_type: "application/vnd.ms-excel",
    magic: &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
};
const ODS: FileKind = FileKind {
    ext: ".ods",
    label: "ODS",
    content_type: "application/vnd.oasis.opendocument.spreadsheet",
    magic: b"PK\x03\x04",
};

impl Accept {
    fn kinds(self) -> &'static [FileKind] {
        match self {
            Accept::Documents => &[PDF, DOCX, XLSX],
            Accept::Spreadsheets => &[XLSX, XLS, ODS],
        }
    }

    /// `PDF, DOCX en XLSX`
    pub fn describe(self) -> String {
        let labels: Vec<&str> = self.kinds().iter().map(|k| k.label).collect();
        match labels.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} en {last}", rest.join(", ")),
            _ => labels.join(""),
        }
    }
}

/// The kind of the file by its extension, checked against its first bytes.
fn allowed(accept: Accept, name: &str, head: &[u8]) -> Result<&'static str, Error> {
    let lower = name.to_lowercase();
    let Some(kind) = accept.kinds().iter().find(|k| lower.ends_with(k.ext)) else {
        return Err(Error::invalid("file", format!("{name}: alleen {} worden aangenomen.", accept.describe())));
    };
    if !head.starts_with(kind.magic) {
        return Err(Error::invalid(
            "file",
            format!("{name} heeft de extensie van een {}-bestand, maar de inhoud is dat niet.", kind.label),
        ));
    }
    Ok(kind.content_type)
}

/// How much a bid or a contract may still take: the limit per file and in all, and what it
/// holds already.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub per_file: u64,
    pub in_all: u64,
    pub used: u64,
    /// What the files belong to, as the refusal names it: "de inschrijving".
    pub whole: &'static str,
}

impl Limits {
    fn room(&self) -> u64 {
        self.in_all.saturating_sub(self.used)
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1024.0 / 1024.0).replace('.', ",")
}

/// The refusal of a file the bid or contract has no room left for.
pub fn full(name: &str, limits: Limits) -> Error {
    Error::invalid(
        "file",
        format!(
            "{name} past niet meer: {} mag samen hoogstens {} MB aan bestanden bevatten en heeft nog {} MB ruimte.",
            limits.whole,
            limits.in_all / 1024 / 1024,
            mb(limits.room())
        ),
    )
}

fn too_big(name: &str, limits: Limits) -> Error {
    if limits.per_file <= limits.room() {
        Error::invalid(
            "file",
            format!("{name} is groter dan {} MB, het maximum per bestand.", limits.per_file / 1024 / 1024),
        )
    } else {
        full(name, limits)
    }
}

/// Hands a piece to the writer on the blocking pool and takes the writer back.
async fn write(writer: SealedWriter, piece: Vec<u8>) -> Result<SealedWriter, Error> {
    actix_web::web::block(move || {
        let mut w = writer;
        w.write(&piece)?;
        Ok(w)
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
}

/// Streams one field of the accepted kinds into `dir`, within the bid's `limits`.
/// The one `file` field of an upload form, streamed into the vault; any other field is refused.
pub async fn one_file(
    mut payload: actix_multipart::Multipart,
    accept: Accept,
    dir: &Path,
    key: &TenderKey,
    limits: Limits,
) -> Result<Uploaded, Error> {
    let mut stored = None;
    while let Some(field) = payload.next().await {
        let field = field.map_err(|e| Error::invalid("file", format!("Het uploaden is afgebroken: {e}")))?;
        match field.name() {
            Some("file") if stored.is_none() => stored = Some(store(field, accept, dir, key, limits).await?),
            Some("file") => return Err(Error::invalid("file", "Upload één bestand tegelijk.")),
            other => {
                return Err(Error::invalid(
                    "file",
                    format!(
                        "Onbekend veld '{}' in het uploadformulier; stuur alleen het veld 'file'.",
                        other.unwrap_or("")
                    ),
                ));
            }
        }
    }
    stored.ok_or_else(|| Error::invalid("file", "Kies een bestand om te uploaden."))
}

pub async fn store(
    mut field: Field,
    accept: Accept,
    dir: &Path,
    key: &TenderKey,
    limits: Limits,
) -> Result<Uploaded, Error> {
    let name = field
        .content_disposition()
        .and_then(|cd| cd.get_filename())
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).trim().to_owned())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Error::invalid("file", "Kies een bestand om te uploaden."))?;
    let mut random = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let storage_name = hex::encode(random);
    let path = dir.join(&storage_name);
    let pending = Pending { path: path.clone(), kept: false };
    let mut writer = SealedWriter::create(&path, key)?;
    let mut content_type = None;
    let mut piece = Vec::with_capacity(PIECE);
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| Error::invalid("file", format!("Het uploaden is afgebroken: {e}")))?;
        if writer.size() + (piece.len() + chunk.len()) as u64 > limits.per_file.min(limits.room()) {
            return Err(too_big(&name, limits));
        }
        piece.extend_from_slice(&chunk);
        // The kind is told by the first bytes, which may arrive over several chunks.
        if content_type.is_none() && piece.len() >= HEAD {
            content_type = Some(allowed(accept, &name, &piece)?);
        }
        if piece.len() >= PIECE {
            writer = write(writer, std::mem::replace(&mut piece, Vec::with_capacity(PIECE))).await?;
        }
    }
    let content_type = match content_type {
        Some(t) => t,
        None if piece.is_empty() => return Err(Error::invalid("file", format!("{name} is leeg."))),
        None => allowed(accept, &name, &piece)?,
    };
    let sealed = actix_web::web::block(move || {
        let mut w = writer;
        w.write(&piece)?;
        w.finish()
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))??;
    Ok(Uploaded { name, content_type: content_type.to_owned(), storage_name, sealed, pending })
}
