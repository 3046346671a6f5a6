//! Logboek (audit log): an append-only, hash-chained record of every change, one chain per tender.
//!
//! Each entry's hash covers its own fields and the previous entry's hash, so changing,
//! removing or reordering any entry breaks every hash after it.

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The chain a tender's entries belong to; changes outside any tender go to [`SYSTEM_CHAIN`].
pub fn tender_chain(tender_id: i64) -> String {
    format!("tender:{tender_id}")
}

pub const SYSTEM_CHAIN: &str = "system";

/// The chain of what happens in a tender's vault (bids), kept apart from the tender's own chain.
pub fn vault_chain(tender_id: i64) -> String {
    format!("vault:{tender_id}")
}

/// The hashed content of one entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub chain: String,
    pub seq: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Entry {
    /// SHA-256 over the previous hash and every field, each length-prefixed so that no two
    /// different entries can serialise to the same bytes.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let mut field = |value: &str| {
            h.update(value.len().to_string().as_bytes());
            h.update(b":");
            h.update(value.as_bytes());
            h.update(b"\n");
        };
        field(prev_hash);
        field(&self.chain);
        field(&self.seq.to_string());
        field(&self.at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string());
        field(&self.actor_id.map(|i| i.to_string()).unwrap_or_default());
        field(&self.actor);
        field(&self.action);
        field(&self.subject);
        field(self.before.as_deref().unwrap_or("\u{0}"));
        field(self.after.as_deref().unwrap_or("\u{0}"));
        hex::encode(h.finalize())
    }
}

/// One stored entry as read back for verification.
#[derive(Clone, Debug)]
pub struct Stored {
    pub id: i64,
    pub entry: Entry,
    pub prev_hash: String,
    pub hash: String,
}

/// Where and why a chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    pub id: i64,
    pub seq: i64,
    pub reason: String,
}

/// Checks one chain, given in sequence order; returns the number of entries when intact.
pub fn verify<'a>(entries: impl IntoIterator<Item = &'a Stored>) -> Result<usize, Break> {
    let mut prev = GENESIS.to_string();
    let mut count = 0;
    for (expected_seq, s) in (1..).zip(entries) {
        let broken = |reason: String| Break { id: s.id, seq: s.entry.seq, reason };
        if s.entry.seq != expected_seq {
            return Err(broken(format!(
                "volgnummer {} verwacht, {} gevonden (regel ontbreekt of is ingevoegd)",
                expected_seq, s.entry.seq
            )));
        }
        if s.prev_hash != prev {
            return Err(broken("verwijst niet naar de hash van de vorige regel".into()));
        }
        if s.entry.hash(&prev) != s.hash {
            return Err(broken("inhoud past niet bij de vastgelegde hash (regel is gewijzigd)".into()));
        }
        prev = s.hash.clone();
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Stored> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let entry = Entry {
                    chain: "tender:1".into(),
                    seq,
                    at: NaiveDateTime::default(),
                    actor_id: Some(7),
                    actor: "inkoper".into(),
                    action: "lot.updated".into(),
                    subject: format!("perceel {seq}"),
                    before: None,
                    after: Some(format!("{{\"weight\":{seq}}}")),
                };
                let hash = entry.hash(&prev);
                let stored = Stored { id: seq * 10, entry, prev_hash: prev.clone(), hash: hash.clone() };
                prev = hash;
                stored
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
    }

    #[test]
    fn a_changed_value_is_found_at_its_own_entry() {
        let mut c = chain(5);
        c[2].entry.after = Some("{\"weight\":99}".into());
        assert_eq!(verify(&c).map_err(|b| b.id), Err(30));
    }

    #[test]
    fn a_removed_entry_is_found_where_the_gap_is() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c).map_err(|b| b.seq), Err(3));
    }

    #[test]
    fn a_rehashed_entry_still_breaks_the_link_to_the_next() {
        let mut c = chain(4);
        c[1].entry.actor = "iemand anders".into();
        c[1].hash = c[1].entry.hash(&c[1].prev_hash);
        assert_eq!(verify(&c).map_err(|b| b.id), Err(30));
    }

    #[test]
    fn absent_and_empty_values_hash_differently() {
        let mut e = chain(1).remove(0).entry;
        let absent = e.hash(GENESIS);
        e.before = Some(String::new());
        assert_ne!(absent, e.hash(GENESIS));
    }
}
