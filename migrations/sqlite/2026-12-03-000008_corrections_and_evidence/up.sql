-- Correcties op de beoordeling: what was locked — an assessor's scores, a final consensus, a
-- suitability decision — changes only through a recorded, motivated correction, kept here with
-- what it was before and after. Bewijsstukken: evidence asked of a provisional winner.

-- Raised by every change to a perceel's beoordeling, so the copy kept in memory reloads.
ALTER TABLE lots ADD COLUMN evaluation_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE evaluation_corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tender_id BIGINT NOT NULL REFERENCES tenders (id),
    lot_id BIGINT NOT NULL REFERENCES lots (id),
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    -- scores, consensus or suitability
    kind TEXT NOT NULL,
    reason TEXT NOT NULL,
    -- JSON: the corrected records before and after
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    corrected_by BIGINT NOT NULL REFERENCES users (id),
    corrected_at TIMESTAMP NOT NULL
);
CREATE INDEX evaluation_corrections_lot ON evaluation_corrections (lot_id, id);

CREATE TABLE evidence_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lot_id BIGINT NOT NULL REFERENCES lots (id),
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    message TEXT NOT NULL,
    due_at TIMESTAMP NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES users (id),
    requested_at TIMESTAMP NOT NULL
);
CREATE INDEX evidence_requests_lot ON evidence_requests (lot_id, id);

CREATE TRIGGER evaluation_corrections_no_update BEFORE UPDATE ON evaluation_corrections
BEGIN SELECT RAISE(ABORT, 'a correction is recorded for good'); END;
CREATE TRIGGER evaluation_corrections_no_delete BEFORE DELETE ON evaluation_corrections
BEGIN SELECT RAISE(ABORT, 'a correction is recorded for good'); END;
