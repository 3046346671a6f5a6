DROP TABLE contracts;
DROP TABLE objections;
DROP TABLE award_letters;
DROP TABLE award_decisions;
