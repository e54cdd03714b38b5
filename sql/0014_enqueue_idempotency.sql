-- 0014 — a request enqueued through a database failover is made once (issue 18).
--
-- `jobmatch match --enqueue` retries while no primary is writable; it sends the
-- same client-chosen idempotency key each time and writes the request and its
-- audit row in one transaction, so a retry after a lost COMMIT reply finds the
-- request it already made instead of making a second one. NULL for requests
-- made without a key (schedules, older clients); NULLs never conflict.
ALTER TABLE match_request ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX match_request_idempotency_key_idx ON match_request (idempotency_key);
