-- As SQLite's migration 0007 (see there): the keys of callbacks we do not model start with their event time when the
-- body has one, so live traffic's keys go to the end of the unique index on delivery_key instead of a random page of
-- it; the stored keys get the same prefix, so a redelivery of an event stored before this upgrade is still recognised.
UPDATE webhook_events
SET delivery_key = lpad(event_time::text, 15, '0') || '|' || delivery_key
WHERE event_time IS NOT NULL
  AND left(right(delivery_key, 71), 7) = 'sha256:'
  AND delivery_key !~ '^[0-9]{15}\|';
