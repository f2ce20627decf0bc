package io.agentvine.worker.workspace;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Git credentials from the worker's environment: an HTTPS token ({@code AGENTVINE_GIT_TOKEN}, user
 * {@code AGENTVINE_GIT_USERNAME}, default {@code x-access-token}) and an SSH key
 * ({@code AGENTVINE_GIT_SSH_KEY}, known hosts {@code AGENTVINE_GIT_KNOWN_HOSTS}). They are handed to
 * JGit per operation: never written into a clone's config, never logged, never in {@link #toString()}.
 */
public final class GitCredentials {
    private final String username;
    private final String token;
    private final Path sshKey;
    private final Path knownHosts;

    public GitCredentials(Map<String, String> env) {
        this.token = blankToNull(env.get("AGENTVINE_GIT_TOKEN"));
        this.username = env.getOrDefault("AGENTVINE_GIT_USERNAME", "x-access-token");
        String key = blankToNull(env.get("AGENTVINE_GIT_SSH_KEY"));
        this.sshKey = key == null ? null : Path.of(key);
        String hosts = blankToNull(env.get("AGENTVINE_GIT_KNOWN_HOSTS"));
        this.knownHosts = hosts == null ? null : Path.of(hosts);
    }

    public static GitCredentials none() {
        return new GitCredentials(Map.of());
    }

    public CredentialsProvider https() {
        return token == null ? null : new UsernamePasswordCredentialsProvider(username, token);
    }

    /** Configures SSH transports with the key and known hosts (when set); other transports are left alone. */
    public TransportConfigCallback ssh() {
        if (sshKey == null) {
            return transport -> { };
        }
        SshdSessionFactoryBuilder b = new SshdSessionFactoryBuilder()
                .setHomeDirectory(sshKey.toAbsolutePath().getParent().toFile())
                .setSshDirectory(sshKey.toAbsolutePath().getParent().toFile())
                .setDefaultIdentities(dir -> List.of(sshKey));
        if (knownHosts != null) {
            b.setDefaultKnownHostsFiles(dir -> List.of(knownHosts));
        }
        SshdSessionFactory factory = b.build(null);
        return transport -> {
            if (transport instanceof SshTransport s) {
                s.setSshSessionFactory(factory);
            }
        };
    }

    /** Masks the token wherever it appears (JGit errors may echo URLs or server replies). */
    public String redact(String text) {
        if (text == null || token == null) {
            return text;
        }
        return text.replace(token, "***");
    }

    @Override
    public String toString() {
        return "GitCredentials[token=" + (token == null ? "none" : "***") + ", sshKey=" + (sshKey == null ? "none" : sshKey) + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
