package io.agentvine.worker.runtime;

import io.agentvine.worker.clarify.AskServer;
import io.agentvine.worker.clarify.ClarificationClient;
import io.agentvine.worker.livelog.LogShipper;
import io.agentvine.worker.metrics.MetricsEndpoint;

/**
 * What runs lean on besides the queue, and what shutdown must close after them: the pipeline's
 * network steps, the live log's shipper, the agents' question endpoint and the clarification channel;
 * and the worker's own {@code /metrics}, which answers from the start to the very end.
 *
 * @param metrics null when the endpoint is off
 */
record WorkerServices(RunPipeline pipeline, LogShipper liveLogs, AskServer asks, ClarificationClient clarifications,
                      MetricsEndpoint metrics) {
    /** The metrics endpoint alone, before the worker registers: it answers while registration retries. */
    void startMetrics() {
        if (metrics != null) {
            metrics.start();
        }
    }

    void start() {
        liveLogs.start();
        clarifications.start();
        asks.start();
    }

    /**
     * The network steps runs gave up on (a silent server) end within the git timeout; the ended runs'
     * last lines and end entries are shipped.
     */
    void closeAfterRuns() {
        pipeline.close();
        liveLogs.close();
    }

    void closeChannels() {
        asks.close();
        clarifications.close();
    }

    void closeMetrics() {
        if (metrics != null) {
            metrics.close();
        }
    }
}
