package io.agentvine.controller.api;

import io.agentvine.controller.security.Roles;
import io.agentvine.controller.workers.WorkerRegistry;
import io.agentvine.controller.workers.WorkerView;
import io.agentvine.model.Heartbeat;
import io.agentvine.model.HeartbeatReply;
import io.agentvine.model.RegistrationReply;
import io.agentvine.model.WorkerCommand;
import io.agentvine.model.WorkerRegistration;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.List;

@Controller("/api/v1/workers")
@ExecuteOn(TaskExecutors.BLOCKING)
public class WorkersController {
    private final WorkerRegistry registry;

    public WorkersController(WorkerRegistry registry) {
        this.registry = registry;
    }

    @Secured({Roles.WORKER, Roles.ADMIN})
    @Post
    public HttpResponse<RegistrationReply> register(HttpRequest<?> request, @Body WorkerRegistration registration) {
        return HttpResponse.created(registry.register(Callers.of(request), registration));
    }

    @Secured({Roles.WORKER, Roles.ADMIN})
    @Post("/{id}/heartbeat")
    public HeartbeatReply heartbeat(HttpRequest<?> request, @PathVariable String id, @Body Heartbeat heartbeat) {
        return registry.heartbeat(Callers.of(request), id, heartbeat);
    }

    @Secured({Roles.WORKER, Roles.ADMIN})
    @Delete("/{id}")
    public HttpResponse<Void> deregister(HttpRequest<?> request, @PathVariable String id) {
        registry.deregister(Callers.of(request), id);
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get
    public List<WorkerView> list() {
        return registry.list();
    }

    @Secured({Roles.ADMIN, Roles.VIEWER, Roles.WORKER})
    @Get("/{id}")
    public WorkerView get(HttpRequest<?> request, @PathVariable String id) {
        return registry.get(Callers.of(request), id);
    }

    @Secured(Roles.ADMIN)
    @Post("/{id}/pause")
    public HttpResponse<Void> pause(HttpRequest<?> request, @PathVariable String id) {
        return command(request, id, WorkerCommand.PAUSE);
    }

    @Secured(Roles.ADMIN)
    @Post("/{id}/resume")
    public HttpResponse<Void> resume(HttpRequest<?> request, @PathVariable String id) {
        return command(request, id, WorkerCommand.RESUME);
    }

    @Secured(Roles.ADMIN)
    @Post("/{id}/drain")
    public HttpResponse<Void> drain(HttpRequest<?> request, @PathVariable String id) {
        return command(request, id, WorkerCommand.DRAIN);
    }

    private HttpResponse<Void> command(HttpRequest<?> request, String id, WorkerCommand command) {
        registry.command(id, command);
        return HttpResponse.status(HttpStatus.ACCEPTED);
    }
}
