-- V1 created a first clarifications table that nothing ever wrote to: replaced by this one.
DROP TABLE clarifications;

-- Questions and approvals from workers, and how each ended. A request is stored once (its id is the
-- worker's); status moves pending -> answered | approved | rejected | expired | orphaned, once.
CREATE TABLE clarifications (
    id               VARCHAR(128)     NOT NULL PRIMARY KEY,
    kind             VARCHAR(16)      NOT NULL,
    status           VARCHAR(16)      NOT NULL,
    worker_id        VARCHAR(128)     NOT NULL,
    work_order_id    VARCHAR(128)     NOT NULL,
    task_id          VARCHAR(128)     NOT NULL,
    task_type        VARCHAR(64),
    question         VARCHAR(8000)    NOT NULL,
    options          VARCHAR(10000)   NOT NULL,
    context          VARCHAR(100000)  NOT NULL,
    diff_summary     VARCHAR(70000),
    changed_files    VARCHAR(1000000) NOT NULL,
    conversation_id  VARCHAR(128)     NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    answer           VARCHAR(8000),
    answered_by      VARCHAR(200),
    answered_at      TIMESTAMP WITH TIME ZONE,
    request          VARCHAR(1000000) NOT NULL
);
CREATE INDEX clarifications_status ON clarifications (status, expires_at);
CREATE INDEX clarifications_task ON clarifications (task_id);
CREATE INDEX clarifications_work_order ON clarifications (work_order_id, status);
