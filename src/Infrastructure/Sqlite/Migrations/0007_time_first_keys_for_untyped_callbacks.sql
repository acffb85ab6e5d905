-- Callbacks we do not model (most of an app's traffic: messages, state changes, groups) are keyed by their body's
-- hash. That key landed at a random place in the unique index on delivery_key, the largest B-tree of the log, so each
-- such event dirtied a page of its own there at commit. Their keys now start with the event time when the body has
-- one, as every typed callback's key does (decision 0004): live traffic's keys then go to the end of the index.
-- The stored keys get the same prefix, from the event time stored with them, so a redelivery of an event stored
-- before this upgrade is still recognised. Keys that already start with a time (15 digits and '|') are left alone;
-- so are events without an event time, whose key stays the body's hash. This rewrites every such key once: on a large
-- store it takes a while, at the first start of this version.
UPDATE webhook_events
SET delivery_key = printf('%015d|', event_time) || delivery_key
WHERE event_time IS NOT NULL
  AND substr(delivery_key, -71, 7) = 'sha256:'
  AND delivery_key NOT GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]|*';
