package io.agentvine.controller.api;

import io.agentvine.controller.security.Roles;
import io.agentvine.controller.tasks.AgentSessions;
import io.agentvine.model.AgentSessionState;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;

/** A task's agent session, kept by the worker that ran it and read by the worker of a follow-up that resumes it. */
@Controller("/api/v1/tasks/{id}/agent-session")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AgentSessionsController {
    private final AgentSessions sessions;

    public AgentSessionsController(AgentSessions sessions) {
        this.sessions = sessions;
    }

    @Secured({Roles.WORKER, Roles.ADMIN})
    @Put
    public HttpResponse<Void> put(HttpRequest<?> request, @PathVariable String id, @Body AgentSessionState state) {
        sessions.put(Callers.of(request), id, state);
        return HttpResponse.noContent();
    }

    @Secured({Roles.WORKER, Roles.ADMIN})
    @Get
    public AgentSessionState get(@PathVariable String id) {
        return sessions.get(id);
    }
}
