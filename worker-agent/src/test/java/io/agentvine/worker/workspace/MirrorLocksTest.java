package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mirrors' file locks against interrupts: a cancelled task must not drop the locks its neighbours hold. */
class MirrorLocksTest {
    @TempDir
    Path tmp;

    @Test
    void an_interrupted_task_updates_and_the_use_lock_of_the_mirrors_other_users_stays() throws Exception {
        MirrorLocks locks = MirrorLocks.of(tmp);
        Runnable release = locks.use("m"); // another task's workspace borrows the mirror
        AtomicBoolean ran = new AtomicBoolean();
        AtomicBoolean keptInterrupt = new AtomicBoolean();
        Thread cancelled = new Thread(() -> {
            Thread.currentThread().interrupt(); // cancelled before it takes the update lock
            try {
                locks.update("m", () -> {
                    ran.set(true);
                    return null;
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            keptInterrupt.set(Thread.currentThread().isInterrupted());
        }, "test-cancelled-task");
        cancelled.start();
        cancelled.join();
        assertThat(ran).as("the update ran: the lock channel was not closed by the interrupt").isTrue();
        assertThat(keptInterrupt).as("the interrupt is handed back").isTrue();
        // this JVM still holds the use lock: no other channel of it may take the byte
        try (FileChannel other = FileChannel.open(tmp.resolve("m.lock"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThatThrownBy(() -> other.tryLock(1, 1, false)).isInstanceOf(OverlappingFileLockException.class);
        }
        release.run();
    }
}
