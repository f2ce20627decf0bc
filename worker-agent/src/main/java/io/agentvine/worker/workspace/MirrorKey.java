package io.agentvine.worker.workspace;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.eclipse.jgit.transport.URIish;

/**
 * The name of a repository's mirror in the cache: the SHA-256 (hex) of its normalised URL, so that
 * {@code https://Host/org/repo.git}, {@code https://x-access-token:…@host/org/repo} and
 * {@code https://host:443/org/repo/} share one mirror and no user name or password ever reaches a
 * file name.
 */
final class MirrorKey {
    private MirrorKey() {
    }

    /** The key of {@code url}: 64 hex digits. */
    static String of(String url) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(normalise(url).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * {@code scheme://host[:port]/path}: scheme and host in lower case, no user or password, the
     * transport's default port dropped, no trailing {@code /} or {@code .git}; scp-like
     * {@code user@host:path} is read as ssh.
     */
    static String normalise(String url) {
        URIish u;
        try {
            u = new URIish(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a git URL: " + e.getMessage(), e);
        }
        String scheme = u.getScheme() == null ? (u.getHost() == null ? "file" : "ssh") : u.getScheme().toLowerCase(Locale.ROOT);
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        int port = u.getPort();
        if (port == defaultPort(scheme)) {
            port = -1;
        }
        String path = u.getPath() == null ? "" : u.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        return scheme + "://" + host + (port > 0 ? ":" + port : "") + path;
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            case "git" -> 9418;
            case "ssh", "git+ssh", "ssh+git" -> 22;
            default -> -2;
        };
    }
}
