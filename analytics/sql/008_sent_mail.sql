-- Work-Plan Pulse schema, version 8: the sent-mail log.
-- One row per message sent or tried (reminders to owners, digests), so a round is never sent
-- twice for the same owner and period and a rerun after a crash sends only what is missing.
-- Idempotent: every statement can run again on an existing database.
-- Written only by analytics/mail/outbox.py (send_batch); every row is also a line in audit_log.

-- `sent_mark` is TRUE on the row of a message that was sent and NULL on a failed try: the
-- UNIQUE key ignores NULLs, so a message (plan, kind, key, period) is logged as sent at most
-- once while its failed tries stay beside it (DuckDB has no partial unique indexes).
CREATE TABLE IF NOT EXISTS sent_mail (
    plan_id    INTEGER NOT NULL,                      -- plans.id
    kind       VARCHAR NOT NULL CHECK (kind IN ('reminder', 'digest')),
    key        VARCHAR NOT NULL,                      -- whom it is for, e.g. the owner
    period     VARCHAR NOT NULL,                      -- what round, e.g. '2026-11'
    recipients VARCHAR NOT NULL,                      -- To, Cc and Bcc addresses, ', '-joined
    subject    VARCHAR NOT NULL,
    message_id VARCHAR,                               -- the Message-ID header
    sent_at    TIMESTAMP NOT NULL,                    -- UTC; when it was sent or tried
    outcome    VARCHAR NOT NULL CHECK (outcome IN ('sent', 'failed')),
    error      VARCHAR,                               -- why a try failed, in words
    sent_mark  BOOLEAN CHECK ((outcome = 'sent') = (sent_mark IS NOT NULL)),
    UNIQUE (plan_id, kind, key, period, sent_mark)
);
