DROP TABLE evidence_requests;
DROP TABLE evaluation_corrections;
DROP FUNCTION evaluation_correction_kept();
