package io.agentvine.controller.input;

import io.agentvine.model.InvalidMessageException;

/** Rules for text a client sends: present means not blank, within a length, no stray control characters. */
public final class Texts {
    private Texts() {
    }

    /** One line (a title, a name, a filter): no control characters at all. Null stays null. */
    public static String line(String value, String field, int maxLength) {
        return check(value, field, maxLength, false);
    }

    /** Free text (instructions, a command, an answer): tabs and line breaks allowed, other control characters not. */
    public static String text(String value, String field, int maxLength) {
        return check(value, field, maxLength, true);
    }

    private static String check(String value, String field, int maxLength, boolean multiLine) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw new InvalidMessageException(field, "must not be blank; leave the field out instead");
        }
        if (value.length() > maxLength) {
            throw new InvalidMessageException(field, "is " + value.length() + " characters long; the limit is " + maxLength);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = multiLine && (c == '\t' || c == '\n' || c == '\r');
            if (Character.isISOControl(c) && !allowed) {
                throw new InvalidMessageException(field, String.format("contains the control character U+%04X at %d%s", (int) c, i,
                        multiLine ? " (only tabs and line breaks are allowed)" : ""));
            }
        }
        return value;
    }

    /** Where a string has a NUL or half a surrogate pair (no database stores either), or -1. */
    static int unstorable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
