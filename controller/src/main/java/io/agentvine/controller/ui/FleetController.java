package io.agentvine.controller.ui;

import io.agentvine.controller.sse.EventStreams;
import io.agentvine.controller.sse.SseFrame;
import io.agentvine.controller.history.EventGroup;
import io.agentvine.controller.security.Roles;
import io.agentvine.controller.security.SessionStreams;
import io.agentvine.controller.ui.model.Flash;
import io.agentvine.controller.workers.WorkerRegistry;
import io.agentvine.model.WorkerCommand;
import io.micronaut.http.HttpRequest;
import io.swagger.v3.oas.annotations.Hidden;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * The Fleet page ({@code /ui/fleet}), its event stream with the cards pushed as they change ({@code /ui/fleet/stream}),
 * the cards alone ({@code /ui/fleet/cards}) and the admin's worker commands (pause, resume, drain).
 */
@Hidden // a dashboard page, not part of the API (its OpenAPI document)
@Controller("/ui")
@ExecuteOn(TaskExecutors.BLOCKING)
public class FleetController {
    private final UiContext ui;
    private final FleetSnapshots fleet;
    private final FleetCardsFeed cards;
    private final EventStreams streams;
    private final WorkerRegistry registry;
    private final SessionStreams sessions;

    public FleetController(UiContext ui, FleetSnapshots fleet, FleetCardsFeed cards, EventStreams streams, WorkerRegistry registry,
            SessionStreams sessions) {
        this.sessions = sessions;
        this.ui = ui;
        this.fleet = fleet;
        this.cards = cards;
        this.streams = streams;
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

    /**
     * The Fleet page's event stream (app.js opens it, {@code Layout#eventsUrl}): the attention events (the badge) and
     * the cards themselves, {@code event: cards}, pushed when they change ({@link FleetCardsFeed}) — the page asks
     * for nothing.
     */
    @Secured({Roles.ADMIN, Roles.VIEWER})
    @Get(value = "/fleet/stream", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<SseFrame> stream(HttpRequest<?> request, @Nullable @Header("Last-Event-ID") String lastEventId) {
        boolean admin = UiContext.caller(request).isAdmin();
        Flux<SseFrame> pushed = EventStreams.bounded(frames -> cards.follow(admin, bytes -> frames.accept(new SseFrame(bytes)))::close);
        return sessions.untilSignedOut(request, streams.events(lastEventId, null, Set.of(EventGroup.ATTENTION)).mergeWith(pushed),
                SseFrame.event(SessionStreams.SIGNED_OUT, "{}"));
    }

    private Object cardsOf(FleetSnapshots.Snapshot s) {
        return UiContext.fragment("fleet_cards", cardsModel(s));
    }

    private Map<String, Object> cardsModel(FleetSnapshots.Snapshot s) {
        return FleetSnapshots.cardsModel(s, fleet.ageMs(s));
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
