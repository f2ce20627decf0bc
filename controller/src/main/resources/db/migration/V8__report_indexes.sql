-- The reports (GET /api/v1/reports/*) select runs by when they started, or by when they ended for a run
-- whose start was never seen; the tasks they belong to are found by primary key, and the queue-wait
-- figure selects tasks by creation time (tasks_created, V1). Benchmark: docs/performance.md, "Reports".
CREATE INDEX task_attempts_started ON task_attempts (started_at);
CREATE INDEX task_attempts_ended ON task_attempts (ended_at);
