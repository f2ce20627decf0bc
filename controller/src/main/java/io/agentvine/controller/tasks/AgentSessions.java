package io.agentvine.controller.tasks;

import io.agentvine.controller.domain.ForbiddenException;
import io.agentvine.controller.domain.NotFoundException;
import io.agentvine.controller.persistence.AgentSessionRepository;
import io.agentvine.controller.persistence.AgentSessionRow;
import io.agentvine.controller.persistence.TaskRepository;
import io.agentvine.controller.persistence.TaskRow;
import io.agentvine.controller.security.Caller;
import io.agentvine.model.AgentSessionState;
import io.agentvine.model.Check;
import io.agentvine.model.TaskType;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Clock;

/**
 * Agent sessions kept for follow-ups: a worker that ran a task stores its agent's session (a worker key that
 * may serve the task's type); any worker reads it to resume the session in a follow-up, whatever the
 * follow-up's type. The latest attempt's session replaces an earlier one.
 */
@Singleton
public class AgentSessions {
    private final AgentSessionRepository sessions;
    private final TaskRepository tasks;
    private final Clock clock;

    public AgentSessions(AgentSessionRepository sessions, TaskRepository tasks, Clock clock) {
        this.sessions = sessions;
        this.tasks = tasks;
        this.clock = clock;
    }

    @Transactional
    public void put(Caller caller, String taskId, AgentSessionState state) {
        TaskRow task = task(taskId);
        if (!caller.mayServe(TaskType.of(task.type()))) {
            throw new ForbiddenException("id", "key '" + caller.keyName() + "' does not serve type '" + task.type()
                    + "': it cannot keep the session of task " + taskId);
        }
        AgentSessionRow row = new AgentSessionRow(taskId, state.agent(), state.sessionId(), state.archive(),
                task.workerId(), clock.instant());
        if (sessions.existsById(taskId)) {
            sessions.update(row);
        } else {
            sessions.save(row);
        }
    }

    public AgentSessionState get(String taskId) {
        task(taskId);
        AgentSessionRow row = sessions.findById(taskId)
                .orElseThrow(() -> new NotFoundException("agent session of task", taskId));
        return new AgentSessionState(row.agent(), row.sessionId(), row.archive());
    }

    private TaskRow task(String id) {
        Check.id(id, "id");
        return tasks.findById(id).orElseThrow(() -> new NotFoundException("task", id));
    }
}
