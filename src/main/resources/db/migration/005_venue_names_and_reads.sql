-- Migration 5: venues stored by their config name, as the configuration and every command spell
-- them ('backpack', not 'BACKPACK'), so WHERE long_venue = 'backpack' finds them.
UPDATE hedge_pairs SET long_venue = lower(long_venue), short_venue = lower(short_venue);
UPDATE positions SET venue = lower(venue);
UPDATE orders SET venue = lower(venue);
UPDATE alerts SET venue = lower(venue) WHERE venue IS NOT NULL;
UPDATE orphan_orders SET venue = lower(venue);

-- Each venue's last successful read (and the last failed one) as the running bot saw it, written
-- every tick; 'perp-trader status' shows one line per venue from here.
CREATE TABLE IF NOT EXISTS venue_reads (
    venue          TEXT    PRIMARY KEY,          -- config name: backpack | hibachi
    last_ok_at     INTEGER,                      -- epoch millis of the last successful read, NULL if none
    last_error_at  INTEGER,                      -- epoch millis of the last failed read, NULL if none since
    last_error     TEXT                          -- what the failed read said
);

-- Marks older than monitor.keep_marks_days are thinned by time.
CREATE INDEX IF NOT EXISTS idx_marks_at ON marks(at);
