package io.agentvine.worker.workspace;

import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * Git credentials from the worker's environment: an HTTPS token ({@value #TOKEN}, user
 * {@value #USERNAME}, default {@value #DEFAULT_USERNAME}) and an SSH private key ({@value #SSH_KEY},
 * known hosts {@value #KNOWN_HOSTS}, default {@code ~/.ssh/known_hosts}).
 *
 * <p>They are handed to JGit per operation and only to the transport they are meant for (the token
 * to http(s), the key to ssh), so they are never written into a clone's {@code .git/config}, and
 * they never appear in logs, exception messages or {@link #toString()}: messages that may echo a
 * server reply go through {@link #redact(String)} first.
 *
 * <p>Thread-safe; one instance serves all of a worker's workspaces.
 */
public final class GitCredentials {
    public static final String TOKEN = "AGENTVINE_GIT_TOKEN";
    public static final String USERNAME = "AGENTVINE_GIT_USERNAME";
    public static final String SSH_KEY = "AGENTVINE_GIT_SSH_KEY";
    public static final String KNOWN_HOSTS = "AGENTVINE_GIT_KNOWN_HOSTS";
    /** What GitHub expects as the user name of an installation or fine-grained token. */
    public static final String DEFAULT_USERNAME = "x-access-token";
    private static final String MASK = "***";

    private final String username;
    private final String token;
    private final Path sshKey;
    private final Path knownHosts;
    private final List<String> secrets;
    private SshdSessionFactory sshFactory;

    /** Reads the variables above from {@code env} (the process environment in production). */
    public GitCredentials(Map<String, String> env) {
        this.token = blankToNull(env.get(TOKEN));
        String user = blankToNull(env.get(USERNAME));
        this.username = user == null ? DEFAULT_USERNAME : user;
        String key = blankToNull(env.get(SSH_KEY));
        this.sshKey = key == null ? null : Path.of(key).toAbsolutePath();
        String hosts = blankToNull(env.get(KNOWN_HOSTS));
        this.knownHosts = hosts == null ? null : Path.of(hosts).toAbsolutePath();
        this.secrets = token == null ? List.of() : spellings(username, token);
    }

    public static GitCredentials none() {
        return new GitCredentials(Map.of());
    }

    public boolean hasToken() {
        return token != null;
    }

    public boolean hasSshKey() {
        return sshKey != null;
    }

    /** The token as JGit credentials for http(s); null when no token is configured. */
    public CredentialsProvider https() {
        return token == null ? null : new UsernamePasswordCredentialsProvider(username, token);
    }

    /**
     * The SSH configuration for ssh transports: the configured key as the only identity, public-key
     * authentication only, host keys checked against the configured (or default) known_hosts. Other
     * transports are left alone; without a key JGit's defaults apply ({@code ~/.ssh}).
     */
    public TransportConfigCallback ssh() {
        if (sshKey == null) {
            return transport -> { };
        }
        SshdSessionFactory factory = sshFactory();
        return transport -> {
            if (transport instanceof SshTransport s) {
                s.setSshSessionFactory(factory);
            }
        };
    }

    /**
     * Gives {@code command} the credentials for {@code url}'s transport, and only those: the token
     * is never offered to an ssh server (which could ask for a "password") or to anything else.
     */
    public <C extends TransportCommand<C, ?>> C applyTo(C command, String url) {
        switch (scheme(url)) {
            case "https", "http" -> command.setCredentialsProvider(https());
            case "ssh" -> command.setTransportConfigCallback(ssh());
            default -> { }
        }
        return command;
    }

    /**
     * Masks the token wherever it appears, also URL-encoded and inside a Basic authorization value
     * (JGit errors may echo URLs, headers or server replies). Null stays null.
     */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return out;
    }

    @Override
    public String toString() {
        return "GitCredentials[token=" + (token == null ? "none" : MASK) + ", username=" + username
                + ", sshKey=" + (sshKey == null ? "none" : sshKey) + ", knownHosts=" + (knownHosts == null ? "default" : knownHosts) + "]";
    }

    static String scheme(String url) {
        int i = url.indexOf("://");
        // Without a scheme it is scp-like user@host:path, which git reads as ssh (a local path never reaches us).
        return i < 0 ? "ssh" : url.substring(0, i).toLowerCase(Locale.ROOT);
    }

    // One factory for the worker's lifetime, like JGit's default one: it caches the parsed key,
    // known_hosts and ssh config, and tracks open sessions; one per operation would redo all that.
    private synchronized SshdSessionFactory sshFactory() {
        if (sshFactory == null) {
            // The builder has no default home (JGit's default factory has); ~/.ssh/config still applies.
            File home = FS.DETECTED.userHome() != null ? FS.DETECTED.userHome() : sshKey.getParent().toFile();
            SshdSessionFactoryBuilder b = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(home)
                    .setSshDirectory(new File(home, ".ssh"))
                    .setDefaultIdentities(sshDir -> List.of(sshKey))
                    .setPreferredAuthentications("publickey");
            if (knownHosts != null) {
                b.setDefaultKnownHostsFiles(sshDir -> List.of(knownHosts));
            }
            sshFactory = b.build(null);
        }
        return sshFactory;
    }

    private static List<String> spellings(String username, String token) {
        Set<String> s = new LinkedHashSet<>();
        // The Basic value and the URL-encoded form first: both contain or overlap the plain token.
        s.add(Base64.getEncoder().encodeToString((username + ":" + token).getBytes(StandardCharsets.UTF_8)));
        s.add(URLEncoder.encode(token, StandardCharsets.UTF_8));
        s.add(token);
        return List.copyOf(s);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
