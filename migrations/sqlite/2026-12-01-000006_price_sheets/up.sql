-- Prijzenblad (price sheet): the lines of each perceel's sheet, and the prices read from an
-- uploaded sheet, sealed with the file they came from.

CREATE TABLE lot_price_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lot_id BIGINT NOT NULL REFERENCES lots (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    unit TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    UNIQUE (lot_id, position)
);

-- The prices read from a prijzenblad: JSON, encrypted like the contents.
ALTER TABLE bid_files ADD COLUMN sealed_prices BLOB;
-- When the bidder confirmed that the prices read back are theirs.
ALTER TABLE bid_files ADD COLUMN prices_confirmed_at TIMESTAMP;
