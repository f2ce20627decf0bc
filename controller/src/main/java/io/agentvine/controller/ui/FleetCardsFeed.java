package io.agentvine.controller.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.agentvine.controller.history.EventFeed;
import io.agentvine.controller.history.EventGroup;
import io.agentvine.controller.history.EventLog;
import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.loop.Wakeup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The Fleet cards pushed to every open Fleet page on its event stream ({@code GET /ui/fleet/stream}, issue #17):
 * one build ({@link FleetSnapshots}) and one rendering per role and turn, encoded once as a Server-Sent Events
 * frame ({@code event: cards}) and written to every page of that role — instead of every page asking for the
 * cards after every change (50 pages: ~28 requests a second through the HTTP layer at a busy fleet).
 *
 * <p>When the cards go out: after a {@code fleet} event at once, then at most every {@link #MIN_INTERVAL}, and
 * once more after a burst's last event (leading and trailing: the last change is never left out, since every
 * build shows at least the events read before it); without events every {@link #PERIOD} (heartbeats change CPU
 * and memory without one); to a page that just connected (or reconnected) at the next turn. An admin's cards carry
 * the command buttons, a viewer's do not (the CSRF token is the layout's, never in the cards). One thread,
 * {@code fleet-cards}, started with the first page and stopped on shutdown; {@link #pushDue()} is one turn, for tests.
 */
@Singleton
public class FleetCardsFeed implements AutoCloseable {
    static final Duration MIN_INTERVAL = Duration.ofSeconds(2);
    static final Duration PERIOD = Duration.ofSeconds(15);
    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);

    /** A page following the cards: {@code frames} gets each frame (on the feed's thread; must not block). */
    public final class Page implements AutoCloseable {
        private final boolean admin;
        private final Consumer<byte[]> frames;
        private volatile boolean fresh = true; // connected since the last turn: gets the cards at the next one

        private Page(boolean admin, Consumer<byte[]> frames) {
            this.admin = admin;
            this.frames = frames;
        }

        @Override
        public void close() {
            pages.remove(this);
        }
    }

    private final FleetSnapshots snapshots;
    private final EventFeed feed;
    private final EventLog events;
    private final Clock clock;
    private final boolean thread;
    private final List<Page> pages = new CopyOnWriteArrayList<>();
    private final Wakeup work = new Wakeup();
    private final Loop loop;
    private volatile long latestFleetEvent; // the newest fleet event the feed passed on
    private long pushedVersion = -1; // the event id the last pushed cards were as of (feed thread)
    private Instant lastPush = Instant.EPOCH; // (feed thread)
    private EventFeed.Subscription following; // (feed thread) the fleet events, while a page is open
    private volatile boolean closed;

    @Inject
    public FleetCardsFeed(FleetSnapshots snapshots, EventFeed feed, EventLog events, Clock clock) {
        this(snapshots, feed, events, clock, true);
    }

    /** @param thread false: no thread, turns run only through {@link #pushDue()} (tests) */
    FleetCardsFeed(FleetSnapshots snapshots, EventFeed feed, EventLog events, Clock clock, boolean thread) {
        this.snapshots = snapshots;
        this.feed = feed;
        this.events = events;
        this.clock = clock;
        this.thread = thread;
        this.loop = new Loop("fleet-cards", new Backoff(MIN_INTERVAL, Duration.ofSeconds(15)), this::runOnce);
    }

    /** A page follows the cards of its role; it gets them at the next turn, then at every change. */
    public Page follow(boolean admin, Consumer<byte[]> frames) {
        if (closed) {
            throw new IllegalStateException("the controller is shutting down");
        }
        Page p = new Page(admin, frames);
        pages.add(p);
        if (thread) {
            loop.start();
        }
        work.ring();
        return p;
    }

    private Duration runOnce() throws InterruptedException {
        work.await(pushDue(), () -> closed);
        return Duration.ZERO;
    }

    /**
     * One turn: follows the fleet events while a page is open; pushes the cards when they are due (see the class);
     * returns how long until the next turn is due, unless an event or a page comes first.
     */
    Duration pushDue() {
        if (pages.isEmpty()) {
            if (following != null) {
                following.close();
                following = null;
            }
            return PERIOD;
        }
        if (following == null) {
            following = feed.subscribe(events.latestId(), Set.of(EventGroup.FLEET), news -> {
                latestFleetEvent = news.get(news.size() - 1).id();
                work.ring();
            });
        }
        Instant now = clock.instant();
        Duration since = Duration.between(lastPush, now);
        boolean changed = latestFleetEvent > pushedVersion;
        boolean due = changed ? since.compareTo(MIN_INTERVAL) >= 0 : since.compareTo(PERIOD) >= 0;
        boolean anyFresh = pages.stream().anyMatch(p -> p.fresh);
        if (!due && !anyFresh) {
            return changed ? MIN_INTERVAL.minus(since) : PERIOD.minus(since);
        }
        long version = Long.MAX_VALUE;
        for (boolean admin : new boolean[] {false, true}) {
            List<Page> mine = pages.stream().filter(p -> p.admin == admin && (due || p.fresh)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            FleetSnapshots.Snapshot s = snapshots.current(admin, due ? latestFleetEvent : -1);
            version = Math.min(version, s.version());
            byte[] frame = frame(s, snapshots.ageMs(s));
            for (Page p : mine) {
                p.fresh = false;
                try {
                    p.frames.accept(frame);
                } catch (RuntimeException e) {
                    p.close(); // its stream is gone
                }
            }
        }
        if (due) {
            lastPush = now;
            pushedVersion = version == Long.MAX_VALUE ? pushedVersion : version;
            return latestFleetEvent > pushedVersion ? MIN_INTERVAL : PERIOD; // an event during the build: its trailing push
        }
        return changed ? MIN_INTERVAL.minus(since) : PERIOD.minus(since);
    }

    /** The cards as one {@code event: cards} frame; each line of the HTML is a {@code data:} line (EventSource joins them). */
    static byte[] frame(FleetSnapshots.Snapshot s, long ageMs) {
        StringOutput html = new StringOutput();
        TEMPLATES.render("fleet_cards.jte", FleetSnapshots.cardsModel(s, ageMs), html);
        StringBuilder f = new StringBuilder(html.toString().length() + 256).append("event: cards\n");
        html.toString().lines().forEach(l -> f.append("data: ").append(l).append('\n'));
        return f.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Ends the thread and the fleet-event subscription; the pages get nothing more; idempotent. */
    @PreDestroy
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        work.ring();
        loop.close();
        pages.clear();
        if (following != null) {
            following.close();
        }
    }
}
