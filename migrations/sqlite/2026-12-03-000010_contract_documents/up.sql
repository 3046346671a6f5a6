-- The documents of a raamovereenkomst: the signed agreement and what belongs to it, sealed in
-- the tender's vault folder like the bids' files. The winning bid's own documents belong to
-- the contract too; they stay with the bid and are not copied.
CREATE TABLE contract_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    -- the file's name in the vault folder: random, says nothing
    storage_name TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id),
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX contract_documents_contract ON contract_documents (contract_id);
