-- 0006 — the daemon (issue 6): scheduled requests and the scheduler's memory.
--
-- Why: every replica evaluates the same schedules, so a scheduled firing must
-- enqueue each region's request at most once whoever fires it first: the
-- unique key (job, region_code, scheduled_for) makes that enqueue idempotent
-- (on-demand requests leave job and scheduled_for NULL, and NULLs never
-- collide). schedule_state keeps the last firing per job across restarts, so a
-- firing missed while every daemon was down runs once at the next start.

ALTER TABLE match_request ADD COLUMN IF NOT EXISTS job text;
ALTER TABLE match_request ADD COLUMN IF NOT EXISTS scheduled_for timestamptz;
ALTER TABLE match_request ADD CONSTRAINT match_request_schedule_unique UNIQUE (job, region_code, scheduled_for);

-- Backs the claim query's "no live run of this region" test.
CREATE INDEX IF NOT EXISTS match_request_running_region_idx ON match_request (region_code) WHERE state = 'running';

CREATE TABLE IF NOT EXISTS schedule_state (
    job            text PRIMARY KEY,
    last_fired_at  timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
