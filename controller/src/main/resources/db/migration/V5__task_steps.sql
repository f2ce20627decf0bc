-- The step a running task is at on its worker (io.agentvine.model.RunStep's wire name) and since when:
-- set from the worker's step_changed events and heartbeats, cleared when the task leaves running.
ALTER TABLE tasks ADD COLUMN step VARCHAR(32);
ALTER TABLE tasks ADD COLUMN step_since TIMESTAMP WITH TIME ZONE;
