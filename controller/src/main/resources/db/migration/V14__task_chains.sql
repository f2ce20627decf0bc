-- Sessions (issue #21): tasks that wait for others, and tasks that continue another task's work branch.
--
-- task_dependencies: task_id waits (state 'waiting', outside the Redis queue) until every parent_id
-- completed; a parent that fails, is dead-lettered or cancelled cancels it (tasks.ChainReleaser).
CREATE TABLE task_dependencies (
    task_id    VARCHAR(128) NOT NULL,
    parent_id  VARCHAR(128) NOT NULL,
    PRIMARY KEY (task_id, parent_id)
);
CREATE INDEX task_dependencies_parent ON task_dependencies (parent_id);

-- task_chains: one row per task that belongs to a chain (a follow-up, a pipeline's step, or the first
-- task a follow-up was made from). chain_id is the chain's first task; continues_task_id the task whose
-- work branch this one continues; step the pipeline step's name. The first task's row carries the
-- chain's limits: follow-ups allowed and the cost the whole chain may spend (USD).
CREATE TABLE task_chains (
    task_id            VARCHAR(128) NOT NULL PRIMARY KEY,
    chain_id           VARCHAR(128) NOT NULL,
    continues_task_id  VARCHAR(128),
    step               VARCHAR(64),
    max_follow_ups     INTEGER,
    max_cost_usd       DOUBLE PRECISION,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX task_chains_chain ON task_chains (chain_id, created_at);
