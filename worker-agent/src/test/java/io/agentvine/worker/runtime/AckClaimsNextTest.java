package io.agentvine.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentvine.queue.Claim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A worker of one type whose run ends while it takes orders acknowledges and claims the next order in
 * one round trip: the order runs in the same slot and the claim loop never claims it. A worker of
 * several types leaves its claims to the claim loop, which takes the types in turn. (That a draining worker
 * acks without claiming is {@link WorkerDrainTest}'s first test: its second order stays queued; that a
 * rejected ack claims nothing is {@link RunReporterTest}'s.)
 */
class AckClaimsNextTest extends FleetTestBase {
    /** The tasks of the orders the claim loop claimed, in order. */
    final List<String> claimedByLoop = new CopyOnWriteArrayList<>();

    /** A worker of {@code types} with one slot, whose claim loop records what it claims. */
    private WorkerRuntime startWorker(String types, Path agent) {
        return fleet.startWorker(Map.of("AGENTVINE_WORKER_TYPES", types, "AGENTVINE_AGENT", "command",
                "AGENTVINE_AGENT_COMMAND", agent.toString(), "AGENTVINE_MAX_CONCURRENT_TASKS", "1"), source -> (wanted, wait) -> {
                    Optional<Claim> c = source.claim(wanted, wait);
                    c.ifPresent(claim -> claimedByLoop.add(claim.order().taskId()));
                    return c;
                });
    }

    @Test
    void two_queued_orders_run_back_to_back_and_only_the_first_is_claimed_by_the_claim_loop() throws Exception {
        Path ran = tmp.resolve("ran");
        Path agent = fleet.agent("echo \"$AGENTVINE_TASK_ID\" >> " + ran + "\necho done > CHANGELOG.md\n");
        String first = fleet.createTask("feature", "First", "Write it.", "autonomous", null);
        String second = fleet.createTask("feature", "Second", "Write it.", "autonomous", null);

        WorkerRuntime worker = startWorker("feature", agent);

        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(fleet.state(first))
                && "completed".equals(fleet.state(second)));
        assertThat(Files.readAllLines(ran)).containsExactly(first, second);
        assertThat(claimedByLoop).as("the second order came with the first one's ack").containsExactly(first);
        assertThat(worker.completedCount()).isEqualTo(2);
    }

    @Test
    void a_worker_of_two_types_claims_through_the_claim_loop_which_takes_the_types_in_turn() throws Exception {
        Path ran = tmp.resolve("ran");
        Path agent = fleet.agent("echo \"$AGENTVINE_TASK_ID\" >> " + ran + "\necho done > CHANGELOG.md\n");
        String feature1 = fleet.createTask("feature", "First feature", "Write it.", "autonomous", null);
        String feature2 = fleet.createTask("feature", "Second feature", "Write it.", "autonomous", null);
        String docs = fleet.createTask("docs", "Docs", "Write them.", "autonomous", null);

        startWorker("feature,docs", agent);

        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ran) && Files.readAllLines(ran).size() == 3);
        assertThat(Files.readAllLines(ran)).as("the docs order is not starved by the feature queue").containsExactly(feature1, docs, feature2);
        assertThat(claimedByLoop).containsExactly(feature1, docs, feature2);
    }
}
