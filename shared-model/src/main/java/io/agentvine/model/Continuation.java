package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.regex.Pattern;

/**
 * What a task continues: another task's work branch (a follow-up, or the next step of a chain). The
 * worker starts from the head of {@code workBranch} on the remote (the earlier task's commits, plus
 * whatever was pushed on it since), commits on it and pushes it again without force; a pull request
 * already open for it ({@code pullRequestUrl}) is the task's pull request too. When the agent that did
 * the earlier task can resume its session ({@code agent} and {@code sessionId}), the adapter may resume
 * it; otherwise the earlier task's {@code summary} goes into the prompt.
 *
 * @param taskId         the task continued
 * @param workBranch     its work branch, {@code agentvine/…}; committed on and pushed again
 * @param startCommit    the branch's commit when the continued task ended, or null when it pushed none (the
 *                       branch may not exist on the remote then: the task starts from its base branch)
 * @param pullRequestUrl the pull request open for the branch, if any
 * @param agent          the adapter that ran the continued task (claude-code, codex, …), if known
 * @param sessionId      that agent's session id (Claude Code {@code session_id}, Codex {@code thread_id}), if any
 * @param summary        what the continued task did, as its agent or result said (at most 20,000 characters)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Continuation(
        String taskId,
        String workBranch,
        String startCommit,
        String pullRequestUrl,
        String agent,
        String sessionId,
        String summary) {

    public static final String WORK_BRANCH_PREFIX = "agentvine/";
    public static final int MAX_SUMMARY = 20_000;
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    public Continuation {
        Check.id(taskId, "continuation.task_id");
        BranchNames.check(Check.requiredText(workBranch, "continuation.work_branch", BranchNames.MAX_LENGTH),
                "continuation.work_branch");
        if (!workBranch.startsWith(WORK_BRANCH_PREFIX)) {
            throw new InvalidMessageException("continuation.work_branch",
                    "must be a work branch under " + WORK_BRANCH_PREFIX + ", was " + workBranch);
        }
        if (startCommit != null && !COMMIT.matcher(startCommit).matches()) {
            throw new InvalidMessageException("continuation.start_commit", "must be a 40-character commit id");
        }
        pullRequestUrl = Check.optionalText(pullRequestUrl, "continuation.pull_request_url", 2000);
        agent = Check.optionalText(agent, "continuation.agent", 64);
        if (sessionId != null && !SESSION.matcher(sessionId).matches()) {
            throw new InvalidMessageException("continuation.session_id", "must be 1-128 characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit");
        }
        summary = Check.maxLength(summary == null ? "" : summary, "continuation.summary", MAX_SUMMARY);
    }
}
