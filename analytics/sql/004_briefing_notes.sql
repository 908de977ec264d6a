-- Work-Plan Pulse schema, version 4: the key messages and decisions sought of each meeting.
-- Idempotent: every statement can run again on an existing database.
-- Written only by analytics/briefing_notes.py (the Briefing pack page and `workplan notes`);
-- every save is also a line in audit_log.

-- One row per meeting (a dialogue with the other party): what the editor wants officials to
-- take away and what they are asked to decide, as plain text, one bullet per line. A meeting's
-- notes stay editable until notes for a later meeting are saved.
CREATE TABLE IF NOT EXISTS briefing_notes (
    meeting_date DATE PRIMARY KEY,
    key_messages VARCHAR NOT NULL DEFAULT '',
    decisions    VARCHAR NOT NULL DEFAULT '',
    updated_by   VARCHAR NOT NULL,
    updated_at   TIMESTAMP NOT NULL                   -- UTC
);
