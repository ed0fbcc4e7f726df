-- Migration 2: orders that close positions no pair accounts for (reconcile.close_orphans = true).
-- Like `orders`, each row is written before the order is sent; the client id is never reused.
CREATE TABLE IF NOT EXISTS orphan_orders (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    venue          TEXT    NOT NULL,
    symbol         TEXT    NOT NULL,
    client_id      TEXT    NOT NULL,
    side           TEXT    NOT NULL,             -- BUY | SELL (always reduce-only)
    qty            TEXT    NOT NULL,
    status         TEXT    NOT NULL,             -- PENDING FILLED PARTIAL REJECTED UNKNOWN
    filled_qty     TEXT    NOT NULL DEFAULT '0',
    avg_price      TEXT,
    fee            TEXT    NOT NULL DEFAULT '0',
    error          TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (venue, client_id)
);
