package io.agentvine.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent sees only a small allowlist of the worker's environment plus what its launcher passes. */
class AgentEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void the_agent_does_not_inherit_the_workers_environment() throws Exception {
        Path script = dir.resolve("env.sh");
        Files.writeString(script, "#!/usr/bin/env bash\nenv\n");
        script.toFile().setExecutable(true);
        List<String> lines = new CopyOnWriteArrayList<>();
        AgentCommand cmd = new AgentCommand(List.of(script.toString()), dir, Map.of("AGENTVINE_TASK_ID", "t-9"), Set.of(),
                dir.resolve("logs/t-9.log"));
        try (AgentProcess p = AgentProcess.start(cmd, (stream, line) -> lines.add(line), Clock.systemUTC())) {
            p.waitFor(Duration.ofSeconds(10));
        }
        List<String> names = lines.stream().filter(l -> l.contains("=")).map(l -> l.substring(0, l.indexOf('='))).toList();
        assertThat(names).contains("AGENTVINE_TASK_ID");
        // Whatever this test JVM's environment holds beyond the allowlist (JAVA_HOME, MAVEN_*, CI, tokens…) stays out.
        Set<String> setByTheShell = Set.of("PWD", "SHLVL", "_", "OLDPWD");
        for (String name : System.getenv().keySet()) {
            if (!AgentLauncher.INHERITED.contains(name) && !setByTheShell.contains(name)) {
                assertThat(names).as("inherited " + name).doesNotContain(name);
            }
        }
        assertThat(names).allMatch(n -> AgentLauncher.INHERITED.contains(n) || n.startsWith("AGENTVINE_") || setByTheShell.contains(n));
    }
}
