package io.agentvine.worker.process;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scripted agents (bash in a temp dir) and what tests check about them. */
final class TestAgents {
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private TestAgents() {
    }

    static Path script(Path dir, String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/usr/bin/env bash\n" + body);
        if (!p.toFile().setExecutable(true)) {
            throw new IOException("cannot make " + p + " executable");
        }
        return p;
    }

    /** Alive and not a zombie: a killed orphan may linger as one until init collects it. */
    static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::running).orElse(false);
    }

    /** The threads an agent started ({@code agent-stdout-<pid>} and the like) that still run. */
    static List<String> threadsOf(long pid) {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.startsWith("agent-") && n.endsWith("-" + pid))
                .toList();
    }

    /** A listener that keeps every line, per stream. */
    static final class Collected implements LineListener {
        final List<String> out = Collections.synchronizedList(new ArrayList<>());
        final List<String> err = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onLine(Stream stream, String line) {
            (stream == Stream.STDOUT ? out : err).add(line);
        }

        List<String> out() {
            return List.copyOf(out);
        }

        List<String> err() {
            return List.copyOf(err);
        }

        /** Waits for the stdout line {@code "<label> <pid>"} a script prints, and returns the pid. */
        long pidOf(String label) {
            Pattern p = Pattern.compile(Pattern.quote(label) + " (\\d+)");
            long[] pid = new long[1];
            await().atMost(PATIENCE).until(() -> {
                for (String line : out()) {
                    Matcher m = p.matcher(line);
                    if (m.matches()) {
                        pid[0] = Long.parseLong(m.group(1));
                        return true;
                    }
                }
                return false;
            });
            return pid[0];
        }
    }
}
