-- 0013 — the front desk (issue 14): staff accounts, their sessions, API tokens,
-- an opaque id for each seeker, and row-level security by region.
--
-- Passwords are bcrypt hashes (made by the application, cost >= 10); session ids
-- and API tokens are random and stored only as their SHA-256, so a copy of this
-- database opens no session. A user or token limited to regions sees those
-- regions and their sub-regions; no row in app_user_region means every region.

CREATE TABLE IF NOT EXISTS app_user (
    username         text PRIMARY KEY,
    role             text NOT NULL,
    password_hash    text NOT NULL,
    disabled         boolean NOT NULL DEFAULT false,
    failed_logins    integer NOT NULL DEFAULT 0,
    locked_until     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT app_user_role_valid CHECK (role IN ('admin', 'staff', 'viewer')),
    CONSTRAINT app_user_name_format CHECK (username ~ '^[A-Za-z0-9_.-]{1,64}$')
);

CREATE TABLE IF NOT EXISTS app_user_region (
    username     text NOT NULL REFERENCES app_user (username) ON DELETE CASCADE,
    region_code  text NOT NULL REFERENCES region (code),
    PRIMARY KEY (username, region_code)
);

CREATE TABLE IF NOT EXISTS web_session (
    session_hash  text PRIMARY KEY,            -- hex SHA-256 of the cookie's value
    username      text NOT NULL REFERENCES app_user (username) ON DELETE CASCADE,
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS web_session_user_idx ON web_session (username);

CREATE TABLE IF NOT EXISTS api_token (
    name          text PRIMARY KEY,
    token_hash    text NOT NULL UNIQUE,        -- hex SHA-256 of the token
    role          text NOT NULL,
    revoked_at    timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    CONSTRAINT api_token_role_valid CHECK (role IN ('staff', 'viewer')),
    CONSTRAINT api_token_name_format CHECK (name ~ '^[A-Za-z0-9_.-]{1,64}$')
);

CREATE TABLE IF NOT EXISTS api_token_region (
    name         text NOT NULL REFERENCES api_token (name) ON DELETE CASCADE,
    region_code  text NOT NULL REFERENCES region (code),
    PRIMARY KEY (name, region_code)
);

-- No identity in a URL: a seeker is addressed by this opaque id, random, not
-- derived from the certificate or the resident ID.
ALTER TABLE seeker ADD COLUMN IF NOT EXISTS seeker_id text NOT NULL
    DEFAULT replace(gen_random_uuid()::text, '-', '');
-- A constraint, not a bare index: bulk loads suspend only indexes no constraint owns.
ALTER TABLE seeker DROP CONSTRAINT IF EXISTS seeker_seeker_id_unique;
ALTER TABLE seeker ADD CONSTRAINT seeker_seeker_id_unique UNIQUE (seeker_id);

-- Row-level security by region. The web sets `jobmatch.regions` on its session
-- before every request: '*' for a user of every region, else the comma-separated
-- codes of the user's regions and their sub-regions. For the web's database role
-- (jobmatch_web, deploy/roles.sql) an unset setting shows nothing; the daemon and
-- the commands (other roles) never set it and see every row. The table's owner
-- bypasses the policy (migrations).
ALTER TABLE seeker ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS seeker_by_region ON seeker;
CREATE POLICY seeker_by_region ON seeker
    USING (
        CASE coalesce(current_setting('jobmatch.regions', true), '')
            WHEN '' THEN current_user <> 'jobmatch_web'
            WHEN '*' THEN true
            ELSE town_code = ANY (string_to_array(current_setting('jobmatch.regions', true), ','))
        END
    );
