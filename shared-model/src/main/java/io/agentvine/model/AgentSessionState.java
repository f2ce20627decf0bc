package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.regex.Pattern;

/**
 * What an agent CLI keeps of a session on the worker's disk, so that a later task — a follow-up on another
 * worker — can resume the same session: the agent's name, the session id and the session's files as a zip
 * archive (base64), their paths relative to the agent's own session directory. Secrets the worker knows are
 * replaced before the archive is made.
 *
 * @param archive base64 of a zip archive, at most {@link #MAX_ARCHIVE_CHARS} characters
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentSessionState(String agent, String sessionId, String archive) {
    /** Under the controller's 1 MB request limit. */
    public static final int MAX_ARCHIVE_CHARS = 900_000;
    private static final Pattern AGENT = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=]*");

    public AgentSessionState {
        if (agent == null || !AGENT.matcher(agent).matches()) {
            throw new InvalidMessageException("agent", "must be 1-64 characters of a-z 0-9 -");
        }
        if (sessionId == null || !SESSION.matcher(sessionId).matches()) {
            throw new InvalidMessageException("session_id", "must be 1-128 characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit");
        }
        Check.requiredText(archive, "archive", MAX_ARCHIVE_CHARS);
        if (!BASE64.matcher(archive).matches()) {
            throw new InvalidMessageException("archive", "must be base64");
        }
    }
}
