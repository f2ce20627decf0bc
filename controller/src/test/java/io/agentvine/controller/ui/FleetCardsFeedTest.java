package io.agentvine.controller.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.controller.TestProperties;
import io.agentvine.controller.history.EventFeed;
import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.security.Caller;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkerRegistration;
import io.agentvine.queue.testing.SettableClock;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Fleet cards pushed on the Fleet page's stream (issue #17): a page gets them when it connects, then after a
 * fleet event at once, at most every two seconds and once more after a burst (the last change is never left out),
 * and every 15 s without events; one rendering per role, a viewer's without buttons; and over HTTP, the
 * page's stream carries them as {@code event: cards}. On H2, the clock settable, the real event feed.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetCardsFeedTest implements TestPropertyProvider {
    private static final String ADMIN = "admin-cards-key";
    private static final String VIEWER = "viewer-cards-key";
    private static final Caller REGISTRAR = new Caller(Caller.Kind.ADMIN, "admin", Set.of(), true);

    @Inject
    EmbeddedServer server;
    @Inject
    SettableClock clock;
    @Inject
    FleetSnapshots snapshots;
    @Inject
    EventFeed eventFeed;
    @Inject
    EventLog events;
    @Inject
    io.agentvine.controller.workers.WorkerRegistry registry;

    private FleetCardsFeed feed; // no thread: the test runs the turns
    private final List<String> viewerFrames = new CopyOnWriteArrayList<>();
    private final List<String> adminFrames = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().adminKeys(ADMIN).with("agentvine.viewer-keys", VIEWER)
                .with("test.settable-clock", "true").noBackground().build();
    }

    @BeforeEach
    void fresh() {
        clock.set(Instant.parse("2026-12-02T15:00:00Z"));
        snapshots.invalidate();
        feed = new FleetCardsFeed(snapshots, eventFeed, events, clock, false);
        viewerFrames.clear();
        adminFrames.clear();
    }

    @AfterEach
    void close() {
        feed.close();
    }

    @Test
    void a_page_gets_the_cards_when_it_connects_then_after_each_change_throttled_leading_and_trailing() {
        newWorker("cards-first");
        FleetCardsFeed.Page viewer = feed.follow(false, f -> viewerFrames.add(new String(f, StandardCharsets.UTF_8)));
        feed.follow(true, f -> adminFrames.add(new String(f, StandardCharsets.UTF_8)));
        feed.pushDue();
        assertThat(viewerFrames).hasSize(1);
        assertThat(adminFrames).hasSize(1);
        Document viewerCards = cards(viewerFrames.get(0));
        Document adminCards = cards(adminFrames.get(0));
        assertThat(viewerCards.select("article.worker h2").eachText()).contains("cards-first");
        assertThat(viewerCards.select("button")).isEmpty();
        assertThat(adminCards.select("article.worker button[data-action=pause]")).isNotEmpty();
        assertThat(adminCards.body().html()).doesNotContain("csrf");

        // Nothing changed: nothing goes out.
        clock.advance(Duration.ofSeconds(3));
        assertThat(feed.pushDue()).isPositive();
        assertThat(viewerFrames).hasSize(1);

        // A worker registers (a fleet event): the next turn pushes cards that show it — at once, the last push being
        // more than two seconds ago.
        newWorker("cards-second");
        long second = events.latestId();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            feed.pushDue();
            return viewerFrames.size() == 2;
        });
        assertThat(adminFrames).hasSize(2);
        assertThat(cards(viewerFrames.get(1)).select("article.worker h2").eachText()).contains("cards-first", "cards-second");
        assertThat(version(viewerFrames.get(1))).isGreaterThanOrEqualTo(second);

        // Another one 500 ms later: held back (at most one push per two seconds), then pushed when the two seconds are up.
        clock.advance(Duration.ofMillis(500));
        newWorker("cards-third");
        await().atMost(Duration.ofSeconds(10)).until(() -> feed.pushDue().compareTo(FleetCardsFeed.MIN_INTERVAL) < 0);
        assertThat(feed.pushDue()).isEqualTo(Duration.ofMillis(1500));
        assertThat(viewerFrames).hasSize(2);
        clock.advance(Duration.ofMillis(1500));
        feed.pushDue();
        assertThat(viewerFrames).hasSize(3);
        assertThat(cards(viewerFrames.get(2)).select("article.worker h2").eachText()).contains("cards-third");

        // No event for 15 s: pushed anyway (heartbeats change CPU and memory without one). A page that left gets nothing.
        viewer.close();
        clock.advance(FleetCardsFeed.PERIOD);
        feed.pushDue();
        assertThat(viewerFrames).hasSize(3);
        assertThat(adminFrames).hasSize(4);
    }

    @Test
    void each_line_of_the_cards_is_a_data_line_of_one_cards_frame() {
        newWorker("cards-frame");
        FleetSnapshots.Snapshot s = snapshots.get(false);
        String frame = new String(FleetCardsFeed.frame(s, 250), StandardCharsets.UTF_8);
        assertThat(frame).startsWith("event: cards\ndata: ").endsWith("\n\n");
        List<String> lines = frame.substring(0, frame.length() - 2).lines().toList();
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l).startsWith("data: "));
        Document d = cards(frame);
        assertThat(d.select(".summary").attr("data-version")).isEqualTo(String.valueOf(s.version()));
        assertThat(d.select(".summary").attr("data-age-ms")).isEqualTo("250");
    }

    @Test
    void the_fleet_pages_stream_carries_the_cards_for_the_callers_role() throws Exception {
        newWorker("cards-http");
        UiHttp http = new UiHttp(() -> server.getURL().toString());
        String viewer = http.signIn(VIEWER).sessionCookie();
        String admin = http.signIn(ADMIN).sessionCookie();
        assertThat(firstCards(viewer).select("article.worker h2").eachText()).contains("cards-http");
        assertThat(firstCards(viewer).select("button")).isEmpty();
        assertThat(firstCards(admin).select("button[data-action=pause]")).isNotEmpty();
        // The page says where its stream is.
        assertThat(http.page("/ui/fleet", viewer).html().select("body").attr("data-events")).isEqualTo("/ui/fleet/stream");
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.getURL() + "/ui/fleet/stream"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
    }

    /** The first cards frame of a new stream of the Fleet page, read over HTTP. */
    private Document firstCards(String cookie) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.getURL() + "/ui/fleet/stream"))
                .header("Cookie", "agentvine_session=" + cookie).header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream body = r.body()) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                    StringBuilder frame = new StringBuilder();
                    boolean cards = false;
                    for (String l = in.readLine(); l != null; l = in.readLine()) {
                        if (l.equals("event: cards")) {
                            cards = true;
                        }
                        if (cards) {
                            if (l.isEmpty()) {
                                return cards(frame.toString());
                            }
                            frame.append(l).append('\n');
                        }
                    }
                    throw new IllegalStateException("the stream ended without cards");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(20, TimeUnit.SECONDS);
        }
    }

    /** The HTML a frame carries, as EventSource gives it to the page: its data lines joined. */
    private static Document cards(String frame) {
        List<String> data = new ArrayList<>();
        frame.lines().filter(l -> l.startsWith("data: ")).forEach(l -> data.add(l.substring("data: ".length())));
        return Jsoup.parseBodyFragment(String.join("\n", data));
    }

    private static long version(String frame) {
        return Long.parseLong(cards(frame).select(".summary").attr("data-version"));
    }

    private void newWorker(String name) {
        registry.register(REGISTRAR, new WorkerRegistration(null, name, List.of(TaskType.TEST), "0.1.0", 2,
                List.of(), List.of(), Map.of()));
    }
}
