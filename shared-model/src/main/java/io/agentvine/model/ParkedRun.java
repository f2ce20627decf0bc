package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A run that parked while a human decided — the agent's question, or the approval before a push — and, once
 * decided, the decision. The worker that parked saved the agent's work as a commit on the private ref
 * {@code ref} of the order's repository ({@code refs/agentvine/parked/<task>}; null {@code commit}: nothing had
 * changed) and its session with the controller; the worker that claims the order again fetches the ref, puts the
 * session back and resumes the agent with the answer (or, for an approval, pushes or not as decided).
 *
 * @param kind       what the run waited for: {@code question} or {@code approval}
 * @param requestId  the clarification request the human answers
 * @param question   the question, or what the approval is about
 * @param ref        where the work was saved: {@code refs/agentvine/parked/<task id>}
 * @param commit     the saved commit, or null when the run had changed nothing yet
 * @param agent      the adapter that ran (claude-code, codex, …)
 * @param sessionId  its session, if it named one (kept by the controller under the task)
 * @param parkedAt   when the run parked
 * @param decision   null while parked; then answered, expired, approved or rejected
 * @param answer     the answer's text (or the reason of an expiry), if any
 * @param answeredBy who answered
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParkedRun(
        ClarificationKind kind,
        String requestId,
        String question,
        String ref,
        String commit,
        String agent,
        String sessionId,
        Instant parkedAt,
        ClarificationStatus decision,
        String answer,
        String answeredBy) {

    public static final String REF_PREFIX = "refs/agentvine/parked/";
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    public ParkedRun {
        Check.required(kind, "parked.kind");
        Check.id(requestId, "parked.request_id");
        question = Check.maxLength(question == null ? "" : question, "parked.question", ClarificationRequest.MAX_QUESTION_LENGTH);
        if (ref == null || !ref.startsWith(REF_PREFIX)) {
            throw new InvalidMessageException("parked.ref", "must be a ref under " + REF_PREFIX);
        }
        BranchNames.check(ref.substring(REF_PREFIX.length()), "parked.ref");
        if (commit != null && !COMMIT.matcher(commit).matches()) {
            throw new InvalidMessageException("parked.commit", "must be a 40-character commit id");
        }
        agent = Check.optionalText(agent, "parked.agent", 64);
        if (sessionId != null && !SESSION.matcher(sessionId).matches()) {
            throw new InvalidMessageException("parked.session_id", "must be 1-128 characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit");
        }
        Check.required(parkedAt, "parked.parked_at");
        answer = Check.maxLength(answer, "parked.answer", ClarificationResponse.MAX_ANSWER_LENGTH + 1000);
        answeredBy = Check.optionalText(answeredBy, "parked.answered_by", 200);
    }

    /** The ref a task's parked work is saved on. */
    public static String refOf(String taskId) {
        return REF_PREFIX + taskId;
    }

    /** The same parked run with the human's decision. */
    public ParkedRun decided(ClarificationStatus newDecision, String newAnswer, String by) {
        return new ParkedRun(kind, requestId, question, ref, commit, agent, sessionId, parkedAt, newDecision, newAnswer, by);
    }
}
