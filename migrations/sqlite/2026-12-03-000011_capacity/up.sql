-- Capaciteit: the places each contract offers per year, the taakstelling and the expected
-- distribution over the leerroutes that forecast the need, and the plaatsingen that use the
-- places. A klantmanager works for one gemeente.

ALTER TABLE users ADD COLUMN municipality_id BIGINT REFERENCES municipalities (id);

-- Raised by every change to a region's capacity, taakstelling, distribution or placements, in
-- the same transaction: the dashboards kept in memory compare it.
ALTER TABLE regions ADD COLUMN capacity_version BIGINT NOT NULL DEFAULT 0;

-- The decision on each extension option is due this many months before the contract would end.
ALTER TABLE contracts ADD COLUMN notice_months INTEGER NOT NULL DEFAULT 6;

-- Trajectory places per calendar year: one row without a gemeente is the regional total, and
-- rows with a gemeente are its allocation of that total.
CREATE TABLE contract_capacities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    year INTEGER NOT NULL,
    municipality_id BIGINT REFERENCES municipalities (id),
    places INTEGER NOT NULL
);
CREATE INDEX contract_capacities_contract ON contract_capacities (contract_id, year);

-- The statushouders a gemeente must house in a half year (half_year = year * 2 + half - 1).
CREATE TABLE taakstellingen (
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    half_year INTEGER NOT NULL,
    people INTEGER NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (municipality_id, half_year)
);

-- A region's expected share of each leerroute, in hundredths of a percent; none stored means
-- the distribution of the seed documents (60/25/15).
CREATE TABLE route_shares (
    region_id BIGINT NOT NULL REFERENCES regions (id),
    learning_route_id BIGINT NOT NULL REFERENCES learning_routes (id),
    share_bp INTEGER NOT NULL,
    PRIMARY KEY (region_id, learning_route_id)
);

-- One cursist on one contract: an internal reference only, never personal data.
CREATE TABLE placements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    learning_route_id BIGINT NOT NULL REFERENCES learning_routes (id),
    reference TEXT NOT NULL,
    start_date DATE NOT NULL,
    -- the half year of the start, as in taakstellingen: counted by SQL without date functions
    start_half INTEGER NOT NULL,
    ended_on DATE,
    end_reason TEXT,
    overrule_reason TEXT NOT NULL DEFAULT '',
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX placements_reference ON placements (municipality_id, reference);
CREATE INDEX placements_municipality ON placements (municipality_id, start_half, learning_route_id);
CREATE INDEX placements_contract ON placements (contract_id, municipality_id, start_half);

-- Warnings mailed to management, once until the cause is gone (subject names the cause).
CREATE TABLE capacity_notices (
    subject TEXT PRIMARY KEY NOT NULL,
    sent_at TIMESTAMP NOT NULL
);
