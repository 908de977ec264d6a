-- Work-Plan Pulse schema, version 2: accounts, roles and sign-in back-off.
-- Idempotent: every statement can run again on an existing database.
-- Written only by analytics/auth.py (the `workplan user` commands and the sign-in form).

-- One row per person allowed in. In password mode `name` is a user name and
-- `password_hash` a bcrypt hash; in oidc mode `name` is the email address the
-- identity provider returns and `password_hash` is NULL. Names are stored lower-case.
CREATE TABLE IF NOT EXISTS users (
    name            VARCHAR PRIMARY KEY,
    role            VARCHAR NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash   VARCHAR,                          -- bcrypt; NULL = oidc only
    created_at      TIMESTAMP NOT NULL,               -- UTC
    updated_at      TIMESTAMP,                        -- UTC, last role or password change
    last_sign_in_at TIMESTAMP                         -- UTC
);

-- Failed sign-ins per attempted name, known or not (so the back-off does not reveal
-- which names exist). Cleared by a successful sign-in; kept in the database so the
-- back-off survives page reloads and new sessions.
CREATE TABLE IF NOT EXISTS sign_in_failures (
    name            VARCHAR PRIMARY KEY,
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    last_failed_at  TIMESTAMP NOT NULL,               -- UTC
    locked_until    TIMESTAMP                         -- UTC; no attempt is checked before it
);
