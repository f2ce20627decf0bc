package io.agentvine.worker.runtime;

import io.agentvine.model.LifecycleEventType;
import io.agentvine.model.RunStep;
import io.agentvine.queue.Claim;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs one claimed order: the {@code started} event (claim time, where its log is), the step
 * {@code preparing}, then the {@link RunPipeline}; once the pipeline is done, the step {@code finishing}
 * while the runtime reports the end.
 */
final class OrderRunner {
    private final RunPipeline pipeline;
    private final RunEvents events;
    private final Supplier<String> workerId;
    private final Path logDir;
    private final String agent;

    OrderRunner(RunPipeline pipeline, RunEvents events, Supplier<String> workerId, Path logDir, String agent) {
        this.pipeline = pipeline;
        this.events = events;
        this.workerId = workerId;
        this.logDir = logDir;
        this.agent = agent;
    }

    RunResult run(ActiveRun run) {
        Claim claim = run.claim;
        Path logFile = logDir.resolve(claim.order().taskId() + ".log").toAbsolutePath();
        events.publish(events.event(claim, LifecycleEventType.STARTED).model(claim.order().model())
                .claimedAt(run.startedAt).logLocation("worker " + workerId.get() + ": " + logFile)
                .metadata(Map.of("agent", agent)).build());
        events.step(run, RunStep.PREPARING);
        RunResult result = RunOutcomes.stoppedBeforeStart(run).orElseGet(() -> pipeline.run(run, workerId.get(), logFile, events));
        events.step(run, RunStep.FINISHING);
        return result;
    }
}
