package io.agentvine.worker.agent;

/**
 * Builds CLI flags so that no value can become another flag: every value is glued to its flag
 * ({@code --model=x}), never passed as an argument of its own, and must be one line.
 */
final class Arguments {
    private Arguments() {
    }

    static String flag(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(name + " value contains a control character");
            }
        }
        return name + "=" + value;
    }
}
