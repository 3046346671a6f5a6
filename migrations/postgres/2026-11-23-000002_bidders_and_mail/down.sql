DROP TABLE outbox;
ALTER TABLE users DROP COLUMN email_verified_at;
ALTER TABLE users DROP COLUMN company_id;
DROP TABLE companies;
