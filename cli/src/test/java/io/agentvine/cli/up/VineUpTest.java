package io.agentvine.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentvine.cli.ExitCodes;
import io.agentvine.cli.VineRun;
import io.agentvine.cli.VineRun.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vine up} end to end with real processes: its own JVM supervising a real redis-server, the
 * controller's and the worker's runnable jars; the lock of the data folder, the ordered stop on SIGTERM,
 * the leftovers of a {@code kill -9}'d run, and the smoke run.
 */
class VineUpTest {
    @TempDir
    Path tmp;

    private Path data() {
        return tmp.resolve("data");
    }

    @AfterEach
    void nothingLeftRunning() {
        // whatever a failed test left is stopped the way vine up stops leftovers
        FleetOutput out = new FleetOutput(VineRun.io(tmp), tmp);
        StateFile state = new StateFile(data().resolve("run"));
        new Leftovers(state, new ProcessStopper(out, Clock.systemUTC()), out).stopAll();
    }

    @Test
    void a_second_fleet_on_the_same_data_is_refused_and_sigterm_stops_the_fleet_in_order() throws Exception {
        int port = VineUpProcess.freePort();
        try (VineUpProcess fleet = VineUpProcess.start(data(), port, "docs").awaitNextSteps()) {
            List<StateFile.Entry> running = new StateFile(data().resolve("run")).read();
            assertThat(running).extracting(StateFile.Entry::name).containsExactly("worker-docs", "controller", "redis");
            assertThat(running).allSatisfy(e -> assertThat(alive(e)).as(e.name() + " runs").isTrue());
            assertThat(fleet.output()).contains("dashboard   http://127.0.0.1:" + port + "/ui").contains("./vine task create --type docs");
            assertThat(fleet.output().indexOf("dashboard")).isLessThan(fleet.output().indexOf("admin key"));

            Result second = new VineRun(tmp).env("PATH", System.getenv("PATH"))
                    .run("up", "--no-build", "--data", data().toString(), "--port", Integer.toString(VineUpProcess.freePort()), "--types", "docs");
            assertThat(second.code()).as(second.toString()).isEqualTo(ExitCodes.ERROR);
            assertThat(second.err()).contains("another fleet (pid " + fleet.process.pid() + ") is running on " + data());

            fleet.process.destroy(); // SIGTERM: the shutdown hook stops the fleet
            assertThat(fleet.awaitExit(Duration.ofMinutes(3))).isEqualTo(143);
            String out = fleet.output();
            assertThat(out).containsSubsequence("stopping 1 worker(s)", "stopping the controller...", "stopping Redis (started here)...",
                    "fleet stopped");
            assertThat(out.split("fleet stopped", -1)).as("stopped once").hasSize(2);
            assertThat(running).allSatisfy(e -> assertThat(alive(e)).as(e.name() + " stopped").isFalse());
            assertThat(new StateFile(data().resolve("run")).path()).doesNotExist();
            assertThat(Files.readString(data().resolve("logs/worker-docs.log"))).contains("started by vine up");
        }
        FleetLock.acquire(data().resolve("run"), data(), new FleetOutput(VineRun.io(tmp), tmp)).close(); // the lock was released
    }

    @Test
    void what_a_killed_run_left_is_stopped_by_the_next_one_whose_smoke_run_passes() throws Exception {
        int port = VineUpProcess.freePort();
        List<StateFile.Entry> left;
        try (VineUpProcess killed = VineUpProcess.start(data(), port, "feature,review").awaitReady()) {
            left = new StateFile(data().resolve("run")).read();
            killed.process.destroyForcibly(); // kill -9: no shutdown hook runs
            killed.awaitExit(Duration.ofSeconds(30));
        }
        assertThat(left).extracting(StateFile.Entry::name).containsExactlyInAnyOrder("worker-feature", "worker-review", "controller", "redis");
        assertThat(left).allSatisfy(e -> assertThat(alive(e)).as(e.name() + " outlived its supervisor").isTrue());

        try (VineUpProcess smoke = VineUpProcess.start(data(), port, "feature,review", "--smoke", "--smoke-timeout", "240")) {
            int code = smoke.awaitExit(Duration.ofMinutes(10));
            String out = smoke.output();
            assertThat(code).as(out).isZero();
            for (StateFile.Entry e : left) {
                assertThat(out).contains("stopping " + e.name() + " (pid " + e.pid() + "), left over from an earlier run");
                assertThat(alive(e)).as(e.name() + " stopped").isFalse();
            }
            assertThat(out).containsSubsequence("left over", "ready in", "smoke run: one task per type", "feature", "completed",
                    "review", "none (a review changes nothing), as expected", "smoke run passed", "fleet stopped");
            assertThat(out.split("fleet stopped", -1)).as("the smoke run's stop and the shutdown hook's: stopped once").hasSize(2);
        }
        assertThat(new StateFile(data().resolve("run")).path()).doesNotExist();
    }

    @Test
    void a_bad_setting_is_refused_naming_the_flag_and_its_variable() {
        Result types = new VineRun(tmp).run("up", "--no-build", "--data", data().toString(), "--types", "feature,Bad!");
        assertThat(types.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(types.err()).contains("--types (FLEET_TYPES): 'Bad!' is not a task type name");
        Result port = new VineRun(tmp).env("AGENTVINE_PORT", "eighty").run("up", "--no-build", "--data", data().toString());
        assertThat(port.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(port.err()).contains("--port (AGENTVINE_PORT) must be a whole number, was 'eighty'");
        assertThat(data()).doesNotExist();
    }

    private static boolean alive(StateFile.Entry e) {
        Optional<ProcessHandle> p = ProcessHandle.of(e.pid());
        return p.isPresent() && Leftovers.isOurs(p.get(), e);
    }
}
