package io.agentvine.worker.process;

import static io.agentvine.worker.process.TestAgents.PATIENCE;
import static io.agentvine.worker.process.TestAgents.running;
import static io.agentvine.worker.process.TestAgents.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The fixture the agent process tests share: a work directory and log file in a temp directory, a
 * reaper of their own, and after each test the check that no process, thread or registration of the
 * agents it started is left behind.
 */
abstract class AgentProcessFixture {
    static final Duration SHORT_GRACE = Duration.ofMillis(500);

    @TempDir
    Path dir;
    Path work;
    Path logFile;
    final TestAgents.Collected lines = new TestAgents.Collected();
    final ProcessReaper reaper = new ProcessReaper(false);
    private final List<AgentProcess> started = new ArrayList<>();

    @BeforeEach
    void workspace() throws Exception {
        work = Files.createDirectories(dir.resolve("work"));
        logFile = dir.resolve("logs/t-1.log");
    }

    @AfterEach
    void no_process_thread_or_registration_is_left_behind() {
        started.forEach(AgentProcess::close);
        for (AgentProcess p : started) {
            assertThat(p.isAlive()).isFalse();
            assertThat(p.runningTree()).as("processes of the run still running").isEmpty();
            await().atMost(PATIENCE).until(() -> TestAgents.threadsOf(p.pid()).isEmpty());
        }
        assertThat(reaper.liveCount()).isZero();
    }

    AgentCommand command(Path script, Map<String, String> env, Set<String> secrets) {
        return new AgentCommand(List.of(script.toString()), work, env, secrets, logFile);
    }

    AgentProcess start(AgentCommand cmd, LineListener listener, Clock clock, Duration grace) {
        AgentProcess p = AgentProcess.start(cmd, listener, clock, grace, reaper);
        started.add(p);
        return p;
    }

    AgentProcess start(Path script, Duration grace) {
        return start(command(script, Map.of(), Set.of()), lines, Clock.systemUTC(), grace);
    }

    List<String> logLines(String tag) throws Exception {
        return Files.readAllLines(logFile).stream().filter(l -> l.contains(" " + tag + " ")).toList();
    }

    /** The text of the log lines tagged {@code tag}, without timestamp and tag. */
    List<String> logged(String tag) throws Exception {
        return logLines(tag).stream().map(l -> l.substring(l.indexOf(" " + tag + " ") + tag.length() + 2)).toList();
    }
}
