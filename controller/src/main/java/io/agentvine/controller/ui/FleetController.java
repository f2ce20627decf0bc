package io.agentvine.controller.ui;

import io.agentvine.controller.security.Roles;
import io.agentvine.controller.ui.model.Flash;
import io.agentvine.controller.workers.WorkerRegistry;
import io.agentvine.model.WorkerCommand;
import io.micronaut.http.HttpRequest;
import io.swagger.v3.oas.annotations.Hidden;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.Map;

/**
 * The Fleet page ({@code /ui/fleet}), its live fragment ({@code /ui/fleet/cards}, refreshed by the page
 * on fleet events) and the admin's worker commands (pause, resume, drain).
 */
@Hidden // a dashboard page, not part of the API (its OpenAPI document)
@Controller("/ui")
@ExecuteOn(TaskExecutors.BLOCKING)
public class FleetController {
    private final UiContext ui;
    private final FleetSnapshots fleet;
    private final WorkerRegistry registry;

    public FleetController(UiContext ui, FleetSnapshots fleet, WorkerRegistry registry) {
        this.ui = ui;
        this.fleet = fleet;
        this.registry = registry;
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/fleet", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> page(HttpRequest<?> request) {
        FleetSnapshots.Snapshot s = fleet.get(UiContext.caller(request).isAdmin());
        var view = UiContext.page("fleet", ui.layout(request, "Fleet", "fleet"), s);
        view.getModel().ifPresent(m -> m.put("ageMs", fleet.ageMs(s)));
        return HttpResponse.ok(view);
    }

    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/fleet/cards", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> cards(HttpRequest<?> request) {
        return HttpResponse.ok(cardsOf(fleet.get(UiContext.caller(request).isAdmin())));
    }

    private Object cardsOf(FleetSnapshots.Snapshot s) {
        return UiContext.fragment("fleet_cards", cardsModel(s));
    }

    private Map<String, Object> cardsModel(FleetSnapshots.Snapshot s) {
        return Map.of("page", s.page(), "version", s.version(), "ageMs", fleet.ageMs(s));
    }

    @Secured(Roles.ADMIN)
    @Post(value = "/workers/{id}/{command}", consumes = {MediaType.APPLICATION_FORM_URLENCODED, MediaType.ALL}, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> command(HttpRequest<?> request, @PathVariable String id, @PathVariable String command) {
        WorkerCommand c = WorkerCommand.fromWire(command);
        registry.command(id, c);
        fleet.invalidate(); // the pending command shows on every page's next refresh
        FleetSnapshots.Snapshot s = fleet.get(true);
        return UiContext.withFlash("fleet_cards", cardsModel(s),
                Flash.success("Sent " + c.wireName() + " to the worker: it applies it with its next heartbeat."));
    }
}
