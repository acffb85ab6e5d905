-- The retention floor, as SQLite's migration 0006 (see there): the first sequence the log still holds, moved by the
-- retention job in the transaction that deletes below it. One row; 1 until the job first runs.
CREATE TABLE retention_floor (
    id             integer PRIMARY KEY CHECK (id = 1),
    first_sequence bigint  NOT NULL
);
INSERT INTO retention_floor (id, first_sequence) VALUES (1, 1);
