package io.agentvine.controller.history;

import io.agentvine.controller.persistence.EventRow;
import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poller of the event log for every live event stream: thread {@code event-feed} reads what is new
 * every {@link #POLL} — one query, however many clients follow — and hands each subscriber the rows after
 * its own cursor. A subscriber that starts behind what the feed has read (a reconnect with an old
 * {@code Last-Event-ID}) is caught up with reads of its own, up to 500 rows a round, until it is level; so
 * no subscriber misses an event or sees one twice, as when each stream polled for itself (what a page of
 * 50 dashboards cost: 250 queries a second, issue #17). The thread starts with the first subscriber and
 * reads nothing while there is none. {@link #close()} is idempotent.
 *
 * <p>Each event read is encoded once, as a {@link LiveEvent} (its whole SSE frame), and that one object goes
 * to every stream; a subscriber may ask for some {@link EventGroup groups} only, and then is not called for
 * the others (its cursor passes them all the same).
 */
@Singleton
public class EventFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventFeed.class);
    public static final Duration POLL = Duration.ofMillis(200);

    /** Receives a subscriber's events, oldest first, on the feed's thread; must not block. */
    public interface Listener {
        void events(List<LiveEvent> events);
    }

    /** One stream's place in the feed; {@link #close()} leaves it (idempotent). */
    public final class Subscription implements AutoCloseable {
        private final Set<EventGroup> groups;
        private final Listener listener;
        private long cursor; // the feed thread's

        private Subscription(long after, Set<EventGroup> groups, Listener listener) {
            this.cursor = after;
            this.groups = Set.copyOf(groups);
            this.listener = listener;
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }

    private final EventLog events;
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final Loop loop;
    private final boolean thread;
    private long shared = -1; // the id up to which the feed has read; -1: not reading (no subscriber)
    private volatile boolean closed;

    @Inject
    public EventFeed(EventLog events) {
        this(events, true);
    }

    /** @param thread false: no thread, rounds run only through {@link #runOnce()} (for tests) */
    EventFeed(EventLog events, boolean thread) {
        this.events = events;
        this.thread = thread;
        this.loop = new Loop("event-feed", new Backoff(POLL, Duration.ofSeconds(5)), this::runOnce);
    }

    /** Follows the log after event {@code after}: the listener gets every later event, in order, once. */
    public Subscription subscribe(long after, Listener listener) {
        return subscribe(after, Set.of(), listener);
    }

    /**
     * Follows the log after event {@code after}, only the events of {@code groups} (empty: all): the listener
     * gets each of them once, in order.
     */
    public Subscription subscribe(long after, Set<EventGroup> groups, Listener listener) {
        if (closed) {
            throw new IllegalStateException("the controller is shutting down");
        }
        Subscription s = new Subscription(after, groups, listener);
        subscribers.add(s);
        if (thread) {
            loop.start();
        }
        return s;
    }

    int subscriberCount() {
        return subscribers.size();
    }

    /** One round (the thread's, or a test's): one read of what is new, handed to every subscriber; returns the wait. */
    public Duration runOnce() {
        if (subscribers.isEmpty()) {
            shared = -1;
            return POLL;
        }
        long before = shared < 0 ? events.latestId() : shared;
        List<LiveEvent> read = shared < 0 ? List.of() : encode(events.after(before)); // once for every stream
        shared = read.isEmpty() ? before : read.get(read.size() - 1).id();
        for (Subscription s : subscribers) {
            List<LiveEvent> mine = s.cursor < before ? encode(events.after(s.cursor)) : read; // behind the feed: catch up
            deliver(s, mine);
        }
        return POLL;
    }

    private static List<LiveEvent> encode(List<EventRow> rows) {
        return rows.stream().map(LiveEvent::of).toList();
    }

    private void deliver(Subscription s, List<LiveEvent> read) {
        List<LiveEvent> news = new ArrayList<>();
        for (LiveEvent e : read) {
            if (e.id() > s.cursor && e.matches(s.groups)) {
                news.add(e);
            }
        }
        if (!read.isEmpty()) {
            s.cursor = Math.max(s.cursor, read.get(read.size() - 1).id()); // past the events it does not follow too
        }
        if (news.isEmpty()) {
            return;
        }
        try {
            s.listener.events(news);
        } catch (RuntimeException e) {
            log.debug("an event stream's listener failed; it is dropped: {}", e.toString());
            s.close();
        }
    }

    /** Ends the thread; the subscribers get nothing more; idempotent. */
    @PreDestroy
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.close();
        subscribers.clear();
    }
}
