DROP TABLE evidence_requests;
DROP TABLE evaluation_corrections;
