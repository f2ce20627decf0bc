package io.agentvine.controller.input;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.model.InvalidMessageException;
import io.agentvine.model.Json;
import io.agentvine.model.WorkOrder;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * The configured size limits of request fields (agentvine.max-*): text lengths, and metadata by its
 * serialized size and nesting depth. A text limit above the contract's own is refused at start.
 */
@Singleton
public class InputLimits {
    private final ControllerSettings settings;

    public InputLimits(ControllerSettings settings) {
        this.settings = settings;
        within("max-title-length", settings.getMaxTitleLength(), WorkOrder.MAX_TITLE_LENGTH);
        within("max-instructions-length", settings.getMaxInstructionsLength(), WorkOrder.MAX_INSTRUCTIONS_LENGTH);
        within("max-test-command-length", settings.getMaxTestCommandLength(), WorkOrder.MAX_TEST_COMMAND_LENGTH);
        within("max-metadata-bytes", settings.getMaxMetadataBytes(), 512 * 1024);
        within("max-metadata-depth", settings.getMaxMetadataDepth(), 100);
    }

    private static void within(String name, int value, int limit) {
        if (value < 1 || value > limit) {
            throw new IllegalArgumentException("agentvine." + name + " must be between 1 and " + limit + ", was " + value);
        }
    }

    public int titleLength() {
        return settings.getMaxTitleLength();
    }

    public int instructionsLength() {
        return settings.getMaxInstructionsLength();
    }

    public int testCommandLength() {
        return settings.getMaxTestCommandLength();
    }

    /** Refuses metadata larger than the configured bytes (as JSON, UTF-8) or nested deeper than the configured depth. */
    public void metadata(Map<String, Object> metadata, String field) {
        if (metadata == null) {
            return;
        }
        int bytes = Json.write(metadata).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > settings.getMaxMetadataBytes()) {
            throw new InvalidMessageException(field, "is " + bytes + " bytes as JSON; the limit is " + settings.getMaxMetadataBytes());
        }
        int depth = depth(metadata);
        if (depth > settings.getMaxMetadataDepth()) {
            throw new InvalidMessageException(field, "is nested " + depth + " levels deep; the limit is " + settings.getMaxMetadataDepth());
        }
    }

    private static int depth(Object value) {
        if (value instanceof Map<?, ?> map) {
            return 1 + map.values().stream().mapToInt(InputLimits::depth).max().orElse(0);
        }
        if (value instanceof Collection<?> list) {
            return 1 + list.stream().mapToInt(InputLimits::depth).max().orElse(0);
        }
        return 0;
    }
}
