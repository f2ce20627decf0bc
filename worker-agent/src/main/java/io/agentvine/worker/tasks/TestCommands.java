package io.agentvine.worker.tasks;

import io.agentvine.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The test command of an order: its own {@code test_command} (run by {@code sh -c}, as an operator
 * wrote it), or one detected from the repository's build files — Maven, Gradle, npm, Go, Cargo,
 * pytest, in that order; a project's own wrapper ({@code mvnw}, {@code gradlew}) wins over the
 * global tool.
 */
public final class TestCommands {
    private TestCommands() {
    }

    /** The argv to run, or empty when the order has none and nothing was detected. */
    public static Optional<List<String>> forOrder(String orderCommand, Path workspace) {
        if (orderCommand != null && !orderCommand.isBlank()) {
            return Optional.of(List.of("sh", "-c", orderCommand));
        }
        return detect(workspace);
    }

    public static Optional<List<String>> detect(Path ws) {
        if (Files.isRegularFile(ws.resolve("pom.xml"))) {
            return Optional.of(Files.isExecutable(ws.resolve("mvnw")) ? List.of("./mvnw", "-B", "-q", "test")
                    : List.of("mvn", "-B", "-q", "test"));
        }
        if (Files.isRegularFile(ws.resolve("build.gradle")) || Files.isRegularFile(ws.resolve("build.gradle.kts"))) {
            return Optional.of(Files.isExecutable(ws.resolve("gradlew")) ? List.of("./gradlew", "test", "--console=plain")
                    : List.of("gradle", "test", "--console=plain"));
        }
        if (npmHasTests(ws.resolve("package.json"))) {
            return Optional.of(List.of("npm", "test", "--silent"));
        }
        if (Files.isRegularFile(ws.resolve("go.mod"))) {
            return Optional.of(List.of("go", "test", "./..."));
        }
        if (Files.isRegularFile(ws.resolve("Cargo.toml"))) {
            return Optional.of(List.of("cargo", "test"));
        }
        if (usesPytest(ws)) {
            return Optional.of(List.of("python3", "-m", "pytest", "-q"));
        }
        return Optional.empty();
    }

    /** npm's placeholder script ("Error: no test specified") is not a test suite. */
    private static boolean npmHasTests(Path packageJson) {
        if (!Files.isRegularFile(packageJson)) {
            return false;
        }
        try {
            var scripts = Json.mapper().readTree(packageJson.toFile()).path("scripts");
            String test = scripts.path("test").asText("");
            return !test.isBlank() && !test.contains("no test specified");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean usesPytest(Path ws) {
        if (Files.isRegularFile(ws.resolve("pytest.ini")) || Files.isRegularFile(ws.resolve("conftest.py"))) {
            return true;
        }
        for (String config : List.of("pyproject.toml", "setup.cfg", "tox.ini")) {
            try {
                Path f = ws.resolve(config);
                if (Files.isRegularFile(f) && Files.readString(f).contains("pytest")) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // unreadable: look further
            }
        }
        Path tests = ws.resolve("tests");
        if (Files.isDirectory(tests)) {
            try (Stream<Path> s = Files.list(tests)) {
                return s.anyMatch(p -> p.getFileName().toString().matches("test_.*\\.py|.*_test\\.py"));
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }
}
