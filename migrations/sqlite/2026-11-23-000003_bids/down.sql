DROP TABLE submissions;
DROP TABLE bid_files;
DROP TABLE bids;
DROP TABLE tender_keys;
