-- Every delivery, as received. AUTOINCREMENT: a sequence is never reused, so a follower that
-- remembers the last sequence it saw can always resume after it.
CREATE TABLE webhook_events (
    sequence         INTEGER PRIMARY KEY AUTOINCREMENT,
    sdk_app_id       TEXT    NOT NULL,
    callback_command TEXT    NOT NULL,
    official_account TEXT,
    owner_account    TEXT,
    operator_account TEXT,
    name             TEXT,
    event_time       INTEGER,          -- Unix ms, from the body
    receive_time     INTEGER NOT NULL, -- Unix ms, our clock
    client_ip        TEXT,
    opt_platform     TEXT,             -- normalised: RESTAPI, Web, Android, iOS, Windows, Mac, iPad, Unknown
    opt_platform_raw TEXT,             -- verbatim from the query
    payload_json     TEXT    NOT NULL,
    delivery_key     TEXT    NOT NULL UNIQUE
);

CREATE INDEX ix_webhook_events_app_account ON webhook_events (sdk_app_id, official_account, sequence);

-- One row per account, folded from the callbacks that named it.
CREATE TABLE official_accounts (
    sdk_app_id          TEXT    NOT NULL,
    official_account    TEXT    NOT NULL,
    state               INTEGER NOT NULL, -- 1 active, 2 destroyed
    owner_account       TEXT,
    name                TEXT,
    create_time         INTEGER,
    destroy_time        INTEGER,
    last_event_time     INTEGER NOT NULL,
    last_event_sequence INTEGER NOT NULL,
    PRIMARY KEY (sdk_app_id, official_account)
) WITHOUT ROWID;
