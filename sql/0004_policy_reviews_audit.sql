-- 0004 — the policy book, stored reviews and the audit trail.
--
-- Policy: a change is a new dated row, never an edit of history, so a stored
-- review can always name the rows it rested on. Reviews: reviewing again makes
-- a new version beside the old one. Audit: append-only — enforced here by a
-- trigger, and for the application role by privileges (deploy/roles.sql).

CREATE TABLE policy_parameter (
    parameter_id  bigserial PRIMARY KEY,
    key           text NOT NULL,
    jurisdiction  text NOT NULL,
    valid_from    date NOT NULL,
    valid_to      date,
    value         text NOT NULL,
    source        text NOT NULL,
    status        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT policy_parameter_unique UNIQUE (key, jurisdiction, valid_from),
    CONSTRAINT policy_parameter_status_valid CHECK (status IN ('verified', 'secondary', 'placeholder')),
    CONSTRAINT policy_parameter_dates_ordered CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE TABLE review (
    review_id     bigserial PRIMARY KEY,
    credit_code   text NOT NULL,
    year          integer NOT NULL,
    version       integer NOT NULL,
    status        text NOT NULL,
    levy_fen      bigint,
    reward_fen    bigint,
    result        jsonb NOT NULL,
    worksheet     text,                   -- rendered when asked for (review --employer, --worksheets)
    parameter_ids bigint[] NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    CONSTRAINT review_version_unique UNIQUE (credit_code, year, version),
    CONSTRAINT review_employer_fk FOREIGN KEY (credit_code) REFERENCES employer (credit_code),
    CONSTRAINT review_status_valid CHECK (status IN ('reviewed', 'missing_employer_year', 'no_staff')),
    CONSTRAINT review_levy_nonnegative CHECK (levy_fen IS NULL OR levy_fen >= 0),
    CONSTRAINT review_reward_nonnegative CHECK (reward_fen IS NULL OR reward_fen >= 0)
);

CREATE TABLE audit_log (
    audit_id   bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text NOT NULL,
    action     text NOT NULL,
    subject    text NOT NULL DEFAULT '',
    detail     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Retention may prune rows older than the legal minimum (6 months), nothing younger.
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '6 months' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only_trigger BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
