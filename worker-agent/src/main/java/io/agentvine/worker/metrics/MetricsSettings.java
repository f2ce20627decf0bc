package io.agentvine.worker.metrics;

/**
 * The worker's own Prometheus endpoint: {@code AGENTVINE_WORKER_METRICS_PORT} (unset: off, nothing
 * listens) and {@code AGENTVINE_WORKER_METRICS_ADDRESS} (the address it binds, default all of them: a
 * Prometheus that scrapes each pod or container reaches it from outside).
 *
 * @param address the address to bind (an IP literal or a name of this machine)
 * @param port    0: off; otherwise 1–65535
 */
public record MetricsSettings(String address, int port) {
    public static final String PORT_VARIABLE = "AGENTVINE_WORKER_METRICS_PORT";
    public static final String ADDRESS_VARIABLE = "AGENTVINE_WORKER_METRICS_ADDRESS";
    public static final String DEFAULT_ADDRESS = "0.0.0.0";
    public static final MetricsSettings OFF = new MetricsSettings(DEFAULT_ADDRESS, 0);

    public MetricsSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(PORT_VARIABLE + " must be between 1 and 65535, was " + port);
        }
    }

    public boolean enabled() {
        return port > 0;
    }

    @Override
    public String toString() {
        return enabled() ? "metrics on " + address + ":" + port : "metrics endpoint off";
    }
}
