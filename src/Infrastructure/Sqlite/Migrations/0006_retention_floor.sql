-- The retention floor: the first sequence the log still holds. The retention job deletes a gap-free prefix of
-- webhook_events and moves this row in the same transaction, so readers can tell "removed by retention" (below the
-- floor) from "never existed", and the newest sequence is known even when every event has been removed.
-- One row; 1 until the job first runs.
CREATE TABLE retention_floor (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    first_sequence INTEGER NOT NULL
);
INSERT INTO retention_floor (id, first_sequence) VALUES (1, 1);
