-- Account-event delivery keys now start with the zero-padded event time (see DeliveryKeys.ForAccountEvent),
-- so new keys land at the end of the unique index instead of on a random page of it.
-- Rewrite the keys already stored, so a redelivery of an event received before this migration is still
-- recognised as a duplicate. Old form: <app part><command part><account part><event time digits>;
-- new form: <event time, 15 digits>|<app part><command part><account part>.
-- Only the two callbacks modelled when this migration was written used account keys; payload keys
-- ("...sha256:<hex>") of other commands are left as they are.
UPDATE webhook_events
SET delivery_key = printf('%015d|', event_time) || substr(delivery_key, 1, length(delivery_key) - length(event_time))
WHERE callback_command IN (
        'OfficialAccount.CallbackAfterOfficialAccountDestroyed',
        'OfficialAccount.CallbackAfterCreateOfficialAccount')
  AND event_time IS NOT NULL
  AND substr(delivery_key, -length(event_time)) = CAST(event_time AS TEXT)
  AND substr(delivery_key, -71, 7) <> 'sha256:';
