//! Zipcontrole (zip pre-check): xlsx and ods are zip files; before any of it is unpacked, its
//! table of contents must describe a spreadsheet and not a zip bomb.

use std::io::Cursor;

/// A real prijzenblad has a few dozen parts; thousands are an attack or not a spreadsheet.
pub const MAX_ENTRIES: usize = 1_000;
/// What the parts may unpack to together.
pub const MAX_UNPACKED: u64 = 200 * 1024 * 1024;
/// Text compresses well, but not a thousandfold; a bomb does.
const MAX_RATIO: u64 = 1_000;

/// Checks the zip's directory; the error says in Dutch what is wrong.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| "Het bestand is beschadigd: de inhoudsopgave van het zip-bestand is onleesbaar.".to_owned())?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!(
            "Het bestand bestaat uit {} delen; een rekenblad heeft er hoogstens {MAX_ENTRIES}. Het wordt niet geopend.",
            zip.len()
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|_| "Het bestand is beschadigd.".to_owned())?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if size / packed > MAX_RATIO && size > 1024 * 1024 {
            return Err(format!(
                "Het bestand bevat een deel dat {} keer zo groot wordt bij uitpakken (een zip-bom). Het wordt niet geopend.",
                size / packed
            ));
        }
    }
    if total > MAX_UNPACKED {
        return Err(format!(
            "Het bestand wordt uitgepakt {} MB groot; de grens is {} MB. Het wordt niet geopend.",
            total / 1024 / 1024,
            MAX_UNPACKED / 1024 / 1024
        ));
    }
    Ok(())
}
