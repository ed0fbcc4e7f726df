-- perp-trader database schema, version 1 (PRAGMA user_version = 1).
-- Applied by the program to a new database; later changes are numbered migrations
-- (src/main/resources/db/migration/NNN_*.sql) that raise user_version.
-- Conventions: money and quantities are TEXT holding exact decimals (read them with
-- CAST(x AS REAL) for quick sums in sqlite3, or exactly in code); times are INTEGER epoch
-- milliseconds (UTC); enums are stored by name.

-- One row per hedge: a LONG on long_venue and an equal SHORT on short_venue.
CREATE TABLE IF NOT EXISTS hedge_pairs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    asset         TEXT    NOT NULL,              -- base asset, e.g. BTC
    long_venue    TEXT    NOT NULL,              -- backpack | hibachi (config name; migration 5)
    short_venue   TEXT    NOT NULL,
    mode          TEXT    NOT NULL,              -- SIM | PAPER | LIVE
    leverage      TEXT    NOT NULL,
    quantity      TEXT    NOT NULL,              -- base quantity of each leg
    notional      TEXT    NOT NULL,              -- quantity x reference price at open (USD)
    status        TEXT    NOT NULL,              -- OPENING OPEN CLOSING CLOSED ROLLED_BACK FAILED UNHEDGED
    duration_ms   INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,              -- intent recorded
    opened_at     INTEGER,                       -- both legs filled
    close_at      INTEGER,                       -- planned expiry
    closed_at     INTEGER,                       -- both legs flat
    close_reason  TEXT,                          -- EXPIRED, PROTECTIVE, LEG_MISSING, SHUTDOWN, ...
    realized_pnl  TEXT,                          -- trading PnL of both legs, before fees and funding
    fees          TEXT,                          -- all fees paid on both legs
    funding       TEXT,                          -- net funding over the pair's life (+ = received)
    net_pnl       TEXT,                          -- realized_pnl - fees + funding
    volume        TEXT,                          -- traded notional of every fill, both legs
    points        TEXT,                          -- estimated points for that volume
    updated_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_hedge_pairs_status ON hedge_pairs(status);
CREATE INDEX IF NOT EXISTS idx_hedge_pairs_closed_at ON hedge_pairs(closed_at);

-- One row per leg of a pair.
CREATE TABLE IF NOT EXISTS positions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    pair_id         INTEGER NOT NULL REFERENCES hedge_pairs(id),
    venue           TEXT    NOT NULL,
    symbol          TEXT    NOT NULL,            -- the venue's own symbol
    side            TEXT    NOT NULL,            -- LONG | SHORT
    size            TEXT    NOT NULL DEFAULT '0', -- base quantity the leg opened (equal on both legs)
    held            TEXT    NOT NULL DEFAULT '0', -- what the venue should hold now (0 once closed)
    closed_qty      TEXT    NOT NULL DEFAULT '0', -- base quantity reduced so far
    entry_price     TEXT,                        -- average opening price
    exit_price      TEXT,                        -- average closing price
    current_price   TEXT,                        -- last mark seen by the monitor
    unrealized_pnl  TEXT,
    realized_pnl    TEXT    NOT NULL DEFAULT '0',
    fees            TEXT    NOT NULL DEFAULT '0',
    funding         TEXT    NOT NULL DEFAULT '0',
    status          TEXT    NOT NULL,            -- PENDING OPEN REJECTED CLOSED MISSING
    open_client_id  TEXT,
    close_client_id TEXT,
    updated_at      INTEGER NOT NULL,
    UNIQUE (pair_id, side)
);
CREATE INDEX IF NOT EXISTS idx_positions_pair ON positions(pair_id);

-- Every order, written before it is sent: the client id is the key for lookups after a
-- timeout or a crash, and is never reused.
CREATE TABLE IF NOT EXISTS orders (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    pair_id        INTEGER NOT NULL REFERENCES hedge_pairs(id),
    position_id    INTEGER NOT NULL REFERENCES positions(id),
    venue          TEXT    NOT NULL,
    symbol         TEXT    NOT NULL,
    client_id      TEXT    NOT NULL,
    purpose        TEXT    NOT NULL,             -- OPEN TRIM ROLLBACK CLOSE
    side           TEXT    NOT NULL,             -- BUY | SELL
    qty            TEXT    NOT NULL,
    reduce_only    INTEGER NOT NULL,
    status         TEXT    NOT NULL,             -- PENDING FILLED PARTIAL REJECTED UNKNOWN
    filled_qty     TEXT    NOT NULL DEFAULT '0',
    avg_price      TEXT,
    fee            TEXT    NOT NULL DEFAULT '0',
    venue_order_id TEXT,
    error          TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (venue, client_id)
);
CREATE INDEX IF NOT EXISTS idx_orders_pair ON orders(pair_id);

-- Everything the bot warned about.
CREATE TABLE IF NOT EXISTS alerts (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    level    TEXT    NOT NULL,                   -- WARN | ERROR
    kind     TEXT    NOT NULL,                   -- LOW_COLLATERAL, PNL_DIVERGENCE, LEG_MISSING, ...
    pair_id  INTEGER,
    venue    TEXT,
    message  TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_alerts_at ON alerts(at);

-- What the monitor saw, one row per open pair per tick.
CREATE TABLE IF NOT EXISTS marks (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    at                 INTEGER NOT NULL,
    pair_id            INTEGER NOT NULL REFERENCES hedge_pairs(id),
    long_mark          TEXT,
    short_mark         TEXT,
    long_upnl          TEXT,
    short_upnl         TEXT,
    long_venue_ratio   TEXT,                     -- equity / maintenance margin, NULL if none
    short_venue_ratio  TEXT,
    divergence         TEXT                      -- |long_upnl + short_upnl| / notional
);
CREATE INDEX IF NOT EXISTS idx_marks_pair_at ON marks(pair_id, at);

PRAGMA user_version = 1;
