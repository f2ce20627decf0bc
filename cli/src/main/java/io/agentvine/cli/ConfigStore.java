package io.agentvine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Reads and writes {@code config.yaml} in the config directory. The file holds keys: it is written
 * owner-only (0600, its directory 0700), through a temporary file moved into place.
 */
public final class ConfigStore {
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    private static final ObjectMapper YAML = Printer.YAML.copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    public ConfigStore(Path dir) {
        this.file = dir.resolve("config.yaml");
    }

    public Path file() {
        return file;
    }

    public VineConfig load() {
        if (!Files.exists(file)) {
            return VineConfig.empty();
        }
        try {
            VineConfig c = YAML.readValue(file.toFile(), VineConfig.class);
            return c == null ? VineConfig.empty() : c;
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "bad_config", "cannot read " + file + ": " + e.getMessage());
        }
    }

    public void save(VineConfig config) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(".config.yaml.tmp");
            Files.deleteIfExists(tmp);
            if (posix) {
                Files.setPosixFilePermissions(dir, DIR);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, YAML.writeValueAsString(config));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (posix) {
                Files.setPosixFilePermissions(file, FILE);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "config_not_written", "cannot write " + file + ": " + e.getMessage());
        }
    }
}
