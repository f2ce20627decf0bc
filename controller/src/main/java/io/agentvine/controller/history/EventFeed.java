package io.agentvine.controller.history;

import io.agentvine.controller.persistence.EventRow;
import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
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
 */
@Singleton
public class EventFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventFeed.class);
    public static final Duration POLL = Duration.ofMillis(200);

    /** Receives a subscriber's events, oldest first, on the feed's thread; must not block. */
    public interface Listener {
        void events(List<EventRow> rows);
    }

    /** One stream's place in the feed; {@link #close()} leaves it (idempotent). */
    public final class Subscription implements AutoCloseable {
        private final Listener listener;
        private long cursor; // the feed thread's

        private Subscription(long after, Listener listener) {
            this.cursor = after;
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
        if (closed) {
            throw new IllegalStateException("the controller is shutting down");
        }
        Subscription s = new Subscription(after, listener);
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
        List<EventRow> rows = shared < 0 ? List.of() : events.after(before);
        shared = rows.isEmpty() ? before : rows.get(rows.size() - 1).id();
        for (Subscription s : subscribers) {
            List<EventRow> mine = s.cursor < before ? events.after(s.cursor) : rows; // behind the feed: catch up
            deliver(s, mine);
        }
        return POLL;
    }

    private void deliver(Subscription s, List<EventRow> rows) {
        int from = 0;
        while (from < rows.size() && rows.get(from).id() <= s.cursor) {
            from++;
        }
        if (from == rows.size()) {
            return;
        }
        List<EventRow> news = rows.subList(from, rows.size());
        s.cursor = news.get(news.size() - 1).id();
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
