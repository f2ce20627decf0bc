package io.agentvine.worker.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The argv that runs one of the worker's own classes in a small, quick-starting JVM of its own. */
final class JavaCommand {
    private JavaCommand() {
    }

    static List<String> of(Class<?> main) {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp", System.getProperty("java.class.path")));
        argv.add(main.getName());
        return List.copyOf(argv);
    }
}
