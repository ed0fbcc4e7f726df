-- a migration used only by StoreTest to prove numbered migrations apply once, in order
CREATE TABLE migration_note (note TEXT NOT NULL);
INSERT INTO migration_note (note) VALUES ('applied');
