-- Inschrijvingen (bids) in the vault: contents encrypted with the tender's key.

-- The tender's data key, encrypted with the master key from VAULT_KEY_FILE.
CREATE TABLE tender_keys (
    tender_id BIGINT PRIMARY KEY NOT NULL REFERENCES tenders (id),
    wrapped_key BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE bids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tender_id BIGINT NOT NULL REFERENCES tenders (id),
    lot_id BIGINT NOT NULL REFERENCES lots (id),
    company_id BIGINT NOT NULL REFERENCES companies (id),
    -- draft, submitted or withdrawn
    status TEXT NOT NULL,
    -- members, declarations, evidence and answers: JSON, encrypted
    sealed_content BLOB NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- a correction published after submitting: the bidder must confirm again
    needs_reconfirmation BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (lot_id, company_id)
);
CREATE INDEX bids_tender ON bids (tender_id, status);

CREATE TABLE bid_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    -- document or prijzenblad
    kind TEXT NOT NULL,
    -- the file's name in the vault folder: random, says nothing
    storage_name TEXT NOT NULL UNIQUE,
    -- the uploaded name and type, encrypted like the contents
    sealed_name BLOB NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMP NOT NULL,
    removed_at TIMESTAMP
);
CREATE INDEX bid_files_bid ON bid_files (bid_id);

-- Every submission, with its receipt; the last one not withdrawn counts.
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    receipt_number TEXT NOT NULL UNIQUE,
    submitted_at TIMESTAMP NOT NULL,
    submitted_by BIGINT NOT NULL REFERENCES users (id),
    -- JSON: the file ids with their SHA-256 and size, and the SHA-256 of the contents
    manifest TEXT NOT NULL,
    withdrawn_at TIMESTAMP,
    withdrawn_by BIGINT REFERENCES users (id)
);
CREATE INDEX submissions_bid ON submissions (bid_id, id);
