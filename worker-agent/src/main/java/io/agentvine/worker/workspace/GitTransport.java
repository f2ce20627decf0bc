package io.agentvine.worker.workspace;

import java.io.InterruptedIOException;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.URIish;

/**
 * The network side of every git operation of a run (ls-remote, fetch, clone, push): the credentials
 * of the URL's transport ({@link GitCredentials}) and one limit, {@code AGENTVINE_GIT_TIMEOUT}, as
 * connect timeout and read-idle timeout on every transport: http(s) through the connection's own
 * timeouts ({@code TransportCommand#setTimeout}), ssh through JGit's timed reads and Apache MINA's
 * auth timeout (greeting, key exchange, authentication), git:// through the socket's own timeout
 * ({@link GitDaemonTransport}); file:// needs none. A server that accepts and then says nothing
 * fails the operation after that long, and {@link #reason} says so, naming the host and the wait.
 */
final class GitTransport {
    static final String SSH_AUTH_TIMEOUT = "org.apache.sshd.config.auth-timeout";
    private final GitCredentials credentials;
    private final Duration timeout;

    GitTransport(GitCredentials credentials, Duration timeout) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("the git timeout must be at least 1 s (JGit counts whole seconds), was " + timeout);
        }
        this.timeout = timeout;
        GitDaemonTransport.register(); // JGit's own git:// read timeout does not fire on a silent daemon
        // JGit waits for an ssh server's greeting, key exchange and authentication for Apache MINA's auth
        // timeout (2 min), not its own: MINA reads its defaults from these JVM-wide properties.
        System.setProperty(SSH_AUTH_TIMEOUT, String.valueOf(timeout.toMillis()));
    }

    /** Gives {@code command} the credentials for {@code url}'s transport and the timeout. */
    <C extends TransportCommand<C, ?>> C applyTo(C command, String url) {
        return credentials.applyTo(command, url).setTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    }

    String redact(String text) {
        return credentials.redact(text);
    }

    /**
     * Why a network operation on {@code url}, started at {@code startedNanos} ({@link System#nanoTime}),
     * failed, for a result: "no data from git server host:port for N s" when it timed out, else the
     * error's message (an {@link Error}'s class too); credentials redacted.
     */
    String reason(Throwable e, String url, long startedNanos) {
        if (timedOut(e, System.nanoTime() - startedNanos >= timeout.toNanos())) {
            return "no data from git server " + hostAndPort(url) + " for " + timeout.toSeconds() + " s (AGENTVINE_GIT_TIMEOUT)";
        }
        return credentials.redact(String.valueOf(e instanceof Error || e.getMessage() == null ? e : e.getMessage()));
    }

    /** A read or connect timeout; or an ssh session MINA closed at its auth timeout, which says only that. */
    private static boolean timedOut(Throwable e, boolean tookTheTimeout) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof InterruptedIOException || m.contains("timed out") || m.contains("timeout")
                    || tookTheTimeout && m.contains("session is being closed")) {
                return true;
            }
        }
        return false;
    }

    /** {@code host:port} of a git URL, the transport's default port when it names none. */
    static String hostAndPort(String url) {
        try {
            URIish u = new URIish(url);
            if (u.getHost() == null) {
                return url;
            }
            int port = u.getPort() > 0 ? u.getPort() : switch (GitCredentials.scheme(url)) {
                case "https" -> 443;
                case "http" -> 80;
                case "git" -> 9418;
                default -> 22;
            };
            return u.getHost() + ":" + port;
        } catch (URISyntaxException e) {
            return url;
        }
    }
}
