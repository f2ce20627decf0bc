package io.agentvine.worker.livelog;

import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.agentvine.loop.Wakeup;
import io.agentvine.queue.AttemptLogStream;
import io.agentvine.queue.redis.RedisEndpoint;
import io.agentvine.queue.redis.RedisLink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the worker's live logs to Redis ({@link AttemptLogStream}): one thread for the whole worker,
 * {@code worker-log-shipper}, on a connection of its own (opened when the thread starts, so that no line waits for
 * it), drains every running attempt's
 * {@link Shipment} every {@link LiveLogSettings#interval()} — at once when one holds
 * {@link LiveLogSettings#batchLines()} lines or ended — in one pipelined batch per attempt (XADDs and
 * EXPIRE in one write). An ended attempt's last batch carries its {@code end} entry, after which it is
 * forgotten.
 *
 * <p>Redis down or slow: the runs go on (the agent's readers never wait on the shipper), their
 * shipments buffer and then drop lines (counted, and marked in the stream), a batch Redis did not
 * confirm is tried again (so a line may, rarely, arrive twice), and shipping resumes when Redis is back.
 * {@link #close()} ships what it can within a bound, then stops; idempotent.
 */
public final class LogShipper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogShipper.class);
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_LIMIT = Duration.ofSeconds(5);
    /** Lines in one XADD batch at most: a large backlog goes out in several. */
    private static final int MAX_BATCH = 1000;

    private final RedisEndpoint redis;
    private final String namespace;
    private final LiveLogSettings settings;
    private final Clock clock;
    private final List<Shipment> shipments = new CopyOnWriteArrayList<>();
    private final Wakeup work = new Wakeup();
    private final Loop loop;
    private volatile boolean closed;
    private volatile AttemptLogStream.Writer writer; // the loop thread's (and close's, after the loop ended)

    public LogShipper(RedisEndpoint redis, String namespace, LiveLogSettings settings, Clock clock) {
        this.redis = redis;
        this.namespace = namespace;
        this.settings = settings;
        this.clock = clock;
        this.loop = new Loop("worker-log-shipper", new Backoff(settings.interval(), Duration.ofSeconds(5)), this::runOnce);
    }

    public LogShipper start() {
        loop.start();
        return this;
    }

    public LiveLogSettings settings() {
        return settings;
    }

    /** Starts the live log of attempt {@code attempt} of {@code taskId}; end it with {@link Shipment#end}. */
    public Shipment open(String taskId, int attempt) {
        Shipment s = new Shipment(AttemptLogStream.key(namespace, taskId, attempt), settings.bufferLines(), settings.batchLines(),
                work::ring);
        shipments.add(s);
        return s;
    }

    /**
     * One round: waits up to the interval unless a shipment is ready or the shipper is woken, then ships
     * every shipment's lines. Throws when Redis refused or did not answer (the loop backs off).
     */
    Duration runOnce() throws InterruptedException {
        // Connected before the first line: setting a connection up (Netty's first channel, the handshake) takes from
        // milliseconds to seconds on a loaded machine, and the first batch waited for it — the live log's ~1 s stall.
        writer();
        awaitWork();
        shipAll();
        return Duration.ZERO;
    }

    /** Whether the shipper holds an open connection (for tests: it connects when it starts, not at the first line). */
    boolean connected() {
        AttemptLogStream.Writer w = writer;
        return w != null && w.isOpen();
    }

    private void awaitWork() throws InterruptedException {
        work.await(settings.interval(), () -> closed || shipments.stream().anyMatch(Shipment::readyToShip));
    }

    /** Ships what every shipment holds; false when Redis is not reachable now (nothing was sent). */
    boolean shipAll() {
        if (shipments.isEmpty()) {
            return true;
        }
        AttemptLogStream.Writer w = writer();
        if (!w.isOpen()) {
            return false; // Lettuce reconnects by itself; meanwhile the shipments buffer
        }
        for (Shipment s : shipments) {
            for (Shipment.Batch b = s.take(MAX_BATCH); b != null; b = s.take(MAX_BATCH)) {
                try {
                    w.append(s.key(), b.lines(), b.end(), b.endedAt(), WRITE_TIMEOUT);
                } catch (RuntimeException e) {
                    s.putBack(b);
                    throw e;
                }
                if (b.end()) {
                    shipments.remove(s);
                    if (s.droppedTotal() > 0) {
                        log.warn("live log {}: {} line(s) were not shipped (Redis slow or unreachable); the log file has them",
                                s.key(), s.droppedTotal());
                    }
                    break;
                }
            }
        }
        return true;
    }

    private AttemptLogStream.Writer writer() {
        if (writer == null) {
            RedisLink c = redis.connect();
            writer = new AttemptLogStream.Writer(c, settings.maxLines(), settings.retention());
        }
        return writer;
    }

    /** Attempts whose lines are still to be shipped (for tests). */
    int openShipments() {
        return shipments.size();
    }

    /** Stops the thread, then ships what is left once (bounded by the write timeout), closes the connection; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        work.ring();
        loop.close();
        try {
            if (!shipments.isEmpty()) {
                shipments.forEach(s -> s.end(clock.instant()));
                shipAll();
            }
        } catch (RuntimeException e) {
            log.warn("live logs: {} attempt(s) could not be shipped at shutdown: {}", shipments.size(), e.toString());
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
    }
}
