package io.agentvine.controller.logs;

/** Order of Redis stream entry ids ({@code <ms>-<seq>}): numeric, part by part. */
final class StreamIds {
    static final String ZERO = "0-0";

    private StreamIds() {
    }

    /** Negative, zero or positive as {@code a} is before, equal to or after {@code b}. */
    static int compare(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c = Long.compareUnsigned(Long.parseUnsignedLong(a.substring(0, da)), Long.parseUnsignedLong(b.substring(0, db)));
        return c != 0 ? c : Long.compareUnsigned(Long.parseUnsignedLong(a.substring(da + 1)), Long.parseUnsignedLong(b.substring(db + 1)));
    }

    static String min(String a, String b) {
        return compare(a, b) <= 0 ? a : b;
    }
}
