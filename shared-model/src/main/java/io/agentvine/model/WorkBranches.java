package io.agentvine.model;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The one place that names what a work order writes to: its work branch, and the key of its repository for the
 * queue's repository locks (README "Repository locks"). Workers check out the branch named here; the queue
 * never lets two running attempts hold the same (repository key, branch).
 */
public final class WorkBranches {
    public static final String PREFIX = Continuation.WORK_BRANCH_PREFIX;

    private WorkBranches() {
    }

    /**
     * The work branch of {@code order}: {@code agentvine/<type>/<task-id>}; a follow-up or a chain's next step
     * continues its parent's branch. A task id that is not valid in a ref name (it may contain ':' or "..") is
     * made valid and suffixed with a hash of the original, so that every attempt of a task, and no other task,
     * lands on the same branch.
     */
    public static String of(WorkOrder order) {
        if (order.continuation() != null) {
            return order.continuation().workBranch();
        }
        String prefix = PREFIX + order.type().name() + "/";
        String taskId = order.taskId();
        if (BranchNames.problem(prefix + taskId) == null) {
            return prefix + taskId;
        }
        return prefix + taskId.replaceAll("[^A-Za-z0-9_-]", "-") + "-" + shortHash(taskId);
    }

    /**
     * The repository's lock key: host (lower case, no port, no user or credentials) and path, without a trailing
     * ".git" or '/', so that https, ssh and scp-like addresses of one repository share a key; {@code file:<path>}
     * for local repositories. E.g. {@code https://user@GitHub.com/acme/shop.git} and {@code git@github.com:acme/shop}
     * are both {@code github.com/acme/shop}.
     */
    public static String repositoryKey(String repositoryUrl) {
        String url = repositoryUrl.strip();
        int scheme = url.indexOf("://");
        String host;
        String path;
        if (scheme < 0) {
            // scp-like user@host:path, or an already normalized key host/path
            int colon = url.indexOf(':');
            int slash = url.indexOf('/');
            if (colon > 0 && (slash < 0 || colon < slash)) {
                host = url.substring(0, colon);
                path = url.substring(colon + 1);
            } else if (slash > 0) {
                host = url.substring(0, slash);
                path = url.substring(slash + 1);
            } else {
                host = url;
                path = "";
            }
            int at = host.lastIndexOf('@');
            host = at < 0 ? host : host.substring(at + 1);
        } else if (url.regionMatches(true, 0, "file", 0, scheme)) {
            return "file:/" + trimPath(URI.create(url).getPath());
        } else {
            URI uri = URI.create(url);
            host = uri.getHost() == null ? "" : uri.getHost();
            path = uri.getPath() == null ? "" : uri.getPath();
        }
        path = trimPath(path);
        host = host.toLowerCase(Locale.ROOT);
        return path.isEmpty() ? host : host + "/" + path;
    }

    /** A host and at least one path segment of printable characters (spaces inside a segment), or a file path. */
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile(
            "[a-z0-9][a-z0-9.-]*(/[^\\p{Cntrl}\\p{Cf}\\s<>\"'`\\\\/][^\\p{Cntrl}\\p{Cf}<>\"'`\\\\/]*)+"
                    + "|file:/[^\\p{Cntrl}\\p{Cf}]+");

    /**
     * The key of a repository an operator names by URL or key ({@code https://github.com/acme/shop.git},
     * {@code git@github.com:acme/shop}, {@code github.com/acme/shop}): {@link #repositoryKey}, checked to be a host
     * and a path of ordinary names (or a {@code file:} path without control characters or spaces).
     *
     * @throws InvalidMessageException naming {@code field} when it is none
     */
    public static String operatorRepositoryKey(String repository, String field) {
        Check.requiredText(repository, field, 2000);
        String key = null;
        try {
            key = repositoryKey(repository);
        } catch (IllegalArgumentException e) {
            // below
        }
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidMessageException(field, "must be a repository's URL or key (e.g. https://github.com/acme/shop.git or"
                    + " github.com/acme/shop), was '" + repository + "'");
        }
        return key;
    }

    private static String trimPath(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.endsWith(".git")) {
            p = p.substring(0, p.length() - 4);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
