package io.agentvine.controller.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.TestProperties;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.security.Caller;
import io.agentvine.controller.ui.UiHttp.Reply;
import io.agentvine.controller.ui.model.FleetPage;
import io.agentvine.controller.workers.WorkerRegistry;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkerRegistration;
import io.agentvine.queue.testing.SettableClock;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Fleet page's shared snapshots (issue #17): many requests within a second build the page once, an event
 * makes the next build show it, the page says which event it is as of, and a viewer never gets an admin's
 * buttons, and the cards say their age. On H2, the clock settable, the real HTTP server.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetSnapshotsTest implements TestPropertyProvider {
    private static final String ADMIN = "admin-fleet-key";
    private static final String VIEWER = "viewer-fleet-key";
    private static final Caller REGISTRAR = new Caller(Caller.Kind.ADMIN, "admin", Set.of(), true);

    @Inject
    EmbeddedServer server;
    @Inject
    SettableClock clock;
    @Inject
    FleetSnapshots snapshots;
    @Inject
    WorkerRegistry registry;
    @Inject
    EventLog events;

    private UiHttp http;

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().adminKeys(ADMIN).with("agentvine.viewer-keys", VIEWER)
                .with("test.settable-clock", "true").noBackground().build();
    }

    @BeforeEach
    void fresh() {
        http = new UiHttp(() -> server.getURL().toString());
        clock.set(Instant.parse("2026-12-02T12:00:00Z"));
        snapshots.invalidate();
    }

    @Test
    void fifty_requests_within_a_second_build_once_and_an_event_shows_in_the_next_build() {
        int before = snapshots.builds();
        FleetSnapshots.Snapshot first = snapshots.get(false);
        for (int i = 0; i < 49; i++) {
            assertThat(snapshots.get(false)).isSameAs(first);
        }
        assertThat(snapshots.builds() - before).isEqualTo(1);
        assertThat(first.version()).isEqualTo(events.latestId());

        // No event for a while: the snapshot is kept up to MAX_AGE, then built again (heartbeats change without events).
        clock.advance(FleetSnapshots.MIN_INTERVAL.plusMillis(1));
        assertThat(snapshots.get(false)).isSameAs(first);
        clock.advance(FleetSnapshots.MAX_AGE);
        FleetSnapshots.Snapshot aged = snapshots.get(false);
        assertThat(aged).isNotSameAs(first);
        assertThat(snapshots.builds() - before).isEqualTo(2);

        // A worker registers (an event): within the second the snapshot stays, and says it is older than the event;
        // the next request after the second builds a page that shows the worker.
        String id = newWorker("fleet-snap");
        long event = events.latestId();
        assertThat(snapshots.get(false)).isSameAs(aged);
        assertThat(aged.version()).isLessThan(event);
        clock.advance(FleetSnapshots.MIN_INTERVAL);
        FleetSnapshots.Snapshot fresh = snapshots.get(false);
        assertThat(fresh.version()).isGreaterThanOrEqualTo(event);
        assertThat(fresh.page().workers()).extracting(FleetPage.WorkerCard::id).contains(id);
        assertThat(snapshots.builds() - before).isEqualTo(3);
    }

    @Test
    void a_viewer_never_gets_the_admins_buttons_and_the_cards_carry_their_version() {
        newWorker("fleet-role");
        String admin = http.signIn(ADMIN).sessionCookie();
        String viewer = http.signIn(VIEWER).sessionCookie();
        // The admin's build comes first: the viewer's answer within the same second must not be it.
        Document adminCards = http.htmx("GET", "/ui/fleet/cards", admin, null).html();
        Reply viewerReply = http.htmx("GET", "/ui/fleet/cards", viewer, null);
        assertThat(viewerReply.status()).isEqualTo(200);
        Document viewerCards = viewerReply.html();
        assertThat(adminCards.select("article.worker button[data-action=pause]")).isNotEmpty();
        assertThat(viewerCards.select("article.worker")).isNotEmpty();
        assertThat(viewerCards.select("button")).isEmpty();
        assertThat(viewerCards.body().html()).doesNotContain("csrf");
        assertThat(adminCards.body().html()).doesNotContain("csrf");
        long version = Long.parseLong(viewerCards.select(".summary").attr("data-version"));
        assertThat(version).isEqualTo(events.latestId());
        assertThat(viewerCards.select(".summary").attr("data-age-ms")).isEqualTo("0");
        // Served again 300 ms later: the same snapshot, which says its age (the page's durations count from then).
        clock.advance(Duration.ofMillis(300));
        Document again = http.htmx("GET", "/ui/fleet/cards", viewer, null).html();
        assertThat(again.select(".summary").attr("data-version")).isEqualTo(String.valueOf(version));
        assertThat(again.select(".summary").attr("data-age-ms")).isEqualTo("300");
        // The full page shows the same snapshot's version; the viewer's again without buttons.
        Document page = http.page("/ui/fleet", viewer).html();
        assertThat(page.select("#fleet .summary").attr("data-version")).isEqualTo(String.valueOf(version));
        assertThat(page.select("#fleet button")).isEmpty();
        assertThat(page.select("#fleet .summary").attr("data-age-ms")).isEqualTo("300");
    }

    private String newWorker(String name) {
        return registry.register(REGISTRAR, new WorkerRegistration(null, name, List.of(TaskType.TEST), "0.1.0", 2,
                List.of(), List.of(), Map.of())).workerId();
    }
}
