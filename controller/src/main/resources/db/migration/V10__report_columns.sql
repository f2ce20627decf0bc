-- The reports (GET /api/v1/reports/*) read task_attempts alone: a run carries what they group and filter
-- by, copied from its task when the run is written (AttemptAccounting), so no report joins the tasks table
-- (800,000 rows in the benchmark; docs/performance.md, "Reports over 1,000,000 runs"). type, repository,
-- model tier, model and creation time never change on a task; task_state is kept equal to the task's by
-- TaskStore on every change of it. reported_at is the instant a run counts at: its start, or its end when
-- its start was never seen. Runs written before this migration are filled from their tasks below (the same
-- statement on H2 and PostgreSQL; on PostgreSQL it rewrites every row of task_attempts once).
ALTER TABLE task_attempts ADD COLUMN task_type VARCHAR(32);
ALTER TABLE task_attempts ADD COLUMN repository_url VARCHAR(2000);
ALTER TABLE task_attempts ADD COLUMN model_tier VARCHAR(16);
ALTER TABLE task_attempts ADD COLUMN task_model VARCHAR(100);
ALTER TABLE task_attempts ADD COLUMN task_state VARCHAR(24);
ALTER TABLE task_attempts ADD COLUMN task_created_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE task_attempts ADD COLUMN reported_at TIMESTAMP WITH TIME ZONE;

UPDATE task_attempts SET (task_type, repository_url, model_tier, task_model, task_state, task_created_at) =
        (SELECT t.type, t.repository_url, t.model_tier, t.model, t.state, t.created_at FROM tasks t
         WHERE t.id = task_attempts.task_id),
    reported_at = COALESCE(started_at, ended_at);

ALTER TABLE task_attempts ALTER COLUMN task_type SET NOT NULL;
ALTER TABLE task_attempts ALTER COLUMN repository_url SET NOT NULL;
ALTER TABLE task_attempts ALTER COLUMN model_tier SET NOT NULL;
ALTER TABLE task_attempts ALTER COLUMN task_model SET NOT NULL;
ALTER TABLE task_attempts ALTER COLUMN task_state SET NOT NULL;
ALTER TABLE task_attempts ALTER COLUMN task_created_at SET NOT NULL;

-- The window is one range on reported_at (V8's two indexes served "started in it, or ended in it without a
-- start"); a type or repository filter reads only its own runs.
DROP INDEX task_attempts_started;
DROP INDEX task_attempts_ended;
CREATE INDEX task_attempts_reported ON task_attempts (reported_at);
CREATE INDEX task_attempts_type_reported ON task_attempts (task_type, reported_at);
CREATE INDEX task_attempts_repository_reported ON task_attempts (repository_url, reported_at);
