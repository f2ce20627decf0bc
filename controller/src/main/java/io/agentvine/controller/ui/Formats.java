package io.agentvine.controller.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** How the dashboard shows times, durations and sizes. */
public final class Formats {
    private Formats() {
    }

    /** {@code 45s}, {@code 3m 05s}, {@code 2h 10m}, {@code 3d 4h}. */
    public static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%dd %dh", s / 86400, (s % 86400) / 3600);
    }

    /** {@code 12s ago}; {@code never} for null. */
    public static String ago(Instant then, Instant now) {
        return then == null ? "never" : duration(Duration.between(then, now)) + " ago";
    }

    /** Since {@code then}; empty for null. */
    public static String since(Instant then, Instant now) {
        return then == null ? "" : duration(Duration.between(then, now));
    }

    /** Whole seconds since {@code then} (0 at least); null for null. */
    public static Long seconds(Instant then, Instant now) {
        return then == null ? null : Math.max(0, Duration.between(then, now).toSeconds());
    }

    /** {@code 512 MiB}, {@code 1.5 GiB}. */
    public static String bytes(Long b) {
        if (b == null) {
            return "–";
        }
        double v = b;
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u <= 2 ? String.format(Locale.ROOT, "%.0f %s", v, units[u]) : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * US dollars: two decimals from a dollar up ({@code $1,234.50}), four below ({@code $0.0123}), so a
     * cheap run does not read as free; {@code –} for null.
     */
    public static String money(Double usd) {
        if (usd == null) {
            return "–";
        }
        if (usd == 0) {
            return "$0.00";
        }
        return Math.abs(usd) >= 1 ? String.format(Locale.US, "$%,.2f", usd) : String.format(Locale.US, "$%.4f", usd);
    }

    /** A count with thousands separators: {@code 1,234,567}. */
    public static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    /** A figure rounded to a whole number, with thousands separators; {@code –} for null. */
    public static String count(Double n) {
        return n == null ? "–" : String.format(Locale.US, "%,.0f", n);
    }

    /** A rate as a percentage: {@code 66.7 %}; {@code –} for null. */
    public static String percent(Double ratio) {
        return ratio == null ? "–" : String.format(Locale.US, "%.1f %%", ratio * 100);
    }

    /** Milliseconds for people: {@code 850 ms}, {@code 4.2s}, then as {@link #duration}; {@code –} for null. */
    public static String millis(Double ms) {
        if (ms == null) {
            return "–";
        }
        if (ms < 1000) {
            return String.format(Locale.US, "%.0f ms", ms);
        }
        if (ms < 10_000) {
            return String.format(Locale.US, "%.1fs", ms / 1000);
        }
        return duration(Duration.ofMillis(Math.round(ms)));
    }

    /** A wire name as words: {@code agent_running} → {@code agent running}. */
    public static String words(String wire) {
        return wire == null ? "" : wire.replace('_', ' ');
    }
}
