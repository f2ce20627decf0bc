-- A lease-expiry or stale-worker recovery hands the order to another worker without using an attempt
-- (the queue counts those as stalls), so two runs can share an attempt number: the history keeps one
-- row per run, told apart by the worker that ran it.
ALTER TABLE task_attempts DROP CONSTRAINT task_attempts_task_attempt;
ALTER TABLE task_attempts ADD CONSTRAINT task_attempts_run UNIQUE (task_id, attempt, worker_id);
