package io.agentvine.controller.ui;

import io.agentvine.controller.history.EventLog;
import io.agentvine.controller.ui.model.FleetPage;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Fleet page as every open Fleet page is shown it: built at most once per change of the event log and per
 * {@link #MIN_INTERVAL}, per role (an admin's cards carry the worker commands' buttons, a viewer's do not; the
 * CSRF token is the layout's, never inside the cards), so 50 open pages that refresh at the same event cost one
 * build, not 50 (issue #17). A snapshot is kept while no event was logged since it was built, for at most
 * {@link #MAX_AGE} (heartbeats change CPU and memory without an event); within {@link #MIN_INTERVAL} of its build
 * it is kept even when events came meanwhile — its {@link Snapshot#version() version} (the latest event id when
 * it was built) tells the page so, and the page asks again (app.js).
 */
@Singleton
public class FleetSnapshots {
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    static final Duration MAX_AGE = Duration.ofSeconds(5);

    /** The Fleet page as of event {@code version} (every event up to it is in it), built at {@code builtAt}. */
    public record Snapshot(long version, Instant builtAt, FleetPage page) {
    }

    private final FleetView view;
    private final EventLog events;
    private final Clock clock;
    private final Object[] locks = {new Object(), new Object()}; // [viewer, admin]
    private final Snapshot[] latest = new Snapshot[2];
    private final AtomicInteger builds = new AtomicInteger();

    public FleetSnapshots(FleetView view, EventLog events, Clock clock) {
        this.view = view;
        this.events = events;
        this.clock = clock;
    }

    /** The current snapshot for an admin or a viewer; builds one if it is missing, outdated or too old. */
    public Snapshot get(boolean admin) {
        return current(admin, -1);
    }

    /**
     * As {@link #get}, and as of event {@code atLeast} at least: a snapshot older than that event is built again
     * even within {@link #MIN_INTERVAL} (the pushed cards, {@link FleetCardsFeed}, throttle themselves).
     */
    public Snapshot current(boolean admin, long atLeast) {
        int role = admin ? 1 : 0;
        synchronized (locks[role]) { // requests that come together wait for one build
            Instant now = clock.instant();
            Snapshot s = latest[role];
            Duration age = s == null ? null : Duration.between(s.builtAt(), now);
            if (age != null && age.compareTo(MIN_INTERVAL) < 0 && s.version() >= atLeast) {
                return s;
            }
            long version = events.latestId(); // read before the workers: the build shows at least this event
            if (age != null && version == s.version() && age.compareTo(MAX_AGE) < 0) {
                return s;
            }
            builds.incrementAndGet();
            s = new Snapshot(version, now, view.build(admin));
            latest[role] = s;
            return s;
        }
    }

    /** The model of {@code fleet_cards.jte} for {@code s}, served {@code ageMs} after its build (a request, a pushed frame). */
    public static Map<String, Object> cardsModel(Snapshot s, long ageMs) {
        return Map.of("page", s.page(), "version", s.version(), "ageMs", ageMs);
    }

    /** How long ago {@code s} was built, in ms (the page counts its durations from then: app.js, data-age-ms). */
    public long ageMs(Snapshot s) {
        return Math.max(0, Duration.between(s.builtAt(), clock.instant()).toMillis());
    }

    /** Forgets the snapshots: the next request builds (after an admin's command, which logs no event). */
    public void invalidate() {
        for (int role = 0; role < 2; role++) {
            synchronized (locks[role]) {
                latest[role] = null;
            }
        }
    }

    /** How many snapshots were built (tests). */
    int builds() {
        return builds.get();
    }
}
