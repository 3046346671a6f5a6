-- Aanbieders (companies and their users) and the mail outbox.

CREATE TABLE companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kvk_number TEXT NOT NULL UNIQUE,
    street TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    contact_name TEXT NOT NULL,
    phone TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

ALTER TABLE users ADD COLUMN company_id BIGINT REFERENCES companies (id);
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMP;
-- Accounts made by a beheerder or the command line were handed over in person: verified.
UPDATE users SET email_verified_at = created_at;

-- Every message is stored with the event that causes it and delivered by a worker afterwards.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tender_id BIGINT REFERENCES tenders (id),
    user_id BIGINT REFERENCES users (id),
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
CREATE INDEX outbox_tender ON outbox (tender_id, created_at);
CREATE INDEX outbox_user ON outbox (user_id, created_at);
