ALTER TABLE bid_files DROP COLUMN prices_confirmed_at;
ALTER TABLE bid_files DROP COLUMN sealed_prices;
DROP TABLE lot_price_lines;
