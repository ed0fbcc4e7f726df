-- Migration 6: a fill is recorded the moment the venue tells how much filled, before its price and
-- fee are read, so a pair is OPEN one round trip sooner (Hibachi's status read gives the quantity;
-- the price and fee come from its order history and trades after).
--   priced    = 0 while the fill's average price and fee are not read yet (avg_price NULL, fee '0');
--   accounted = 0 while the fill is counted in its leg's held size but not yet in the leg's money
--               figures (entry, exit, realized PnL, fees): a leg's fills are accounted in the order
--               they were sent, so a fill priced early waits behind an earlier one not yet priced.
-- A pair ends (CLOSED, ROLLED_BACK, FAILED) only once every one of its orders is priced.
ALTER TABLE orders ADD COLUMN priced INTEGER NOT NULL DEFAULT 1;
ALTER TABLE orders ADD COLUMN accounted INTEGER NOT NULL DEFAULT 1;
CREATE INDEX IF NOT EXISTS idx_orders_unpriced ON orders(id) WHERE priced = 0;
