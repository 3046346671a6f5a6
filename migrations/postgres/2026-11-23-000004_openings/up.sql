-- Opening (opening of the vault): two different inkopers confirm within ten minutes.
CREATE TABLE openings (
    tender_id BIGINT PRIMARY KEY NOT NULL REFERENCES tenders (id),
    first_by BIGINT NOT NULL REFERENCES users (id),
    first_at TIMESTAMP NOT NULL,
    second_by BIGINT REFERENCES users (id),
    opened_at TIMESTAMP,
    -- the proces-verbaal van opening, JSON
    report TEXT
);
