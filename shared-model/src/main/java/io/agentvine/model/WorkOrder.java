package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One unit of work for one worker type: what the agent must do, where, and within which limits.
 * This is the payload that travels through the Redis queue; the queue keeps its own bookkeeping
 * (level, attempts, lease) beside it and overlays {@code priority} and {@code attempt} at claim time.
 *
 * @param id             work-order id, unique per enqueue ([A-Za-z0-9._:-], at most 128 characters)
 * @param taskId         the controller's task id; defaults to {@code id}
 * @param branch         base branch to clone; null means the remote's default branch
 * @param attempt        1-based number of the attempt a worker is running; 0 before the first claim
 * @param maxAttempts    attempts before the order is dead-lettered (default 3)
 * @param continuation   the work branch this task continues (a follow-up or a chain's next step); null: a new one
 * @param parked         a run of this order that parked while a human decided, with the decision (set when the
 *                       controller sends the order back to the queue); null: nothing to resume
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkOrder(
        Integer schemaVersion,
        String id,
        String taskId,
        TaskType type,
        Priority priority,
        String repositoryUrl,
        String branch,
        String title,
        String instructions,
        PermissionLevel permissionLevel,
        String testCommand,
        ModelTier modelTier,
        String model,
        Budget budget,
        String idempotencyKey,
        Integer attempt,
        Integer maxAttempts,
        Instant createdAt,
        Instant updatedAt,
        Map<String, Object> metadata,
        Continuation continuation,
        ParkedRun parked) {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int MAX_TITLE_LENGTH = 200;
    public static final int MAX_INSTRUCTIONS_LENGTH = 100_000;
    public static final int MAX_TEST_COMMAND_LENGTH = 1000;
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):[^\\s]+");

    public WorkOrder {
        schemaVersion = Check.schemaVersion(schemaVersion);
        Check.id(id, "id");
        taskId = Check.id(taskId == null ? id : taskId, "task_id");
        Check.required(type, "type");
        priority = priority == null ? Priority.DEFAULT : priority;
        repositoryUrl = validateRepositoryUrl(repositoryUrl);
        BranchNames.check(branch, "branch");
        title = Check.requiredText(title, "title", MAX_TITLE_LENGTH);
        instructions = Check.maxLength(instructions == null ? "" : instructions, "instructions", MAX_INSTRUCTIONS_LENGTH);
        permissionLevel = permissionLevel == null ? PermissionLevel.SUPERVISED : permissionLevel;
        testCommand = Check.optionalText(testCommand, "test_command", MAX_TEST_COMMAND_LENGTH);
        modelTier = modelTier == null ? priority.tier() : modelTier;
        model = Check.optionalText(model, "model", 100);
        budget = budget == null ? Budget.defaults() : budget;
        idempotencyKey = Check.optionalText(idempotencyKey, "idempotency_key", 200);
        attempt = Check.nonNegative(attempt == null ? 0 : attempt, "attempt");
        maxAttempts = Check.positive(maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts, "max_attempts");
        if (maxAttempts > 100) {
            throw new InvalidMessageException("max_attempts", "must be at most 100, was " + maxAttempts);
        }
        metadata = Check.metadata(metadata, "metadata");
    }

    /**
     * A URL's user name that is a credential: the forms of GitHub's and GitLab's tokens, {@code x-access-token}
     * (GitHub's user for a token), or 40 characters and more (no host's user names are that long; tokens are).
     */
    private static final java.util.regex.Pattern TOKEN_LIKE_USER = java.util.regex.Pattern.compile(
            "(?i)(gh[pousr]_|github_pat_|glpat-).*|x-access-token|.{40,}");

    /** Accepts https, http, ssh, git and file URLs and scp-like {@code user@host:path}; nothing else. */
    public static String validateRepositoryUrl(String url) {
        Check.requiredText(url, "repository_url", 2000);
        if (url.startsWith("-") || url.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidMessageException("repository_url", "must not start with '-' or contain white space");
        }
        java.util.regex.Matcher scp = SCP_LIKE.matcher(url);
        if (scp.matches() && !url.contains("://")) {
            // ssh would read a host such as "-oProxyCommand=..." as an option.
            if (scp.group(1).startsWith("-")) {
                throw new InvalidMessageException("repository_url", "host must not start with '-'");
            }
            return url;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException("repository_url", "'" + url + "' is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        switch (scheme) {
            case "https", "http", "ssh", "git" -> {
                if (uri.getHost() == null) {
                    throw new InvalidMessageException("repository_url", "'" + url + "' has no host");
                }
            }
            case "file" -> {
                if (uri.getPath() == null || uri.getPath().isEmpty()) {
                    throw new InvalidMessageException("repository_url", "'" + url + "' has no path");
                }
            }
            default -> throw new InvalidMessageException("repository_url",
                    "scheme '" + scheme + "' is not supported (https, http, ssh, git, file or user@host:path)");
        }
        if (uri.getUserInfo() != null && uri.getUserInfo().contains(":")) {
            throw new InvalidMessageException("repository_url",
                    "must not embed a password or token; workers take credentials from their environment");
        }
        // A token passed as the user name (https://ghp_…@github.com/…; GitHub and GitLab accept it) would be stored, shown
        // and written into every workspace's .git/config: refused, as a password is.
        if (uri.getUserInfo() != null && TOKEN_LIKE_USER.matcher(uri.getUserInfo()).matches()) {
            throw new InvalidMessageException("repository_url",
                    "must not embed a token as its user name; workers take credentials from their environment");
        }
        // git hands "user@host" to ssh as one argument: a user starting with '-' becomes an ssh option.
        if (uri.getUserInfo() != null && uri.getUserInfo().startsWith("-")) {
            throw new InvalidMessageException("repository_url", "user name must not start with '-'");
        }
        return url;
    }

    /** The scheme of {@link #repositoryUrl()}: https, http, ssh, git, file, or ssh for scp-like addresses. */
    public String repositoryScheme() {
        int i = repositoryUrl.indexOf("://");
        return i < 0 ? "ssh" : repositoryUrl.substring(0, i).toLowerCase(java.util.Locale.ROOT);
    }

    public QueueLevel queueLevel() {
        return priority.queueLevel();
    }

    public WorkOrder withAttempt(int newAttempt) {
        return new WorkOrder(schemaVersion, id, taskId, type, priority, repositoryUrl, branch, title, instructions,
                permissionLevel, testCommand, modelTier, model, budget, idempotencyKey, newAttempt, maxAttempts,
                createdAt, updatedAt, metadata, continuation, parked);
    }

    public WorkOrder withPriority(Priority newPriority) {
        return new WorkOrder(schemaVersion, id, taskId, type, newPriority, repositoryUrl, branch, title, instructions,
                permissionLevel, testCommand, modelTier, model, budget, idempotencyKey, attempt, maxAttempts,
                createdAt, updatedAt, metadata, continuation, parked);
    }

    public WorkOrder withContinuation(Continuation newContinuation) {
        return new WorkOrder(schemaVersion, id, taskId, type, priority, repositoryUrl, branch, title, instructions,
                permissionLevel, testCommand, modelTier, model, budget, idempotencyKey, attempt, maxAttempts,
                createdAt, updatedAt, metadata, newContinuation, parked);
    }

    public WorkOrder withParked(ParkedRun newParked) {
        return new WorkOrder(schemaVersion, id, taskId, type, priority, repositoryUrl, branch, title, instructions,
                permissionLevel, testCommand, modelTier, model, budget, idempotencyKey, attempt, maxAttempts,
                createdAt, updatedAt, metadata, continuation, newParked);
    }

    public static Builder builder(String id, TaskType type) {
        return new Builder(id, type);
    }

    /** Convenience for code and tests; JSON goes through the canonical constructor. */
    public static final class Builder {
        private final String id;
        private final TaskType type;
        private String taskId;
        private Priority priority;
        private String repositoryUrl;
        private String branch;
        private String title;
        private String instructions;
        private PermissionLevel permissionLevel;
        private String testCommand;
        private ModelTier modelTier;
        private String model;
        private Budget budget;
        private String idempotencyKey;
        private Integer maxAttempts;
        private Instant createdAt;
        private Map<String, Object> metadata;

        private Builder(String id, TaskType type) {
            this.id = id;
            this.type = type;
        }

        public Builder taskId(String v) { this.taskId = v; return this; }
        public Builder priority(Priority v) { this.priority = v; return this; }
        public Builder repositoryUrl(String v) { this.repositoryUrl = v; return this; }
        public Builder branch(String v) { this.branch = v; return this; }
        public Builder title(String v) { this.title = v; return this; }
        public Builder instructions(String v) { this.instructions = v; return this; }
        public Builder permissionLevel(PermissionLevel v) { this.permissionLevel = v; return this; }
        public Builder testCommand(String v) { this.testCommand = v; return this; }
        public Builder modelTier(ModelTier v) { this.modelTier = v; return this; }
        public Builder model(String v) { this.model = v; return this; }
        public Builder budget(Budget v) { this.budget = v; return this; }
        public Builder idempotencyKey(String v) { this.idempotencyKey = v; return this; }
        public Builder maxAttempts(Integer v) { this.maxAttempts = v; return this; }
        public Builder createdAt(Instant v) { this.createdAt = v; return this; }
        public Builder metadata(Map<String, Object> v) { this.metadata = v; return this; }

        public WorkOrder build() {
            return new WorkOrder(null, id, taskId, type, priority, repositoryUrl, branch, title, instructions,
                    permissionLevel, testCommand, modelTier, model, budget, idempotencyKey, 0, maxAttempts,
                    createdAt, createdAt, metadata, null, null);
        }
    }
}
