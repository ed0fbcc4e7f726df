-- Migration 4: what the reconciler and the opening breaker keep across a restart.
-- A leg whose venue position reads gone, flipped or resized is SUSPECT (suspect_since set) until
-- repeated reads and the venue's own fill history confirm it, or a read shows it again.
ALTER TABLE positions ADD COLUMN suspect_since INTEGER;
ALTER TABLE positions ADD COLUMN suspect_reason TEXT;

-- Opening paused by a refusal that will repeat (a signing key the venue refuses) or by failed
-- opens in a row. One row; cause is NULL while opening is allowed. 'perp-trader resume' clears it.
CREATE TABLE IF NOT EXISTS opening_pause (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    cause       TEXT,
    paused_at   INTEGER,
    resumed_at  INTEGER
);

-- Why the last attempt to open was held back (the exposure gate), as the running bot saw it; one
-- row, reason NULL when the book and the venues agreed. 'perp-trader status' shows it.
CREATE TABLE IF NOT EXISTS opening_gate (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    reason      TEXT,
    checked_at  INTEGER NOT NULL
);
