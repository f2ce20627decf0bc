-- Dashboard sign-ins (controller security.UiSessions). The browser holds a random 256-bit id in an
-- HttpOnly cookie; only its SHA-256 (hex) is stored. A session ends at expires_at or when revoked
-- (sign-out), and with the key it was opened with (checked on every request).
CREATE TABLE ui_sessions (
    id_hash     VARCHAR(64)  NOT NULL PRIMARY KEY,
    role        VARCHAR(16)  NOT NULL,
    key_name    VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ui_sessions_expires ON ui_sessions (expires_at);
