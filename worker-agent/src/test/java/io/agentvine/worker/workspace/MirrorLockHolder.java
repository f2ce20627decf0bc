package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A second worker JVM, for tests: marks a mirror of a cache directory in use ({@link MirrorLocks}),
 * prints {@code held}, and gives it back when its standard input closes.
 * Arguments: the cache directory, the mirror's key.
 */
public final class MirrorLockHolder {
    private MirrorLockHolder() {
    }

    public static void main(String[] args) throws IOException {
        Runnable release = MirrorLocks.of(Path.of(args[0])).use(args[1]);
        System.out.println("held");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the test closes our input
        }
        release.run();
    }
}
