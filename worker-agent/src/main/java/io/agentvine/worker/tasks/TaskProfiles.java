package io.agentvine.worker.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentvine.model.TaskType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The executor of each task type: the six built-in ones ({@code feature}, {@code bugfix}, {@code test},
 * {@code docs}, {@code refactor} run the tests; {@code review} reports and touches nothing), a
 * {@code <type>.md} in the templates directory replacing a built-in template, and custom types from a
 * YAML file, with no code change:
 *
 * <pre>
 * types:
 *   security-audit:
 *     acceptance: review          # tests | review | none
 *     template: |
 *       Audit the code for {{instructions}} ...
 *   changelog:
 *     acceptance: none
 *     template_file: /etc/agentvine/changelog.md
 * </pre>
 *
 * A custom type the worker serves without a definition gets a generic template and the tests.
 */
public final class TaskProfiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Acceptance> BUILT_IN = Map.of("feature", Acceptance.TESTS, "bugfix", Acceptance.TESTS,
            "test", Acceptance.TESTS, "docs", Acceptance.TESTS, "refactor", Acceptance.TESTS, "review", Acceptance.REVIEW);

    private final Map<String, TaskProfile> profiles;

    private TaskProfiles(Map<String, TaskProfile> profiles) {
        this.profiles = Map.copyOf(profiles);
    }

    public static TaskProfiles builtIn() {
        return load(Optional.empty(), Optional.empty());
    }

    /**
     * @throws IllegalArgumentException naming the file and the type when a definition is unusable
     */
    public static TaskProfiles load(Optional<Path> templatesDir, Optional<Path> typesFile) {
        Map<String, TaskProfile> profiles = new HashMap<>();
        BUILT_IN.forEach((type, acceptance) -> profiles.put(type, new TaskProfile(type, resource(type), acceptance, "built-in")));
        templatesDir.ifPresent(dir -> BUILT_IN.forEach((type, acceptance) -> {
            Path file = dir.resolve(type + ".md");
            if (Files.isRegularFile(file)) {
                profiles.put(type, new TaskProfile(type, read(file), acceptance, file.toString()));
            }
        }));
        typesFile.ifPresent(file -> profiles.putAll(custom(file)));
        return new TaskProfiles(profiles);
    }

    /** The profile of a type; a custom type nobody defined gets the generic template and the tests. */
    public TaskProfile forType(TaskType type) {
        TaskProfile p = profiles.get(type.name());
        return p != null ? p : new TaskProfile(type.name(), resource("custom"), Acceptance.TESTS, "built-in generic");
    }

    private static Map<String, TaskProfile> custom(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode types = root == null ? null : root.get("types");
        if (types == null || !types.isObject()) {
            throw new IllegalArgumentException(file + ": expected a 'types:' map of task type → {template, acceptance}");
        }
        Map<String, TaskProfile> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = types.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = file + ": types." + e.getKey();
            TaskType type;
            try {
                type = TaskType.of(e.getKey());
            } catch (RuntimeException bad) {
                throw new IllegalArgumentException(where + ": " + bad.getMessage());
            }
            JsonNode def = e.getValue();
            Acceptance acceptance = Acceptance.parse(def.path("acceptance").asText("tests"), where);
            String template;
            if (def.hasNonNull("template")) {
                template = def.get("template").asText();
            } else if (def.hasNonNull("template_file")) {
                Path t = Path.of(def.get("template_file").asText());
                template = read(t.isAbsolute() ? t : file.toAbsolutePath().getParent().resolve(t));
            } else {
                throw new IllegalArgumentException(where + ": needs 'template' or 'template_file'");
            }
            try {
                out.put(type.name(), new TaskProfile(type.name(), template, acceptance, where));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(where + ": " + bad.getMessage());
            }
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = TaskProfiles.class.getResourceAsStream("templates/" + name + ".md")) {
            if (in == null) {
                throw new IllegalStateException("built-in template " + name + ".md is missing from the worker jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read template " + file + ": " + e.getMessage());
        }
    }
}
