package io.agentvine.worker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link PrometheusMeterRegistry} as Prometheus text at {@code GET /metrics} on the JDK's
 * HTTP server: no web framework in the worker. The port is bound when the endpoint is made (a port in
 * use fails the worker's start with a message naming the variable); requests are answered from
 * {@link #start()} on, on the thread {@code worker-metrics}; {@link #close()} is idempotent.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final PrometheusMeterRegistry registry;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "worker-metrics");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetricsEndpoint(HttpServer server, PrometheusMeterRegistry registry) {
        this.server = server;
        this.registry = registry;
        server.setExecutor(thread);
        server.createContext("/", this::handle);
    }

    /**
     * Binds {@code settings}' address and port.
     *
     * @throws UncheckedIOException when it cannot (the address is not this machine's, the port is taken), naming the variables
     */
    public static MetricsEndpoint bind(MetricsSettings settings, PrometheusMeterRegistry registry) {
        String where = settings.address() + ":" + settings.port();
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(settings.address()), settings.port());
            return new MetricsEndpoint(HttpServer.create(address, 16), registry);
        } catch (IOException e) {
            throw new UncheckedIOException(MetricsSettings.PORT_VARIABLE + " / " + MetricsSettings.ADDRESS_VARIABLE
                    + ": cannot listen on " + where + ": " + e.getMessage(), e);
        }
    }

    public void start() {
        if (!closed.get() && started.compareAndSet(false, true)) {
            server.start();
            log.info("metrics at http://{}:{}/metrics", server.getAddress().getHostString(), port());
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics") && !path.equals("/")) {
                reply(exchange, 404, "text/plain; charset=utf-8", "not found: the metrics are at /metrics\n");
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
            } else {
                reply(exchange, 200, CONTENT_TYPE, registry.scrape());
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /**
     * Stops listening and ends the thread; idempotent. No delay for answers in progress: a scrape takes
     * milliseconds, and JDK 17's server would wait out any delay in full.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            thread.shutdownNow();
        }
    }
}
