-- Work-Plan Pulse schema, version 9: the language each owner is written to (`en` or `fr`).
-- Idempotent: every statement can run again on an existing database.
-- Written by analytics/contacts/ (the contacts sheet's optional `language` column); read by the
-- reminder and digest mail, which write to an owner in that language (issue 18).
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS language VARCHAR DEFAULT 'en';
ALTER TABLE contact_history ADD COLUMN IF NOT EXISTS language VARCHAR DEFAULT 'en';
