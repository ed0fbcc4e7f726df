-- Migration 8: an index of the fills not yet in their leg's money figures, by leg. Every fill
-- recorded asks for its leg's unaccounted orders (Store.account); without it that read scanned the
-- whole orders table, so a book's every fill cost more the longer it had traded (a year of
-- simulate: about 0.7 s of its time). Partial: a row leaves it once accounted, so it stays small.
CREATE INDEX IF NOT EXISTS idx_orders_to_account ON orders(position_id, id) WHERE accounted = 0;
