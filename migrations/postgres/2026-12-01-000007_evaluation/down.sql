DROP TABLE draws;
DROP TABLE price_reveals;
DROP TABLE consensus_scores;
DROP TABLE scores;
DROP TABLE suitability_decisions;
DROP TABLE conflict_declarations;
DROP TABLE committee_members;
ALTER TABLE bids DROP COLUMN code;
ALTER TABLE tenders DROP COLUMN anonymous_evaluation;
