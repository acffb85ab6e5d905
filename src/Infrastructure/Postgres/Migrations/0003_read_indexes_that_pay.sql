-- The same indexes as SQLite's migration 0005, for the same reasons (see there): an account's history and an
-- owner's events keep a partial index each, the account one no longer led by the app; event_time stays for
-- GetWebhookEventStats; the dense filters (app, command, platform, receive_time) lose theirs, and their lists read
-- the log in sequence order a bounded window at a time. The sequence is spelled out, so each index yields its
-- matches in page order.
DROP INDEX ix_webhook_events_app_account;
DROP INDEX ix_webhook_events_app;
DROP INDEX ix_webhook_events_command;
DROP INDEX ix_webhook_events_owner;
DROP INDEX ix_webhook_events_platform;
DROP INDEX ix_webhook_events_receive_time;

CREATE INDEX ix_webhook_events_account ON webhook_events (official_account, sequence) WHERE official_account IS NOT NULL;
CREATE INDEX ix_webhook_events_owner ON webhook_events (owner_account, sequence) WHERE owner_account IS NOT NULL;
