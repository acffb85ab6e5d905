-- Indexes for the gRPC read side: one per filter the list and watch queries take. SQLite appends the
-- rowid (the sequence) to every index, so each one also yields its matches in sequence order, which is
-- the order pages and the watch backlog are read in. Every index costs each insert a little; these are
-- the filters internal services asked for, no more.
CREATE INDEX ix_webhook_events_app ON webhook_events (sdk_app_id);
CREATE INDEX ix_webhook_events_command ON webhook_events (callback_command);
CREATE INDEX ix_webhook_events_owner ON webhook_events (owner_account);
CREATE INDEX ix_webhook_events_platform ON webhook_events (opt_platform);
CREATE INDEX ix_webhook_events_event_time ON webhook_events (event_time);
CREATE INDEX ix_webhook_events_receive_time ON webhook_events (receive_time);

-- official_accounts is keyed (sdk_app_id, official_account); these indexes carry that key too, so their
-- matches come out in list order.
CREATE INDEX ix_official_accounts_owner ON official_accounts (owner_account);
CREATE INDEX ix_official_accounts_state ON official_accounts (state);
CREATE INDEX ix_official_accounts_destroy_time ON official_accounts (destroy_time);
