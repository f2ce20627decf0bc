-- An agent's session kept for a later task to resume (issue #21): a follow-up resumes its parent's session.
-- archive is base64 of a zip of the agent CLI's session files (at most 900,000 characters; secrets replaced
-- by the worker). One row per task: its latest attempt's session.
CREATE TABLE agent_sessions (
    task_id     VARCHAR(128)   NOT NULL PRIMARY KEY,
    agent       VARCHAR(64)    NOT NULL,
    session_id  VARCHAR(128)   NOT NULL,
    archive     VARCHAR(1000000) NOT NULL,
    worker_id   VARCHAR(128),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
