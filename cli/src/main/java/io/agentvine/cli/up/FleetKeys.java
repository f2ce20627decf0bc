package io.agentvine.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The fleet's two keys, generated once and kept owner-only in the data folder: {@code admin-key} (for
 * the operator: dashboard, {@code vine}) and {@code worker-key} (the workers' one key for all types).
 * They reach the controller and the workers through the environment only.
 */
public record FleetKeys(String admin, String worker) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Reads the keys of {@code data}, making those that do not exist yet. */
    public static FleetKeys load(Path data) {
        return new FleetKeys(key(data.resolve("admin-key"), "av-admin"), key(data.resolve("worker-key"), "av-worker"));
    }

    private static String key(Path file, String prefix) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) > 0) {
                return Files.readString(file).trim();
            }
            byte[] bytes = new byte[18];
            RANDOM.nextBytes(bytes);
            String key = prefix + "-" + HexFormat.of().formatHex(bytes);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)));
            }
            Files.writeString(tmp, key, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    @Override
    public String toString() {
        return "FleetKeys[admin=****, worker=****]";
    }
}
