package io.agentvine.worker.runtime;

import io.agentvine.worker.clarify.AskServer;
import io.agentvine.worker.clarify.ClarificationClient;
import io.agentvine.worker.livelog.LogShipper;

/**
 * What runs lean on besides the queue, and what shutdown must close after them: the pipeline's
 * network steps, the live log's shipper, the agents' question endpoint and the clarification channel.
 */
record WorkerServices(RunPipeline pipeline, LogShipper liveLogs, AskServer asks, ClarificationClient clarifications) {
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
}
