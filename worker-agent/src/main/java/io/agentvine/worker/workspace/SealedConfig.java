package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workspace's {@code .git/config} as written at clone time, hooks switched off, put back whenever
 * the agent changed it (it could have pointed {@code origin} elsewhere, set a proxy or an excludes
 * file) before the worker commits, lists changes or pushes.
 */
final class SealedConfig {
    private static final Logger log = LoggerFactory.getLogger(SealedConfig.class);
    // A path that cannot be a directory of hooks on POSIX; git itself accepts it to switch hooks off.
    private static final String NO_HOOKS = "/dev/null";

    private final Repository repo;
    private final Path file;
    private final byte[] sealed;

    private SealedConfig(Repository repo, Path file, byte[] sealed) {
        this.repo = repo;
        this.file = file;
        this.sealed = sealed;
    }

    /** Switches hooks off in {@code repo}'s configuration and remembers the result. */
    static SealedConfig seal(Repository repo) throws IOException {
        StoredConfig config = repo.getConfig();
        config.setString(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_HOOKS_PATH, NO_HOOKS);
        config.save();
        Path file = repo.getDirectory().toPath().resolve(Constants.CONFIG);
        return new SealedConfig(repo, file, Files.readAllBytes(file));
    }

    /** Puts back the configuration written at clone time if the agent changed it. */
    void restore() throws IOException {
        byte[] now;
        try {
            now = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            now = null;
        }
        if (!Arrays.equals(now, sealed)) {
            log.warn("{}: the agent changed .git/config; restoring the one written at clone time", repo.getWorkTree());
            Files.write(file, sealed);
            try {
                repo.getConfig().load();
            } catch (ConfigInvalidException e) {
                throw new IOException("the restored .git/config does not parse", e);
            }
        }
    }
}
