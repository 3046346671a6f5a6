DROP TABLE capacity_notices;
DROP TABLE placements;
DROP TABLE route_shares;
DROP TABLE taakstellingen;
DROP TABLE contract_capacities;
ALTER TABLE contracts DROP COLUMN notice_months;
ALTER TABLE users DROP COLUMN municipality_id;
ALTER TABLE regions DROP COLUMN capacity_version;
