-- Interest, questions and the nota van inlichtingen, reminders (PostgreSQL).

-- Belangstelling (interest): the companies that follow a tender. They receive the nota van
-- inlichtingen, corrections, deadline changes and reminders.
CREATE TABLE tender_interests (
    tender_id BIGINT NOT NULL REFERENCES tenders (id),
    company_id BIGINT NOT NULL REFERENCES companies (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tender_id, company_id)
);
CREATE INDEX tender_interests_company ON tender_interests (company_id);

-- Vragen (enquiries). Who asked is kept here and shown to nobody but the asking company.
CREATE TABLE enquiries (
    id BIGSERIAL PRIMARY KEY,
    tender_id BIGINT NOT NULL REFERENCES tenders (id),
    -- none: a question about the whole tender
    lot_id BIGINT REFERENCES lots (id),
    company_id BIGINT NOT NULL REFERENCES companies (id),
    asked_by BIGINT NOT NULL REFERENCES users (id),
    asked_at TIMESTAMP NOT NULL,
    question TEXT NOT NULL,
    -- numbered consecutively per tender when first published in a nota
    number INTEGER,
    -- the answer being drafted (a first answer or a correction), published with the next nota
    draft_answer TEXT,
    -- the question as it will be published, when the inkoper took identifying details out
    draft_question TEXT,
    drafted_by BIGINT REFERENCES users (id),
    drafted_at TIMESTAMP,
    -- how many versions of the answer have been published
    published_versions INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tender_id, number)
);
CREATE INDEX enquiries_tender ON enquiries (tender_id, id);
CREATE INDEX enquiries_company ON enquiries (company_id, id);

-- Nota van inlichtingen: numbered per tender, frozen once published.
CREATE TABLE enquiry_notes (
    id BIGSERIAL PRIMARY KEY,
    tender_id BIGINT NOT NULL REFERENCES tenders (id),
    number INTEGER NOT NULL,
    published_at TIMESTAMP NOT NULL,
    published_by BIGINT REFERENCES users (id),
    UNIQUE (tender_id, number)
);

-- What a nota published, copied as it stood: later drafts never change it.
CREATE TABLE enquiry_note_items (
    id BIGSERIAL PRIMARY KEY,
    note_id BIGINT NOT NULL REFERENCES enquiry_notes (id),
    enquiry_id BIGINT NOT NULL REFERENCES enquiries (id),
    position INTEGER NOT NULL,
    question_number INTEGER NOT NULL,
    version INTEGER NOT NULL,
    lot_id BIGINT REFERENCES lots (id),
    -- 'Perceel 1: B1-route', or empty for the whole tender
    lot_label TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    UNIQUE (enquiry_id, version)
);
CREATE INDEX enquiry_note_items_note ON enquiry_note_items (note_id, position);

-- Herinneringen (reminders): one per tender, kind and deadline value, so each goes once and a
-- moved deadline gets its own.
CREATE TABLE tender_reminders (
    tender_id BIGINT NOT NULL REFERENCES tenders (id),
    -- 48h or 4h
    kind TEXT NOT NULL,
    deadline TIMESTAMP NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tender_id, kind, deadline)
);

CREATE FUNCTION enquiry_note_frozen() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'a published nota van inlichtingen is frozen'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER enquiry_notes_no_change BEFORE UPDATE OR DELETE ON enquiry_notes
FOR EACH ROW EXECUTE FUNCTION enquiry_note_frozen();
CREATE TRIGGER enquiry_note_items_no_change BEFORE UPDATE OR DELETE ON enquiry_note_items
FOR EACH ROW EXECUTE FUNCTION enquiry_note_frozen();
