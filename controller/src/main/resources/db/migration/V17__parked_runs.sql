-- Runs parked while a human decides (issue #21): the task waits in state 'parked', its order in the queue's
-- parked set, and this row says on which request and where the worker saved the work (the ParkedRun JSON the
-- worker reported, without the decision). One row per task: its latest park.
CREATE TABLE parked_runs (
    task_id     VARCHAR(128)  NOT NULL PRIMARY KEY,
    request_id  VARCHAR(128)  NOT NULL,
    kind        VARCHAR(16)   NOT NULL,
    parked      VARCHAR(20000) NOT NULL,
    worker_id   VARCHAR(128),
    parked_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX parked_runs_request ON parked_runs (request_id);
