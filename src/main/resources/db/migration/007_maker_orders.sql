-- Migration 7: maker-first orders (trading.entry = maker_first).
--   orders.limit_price      the price of a resting (post-only limit) order; NULL for a market order.
--   hedge_pairs.maker_exposure  Σ over the maker leg's fills of (quantity × seconds from the fill
--                           being seen to its hedge filling), a decimal string; NULL for a taker entry.
--   hedge_pairs.maker_fills how many maker fills were hedged one by one.
--   hedge_pairs.maker_worst_hedge_ms  the longest of those hedges, fill seen → hedge filled.
ALTER TABLE orders ADD COLUMN limit_price TEXT;
ALTER TABLE hedge_pairs ADD COLUMN maker_exposure TEXT;
ALTER TABLE hedge_pairs ADD COLUMN maker_fills INTEGER;
ALTER TABLE hedge_pairs ADD COLUMN maker_worst_hedge_ms INTEGER;
