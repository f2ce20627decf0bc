package io.agentvine.worker.runtime;

import java.time.Instant;

/** One attempt as its steps see it: the run, the worker that holds it, the attempt's deadline and where its events go. */
record RunScope(ActiveRun run, String workerId, Instant deadline, RunPipeline.Events events) {
}
