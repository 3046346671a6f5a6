-- Beoordeling (evaluation): the committee per perceel, declarations of interest, suitability
-- decisions, individual and consensus scores, the price reveal and the draws.

-- Anonymous evaluation: assessors see a bid code instead of the bidder's name.
ALTER TABLE tenders ADD COLUMN anonymous_evaluation BOOLEAN NOT NULL DEFAULT FALSE;
-- The bid's code (A, B, …) in its perceel, drawn at random when the vault is opened.
ALTER TABLE bids ADD COLUMN code TEXT;

-- Who assesses which perceel.
CREATE TABLE committee_members (
    lot_id BIGINT NOT NULL REFERENCES lots (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    appointed_by BIGINT NOT NULL REFERENCES users (id),
    appointed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (lot_id, user_id)
);

-- Each assessor declares, per bid, whether a conflict of interest exists before seeing it.
CREATE TABLE conflict_declarations (
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    has_conflict BOOLEAN NOT NULL,
    explanation TEXT NOT NULL,
    declared_at TIMESTAMP NOT NULL,
    PRIMARY KEY (bid_id, user_id)
);

-- The inkoper's decision per knock-out: exclusion_grounds, kvk or criterion:<id>.
CREATE TABLE suitability_decisions (
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    subject TEXT NOT NULL,
    passes BOOLEAN NOT NULL,
    motivation TEXT NOT NULL,
    decided_by BIGINT NOT NULL REFERENCES users (id),
    decided_at TIMESTAMP NOT NULL,
    PRIMARY KEY (bid_id, subject)
);

-- An assessor's score per bid and quality criterion: the points of a step of its scale.
CREATE TABLE scores (
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    criterion_id BIGINT NOT NULL REFERENCES award_criteria (id),
    assessor_id BIGINT NOT NULL REFERENCES users (id),
    points INTEGER NOT NULL,
    motivation TEXT NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    -- vastgelegd: from then on only a recorded correction changes it
    locked_at TIMESTAMP,
    PRIMARY KEY (bid_id, criterion_id, assessor_id)
);
CREATE INDEX scores_assessor ON scores (assessor_id, bid_id);

-- The committee's consensus per bid and criterion; the external motivation goes into the letters.
CREATE TABLE consensus_scores (
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    criterion_id BIGINT NOT NULL REFERENCES award_criteria (id),
    points INTEGER NOT NULL,
    internal_motivation TEXT NOT NULL,
    external_motivation TEXT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (bid_id, criterion_id)
);

-- A perceel's consensus is final and its prices are visible from this moment.
CREATE TABLE price_reveals (
    lot_id BIGINT PRIMARY KEY NOT NULL REFERENCES lots (id),
    revealed_by BIGINT NOT NULL REFERENCES users (id),
    revealed_at TIMESTAMP NOT NULL
);

-- Loting: a draw between bids tied after rounding.
CREATE TABLE draws (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lot_id BIGINT NOT NULL REFERENCES lots (id),
    -- JSON: the ids of the tied bids
    bid_ids TEXT NOT NULL,
    scheduled_at TIMESTAMP NOT NULL,
    place TEXT NOT NULL,
    conducted_by TEXT NOT NULL,
    announced_by BIGINT NOT NULL REFERENCES users (id),
    announced_at TIMESTAMP NOT NULL,
    attendees TEXT NOT NULL DEFAULT '',
    witnesses TEXT NOT NULL DEFAULT '',
    -- JSON: the tied bids' ids in the order drawn, best first
    outcome TEXT,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at TIMESTAMP
);
CREATE INDEX draws_lot ON draws (lot_id);
