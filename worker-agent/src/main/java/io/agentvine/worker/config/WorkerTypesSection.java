package io.agentvine.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.TaskType;
import io.agentvine.model.TaskTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The types this worker serves ({@code AGENTVINE_WORKER_TYPES}): built-in ones, and custom ones listed or defined in the task types file. */
final class WorkerTypesSection {
    private WorkerTypesSection() {
    }

    static List<TaskType> read(Settings s) {
        String v = s.raw("AGENTVINE_WORKER_TYPES");
        if (v == null) {
            s.problem("AGENTVINE_WORKER_TYPES: is required (one or more of feature, bugfix, test, docs, refactor, review, comma-separated)");
            return List.of();
        }
        String custom = s.text("AGENTVINE_CUSTOM_TASK_TYPES", "");
        LinkedHashSet<String> customNames = new LinkedHashSet<>(List.of(custom.isBlank() ? new String[0] : custom.split("\\s*,\\s*")));
        customNames.addAll(definedTypes(s));
        TaskTypes accepted;
        try {
            accepted = TaskTypes.withCustom(customNames);
        } catch (InvalidMessageException e) {
            s.problem("AGENTVINE_CUSTOM_TASK_TYPES: " + e.getMessage());
            return List.of();
        }
        LinkedHashSet<TaskType> types = new LinkedHashSet<>();
        for (String t : v.split("\\s*,\\s*")) {
            try {
                types.add(accepted.require(t));
            } catch (InvalidMessageException e) {
                s.problem("AGENTVINE_WORKER_TYPES: " + e.getMessage().replaceFirst("^type: ", ""));
            }
        }
        return List.copyOf(types);
    }

    /** The custom types AGENTVINE_TASK_TYPES_FILE defines are accepted without listing them again. */
    private static List<String> definedTypes(Settings s) {
        String v = s.raw("AGENTVINE_TASK_TYPES_FILE");
        if (v == null || !Files.isReadable(Path.of(v))) {
            return List.of();
        }
        try {
            JsonNode types = Settings.YAML.readTree(Path.of(v).toFile()).path("types");
            List<String> names = new ArrayList<>();
            types.fieldNames().forEachRemaining(names::add);
            return names;
        } catch (IOException | RuntimeException e) {
            return List.of(); // reported with its details when the task profiles are loaded
        }
    }
}
