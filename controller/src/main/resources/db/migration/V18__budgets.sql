-- Budgets in layers (issue #22): daily caps for the fleet, per task type and per repository, and a cap per chain.
--
-- budget_spend: what each run (attempt_key: task, attempt, worker) spent on each day (the budget's day, UTC by
-- default), with the scopes it counts in copied from its task (repository_key: the repository's key, host and path,
-- the same for every form of its URL: WorkBranches.repositoryKey). A run's usage reaches the controller once (the
-- lifecycle event's id is recorded first), so a run counts once, released and recovered runs included.
CREATE TABLE budget_spend (
    attempt_key     VARCHAR(300)  NOT NULL,
    budget_day      DATE          NOT NULL,
    task_id         VARCHAR(128)  NOT NULL,
    task_type       VARCHAR(64)   NOT NULL,
    repository_key  VARCHAR(2000) NOT NULL,
    chain_id        VARCHAR(128),
    usd             DOUBLE PRECISION NOT NULL,
    tokens          BIGINT        NOT NULL,
    PRIMARY KEY (attempt_key, budget_day)
);
CREATE INDEX budget_spend_day ON budget_spend (budget_day);
CREATE INDEX budget_spend_chain ON budget_spend (chain_id);

-- budget_caps: an operator's cap for a scope (scope fleet/type/repo/chain, scope_key its name), in place of the
-- configured one; null usd or tokens: that unit has no cap.
CREATE TABLE budget_caps (
    scope       VARCHAR(16)   NOT NULL,
    scope_key   VARCHAR(2000) NOT NULL,
    usd         DOUBLE PRECISION,
    tokens      BIGINT,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (scope, scope_key)
);

-- budget_alerts: which thresholds (80, 90, 100 %) fired for a scope on a day, so each fires once.
CREATE TABLE budget_alerts (
    scope       VARCHAR(16)   NOT NULL,
    scope_key   VARCHAR(2000) NOT NULL,
    budget_day  DATE          NOT NULL,
    threshold   INTEGER       NOT NULL,
    fired_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (scope, scope_key, budget_day, threshold)
);

-- budget_resumes: an operator resumed a scope at once: its cap does not hold it for the rest of that day.
CREATE TABLE budget_resumes (
    scope       VARCHAR(16)   NOT NULL,
    scope_key   VARCHAR(2000) NOT NULL,
    budget_day  DATE          NOT NULL,
    resumed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (scope, scope_key, budget_day)
);

-- budget_holds: tasks the budget holds in state 'waiting', outside the queue (a repository's or a chain's cap was
-- reached); chains.ChainReleaser leaves them alone until the hold is lifted.
CREATE TABLE budget_holds (
    task_id     VARCHAR(128)  NOT NULL PRIMARY KEY,
    scope       VARCHAR(16)   NOT NULL,
    scope_key   VARCHAR(2000) NOT NULL,
    held_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

