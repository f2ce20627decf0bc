package io.agentvine.model;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Construction-time validation helpers shared by the records of the contract. */
public final class Check {
    /** Ids end up inside Redis keys, log lines and file names: keep them to a safe alphabet. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private Check() {
    }

    /** A work-order, task, worker, event or request id: 1-128 characters of A-Z a-z 0-9 . _ : - */
    public static String id(String value, String field) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new InvalidMessageException(field, "'" + value + "' must be 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        return value;
    }

    public static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidMessageException(field, "is required");
        }
        return value;
    }

    public static String requiredText(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidMessageException(field, "is required and must not be blank");
        }
        return maxLength(value, field, maxLength);
    }

    public static String maxLength(String value, String field, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new InvalidMessageException(field,
                    "is " + value.length() + " characters long; the limit is " + maxLength);
        }
        return value;
    }

    public static String optionalText(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return maxLength(value, field, maxLength);
    }

    public static int positive(int value, String field) {
        if (value <= 0) {
            throw new InvalidMessageException(field, "must be greater than 0, was " + value);
        }
        return value;
    }

    public static int nonNegative(int value, String field) {
        if (value < 0) {
            throw new InvalidMessageException(field, "must not be negative, was " + value);
        }
        return value;
    }

    public static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new InvalidMessageException(field, "must not be negative, was " + value);
        }
        return value;
    }

    public static int between(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new InvalidMessageException(field, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** An optional amount (cost, load, percentage): null stays null, otherwise finite and not negative. */
    public static Double nonNegativeAmount(Double value, String field) {
        if (value != null && (value.isNaN() || value.isInfinite() || value < 0)) {
            throw new InvalidMessageException(field, "must be a finite number, not negative, was " + value);
        }
        return value;
    }

    public static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }

    /**
     * An immutable copy; null means empty. A null element is reported as {@code field[i]} (List.copyOf
     * would throw a bare NullPointerException instead).
     */
    public static <T> List<T> list(List<T> value, String field) {
        if (value == null) {
            return List.of();
        }
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i) == null) {
                throw new InvalidMessageException(field + "[" + i + "]", "must not be null");
            }
        }
        return List.copyOf(value);
    }

    /** Like {@link #list(List, String)}, and no element may appear twice. */
    public static <T> List<T> distinctList(List<T> value, String field) {
        List<T> copy = list(value, field);
        Set<T> seen = new HashSet<>();
        for (T element : copy) {
            if (!seen.add(element)) {
                throw new InvalidMessageException(field, "lists '" + element + "' more than once");
            }
        }
        return copy;
    }

    /** A list of short non-blank strings: at most {@code maxItems}, each at most {@code maxLength} characters. */
    public static List<String> texts(List<String> value, String field, int maxItems, int maxLength) {
        List<String> copy = list(value, field);
        if (copy.size() > maxItems) {
            throw new InvalidMessageException(field, "has " + copy.size() + " entries; the limit is " + maxItems);
        }
        for (int i = 0; i < copy.size(); i++) {
            requiredText(copy.get(i), field + "[" + i + "]", maxLength);
        }
        return copy;
    }

    /** Free-form metadata: kept as given (nulls dropped by {@link Map#copyOf} are rejected instead). */
    public static Map<String, Object> metadata(Map<String, Object> value, String field) {
        if (value == null) {
            return Map.of();
        }
        for (Map.Entry<String, Object> e : value.entrySet()) {
            if (e.getKey() == null) {
                throw new InvalidMessageException(field, "keys must not be null");
            }
        }
        // Map.copyOf rejects null values; JSON null is legal in metadata, so keep an unmodifiable copy instead.
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(value));
    }

    public static int schemaVersion(Integer value) {
        if (value == null) {
            return Schema.VERSION;
        }
        if (value < 1) {
            throw new InvalidMessageException("schema_version", "must be 1 or greater, was " + value);
        }
        return value;
    }
}
