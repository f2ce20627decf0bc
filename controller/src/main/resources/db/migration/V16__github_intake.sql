-- Tasks from GitHub (issue #22): each webhook delivery once (a redelivery does nothing), and the automatic
-- follow-ups each pull request the fleet opened has had (reviews, failed checks), so that nothing loops.
CREATE TABLE github_deliveries (
    delivery_id  VARCHAR(128) NOT NULL PRIMARY KEY,
    event        VARCHAR(64)  NOT NULL,
    outcome      VARCHAR(500) NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX github_deliveries_received ON github_deliveries (received_at);

CREATE TABLE github_pull_follow_ups (
    pull_key     VARCHAR(300) NOT NULL PRIMARY KEY,
    follow_ups   INTEGER      NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
