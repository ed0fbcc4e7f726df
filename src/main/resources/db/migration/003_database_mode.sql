-- Migration 3: a database belongs to one mode (SIM, PAPER or LIVE), recorded in meta.mode, so a
-- command in another mode refuses it instead of trading its pairs on the wrong venues.
-- A new database records the mode of the first command that writes it. A database from before
-- this migration takes the mode of its pairs: LIVE if any pair is live (real positions are at
-- stake), else the newest pair's; with no pairs, the first command that writes it decides.
CREATE TABLE IF NOT EXISTS meta (
    key    TEXT PRIMARY KEY,                     -- mode
    value  TEXT NOT NULL                         -- SIM | PAPER | LIVE
);
INSERT OR IGNORE INTO meta (key, value)
SELECT 'mode', CASE WHEN EXISTS (SELECT 1 FROM hedge_pairs WHERE mode = 'LIVE') THEN 'LIVE'
                    ELSE (SELECT mode FROM hedge_pairs ORDER BY id DESC LIMIT 1) END
WHERE EXISTS (SELECT 1 FROM hedge_pairs);
