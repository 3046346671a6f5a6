-- Gunning: the voornemen tot gunning of a perceel with its letters, the objections and
-- suspensions during the Alcatel-termijn, the definitive award and the raamovereenkomsten.

CREATE TABLE award_decisions (
    id BIGSERIAL PRIMARY KEY,
    tender_id BIGINT NOT NULL REFERENCES tenders (id),
    lot_id BIGINT NOT NULL REFERENCES lots (id),
    -- proposed, approved, sent, definitive or withdrawn
    status TEXT NOT NULL,
    -- JSON: the winning bids, best first; empty when the perceel is not awarded
    winner_bid_ids TEXT NOT NULL,
    -- Why nobody wins ("niet gegund"); empty otherwise
    not_awarded_reason TEXT NOT NULL DEFAULT '',
    standstill_days INTEGER NOT NULL,
    -- Why the period is shorter than 20 days, when it is
    standstill_reason TEXT NOT NULL DEFAULT '',
    proposed_by BIGINT NOT NULL REFERENCES users (id),
    proposed_at TIMESTAMP NOT NULL,
    approved_by BIGINT REFERENCES users (id),
    approved_at TIMESTAMP,
    sent_at TIMESTAMP,
    definitive_at TIMESTAMP,
    withdrawn_at TIMESTAMP,
    withdrawn_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX award_decisions_lot ON award_decisions (lot_id, id);

-- One letter per bid per decision and kind (voornemen or definitief), all of one dispatch at
-- the same moment.
CREATE TABLE award_letters (
    id BIGSERIAL PRIMARY KEY,
    decision_id BIGINT NOT NULL REFERENCES award_decisions (id),
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    UNIQUE (decision_id, bid_id, kind)
);
CREATE INDEX award_letters_bid ON award_letters (bid_id, id);

CREATE TABLE objections (
    id BIGSERIAL PRIMARY KEY,
    decision_id BIGINT NOT NULL REFERENCES award_decisions (id),
    bid_id BIGINT REFERENCES bids (id),
    body TEXT NOT NULL,
    -- A kort geding suspends the award until it is lifted.
    kort_geding BOOLEAN NOT NULL,
    lodged_by BIGINT NOT NULL REFERENCES users (id),
    lodged_at TIMESTAMP NOT NULL,
    lifted_by BIGINT REFERENCES users (id),
    lifted_at TIMESTAMP,
    lifted_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX objections_decision ON objections (decision_id, id);

CREATE TABLE contracts (
    id BIGSERIAL PRIMARY KEY,
    decision_id BIGINT NOT NULL REFERENCES award_decisions (id),
    tender_id BIGINT NOT NULL REFERENCES tenders (id),
    lot_id BIGINT NOT NULL REFERENCES lots (id),
    bid_id BIGINT NOT NULL REFERENCES bids (id),
    company_id BIGINT NOT NULL REFERENCES companies (id),
    -- JSON: the participating gemeenten (CBS codes)
    municipalities TEXT NOT NULL,
    start_date DATE NOT NULL,
    years INTEGER NOT NULL,
    -- JSON: the extension options in years, e.g. [2, 2]
    extensions TEXT NOT NULL,
    extensions_taken INTEGER NOT NULL DEFAULT 0,
    -- JSON: the prices of the prijzenblad, per line
    prices TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    activated_by BIGINT REFERENCES users (id),
    activated_at TIMESTAMP,
    UNIQUE (decision_id, bid_id)
);
CREATE INDEX contracts_lot ON contracts (lot_id);
