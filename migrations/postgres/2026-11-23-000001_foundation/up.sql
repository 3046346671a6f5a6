-- Foundation: reference data, accounts, the tender set-up and the audit log (PostgreSQL).
-- Portable types only: ids BIGINT, money in cents, weights in basis points, instants in UTC.

CREATE TABLE regions (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE municipalities (
    id BIGSERIAL PRIMARY KEY,
    region_id BIGINT NOT NULL REFERENCES regions (id),
    cbs_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    dissolved_on DATE,
    note TEXT NOT NULL DEFAULT ''
);

CREATE TABLE learning_routes (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    keurmerk_required BOOLEAN NOT NULL,
    position INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    token_version INTEGER NOT NULL DEFAULT 0,
    must_change_password BOOLEAN NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE login_throttles (
    email TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    locked_until TIMESTAMP,
    last_failure_at TIMESTAMP NOT NULL
);

CREATE TABLE tenders (
    id BIGSERIAL PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    procedure TEXT NOT NULL,
    description TEXT NOT NULL,
    lead_municipality_id BIGINT REFERENCES municipalities (id),
    question_deadline TIMESTAMP NOT NULL,
    submission_deadline TIMESTAMP NOT NULL,
    standstill_days INTEGER NOT NULL,
    standstill_reason TEXT NOT NULL DEFAULT '',
    rounding_decimals INTEGER NOT NULL,
    rounding_mode TEXT NOT NULL,
    status TEXT NOT NULL,
    -- Raised by every change to the set-up or its parts: caches compare it.
    version BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    published_by BIGINT REFERENCES users (id)
);
CREATE INDEX tenders_status ON tenders (status, submission_deadline);

CREATE TABLE tender_municipalities (
    tender_id BIGINT NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    PRIMARY KEY (tender_id, municipality_id)
);

CREATE TABLE scoring_scales (
    id BIGSERIAL PRIMARY KEY,
    tender_id BIGINT NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    UNIQUE (tender_id, name)
);

CREATE TABLE scale_steps (
    scale_id BIGINT NOT NULL REFERENCES scoring_scales (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    points INTEGER NOT NULL,
    descriptor TEXT NOT NULL,
    PRIMARY KEY (scale_id, position)
);

CREATE TABLE lots (
    id BIGSERIAL PRIMARY KEY,
    tender_id BIGINT NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    learning_route_id BIGINT NOT NULL REFERENCES learning_routes (id),
    description TEXT NOT NULL,
    max_winners INTEGER NOT NULL,
    ceiling_price_cents BIGINT,
    ceiling_price_rationale TEXT NOT NULL DEFAULT '',
    price_formula TEXT NOT NULL,
    price_weight_bp INTEGER NOT NULL,
    bandwidth_min_cents BIGINT,
    bandwidth_max_cents BIGINT,
    log_factor_milli INTEGER,
    UNIQUE (tender_id, number)
);

CREATE TABLE lot_volumes (
    lot_id BIGINT NOT NULL REFERENCES lots (id) ON DELETE CASCADE,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    estimated_volume INTEGER NOT NULL,
    PRIMARY KEY (lot_id, municipality_id)
);

CREATE TABLE award_criteria (
    id BIGSERIAL PRIMARY KEY,
    lot_id BIGINT NOT NULL REFERENCES lots (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    weight_bp INTEGER NOT NULL,
    scale_id BIGINT NOT NULL REFERENCES scoring_scales (id),
    value_cents BIGINT,
    UNIQUE (lot_id, position)
);

CREATE TABLE selection_criteria (
    id BIGSERIAL PRIMARY KEY,
    tender_id BIGINT NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    lot_id BIGINT REFERENCES lots (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    evidence TEXT NOT NULL,
    validity_rule TEXT NOT NULL,
    validity_months INTEGER
);

CREATE TABLE corrections (
    id BIGSERIAL PRIMARY KEY,
    tender_id BIGINT NOT NULL REFERENCES tenders (id),
    number INTEGER NOT NULL,
    subject TEXT NOT NULL,
    reason TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    announced_at TIMESTAMP,
    UNIQUE (tender_id, number)
);

-- The head of each hash chain; updating it first serialises writers of one chain.
CREATE TABLE audit_heads (
    chain TEXT PRIMARY KEY NOT NULL,
    seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    chain TEXT NOT NULL,
    seq BIGINT NOT NULL,
    tender_id BIGINT,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (chain, seq)
);
CREATE INDEX audit_log_tender ON audit_log (tender_id, seq);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
