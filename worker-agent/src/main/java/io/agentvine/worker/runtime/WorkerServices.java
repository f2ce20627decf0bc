package io.agentvine.worker.runtime;

import io.agentvine.worker.clarify.AskServer;
import io.agentvine.worker.clarify.ClarificationClient;

/**
 * What runs lean on besides the queue, and what shutdown must close after them: the pipeline's
 * network steps, the agents' question endpoint and the clarification channel.
 */
record WorkerServices(RunPipeline pipeline, AskServer asks, ClarificationClient clarifications) {
    void start() {
        clarifications.start();
        asks.start();
    }

    /** The network steps runs gave up on (a silent server) end within the git timeout. */
    void closeAfterRuns() {
        pipeline.close();
    }

    void closeChannels() {
        asks.close();
        clarifications.close();
    }
}
