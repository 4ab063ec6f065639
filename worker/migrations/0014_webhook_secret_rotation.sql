-- A subscription's secret can be rotated without missing a delivery: for a day after a
-- rotation the previous secret still signs each delivery beside the new one (Standard
-- Webhooks sends both signatures in one header), so a receiver can switch at its pace.
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret TEXT;
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret_until INTEGER; -- Unix ms
