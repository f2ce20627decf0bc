package io.agentvine.worker.runtime;

import io.agentvine.model.AgentSessionState;
import io.agentvine.model.ClarificationKind;
import io.agentvine.model.Continuation;
import io.agentvine.model.ParkedRun;
import io.agentvine.model.WorkOrder;
import io.agentvine.worker.agent.AgentAdapter;
import io.agentvine.worker.agent.AgentAdapters;
import io.agentvine.worker.agent.session.SessionArchive;
import io.agentvine.worker.agent.session.SessionFiles;
import io.agentvine.worker.controlplane.ControllerClient;
import io.agentvine.worker.process.Secrets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent sessions across tasks and workers: after a run, the session its agent named is archived (secrets
 * replaced) and kept by the controller under the task; before a follow-up whose parent ran on the same agent,
 * the parent's session is put back where this worker's CLI looks for it, and the run resumes it. Best effort
 * both ways: a session that cannot be kept or put back leaves the follow-up to start a new session, with what
 * the parent reported in its prompt — logged, never a failed task.
 */
final class SessionKeeper {
    private static final Logger log = LoggerFactory.getLogger(SessionKeeper.class);

    private final ControllerClient controller;
    private final AgentAdapter adapter;
    private final Secrets secrets;

    SessionKeeper(ControllerClient controller, AgentAdapter adapter, Map<String, String> environment) {
        this.controller = controller;
        this.adapter = adapter;
        this.secrets = Secrets.of(AgentAdapters.SECRET_VARIABLES, environment);
    }

    /** The session a run of {@code order} in {@code workspace} resumes, put back in place; empty: a new session. */
    Optional<String> restore(WorkOrder order, Path workspace) {
        ParkedRun p = order.parked();
        if (p != null && p.kind() == ClarificationKind.QUESTION) { // its own session, kept when it parked
            return restore(order, workspace, order.taskId(), p.agent(), p.sessionId());
        }
        Continuation c = order.continuation();
        return c == null ? Optional.empty() : restore(order, workspace, c.taskId(), c.agent(), c.sessionId());
    }

    /** Puts the session {@code sessionId} that {@code agent} ran for {@code taskId} back in place. */
    private Optional<String> restore(WorkOrder order, Path workspace, String taskId, String agent, String sessionId) {
        Optional<SessionFiles> files = adapter.sessionFiles();
        if (sessionId == null || files.isEmpty() || controller == null || !adapter.name().equals(agent)) {
            return Optional.empty();
        }
        try {
            Optional<AgentSessionState> kept = controller.session(taskId);
            if (kept.isEmpty() || !kept.get().sessionId().equals(sessionId)) {
                log.info("task {}: the session {} of {} was not kept; a new session starts", order.taskId(), sessionId, taskId);
                return Optional.empty();
            }
            Path dir = files.get().directory(workspace);
            int n = SessionArchive.restore(kept.get().archive(), dir);
            log.info("task {} resumes session {} of task {} ({} files)", order.taskId(), sessionId, taskId, n);
            return Optional.of(sessionId);
        } catch (IOException | RuntimeException e) {
            log.warn("task {}: the session {} of {} cannot be put back ({}); a new session starts", order.taskId(), sessionId,
                    taskId, e.toString());
            return Optional.empty();
        }
    }

    /** Keeps the session {@code sessionId} of a run of {@code order} in {@code workspace} for its follow-ups. */
    void keep(WorkOrder order, Path workspace, String sessionId) {
        Optional<SessionFiles> files = adapter.sessionFiles();
        if (files.isEmpty() || controller == null) {
            return;
        }
        try {
            Path dir = files.get().directory(workspace);
            List<Path> found = files.get().files(dir, sessionId);
            if (found.isEmpty()) {
                log.info("task {}: no files of session {} under {}; not kept", order.taskId(), sessionId, dir);
                return;
            }
            Optional<String> archive = SessionArchive.of(dir, found, secrets::redact, AgentSessionState.MAX_ARCHIVE_CHARS);
            if (archive.isEmpty()) {
                log.info("task {}: session {} is too large to keep (over {} characters archived); a follow-up starts a new one",
                        order.taskId(), sessionId, AgentSessionState.MAX_ARCHIVE_CHARS);
                return;
            }
            controller.keepSession(order.taskId(), new AgentSessionState(adapter.name(), sessionId, archive.get()));
            log.debug("task {}: session {} kept ({} files)", order.taskId(), sessionId, found.size());
        } catch (IOException | RuntimeException e) {
            log.warn("task {}: session {} not kept: {}", order.taskId(), sessionId, e.toString());
        }
    }
}
