-- The whole official-account family is typed: state folded from every callback, not only create and destroy.

-- Each account field now has the event time that set it, so an older event never overwrites a newer one field by
-- field (an info change carries only some fields). Rows written so far were set wholly by their newest event.
ALTER TABLE official_accounts ADD COLUMN state_time INTEGER;        -- state and destroy_time: the newest create or destroy
ALTER TABLE official_accounts ADD COLUMN owner_time INTEGER;
ALTER TABLE official_accounts ADD COLUMN name_time INTEGER;
ALTER TABLE official_accounts ADD COLUMN introduction TEXT;
ALTER TABLE official_accounts ADD COLUMN introduction_time INTEGER;
ALTER TABLE official_accounts ADD COLUMN face_url TEXT;
ALTER TABLE official_accounts ADD COLUMN face_url_time INTEGER;
ALTER TABLE official_accounts ADD COLUMN organization TEXT;
ALTER TABLE official_accounts ADD COLUMN organization_time INTEGER;
ALTER TABLE official_accounts ADD COLUMN full_time INTEGER;         -- the newest "account full" report
ALTER TABLE official_accounts ADD COLUMN subscriber_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE official_accounts ADD COLUMN last_message_time INTEGER;  -- the newest MsgTime it sent

UPDATE official_accounts
SET state_time = CASE WHEN state = 0 THEN NULL ELSE last_event_time END,
    owner_time = CASE WHEN owner_account IS NULL THEN NULL ELSE last_event_time END,
    name_time = CASE WHEN name IS NULL THEN NULL ELSE last_event_time END;

-- Who follows each account. A user who unsubscribed keeps a row (subscribed = 0), so an older subscribe that
-- arrives later cannot bring them back.
CREATE TABLE official_account_subscribers (
    sdk_app_id         TEXT    NOT NULL,
    official_account   TEXT    NOT NULL,
    subscriber_account TEXT    NOT NULL,
    subscribed         INTEGER NOT NULL, -- 1 follows now, 0 unsubscribed
    change_time        INTEGER NOT NULL, -- EventTime of the subscribe or unsubscribe in effect
    PRIMARY KEY (sdk_app_id, official_account, subscriber_account)
) WITHOUT ROWID;

-- What each account sent, by MsgKey. A withdraw may arrive before its message: the row then has no content yet.
CREATE TABLE official_account_messages (
    sdk_app_id        TEXT    NOT NULL,
    official_account  TEXT    NOT NULL,
    msg_key           TEXT    NOT NULL,
    msg_time          INTEGER,           -- Unix ms; NULL until the send arrives
    online_only       INTEGER,           -- 1 or 0
    msg_body_json     TEXT,              -- the MsgBody array as Tencent sent it
    cloud_custom_data TEXT,
    send_event_time   INTEGER,           -- EventTime of the send whose content is kept
    withdrawn         INTEGER NOT NULL,  -- 1 once any withdraw arrived
    withdraw_time     INTEGER,           -- EventTime of the newest withdraw
    PRIMARY KEY (sdk_app_id, official_account, msg_key)
) WITHOUT ROWID;

-- ListOfficialAccountMessages: one account's messages, newest first.
CREATE INDEX ix_official_account_messages_time ON official_account_messages (sdk_app_id, official_account, msg_time, msg_key);

-- The nine commands typed now were stored untyped until this version, under a key of their body's hash
-- (DeliveryKeys.ForPayload). Typed, they are keyed by event time and then that same hash
-- (DeliveryKeys.ForEventPayload), so put the stored event time in front of the keys already stored: a redelivery
-- of an event stored before this upgrade is still recognised. A body without a usable EventTime is one the typed
-- callback refuses, so its key can stay as it is.
UPDATE webhook_events
SET delivery_key = printf('%015d|', event_time) || delivery_key
WHERE callback_command IN (
        'OfficialAccount.CallbackBeforeCreateOfficialAccount',
        'OfficialAccount.CallbackAfterOfficialAccountInfoChanged',
        'OfficialAccount.CallbackBeforeAddSubscriber',
        'OfficialAccount.CallbackAfterAddSubscriber',
        'OfficialAccount.CallbackAfterOfficialAccountFull',
        'OfficialAccount.CallbackAfterDeleteSubscriber',
        'OfficialAccount.CallbackBeforeSendMsg',
        'OfficialAccount.CallbackAfterSendMsg',
        'OfficialAccount.CallbackAfterMsgWithDraw')
  AND event_time IS NOT NULL
  AND substr(delivery_key, -71, 7) = 'sha256:';

-- Those events changed no state when they were stored. The webhook host folds them in at its next start, through
-- their typed callbacks and the same writers as a live event (StateReplay), then deletes this row.
CREATE TABLE state_replay (through_sequence INTEGER NOT NULL);
INSERT INTO state_replay (through_sequence)
SELECT last_stored FROM (
    SELECT MAX(sequence) AS last_stored FROM webhook_events
    WHERE callback_command IN (
        'OfficialAccount.CallbackAfterOfficialAccountInfoChanged',
        'OfficialAccount.CallbackAfterAddSubscriber',
        'OfficialAccount.CallbackAfterOfficialAccountFull',
        'OfficialAccount.CallbackAfterDeleteSubscriber',
        'OfficialAccount.CallbackAfterSendMsg',
        'OfficialAccount.CallbackAfterMsgWithDraw')) AS stored
WHERE last_stored IS NOT NULL;
