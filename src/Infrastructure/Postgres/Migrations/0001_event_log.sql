-- PostgreSQL starts at the SQLite engine's final schema (its migrations 0001-0003), in one script.
-- Times are Unix milliseconds (bigint) as on SQLite, so both engines answer alike.

-- Every delivery, as received. The identity is never reused, so a follower that remembers the last sequence
-- it saw can always resume after it. Writers take one advisory lock per commit (see PostgresEventLogWriter),
-- so sequences become visible in ascending order.
CREATE TABLE webhook_events (
    sequence         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sdk_app_id       text    NOT NULL,
    callback_command text    NOT NULL,
    official_account text,
    owner_account    text,
    operator_account text,
    name             text,
    event_time       bigint,           -- Unix ms, from the body
    receive_time     bigint  NOT NULL, -- Unix ms, our clock
    client_ip        text,
    opt_platform     text,             -- normalised: RESTAPI, Web, Android, iOS, Windows, Mac, iPad, Unknown
    opt_platform_raw text,             -- verbatim from the query
    payload_json     text    NOT NULL, -- the body exactly as received (text, not jsonb, which would rewrite it)
    delivery_key     text    NOT NULL UNIQUE
);

-- One index per filter the list and watch queries take. SQLite appends the sequence to every index by
-- itself; here it is spelled out, so each index yields its matches in the order pages are read in.
CREATE INDEX ix_webhook_events_app_account ON webhook_events (sdk_app_id, official_account, sequence);
CREATE INDEX ix_webhook_events_app ON webhook_events (sdk_app_id, sequence);
CREATE INDEX ix_webhook_events_command ON webhook_events (callback_command, sequence);
CREATE INDEX ix_webhook_events_owner ON webhook_events (owner_account, sequence);
CREATE INDEX ix_webhook_events_platform ON webhook_events (opt_platform, sequence);
CREATE INDEX ix_webhook_events_event_time ON webhook_events (event_time);
CREATE INDEX ix_webhook_events_receive_time ON webhook_events (receive_time);

-- One row per account, folded from the callbacks that named it.
CREATE TABLE official_accounts (
    sdk_app_id          text   NOT NULL,
    official_account    text   NOT NULL,
    state               bigint NOT NULL, -- 1 active, 2 destroyed
    owner_account       text,
    name                text,
    create_time         bigint,
    destroy_time        bigint,
    last_event_time     bigint NOT NULL,
    last_event_sequence bigint NOT NULL,
    PRIMARY KEY (sdk_app_id, official_account)
);

CREATE INDEX ix_official_accounts_owner ON official_accounts (owner_account, sdk_app_id, official_account);
CREATE INDEX ix_official_accounts_state ON official_accounts (state, sdk_app_id, official_account);
CREATE INDEX ix_official_accounts_destroy_time ON official_accounts (destroy_time);
