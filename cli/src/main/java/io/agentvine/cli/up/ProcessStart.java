package io.agentvine.cli.up;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * When a process started, as the Linux kernel counts it: the boot's id and the clock ticks from boot to the
 * process's start ({@code /proc/<pid>/stat}, field 22). Unlike {@link ProcessHandle.Info#startInstant()}, which
 * the JDK derives from the boot time in whole seconds of the wall clock as each JVM first reads it, it never moves
 * when the wall clock is stepped (an NTP or hypervisor correction between the run that recorded a process and
 * the run that checks it), and a pid reused after a reboot cannot match it.
 */
final class ProcessStart {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    /** starttime is the 22nd field of /proc/<pid>/stat; counted from the state field (the 3rd), after the name. */
    private static final int START_TIME_AFTER_NAME = 22 - 3;

    private ProcessStart() {
    }

    /** {@code <boot id>/<start ticks>}, or empty where there is no /proc (not Linux) or the process is gone. */
    static Optional<String> key(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the name (2nd field) is in parentheses and may hold spaces and parentheses itself: the fields that
            // follow start after the last ')'
            int nameEnd = stat.lastIndexOf(')');
            if (nameEnd < 0) {
                return Optional.empty();
            }
            String[] fields = stat.substring(nameEnd + 1).trim().split(" +");
            if (fields.length <= START_TIME_AFTER_NAME) {
                return Optional.empty();
            }
            String bootId = Files.readString(BOOT_ID).trim();
            return Optional.of(bootId + "/" + Long.parseLong(fields[START_TIME_AFTER_NAME]));
        } catch (IOException | RuntimeException notReadable) {
            return Optional.empty();
        }
    }
}
