-- Only tasks with a delivery pending are in the retry job's index: a finished task (most of them) adds no entry.
DROP INDEX tasks_pending;
CREATE INDEX tasks_pending ON tasks (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
