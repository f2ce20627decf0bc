package io.agentvine.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Case-insensitive enum parsing with a message that lists the accepted values. */
final class Enums {
    private Enums() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidMessageException(field, "is required");
        }
        String wanted = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        throw new InvalidMessageException(field, "'" + value + "' is not one of "
                + Arrays.stream(type.getEnumConstants())
                        .map(c -> c.name().toLowerCase(Locale.ROOT))
                        .map(n -> type == Priority.class ? n.toUpperCase(Locale.ROOT) : n)
                        .collect(Collectors.joining(", ")));
    }
}
