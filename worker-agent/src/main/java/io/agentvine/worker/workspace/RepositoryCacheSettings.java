package io.agentvine.worker.workspace;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The worker's repository cache ({@link RepositoryCache}): on or off, where the mirrors live and how
 * many bytes they may take together. Read from the worker's variables:
 * <table>
 * <tr><td>{@value #ENABLED}</td><td>on (off: every task clones its repository shallowly, as before the cache)</td></tr>
 * <tr><td>{@value #DIR}</td><td>{@code <AGENTVINE_WORKSPACE_DIR>/}{@value #DEFAULT_DIR_NAME}; two workers may share one</td></tr>
 * <tr><td>{@value #MAX_BYTES}</td><td>10G; bytes, or with a suffix K, M, G or T (powers of 1024)</td></tr>
 * <tr><td>{@value #WORKSPACES}</td><td>{@value #DEFAULT_WORKSPACES}: finished workspaces kept per repository, reset, for the
 *     next task to start from ({@link WorkspacePool}); 0 keeps none</td></tr>
 * </table>
 *
 * @param enabled    false: no cache, a shallow clone per task
 * @param dir        the directory holding one bare mirror per repository
 * @param maxBytes   the mirrors' size (kept workspaces included) above which the least recently used ones not in use are deleted
 * @param workspaces finished workspaces kept per repository for reuse (0: none)
 */
public record RepositoryCacheSettings(boolean enabled, Path dir, long maxBytes, int workspaces) {
    public static final String ENABLED = "AGENTVINE_REPO_CACHE";
    public static final String DIR = "AGENTVINE_REPO_CACHE_DIR";
    public static final String MAX_BYTES = "AGENTVINE_REPO_CACHE_MAX_BYTES";
    public static final String WORKSPACES = "AGENTVINE_REPO_CACHE_WORKSPACES";
    public static final int DEFAULT_WORKSPACES = 2;
    public static final String DEFAULT_DIR_NAME = ".repo-cache";
    public static final long DEFAULT_MAX_BYTES = 10L << 30;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,18})\\s*([KMGT]?)(i?B)?", Pattern.CASE_INSENSITIVE);

    public RepositoryCacheSettings {
        if (enabled) {
            Objects.requireNonNull(dir, "dir");
            dir = dir.toAbsolutePath().normalize();
            if (maxBytes < 1) {
                throw new IllegalArgumentException(MAX_BYTES + " must be at least 1 byte, was " + maxBytes);
            }
            if (workspaces < 0) {
                throw new IllegalArgumentException(WORKSPACES + " must be 0 or more, was " + workspaces);
            }
        }
    }

    /** With the default number of kept workspaces. */
    public RepositoryCacheSettings(boolean enabled, Path dir, long maxBytes) {
        this(enabled, dir, maxBytes, enabled ? DEFAULT_WORKSPACES : 0);
    }

    /** No cache: each task clones shallowly. */
    public static RepositoryCacheSettings off() {
        return new RepositoryCacheSettings(false, null, 0, 0);
    }

    /** The cache under {@code dir}, with the default size cap. */
    public static RepositoryCacheSettings at(Path dir) {
        return new RepositoryCacheSettings(true, dir, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads the four variables through {@code variables} (null or blank: unset), adding a line
     * naming the variable to {@code problems} for each value that is not usable.
     */
    public static RepositoryCacheSettings read(Function<String, String> variables, Path workspaceDir, List<String> problems) {
        String enabled = variables.apply(ENABLED);
        boolean on = true;
        if (enabled != null && !enabled.isBlank()) {
            switch (enabled.trim().toLowerCase(Locale.ROOT)) {
                case "on", "true", "yes", "1" -> on = true;
                case "off", "false", "no", "0" -> on = false;
                default -> problems.add(ENABLED + ": '" + enabled + "' is not on or off");
            }
        }
        String dirText = variables.apply(DIR);
        Path dir = dirText == null || dirText.isBlank() ? workspaceDir.resolve(DEFAULT_DIR_NAME) : Path.of(dirText.trim());
        String sizeText = variables.apply(MAX_BYTES);
        long max = DEFAULT_MAX_BYTES;
        if (sizeText != null && !sizeText.isBlank()) {
            max = parseSize(sizeText.trim());
            if (max < 1) {
                problems.add(MAX_BYTES + ": '" + sizeText + "' is not a size of at least 1 byte (e.g. 5000000000, 20G, 512M)");
                max = DEFAULT_MAX_BYTES;
            }
        }
        String keptText = variables.apply(WORKSPACES);
        int kept = DEFAULT_WORKSPACES;
        if (keptText != null && !keptText.isBlank()) {
            try {
                kept = Integer.parseInt(keptText.trim());
            } catch (NumberFormatException e) {
                kept = -1;
            }
            if (kept < 0 || kept > 64) {
                problems.add(WORKSPACES + ": '" + keptText + "' is not a number of workspaces from 0 to 64");
                kept = DEFAULT_WORKSPACES;
            }
        }
        return on ? new RepositoryCacheSettings(true, dir, max, kept) : off();
    }

    /** Bytes of {@code text} ("123", "20G", "512MiB"); -1 when it is not a size or too large. */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return -1;
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        long n = Long.parseLong(m.group(1));
        return n > (Long.MAX_VALUE >> shift) ? -1 : n << shift;
    }

    @Override
    public String toString() {
        return enabled ? "repository cache " + dir + " (at most " + maxBytes + " bytes, " + workspaces + " workspaces kept per repository)"
                : "repository cache off";
    }
}
