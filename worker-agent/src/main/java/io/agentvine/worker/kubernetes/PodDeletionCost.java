package io.agentvine.worker.kubernetes;

import io.agentvine.loop.Backoff;
import io.agentvine.loop.Loop;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this worker's own pod's {@code controller.kubernetes.io/pod-deletion-cost} annotation at
 * {@code idle} while it runs nothing and at {@code busy} while it runs something: when the autoscaler
 * lowers a worker Deployment's replicas, the ReplicaSet removes the pods of lowest cost first, so idle
 * pods go and running agents stay.
 *
 * <p>Active only inside a pod: {@code POD_NAME} and {@code POD_NAMESPACE} set (the downward API) and a
 * service-account token mounted; everywhere else {@link #fromEnvironment} gives a no-op. It sends a JSON
 * merge patch (RBAC: {@code patch} on pods) only when the value changes. A failure is logged once and is
 * never fatal: a refusal (401, 403, 404) turns it off for good, anything else is tried again on the next
 * turn. The thread {@code worker-pod-cost} looks every {@link #EVERY}.
 */
public final class PodDeletionCost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PodDeletionCost.class);
    public static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
    public static final String IDLE_VARIABLE = "AGENTVINE_POD_DELETION_COST_IDLE";
    public static final String BUSY_VARIABLE = "AGENTVINE_POD_DELETION_COST_BUSY";
    public static final int DEFAULT_IDLE = -100;
    public static final int DEFAULT_BUSY = 10_000;
    public static final Path TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");
    static final Duration EVERY = Duration.ofSeconds(2);
    private static final Duration CALL_LIMIT = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final String namespace;
    private final String pod;
    private final int idle;
    private final int busy;
    private final IntSupplier running;
    private Integer applied;
    private volatile boolean off;
    private boolean warned;
    private Loop loop;
    private boolean closed;

    /**
     * @param client  the API server's client, closed with this; null: a no-op
     * @param running how many runs the worker holds now
     */
    PodDeletionCost(KubernetesClient client, String namespace, String pod, int idle, int busy, IntSupplier running) {
        this.client = client;
        this.namespace = namespace;
        this.pod = pod;
        this.idle = idle;
        this.busy = busy;
        this.running = running;
        this.off = client == null;
    }

    /**
     * The pod's cost keeper when this process runs in a pod that may set it, else a no-op.
     *
     * @throws IllegalArgumentException a cost that is no whole number, naming its variable
     */
    public static PodDeletionCost fromEnvironment(Map<String, String> env, Path token, IntSupplier running) {
        int idle = number(env, IDLE_VARIABLE, DEFAULT_IDLE);
        int busy = number(env, BUSY_VARIABLE, DEFAULT_BUSY);
        String pod = env.get("POD_NAME");
        String namespace = env.get("POD_NAMESPACE");
        if (blank(pod) || blank(namespace) || !Files.isReadable(token)) {
            log.debug("not in a pod that may set its deletion cost (POD_NAME, POD_NAMESPACE and a service-account token): off");
            return new PodDeletionCost(null, namespace, pod, idle, busy, running);
        }
        log.info("in pod {}/{}: its {} follows the runs ({} idle, {} busy)", namespace, pod, ANNOTATION, idle, busy);
        // In-cluster configuration (the mounted token and CA); short limits: the next turn tries again anyway.
        Config config = Config.autoConfigure(null);
        config.setConnectionTimeout((int) CALL_LIMIT.toMillis());
        config.setRequestTimeout((int) CALL_LIMIT.toMillis());
        config.setRequestRetryBackoffLimit(1);
        return new PodDeletionCost(new KubernetesClientBuilder().withConfig(config).build(), namespace, pod, idle, busy, running);
    }

    private static int number(Map<String, String> env, String variable, int fallback) {
        String v = env.get(variable);
        if (blank(v)) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + ": '" + v + "' is not a whole number (the pod's deletion cost, an int32)");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Whether it still sets the cost (false outside a pod, and after the API server refused it). */
    public boolean active() {
        return !off;
    }

    /** One turn: sets the cost when it differs from the one set last; returns the wait before the next. */
    Duration runOnce() {
        if (off) {
            return EVERY;
        }
        int wanted = running.getAsInt() > 0 ? busy : idle;
        if (applied != null && applied == wanted) {
            return EVERY;
        }
        try {
            client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + wanted + "\"}}}");
            applied = wanted;
            log.debug("pod {}/{}: {} = {}", namespace, pod, ANNOTATION, wanted);
        } catch (KubernetesClientException e) {
            int code = e.getCode();
            if (code == 401 || code == 403 || code == 404) {
                off = true;
                log.warn("cannot set pod {}/{}'s {} (HTTP {}: RBAC needs patch on pods, and the pod must exist): "
                        + "left as it is; scale-in may pick a busy pod, whose runs still get the grace period", namespace, pod, ANNOTATION, code);
            } else {
                warnOnce(e);
            }
        } catch (RuntimeException e) {
            warnOnce(e);
        }
        return EVERY;
    }

    private void warnOnce(RuntimeException e) {
        if (!warned) {
            warned = true;
            log.warn("cannot set pod {}/{}'s {} now ({}); trying again every {} (logged once)", namespace, pod, ANNOTATION, e.toString(), EVERY);
        } else {
            log.debug("pod deletion cost still not set: {}", e.toString());
        }
    }

    /** Starts the thread {@code worker-pod-cost}; nothing when off. */
    public synchronized void start() {
        if (!off && loop == null && !closed) {
            loop = new Loop("worker-pod-cost", Backoff.DEFAULT, this::runOnce).start();
        }
    }

    /** Stops the thread and closes the client; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (loop != null) {
            loop.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
