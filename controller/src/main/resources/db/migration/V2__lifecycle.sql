-- Every lifecycle event applied, by its id: a redelivered event (a controller that crashed after
-- its database write but before acknowledging the stream entry) is recognised and skipped.
CREATE TABLE lifecycle_events (
    event_id   VARCHAR(128)     NOT NULL PRIMARY KEY,
    type       VARCHAR(32)      NOT NULL,
    task_id    VARCHAR(128)     NOT NULL,
    worker_id  VARCHAR(64)      NOT NULL,
    attempt    INTEGER          NOT NULL,
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    payload    VARCHAR(1000000) NOT NULL
);
CREATE INDEX lifecycle_events_task ON lifecycle_events (task_id);
