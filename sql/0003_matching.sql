-- 0003 — matching: requests (a queue any number of daemon replicas claim from),
-- runs, and what a run wrote: proposals, every eligible pair, and every
-- unmatched seeker with a reason (DESIGN.md, "A matching run, end to end").
--
-- A run and all its rows are written in one transaction, so a run that dies
-- leaves nothing; its request goes back to the queue when its lease expires.

CREATE TABLE match_request (
    request_id     bigserial PRIMARY KEY,
    region_code    text NOT NULL,
    run_date       date,                      -- NULL: the date the run starts
    state          text NOT NULL DEFAULT 'queued',
    priority       integer NOT NULL DEFAULT 0,
    requested_by   text NOT NULL,
    requested_at   timestamptz NOT NULL DEFAULT now(),
    due_at         timestamptz NOT NULL DEFAULT now(),
    attempts       integer NOT NULL DEFAULT 0,
    claimed_by     text,
    claimed_at     timestamptz,
    lease_until    timestamptz,
    finished_at    timestamptz,
    run_id         bigint,
    error          text,
    CONSTRAINT match_request_state_valid CHECK (state IN ('queued', 'running', 'done', 'failed')),
    CONSTRAINT match_request_region_fk FOREIGN KEY (region_code) REFERENCES region (code)
);
-- Backs the claim query: ready rows in (priority, due_at, request_id) order.
CREATE INDEX match_request_ready_idx ON match_request (priority, due_at, request_id) WHERE state = 'queued';
CREATE INDEX match_request_lease_idx ON match_request (lease_until) WHERE state = 'running';

-- Wakes listening daemons; a hint only: daemons poll as well.
CREATE OR REPLACE FUNCTION match_request_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('jobmatch_match_request', NEW.request_id::text);
    RETURN NEW;
END $$;
CREATE TRIGGER match_request_notify_trigger AFTER INSERT ON match_request
    FOR EACH ROW EXECUTE FUNCTION match_request_notify();

CREATE TABLE match_run (
    run_id                bigserial PRIMARY KEY,
    request_id            bigint,
    region_code           text NOT NULL,
    run_date              date NOT NULL,
    snapshot_at           timestamptz NOT NULL,
    started_at            timestamptz NOT NULL,
    finished_at           timestamptz NOT NULL,
    seekers               integer NOT NULL,
    openings              integer NOT NULL,
    pairs                 bigint NOT NULL,
    objective_households  integer NOT NULL,
    objective_priority    integer NOT NULL,
    objective_placed      integer NOT NULL,
    objective_score       bigint NOT NULL,
    timings               jsonb NOT NULL DEFAULT '{}',
    created_by            text NOT NULL,
    CONSTRAINT match_run_request_fk FOREIGN KEY (request_id) REFERENCES match_request (request_id),
    CONSTRAINT match_run_region_fk FOREIGN KEY (region_code) REFERENCES region (code)
);
CREATE INDEX match_run_region_idx ON match_run (region_code, run_id DESC);
ALTER TABLE match_request ADD CONSTRAINT match_request_run_fk FOREIGN KEY (run_id) REFERENCES match_run (run_id);

CREATE TABLE proposal (
    proposal_id     bigserial PRIMARY KEY,
    run_id          bigint NOT NULL,
    certificate_no  text NOT NULL,
    opening_id      text NOT NULL,
    score           integer NOT NULL,
    score_parts     jsonb NOT NULL,
    reasons         jsonb NOT NULL,
    confirmed_at    timestamptz,
    CONSTRAINT proposal_run_fk FOREIGN KEY (run_id) REFERENCES match_run (run_id) ON DELETE CASCADE,
    CONSTRAINT proposal_seeker_unique UNIQUE (run_id, certificate_no),
    CONSTRAINT proposal_score_range CHECK (score BETWEEN 0 AND 1000)
);
ALTER TABLE placement ADD CONSTRAINT placement_proposal_fk FOREIGN KEY (proposal_id) REFERENCES proposal (proposal_id);

CREATE TABLE candidate (
    run_id          bigint NOT NULL,
    certificate_no  text NOT NULL,
    opening_id      text NOT NULL,
    score           smallint NOT NULL,
    CONSTRAINT candidate_pk PRIMARY KEY (run_id, certificate_no, opening_id),
    CONSTRAINT candidate_run_fk FOREIGN KEY (run_id) REFERENCES match_run (run_id) ON DELETE CASCADE
);

CREATE TABLE unmatched (
    run_id          bigint NOT NULL,
    certificate_no  text NOT NULL,
    reason          text NOT NULL,
    detail          jsonb NOT NULL,
    CONSTRAINT unmatched_pk PRIMARY KEY (run_id, certificate_no),
    CONSTRAINT unmatched_run_fk FOREIGN KEY (run_id) REFERENCES match_run (run_id) ON DELETE CASCADE,
    CONSTRAINT unmatched_reason_valid CHECK (reason IN ('no_eligible_opening', 'outcompeted'))
);
