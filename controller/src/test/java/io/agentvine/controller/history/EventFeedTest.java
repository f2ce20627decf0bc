package io.agentvine.controller.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.controller.TestProperties;
import io.agentvine.controller.persistence.EventRepository;
import io.agentvine.controller.persistence.EventRow;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shared poller of the event log (issue #17's dashboard CPU benchmark): one read of the log per round
 * however many streams follow it; every subscriber gets every event after its cursor once, in order, also
 * one that starts behind the feed. On the controller's H2 database, rounds run by the test.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventFeedTest implements TestPropertyProvider {
    @Inject
    EventRepository repository;
    @Inject
    Clock clock;

    @Override
    public Map<String, String> getProperties() {
        return TestProperties.onH2().noBackground().build();
    }

    /** The real event log, counting its reads of new events. */
    private final class CountingLog extends EventLog {
        final AtomicInteger reads = new AtomicInteger();

        CountingLog() {
            super(repository, clock);
        }

        @Override
        public List<EventRow> after(long id) {
            reads.incrementAndGet();
            return super.after(id);
        }
    }

    private static List<Long> ids(List<LiveEvent> events) {
        return events.stream().map(LiveEvent::id).toList();
    }

    private long append(EventLog log, String task) {
        return log.append("task_queued", task, null, Map.of("task_id", task)).id();
    }

    @Test
    void fiftyStreamsShareOneReadPerRoundAndEachGetsEveryEventOnce() {
        CountingLog log = new CountingLog();
        EventFeed feed = new EventFeed(log, false);
        long start = log.latestId();
        List<List<Long>> got = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            List<Long> mine = new CopyOnWriteArrayList<>();
            got.add(mine);
            feed.subscribe(start, rows -> mine.addAll(ids(rows)));
        }
        feed.runOnce(); // the feed starts reading at the latest event
        List<Long> appended = List.of(append(log, "t-a"), append(log, "t-b"), append(log, "t-c"));
        log.reads.set(0);

        feed.runOnce();
        feed.runOnce(); // nothing new: nothing delivered twice

        assertThat(log.reads.get()).isEqualTo(2);
        assertThat(got).allSatisfy(mine -> assertThat(mine).containsExactlyElementsOf(appended));
        feed.close();
    }

    @Test
    void eachEventIsEncodedOnceAndTheSameFrameGoesToEveryStream() {
        CountingLog log = new CountingLog();
        EventFeed feed = new EventFeed(log, false);
        long start = log.latestId();
        List<List<LiveEvent>> got = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            List<LiveEvent> mine = new CopyOnWriteArrayList<>();
            got.add(mine);
            feed.subscribe(start, mine::addAll);
        }
        feed.runOnce();
        long id = append(log, "t-once");

        feed.runOnce();

        LiveEvent first = got.get(0).get(0);
        assertThat(first.id()).isEqualTo(id);
        assertThat(new String(first.frame(), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("id: " + id + "\nevent: task_queued\ndata: {").contains("\"task_id\":\"t-once\"");
        assertThat(got).allSatisfy(mine -> assertThat(mine).singleElement()
                .satisfies(e -> assertThat(e.frame()).as("one encoding, shared").isSameAs(first.frame())));
        feed.close();
    }

    @Test
    void aStreamOfSomeGroupsGetsOnlyTheirEventsAndItsCursorPassesTheOthers() {
        CountingLog log = new CountingLog();
        EventFeed feed = new EventFeed(log, false);
        long start = log.latestId();
        List<LiveEvent> fleet = new CopyOnWriteArrayList<>();
        List<LiveEvent> all = new CopyOnWriteArrayList<>();
        feed.subscribe(start, java.util.Set.of(EventGroup.FLEET, EventGroup.ATTENTION), fleet::addAll);
        feed.subscribe(start, all::addAll);
        feed.runOnce();
        long queued = append(log, "t-g"); // no worker: not the fleet's
        long started = log.append("task_started", "t-g", "w-1", Map.of("task_id", "t-g", "worker_id", "w-1")).id();
        long asked = log.append("clarification_requested", "t-g", "w-1", Map.of("clarification_id", "c-1")).id();
        long cancelled = log.append("task_cancelled", "t-h", null, Map.of("task_id", "t-h", "while", "queued")).id();

        feed.runOnce();
        long registered = log.append("worker_registered", null, "w-2", Map.of("worker_id", "w-2")).id();
        feed.runOnce();

        assertThat(fleet).extracting(LiveEvent::id).containsExactly(started, asked, registered);
        assertThat(all).extracting(LiveEvent::id).containsExactly(queued, started, asked, cancelled, registered);
        feed.close();
    }

    @Test
    void aStreamResumingBehindTheFeedCatchesUpThenSharesItsReads() {
        CountingLog log = new CountingLog();
        EventFeed feed = new EventFeed(log, false);
        long before = log.latestId();
        long e1 = append(log, "t-1");
        long e2 = append(log, "t-2");
        List<Long> level = new CopyOnWriteArrayList<>();
        List<Long> behind = new CopyOnWriteArrayList<>();
        feed.subscribe(log.latestId(), rows -> level.addAll(ids(rows)));
        feed.subscribe(before, rows -> behind.addAll(ids(rows))); // a reconnect with Last-Event-ID = before

        feed.runOnce();
        assertThat(behind).containsExactly(e1, e2);
        assertThat(level).isEmpty();

        long e3 = append(log, "t-3");
        log.reads.set(0);
        feed.runOnce();

        assertThat(log.reads.get()).isEqualTo(1);
        assertThat(behind).containsExactly(e1, e2, e3);
        assertThat(level).containsExactly(e3);
        feed.close();
    }

    @Test
    void aClosedStreamGetsNothingMoreAndAFeedWithoutStreamsReadsNothing() {
        CountingLog log = new CountingLog();
        EventFeed feed = new EventFeed(log, false);
        List<Long> got = new CopyOnWriteArrayList<>();
        EventFeed.Subscription s = feed.subscribe(log.latestId(), rows -> got.addAll(ids(rows)));
        feed.runOnce();
        long e1 = append(log, "t-x");
        feed.runOnce();
        s.close();
        append(log, "t-y");
        log.reads.set(0);

        feed.runOnce();

        assertThat(got).containsExactly(e1);
        assertThat(log.reads.get()).isZero();
        assertThat(feed.subscriberCount()).isZero();
        feed.close();
    }

    @Test
    void aFailingListenerIsDroppedAndTheOthersGoOn() {
        CountingLog log = new CountingLog();
        EventFeed feed = new EventFeed(log, false);
        List<Long> got = new CopyOnWriteArrayList<>();
        long start = log.latestId();
        feed.subscribe(start, rows -> {
            throw new IllegalStateException("the client went away");
        });
        feed.subscribe(start, rows -> got.addAll(ids(rows)));
        feed.runOnce();
        long e1 = append(log, "t-f");

        feed.runOnce();

        assertThat(got).containsExactly(e1);
        assertThat(feed.subscriberCount()).isEqualTo(1);
        feed.close();
    }
}
